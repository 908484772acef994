"""Who may see and do what with submissions: the one place that decides.

Every listing, detail view, search, export, digest, notification and API takes
its queryset from here (Art. 3.2, 6.1.4, 7.1.5), as healthchecks checks access
first through a queryset helper. It lives beside the submission model, so the
published forms' own views (receipts) and every app above use the same rules.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from forms_app.classification import above_ceiling_message
from forms_app.models import FormSubmission, SharingRule
from security.audit import Refused
from units.choices import Level, Role
from units.models import Membership
from units.reviewers import is_board_member, units_reviewed_by
from units.roles import BOARD_ROLES

PROVINCE_READERS = BOARD_ROLES | {Role.LEADERSHIP_VIEWER}


def clearance_of(user):
    profile = getattr(user, "dlxh_profile", None)
    return profile.clearance if profile else 0


def visibility_filter(user):
    """A Q object selecting the submissions `user` may read."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    clearance = clearance_of(user)
    memberships = list(Membership.objects.for_user(user))
    roles = {m.role for m in memberships}
    cleared = Q(classification__lte=clearance)

    # A unit sees its own submissions within each member's clearance: a report
    # raised above it is closed to the unit too (docs/security.md). Its author
    # still reads what they wrote themselves, whatever its level. A
    # collaborator sees only their own, since collaborators' identities are
    # protected from each other (Art. 7.1.5).
    own_units = [m.unit_id for m in memberships if m.role != Role.COLLABORATOR]
    visible = (Q(unit_id__in=own_units) & cleared) | Q(submitted_by=user)
    if roles & PROVINCE_READERS:
        visible |= cleared
    if Role.COMMUNE_REVIEWER in roles:
        # Ids, not a subquery: OR-ed with a subquery, no index could be used.
        reviewed = list(units_reviewed_by(user).values_list("pk", flat=True))
        visible |= Q(unit_id__in=reviewed) & cleared
    visible |= _shared_with(memberships, clearance)
    return visible


def _shared_with(memberships, clearance):
    shared = Q(pk__in=[])
    rules = list(SharingRule.objects.filter(is_active=True))
    for membership in memberships:
        unit = membership.unit
        for rule in rules:
            if not rule.applies_to(unit):
                continue
            match = Q(classification__lte=min(rule.max_classification, clearance))
            if rule.source_level:
                match &= Q(unit__level=rule.source_level)
            if rule.source_kind:
                match &= Q(unit__kind=rule.source_kind)
            if rule.same_commune_only and unit.level == Level.COMMUNE:
                match &= Q(unit__commune_id=unit.commune_id)
            shared |= match
    return shared


def submissions_visible_to(user, queryset=None):
    queryset = queryset if queryset is not None else FormSubmission.objects.all()
    # No distinct(): every join above follows a foreign key, so no row repeats,
    # and DISTINCT would sort every visible row before the first page.
    return queryset.filter(visibility_filter(user))


def submissions_reviewable_by(user):
    """Submissions whose first-level review `user` may take part in."""
    if user.is_superuser:
        return FormSubmission.objects.all()
    reviewed = list(units_reviewed_by(user).values_list("pk", flat=True))
    return FormSubmission.objects.filter(unit_id__in=reviewed).filter(
        classification__lte=clearance_of(user)
    )


def can_stop_review(user):
    """Whether `user` may take a submission off its review (cancel its workflow).

    Wagtail lets whoever sent it and any reviewer who may approve cancel a
    workflow; for a report that would let it leave the regulation's route
    unreviewed. Only the Board may (a report sent twice by mistake).
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.for_user(user).filter(role__in=BOARD_ROLES).exists()


def get_submission_for_user(user, pk, queryset=None):
    """The submission if `user` may read it; otherwise 404, so ids leak nothing
    (recorded as a refused access: security.audit.Refused)."""
    try:
        return submissions_visible_to(user, queryset).get(pk=pk)
    except (FormSubmission.DoesNotExist, ValueError, TypeError) as exc:
        raise Refused from exc


def is_reviewer_of(user, submission):
    """Whether `user` reviews `submission`'s unit (a commune's reviewers, the
    Board for provincial units and for everything escalated)."""
    if user.is_superuser or is_board_member(user):
        return True
    return (
        submission.unit_id is not None
        and units_reviewed_by(user).filter(pk=submission.unit_id).exists()
    )


def reclassification_refusal(user, submission, level):
    """Why `user` may not set `submission` to `level`, or None when they may.

    Raising is for its author and its reviewers; lowering only for the Board
    (Art. 6.2.2); nobody sets a level above their own clearance or above
    what the installation may hold.
    """
    level = int(level)
    if level == submission.classification:
        return _("Báo cáo đã ở độ mật này.")
    ceiling = above_ceiling_message(level)
    if ceiling:
        return ceiling
    if not user.is_superuser and level > clearance_of(user):
        return _("Đồng chí không được đặt độ mật cao hơn mức mình được tiếp cận.")
    if level < submission.classification:
        if not (user.is_superuser or is_board_member(user)):
            return _("Chỉ Ban Tuyên giáo và Dân vận được hạ độ mật của báo cáo.")
        return None
    if submission.submitted_by_id == user.pk or is_reviewer_of(user, submission):
        return None
    return _("Chỉ người gửi báo cáo hoặc cán bộ thẩm định được nâng độ mật.")


def is_unit_member(user, unit_id):
    return (
        unit_id is not None
        and Membership.objects.for_user(user).filter(unit_id=unit_id).exists()
    )


def can_edit(user, submission):
    """The submitting unit edits until review starts, and when it is returned."""
    in_unit = Membership.objects.for_user(user).filter(unit_id=submission.unit_id)
    if not in_unit.exists():
        return False
    state = submission.current_workflow_state
    if state is None:
        return not submission.live
    if state.status == state.STATUS_NEEDS_CHANGES:
        return True
    # Review starts when a reviewer first acts; until then the task is untouched.
    task_state = state.current_task_state
    return bool(
        task_state
        and task_state.status == task_state.STATUS_IN_PROGRESS
        and not state.task_states.exclude(pk=task_state.pk).exists()
        and submission.locked is False
    )
