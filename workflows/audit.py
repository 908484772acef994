"""Audit entries for state changes, in django-auditlog beside its field diffs.

auditlog records field changes by itself; a transition (escalate, return,
direct…) also gets an entry naming the event, its actor and what it carried.
"""

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _

# How each event reads on the submission's history tab.
EVENT_LABELS = {
    "escalated": _("Báo cáo lên Ban"),
    "verified": _("Ghi nhận kiểm chứng"),
    "handling_status": _("Đổi tình trạng xử lý"),
    "direction": _("Ý kiến chỉ đạo"),
    "answers_edited": _("Đơn vị sửa và gửi lại"),
    "unit_review.approve": _("Thẩm định: duyệt"),
    "unit_review.reject": _("Thẩm định: trả lại"),
    "unit_review.escalate": _("Thẩm định: báo cáo lên Ban"),
    "board_review.approve": _("Ban: ghi nhận"),
    "board_review.reject": _("Ban: trả lại"),
    "board_review.direct": _("Ban: chỉ đạo, định hướng"),
}


def record(instance, actor, event, changes=None, **data):
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes=changes or {},
        actor=actor,
        additional_data={"event": event, **data},
    )
