"""Audit entries for state changes, in django-auditlog beside its field diffs.

auditlog records field changes by itself; a transition (escalate, return,
direct…) also gets an entry naming the event, its actor and what it carried.
"""

from auditlog.models import LogEntry


def record(instance, actor, event, changes=None, **data):
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes=changes or {},
        actor=actor,
        additional_data={"event": event, **data},
    )
