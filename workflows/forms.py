"""Forms of the review actions, shown in Wagtail's workflow action modal."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm

from forms_app.models.review import EscalationReason, Verification


class ReviewForm(TaskStateCommentForm):
    verification = forms.ChoiceField(
        label=_("Kiểm chứng thông tin"),
        choices=Verification.choices,
        initial=Verification.UNVERIFIED,
        required=False,
    )
    verification_note = forms.CharField(
        label=_("Ghi chú kiểm chứng"), required=False, widget=forms.Textarea
    )


class EscalateForm(ReviewForm):
    reason = forms.ChoiceField(
        label=_("Lý do báo cáo lên Ban"),
        choices=[
            (
                EscalationReason.BEYOND_AUTHORITY,
                EscalationReason.BEYOND_AUTHORITY.label,
            ),
            (EscalationReason.COMPLEX, EscalationReason.COMPLEX.label),
            (EscalationReason.SENSITIVE, EscalationReason.SENSITIVE.label),
        ],
    )


class ReturnForm(TaskStateCommentForm):
    comment = forms.CharField(
        label=_("Nội dung cần bổ sung, chỉnh sửa"), widget=forms.Textarea
    )


class DirectionForm(TaskStateCommentForm):
    direction = forms.CharField(
        label=_("Ý kiến chỉ đạo, định hướng"), widget=forms.Textarea
    )


UNIT_REVIEW_FORMS = {
    "approve": ReviewForm,
    "reject": ReturnForm,
    "escalate": EscalateForm,
}
BOARD_REVIEW_FORMS = {
    "approve": ReviewForm,
    "direct": DirectionForm,
    "reject": ReturnForm,
}
