"""Wagtail's own views around submissions, narrowed by the access policy.

Wagtail serves submissions in more places than the inbox: the snippet chooser,
the workflow reports (by workflow, by task), the site history. Each is
Wagtail's view with its queryset narrowed to what forms_app.access lets the
user read, never a copy of it. (The site history reads SubmissionLogEntry,
whose manager applies the policy: forms_app.models.submissions.)
"""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import WorkflowState
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.utils.urlpatterns import decorate_urlpatterns

from forms_app.access import submissions_visible_to
from forms_app.models import FormSubmission
from security.audit import Refused


def visible_ids(user):
    """Ids of what `user` may read, as text (Wagtail's generic object_id)."""
    return (
        submissions_visible_to(user)
        .order_by()
        .annotate(str_pk=Cast("pk", CharField()))
        .values("str_pk")
    )


def only_visible_submissions(queryset, user, prefix=""):
    """`queryset` of workflow or task states without the submissions `user`
    may not read (other content, pages, is left to Wagtail's own checks)."""
    if user.is_superuser:
        return queryset
    content_type = ContentType.objects.get_for_model(FormSubmission)
    return queryset.filter(
        ~Q(**{f"{prefix}base_content_type": content_type})
        | Q(**{f"{prefix}object_id__in": visible_ids(user)})
    )


class PolicyChooseMixin:
    def get_object_list(self):
        return submissions_visible_to(self.request.user)


class PolicyChooseView(PolicyChooseMixin, ChooseView):
    pass


class PolicyChooseResultsView(PolicyChooseMixin, ChooseResultsView):
    pass


class PolicyChosenView(SnippetChosenView):
    def get_object(self, pk):
        try:
            return submissions_visible_to(self.request.user).get(pk=pk)
        except (FormSubmission.DoesNotExist, ValueError, TypeError) as exc:
            raise Refused from exc


class PolicyChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return submissions_visible_to(self.request.user).filter(pk__in=pks)


class SubmissionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PolicyChooseView
    choose_results_view_class = PolicyChooseResultsView
    chosen_view_class = PolicyChosenView
    chosen_multiple_view_class = PolicyChosenMultipleView


def visible_requesters(request):
    """Who asked for the workflows `request.user` may see (Wagtail lists all
    requesters, a collaborator among them, to everyone)."""
    states = only_visible_submissions(WorkflowState.objects.all(), request.user)
    return (
        get_user_model()
        .objects.filter(pk__in=states.values("requested_by"))
        .order_by(get_user_model().USERNAME_FIELD)
    )


class PolicyWorkflowReportFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(
        field_name="requested_by", queryset=visible_requesters
    )


class PolicyWorkflowView(WorkflowView):
    filterset_class = PolicyWorkflowReportFilterSet

    def get_queryset(self):
        return only_visible_submissions(super().get_queryset(), self.request.user)


class PolicyWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        return only_visible_submissions(
            super().get_queryset(), self.request.user, prefix="workflow_state__"
        )


def report_urlpatterns():
    """Wagtail's two workflow reports at their own addresses, narrowed.

    Wagtail offers no hook for these reports' querysets and appends hook URLs
    after its own, so config/urls.py puts these in front of the admin's (same
    paths and decorators; `reverse` still finds Wagtail's names).
    """
    patterns = [
        path("workflow/", PolicyWorkflowView.as_view()),
        path("workflow/results/", PolicyWorkflowView.as_view(results_only=True)),
        path("workflow_tasks/", PolicyWorkflowTasksView.as_view()),
        path(
            "workflow_tasks/results/",
            PolicyWorkflowTasksView.as_view(results_only=True),
        ),
    ]
    patterns = decorate_urlpatterns(patterns, require_admin_access)
    return decorate_urlpatterns(patterns, never_cache)
