from django.urls import path

from . import views

app_name = "forms_app"

urlpatterns = [
    path("phieu-da-gui/<int:pk>/", views.receipt, name="receipt"),
]
