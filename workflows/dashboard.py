"""The admin dashboard panel: what waits for this person, and their notifications."""

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from forms_app.access import submissions_reviewable_by, submissions_visible_to
from forms_app.models.review import ReviewStatus
from units.reviewers import is_board_member

from .models import Notification
from .oversight import memberships
from .unit_page import overdue_overview, unit_work


class ReviewDashboardPanel(Component):
    name = "dlxh_review"
    order = 50
    template_name = "workflows/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        visible = submissions_visible_to(user)
        reviewable = (
            submissions_reviewable_by(user)
            .filter(review_status=ReviewStatus.PENDING)
            .exclude(submitted_by=user)
        )
        own_units = user.memberships.filter(is_active=True).values("unit_id")
        counts = {
            "awaiting_review": reviewable.count(),
            "returned": visible.filter(
                review_status=ReviewStatus.RETURNED, unit_id__in=own_units
            ).count(),
            "directions": Notification.objects.unread()
            .filter(user=user, kind="direction")
            .count(),
        }
        if is_board_member(user):
            counts["escalated"] = visible.filter(
                Q(review_status=ReviewStatus.ESCALATED)
            ).count()
        return {
            "counts": counts,
            "notifications": Notification.objects.filter(user=user)
            .unread()
            .select_related("submission")[:10],
            "unread": Notification.objects.filter(user=user).unread().count(),
        }


class ReportingDashboardPanel(Component):
    """The reporting calendar on the dashboard: the overseen units' overdue
    reports (Board, leadership viewers, commune reviewers), and a unit's own
    due reports (everyone with a unit), each with its way onward."""

    name = "dlxh_reporting"
    order = 40
    template_name = "workflows/reporting_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        now = timezone.now()
        mine = memberships(user)
        own = []
        for unit in sorted({m.unit for m in mine}, key=lambda u: u.name)[:3]:
            work = unit_work(
                user, unit, [m for m in mine if m.unit_id == unit.pk], now, []
            )
            own.append(work)
        return {
            "overview": overdue_overview(user, now),
            "own": own,
        }
