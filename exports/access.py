"""Who may export, and which export jobs each person sees: checked first, here.

Starting an export takes the permission to add export jobs; following them
(the list, a download, a retry) the permission to add or to view them. Who sees
which job: its requester, the recipients of a scheduled digest, and Board staff
and leaders with the permission to view exports, each up to their clearance.
Anyone else gets a 404, so ids leak nothing.
"""

from forms_app.access import clearance_of
from security.audit import Refused
from units.reviewers import is_board_member

from .models import ExportJob

START_EXPORTS = "exports.add_exportjob"
VIEW_EXPORTS = "exports.view_exportjob"


def may_export(user, permissions=(START_EXPORTS,)):
    """Whether `user` is active and holds one of `permissions` (by default the
    one to start exports; re-checked when the job runs and on download)."""
    return bool(
        user is not None
        and user.is_active
        and (user.is_superuser or any(user.has_perm(p) for p in permissions))
    )


def may_follow_exports(user):
    """The job list, downloads and retries: starting or viewing exports."""
    return may_export(user, (START_EXPORTS, VIEW_EXPORTS))


def jobs_visible_to(user):
    queryset = ExportJob.objects.select_related("requested_by")
    if not user.is_authenticated or not may_follow_exports(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    if is_board_member(user) and user.has_perm(VIEW_EXPORTS):
        return queryset.filter(classification__lte=clearance_of(user)) | (
            queryset.filter(requested_by=user)
        )
    # Scheduled digests (exports.schedules) are run by a system account and
    # shared with their recipients, up to each one's clearance.
    received = queryset.filter(
        pk__in=ExportJob.objects.filter(
            schedule_runs__schedule__recipients=user
        ).values("pk"),
        classification__lte=clearance_of(user),
    )
    return queryset.filter(requested_by=user) | received


def get_job_for_user(user, pk):
    try:
        return jobs_visible_to(user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise Refused from exc
