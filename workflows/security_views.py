"""Admin views that change a submission's classification or reveal its
protected answers: policy first (forms_app.access), then the change, each in
the access audit with its reason and the client's address."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.access import (
    get_submission_for_user,
    reclassification_refusal,
    submissions_visible_to,
)
from forms_app.protected_answers import is_sealed, source_pseudonym
from forms_app.vocabularies import Classification
from security import audit
from units.views import RevealForm, may_reveal


class ReclassifyForm(forms.Form):
    classification = forms.TypedChoiceField(
        label=gettext_lazy("Độ mật mới"), choices=Classification.choices, coerce=int
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Vui lòng ghi lý do đổi độ mật.")},
    )

    def __init__(self, *args, user, submission, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.submission = user, submission

    def clean_classification(self):
        level = self.cleaned_data["classification"]
        refusal = reclassification_refusal(self.user, self.submission, level)
        if refusal:
            raise forms.ValidationError(refusal)
        return level


def reclassify(request, pk):
    """Raise (author, reviewers) or lower (the Board) a report's level."""
    submission = get_submission_for_user(request.user, pk)
    form = ReclassifyForm(
        request.POST or None,
        user=request.user,
        submission=submission,
        initial={"classification": submission.classification},
    )
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["classification"]
        submission.reclassify(request.user, level, form.cleaned_data["reason"])
        audit.record(
            request,
            audit.Kind.RECLASSIFY,
            submission,
            classification=level,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("Đã đổi độ mật của báo cáo thành “%(level)s”.")
            % {"level": Classification(level).label},
        )
        if not submissions_visible_to(request.user).filter(pk=submission.pk).exists():
            # Raised above one's own sight (a unit member): back to the inbox.
            return redirect("submissions:list")
        return redirect(reverse("submissions:edit", args=[submission.pk]))
    return TemplateResponse(
        request,
        "workflows/reclassify.html",
        {"submission": submission, "form": form},
    )


def reveal_answers(request, pk):
    """The identifying answers of a report, to those the Board lets reveal
    them, once they have written why; each reveal is recorded."""
    submission = get_submission_for_user(request.user, pk)
    if not may_reveal(request.user):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        audit.record(
            request, audit.Kind.REVEAL, submission, reason=form.cleaned_data["reason"]
        )
        sealed = {k for k, answer in submission.answers.items() if is_sealed(answer)}
        rows = [r for r in submission.get_answer_rows(reveal=True) if r[0] in sealed]
    return TemplateResponse(
        request,
        "workflows/reveal_answers.html",
        {
            "submission": submission,
            "form": form,
            "rows": rows,
            "pseudonym": source_pseudonym(submission.pk),
        },
    )
