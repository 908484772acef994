"""The admin dashboard panel: what waits for this person, and their notifications."""

from django.db.models import Q
from wagtail.admin.ui.components import Component

from forms_app.access import submissions_reviewable_by, submissions_visible_to
from forms_app.models.review import ReviewStatus
from units.reviewers import is_board_member

from .models import Notification


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
