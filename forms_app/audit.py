"""Audit entries for state changes, in django-auditlog beside its field diffs.

auditlog records field changes by itself; a transition (escalate, verify,
and the workflow's return, direct…) also gets an entry naming the event, its
actor and what it carried.
"""

from auditlog.models import LogEntry
from django.utils.translation import gettext_lazy as _

# How the submission's own events (models/review.py) read on its history tab;
# the workflows app adds those of its tasks and views.
EVENT_LABELS = {
    "escalated": _("Báo cáo lên Ban"),
    "verified": _("Ghi nhận kiểm chứng"),
    "handling_status": _("Đổi tình trạng xử lý"),
    "reclassified": _("Đổi độ mật"),
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
