"""Admin views of the organisation registry."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic

from security import audit

from . import identity as identity_module
from .models import ProtectedIdentity
from .text import fold


class FoldedSearchIndexView(generic.IndexView):
    """Search without diacritics: "hoa phu", "Hoà Phú" and "HÒA PHÚ" all match.

    Wagtail's ORM search is a plain icontains; the models keep a folded copy of
    their names in `search_text`, and the query is folded the same way.
    """

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        for word in fold(self.search_query).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do cần biết danh tính"),
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Vui lòng ghi rõ lý do cần biết danh tính."),
            "min_length": _("Lý do cần ghi rõ (ít nhất %(limit_value)d ký tự)."),
        },
    )


def may_reveal(user):
    return user.is_active and user.has_perm("units.reveal_identity")


def reveal_identity(request, user_id):
    """A protected person's identity, to those the Board lets reveal it, once
    they have written why; every reveal is in the access audit."""
    if not may_reveal(request.user):
        raise PermissionDenied
    identity = get_object_or_404(ProtectedIdentity, user_id=user_id)
    form = RevealForm(request.POST or None)
    revealed = None
    if request.method == "POST" and form.is_valid():
        audit.record(
            request, audit.Kind.REVEAL, identity, reason=form.cleaned_data["reason"]
        )
        revealed = identity_module.reveal(identity)
    return TemplateResponse(
        request,
        "units/reveal_identity.html",
        {"identity": identity, "form": form, "revealed": revealed},
    )
