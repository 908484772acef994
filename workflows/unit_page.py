"""A unit's own page (việc của đơn vị): what it owes and by when, what it sent
and what came back, what it was reminded of, and every form it may fill.

The first screen of every reporter and collaborator after logging in, on a
phone as on a desktop. Board staff, leadership viewers and commune reviewers
open the same page for any unit they oversee (?don-vi=<code>), from their
dashboard or the compliance grid; they also get a short list of overdue units.
Everything goes through the access policy (reports) and the person's scope
(workflows.oversight); the page's queries do not grow with the units.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.account import LoginView as WagtailLoginView

from forms_app.access import PROVINCE_READERS, submissions_visible_to
from forms_app.audience import audience_allows, listed_units
from forms_app.models import FormsIndexPage, SubmissionDraft
from forms_app.models.pages import AbstractDlxhFormPage
from forms_app.models.review import HandlingStatus, ReviewStatus
from forms_app.obligations import ReportingCalendar, State, candidate_templates
from forms_app.views import receipt_url
from units.choices import Role
from units.models import Unit

from .choices import REMINDER_KINDS
from .models import Direction, Notification
from .oversight import memberships, overseen_scope
from .reminders import form_link

UNIT_PARAM = "don-vi"
SENT_SHOWN = 15
OVERDUE_SHOWN = 20


@dataclass
class UnitWork:
    """Everything the page shows about one unit."""

    unit: Unit
    own: bool  # the viewer works for it (and may fill its forms)
    to_send: list = field(default_factory=list)  # Obligations: missing, then due
    upcoming: list = field(default_factory=list)
    sent: list = field(default_factory=list)
    returned: list = field(default_factory=list)
    follow_up: list = field(default_factory=list)
    directions: list = field(default_factory=list)
    reminders: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    drafts: list = field(default_factory=list)  # forms begun and not sent


def all_form_pages():
    """Every live, not archived form, in title order (one query per type)."""
    pages = []
    for model in AbstractDlxhFormPage.__subclasses__():
        pages.extend(
            model.objects.live()
            .filter(archived=False)
            .prefetch_related("audience_units")
        )
    return sorted(pages, key=lambda page: page.title)


def forms_for(membership_list, pages, now):
    """(page, [units]) of the forms the memberships may fill, open now."""
    found = []
    for page in pages:
        if not page.is_open(now):
            continue
        if not page.login_required:
            found.append((page, []))
            continue
        listed = listed_units(page)
        units = [m.unit for m in membership_list if audience_allows(page, m, listed)]
        if units:
            found.append((page, units))
    return found


def unit_work(user, unit, own_memberships, now, pages):
    """What `unit` owes, sent and received, as `user` may see it."""
    work = UnitWork(unit=unit, own=bool(own_memberships))
    calendar = ReportingCalendar({unit.pk}, now)
    rows, open_keys = calendar.open_obligations(candidate_templates(), with_next=True)
    to_send = [
        row
        for row in rows
        if row.state in (State.MISSING, State.DUE)
        and row.period.key in open_keys[row.page.pk]
    ]
    work.to_send = sorted(
        to_send, key=lambda row: (row.state != State.MISSING, row.deadline or now)
    )
    work.upcoming = [row for row in rows if row.state == State.NOT_DUE]
    for row in work.to_send:
        row.link = form_link(row.page, row.unit, row.period) if work.own else ""

    visible = submissions_visible_to(user).filter(unit=unit)
    sent = list(
        visible.select_related("page").order_by("-submitted_at", "-pk")[:SENT_SHOWN]
    )
    for submission in sent:
        submission.receipt = receipt_url(submission)
    work.sent = sent
    work.returned = list(
        visible.filter(review_status=ReviewStatus.RETURNED)
        .select_related("page")
        .order_by("-submitted_at")[:10]
    )
    work.follow_up = list(
        visible.filter(handling_status=HandlingStatus.MONITORING, follows__isnull=True)
        .select_related("page")
        .order_by("-submitted_at")[:10]
    )
    work.directions = list(
        Direction.objects.filter(submission__in=visible.values("pk"))
        .select_related("submission__page", "author")
        .order_by("-created_at")[:10]
    )
    reminders = Notification.objects.filter(unit=unit, kind__in=REMINDER_KINDS)
    if work.own:
        reminders = reminders.filter(user=user)
    seen, work.reminders = set(), []
    for note in reminders.order_by("-created_at")[:40]:
        if note.text not in seen:
            seen.add(note.text)
            work.reminders.append(note)
    work.reminders = work.reminders[:10]
    if work.own:
        work.forms = forms_for(own_memberships, pages, now)
        begun = set(
            SubmissionDraft.objects.filter(user=user).values_list("page_id", flat=True)
        )
        work.drafts = [page for page, _units in work.forms if page.pk in begun]
    return work


def overdue_overview(user, now):
    """For overseers: the overdue obligations in their scope, worst first."""
    scope = overseen_scope(user)
    if scope == set():
        return None
    calendar = ReportingCalendar(scope, now)
    rows, _accepted = calendar.open_obligations(candidate_templates())
    missing = [row for row in rows if row.state == State.MISSING]
    due = [row for row in rows if row.state == State.DUE]
    units = {}
    for row in missing:
        units.setdefault(row.unit.pk, [row.unit, []])[1].append(row)
    worst = sorted(units.values(), key=lambda item: (-len(item[1]), item[0].name))
    return {
        "missing": len(missing),
        "due": len(due),
        "units": len(units),
        "worst": worst[:OVERDUE_SHOWN],
        "more": max(0, len(worst) - OVERDUE_SHOWN),
    }


@login_required
def unit_page(request):
    user = request.user
    now = timezone.now()
    mine = memberships(user)
    own_units = {m.unit.pk: m.unit for m in mine}
    code = request.GET.get(UNIT_PARAM)
    unit = None
    if code:
        unit = Unit.objects.active().select_related("commune").filter(code=code).first()
        scope = overseen_scope(user)
        if unit is None or not (
            unit.pk in own_units or scope is None or unit.pk in scope
        ):
            raise Http404
    elif own_units:
        unit = sorted(own_units.values(), key=lambda u: u.name)[0]
    pages = all_form_pages()
    work = None
    if unit is not None:
        work = unit_work(
            user, unit, [m for m in mine if m.unit_id == unit.pk], now, pages
        )
    overview = overdue_overview(user, now)
    roles = {m.role for m in mine}
    index = FormsIndexPage.objects.live().first()
    context = {
        "work": work,
        "own_units": sorted(own_units.values(), key=lambda u: u.name),
        "overview": overview,
        "is_board": user.is_superuser or bool(roles & PROVINCE_READERS),
        "is_reviewer": Role.COMMUNE_REVIEWER in roles,
        "has_admin": user.has_perm("wagtailadmin.access_admin"),
        "forms_index": index,
        "now": now,
    }
    return TemplateResponse(request, "workflows/unit_page.html", context)


def landing_url(user):
    """Where a login with no `next` leads: a unit's own people to their page,
    the Board, leadership viewers and reviewers to their dashboard (which shows
    the same about the units they oversee)."""
    roles = {m.role for m in memberships(user)}
    if user.is_superuser or roles & (PROVINCE_READERS | {Role.COMMUNE_REVIEWER}):
        return reverse("wagtailadmin_home")
    return reverse("workflows:unit_page")


class LoginView(WagtailLoginView):
    """Wagtail's login, leading each person to their first screen."""

    def get_success_url(self):
        # Wagtail's login form posts the admin home as `next` when there is
        # none: that is no destination of the person's own.
        url = self.get_redirect_url()
        if not url or url == reverse("wagtailadmin_home"):
            return landing_url(self.request.user)
        return url
