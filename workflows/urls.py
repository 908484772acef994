from django.urls import path

from . import unit_page

app_name = "workflows"

urlpatterns = [
    path("viec-cua-don-vi/", unit_page.unit_page, name="unit_page"),
]
