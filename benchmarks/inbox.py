"""Reviewer inbox with 100,000 submissions: time /admin/submissions/ and count SQL.

Fills a bench PostgreSQL database (bench_inbox) with submissions spread over
the province's 752 units, two years of weekly and monthly reports and quick
reports, with realistic review statuses, impact, sensitivity..., then requests
the inbox in this process through Django's test Client, as the Board and as a
commune reviewer: the first page, each filter, and a deep page. Prints the
median of --runs requests and the SQL queries per request, and the query count
for page sizes 20, 50 and 100 (it must not grow with the page size).

    .venv/bin/python benchmarks/inbox.py [--rows 100000] [--runs 15] [--fresh]

The database is kept for the next run (filling it takes a minute or two);
--fresh rebuilds it, --drop removes it at the end. Run by hand, never by the
tests; see benchmarks/README.md.
"""

import argparse
import contextlib
import datetime as dt
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _stack  # noqa: E402
from benchmarks._stack import log  # noqa: E402

DB_NAME = "bench_inbox"
TARGET_MS = 200
PAGE_SIZES = (20, 50, 100)
WEEKS, MONTHS, QUICK = 104, 24, 4000


def standard_stream():
    from forms_app.standard_blocks import STANDARD_KEYS

    return [{"type": key, "value": {}} for key in STANDARD_KEYS]


# (value, weight) per column; review statuses depend on the report's age.
RECENT_STATUS = [("pending", 70), ("escalated", 10), ("returned", 5), ("resolved", 15)]
OLDER_STATUS = [
    ("resolved", 55),
    ("acknowledged", 15),
    ("directed", 7),
    ("escalated", 6),
    ("pending", 12),
    ("returned", 5),
]
QUICK_STATUS = [("escalated", 30), ("acknowledged", 40), ("directed", 30)]
IMPACT = [("low", 40), ("medium", 35), ("high", 18), ("very_high", 7)]
SENSITIVITY = [("normal", 70), ("complex", 25), ("sensitive", 5)]
TREND = [("stable", 45), ("rising", 25), ("falling", 20), ("spreading", 10)]
CATEGORY = [
    ("opinion_on_policy", 50),
    ("issue_of_concern", 35),
    ("reaction_after_policy", 15),
]
CHANNEL = [
    ("meeting", 30),
    ("collaborator", 25),
    ("cyberspace", 20),
    ("press", 10),
    ("petition", 10),
    ("other", 5),
]
HANDLING = [("new", 40), ("handling", 20), ("handled", 30), ("monitoring", 10)]
VERIFICATION = [
    ("unverified", 60),
    ("verified", 30),
    ("partly", 7),
    ("unverifiable", 2),
    ("false", 1),
]
CLASSIFICATION = [(0, 90), (1, 8), (2, 2)]


def pick(rng, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


# Filling the database


def create_people():
    """The Board's staff member and one commune's reviewer; one submitter per unit."""
    from django.contrib.auth import get_user_model

    from units.choices import Clearance, Level, Role, UnitKind
    from units.models import Unit
    from units.people import upsert_person

    board, _membership = upsert_person(
        username="bench.ban",
        full_name="Chuyên viên Ban",
        email="bench.ban@example.vn",
        unit=Unit.objects.board().first(),
        role=Role.BOARD_STAFF,
        clearance=Clearance.SECRET,
    )
    party_building = (
        Unit.objects.filter(level=Level.COMMUNE, kind=UnitKind.PARTY_BUILDING)
        .order_by("code")
        .first()
    )
    reviewer, _membership = upsert_person(
        username="bench.xdd",
        full_name="Thẩm định xã",
        email="bench.xdd@example.vn",
        unit=party_building,
        role=Role.COMMUNE_REVIEWER,
        clearance=Clearance.SECRET,
    )
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(username=f"bench.{code.lower()}", password="!")
            for code in Unit.objects.values_list("code", flat=True)
        ],
        ignore_conflicts=True,
    )
    return board, reviewer


def create_pages():
    from forms_app.models import FormsIndexPage, ReportTemplatePage

    index = FormsIndexPage.objects.first()
    pages = {}
    for period_type, title in (
        ("weekly", "Báo cáo tuần DLXH"),
        ("monthly", "Báo cáo tháng DLXH"),
        ("quick", "Báo cáo nhanh"),
    ):
        page = ReportTemplatePage(
            title=title,
            slug=f"bench-{period_type}",
            fields=standard_stream(),
            period_type=period_type,
            one_per_unit_per_period=period_type != "quick",
        )
        index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        pages[period_type] = page
    return pages


def fill(rows, seed):
    """Bulk-create `rows` submissions (78 % weekly, 18 % monthly, 4 % quick)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from forms_app.models import FormSubmission, Sector
    from forms_app.periods import period_for
    from units.models import Commune, Unit

    rng = random.Random(seed)
    pages = create_pages()
    units = list(Unit.objects.select_related("commune").order_by("code"))
    submitters = dict(
        get_user_model()
        .objects.filter(username__startswith="bench.")
        .values_list("username", "pk")
    )
    communes = list(Commune.objects.values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("key", flat=True))
    now = timezone.now()
    today = timezone.localdate()

    quick_share = QUICK / 100_000
    monthly_share = MONTHS * len(units) / (WEEKS * len(units) + MONTHS * len(units))
    n_quick = round(rows * quick_share)
    n_monthly = round((rows - n_quick) * monthly_share)
    n_weekly = rows - n_quick - n_monthly

    def moments_weekly():
        slots = [(u, w) for u in range(len(units)) for w in range(WEEKS)]
        for u, w in rng.sample(slots, min(n_weekly, len(slots))):
            monday = today - dt.timedelta(days=today.weekday() + 7 * w)
            yield u, "weekly", monday + dt.timedelta(days=rng.randrange(0, 7))

    def moments_monthly():
        slots = [(u, m) for u in range(len(units)) for m in range(MONTHS)]
        for u, m in rng.sample(slots, min(n_monthly, len(slots))):
            year, month = divmod(today.year * 12 + today.month - 1 - m, 12)
            first = dt.date(year, month + 1, 1)
            yield u, "monthly", first + dt.timedelta(days=rng.randrange(18, 28))

    def moments_quick():
        for _n in range(n_quick):
            yield (
                rng.randrange(len(units)),
                "quick",
                today - dt.timedelta(days=rng.randrange(0, 7 * WEEKS)),
            )

    def build(u, kind, day):
        unit = units[u]
        moment = timezone.make_aware(
            dt.datetime.combine(day, dt.time(7 + rng.randrange(10), rng.randrange(60)))
        )
        moment = min(moment, now)
        age = (now - moment).days
        if kind == "quick":
            status = pick(rng, QUICK_STATUS)
        else:
            status = pick(rng, RECENT_STATUS if age < 14 else OLDER_STATUS)
        sensitivity = pick(rng, SENSITIVITY)
        escalated = status in ("escalated", "acknowledged", "directed")
        locality = unit.commune.code if unit.commune_id else rng.choice(communes)
        answers = {
            "dlxh_category": pick(rng, CATEGORY),
            "dlxh_sector": rng.choice(sectors),
            "dlxh_locality": locality,
            "dlxh_source_channel": pick(rng, CHANNEL),
            "dlxh_summary": "Người dân quan tâm đến tiến độ bồi thường, giải phóng "
            "mặt bằng và giá nông sản; một số ý kiến trên mạng xã hội.",
            "dlxh_impact": pick(rng, IMPACT),
            "dlxh_trend": pick(rng, TREND),
            "dlxh_sensitivity": sensitivity,
            "dlxh_recommendations": "Tăng cường đối thoại, thông tin kịp thời.",
        }
        submission = FormSubmission(
            page=pages[kind],
            page_revision_id=pages[kind].live_revision_id,
            unit=unit,
            submitted_by_id=submitters.get(f"bench.{unit.code.lower()}"),
            period=period_for(pages[kind].period_type, moment).key,
            answers=answers,
            classification=pick(rng, CLASSIFICATION),
            submitted_at=moment,
            live=status in ("resolved", "acknowledged", "directed"),
            review_status=status,
            escalated=escalated,
            escalation_reason=(
                "quick_report"
                if kind == "quick"
                else ("sensitive" if sensitivity == "sensitive" else "beyond_authority")
            )
            if escalated
            else "",
            escalated_at=moment + dt.timedelta(hours=6) if escalated else None,
            handling_status="new" if age < 7 else pick(rng, HANDLING),
            verification="unverified" if age < 7 else pick(rng, VERIFICATION),
        )
        submission.copy_standard_columns()
        return submission

    started = time.monotonic()
    batch, made = [], 0
    for source in (moments_weekly(), moments_monthly(), moments_quick()):
        for u, kind, day in source:
            batch.append(build(u, kind, day))
            if len(batch) == 5000:
                FormSubmission.objects.bulk_create(batch, batch_size=1000)
                made += len(batch)
                batch = []
                if made % 20000 == 0:
                    log(f"{made:,} submissions")
    FormSubmission.objects.bulk_create(batch, batch_size=1000)
    made += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"{made:,} submissions created in {time.monotonic() - started:.0f} s")


# Measuring


def scenarios(reviewer):
    """(label, GET parameters, ORM filters) of the requests to time."""
    from django.utils import timezone

    from forms_app.models import ReportTemplatePage
    from forms_app.periods import period_for
    from units.models import Unit

    commune = reviewer.memberships.get().unit.commune
    unit = Unit.objects.filter(commune=commune, kind="peoples_committee").first()
    monthly = ReportTemplatePage.objects.get(slug="bench-monthly")
    week = period_for("weekly", timezone.now() - dt.timedelta(weeks=3)).key
    return [
        ("first page", {}, {}),
        ("page (monthly form)", {"page": monthly.pk}, {"page": monthly.pk}),
        (f"period {week}", {"period": week}, {"period": week}),
        ("unit", {"unit": unit.pk}, {"unit": unit.pk}),
        ("commune", {"unit__commune": commune.pk}, {"unit__commune": commune.pk}),
        ("review_status pending", {"review_status": "pending"}, {}),
        ("category issue", {"category": "issue_of_concern"}, {}),
        ("impact very_high", {"impact": "very_high"}, {}),
        ("sensitivity sensitive", {"sensitivity": "sensitive"}, {}),
        ("last page", {"p": "last"}, {}),
    ]


def orm_filters(params, filters):
    filters = dict(filters)
    for name in ("review_status", "category", "impact", "sensitivity"):
        if name in params:
            filters[name] = params[name]
    return filters


@dataclass
class Figure:
    name: str
    wall_ms: float  # median, the whole request in this process (incl. SQL)
    cpu_ms: float  # median, CPU of this process (Python: view, templates)
    sql_ms: float  # SQL time of one request, as Django measured it
    queries: list
    matches: int

    @property
    def count(self):
        return len(self.queries)


class Timer:
    def __init__(self, client, url, runs):
        self.client, self.url, self.runs = client, url, runs

    def get(self, params):
        response = self.client.get(self.url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{self.url} {params}: {response.status_code}")
        return response

    def medians(self, params):
        """(wall ms, CPU ms) medians of `runs` requests, after one to warm up."""
        self.get(params)
        walls, cpus = [], []
        for _run in range(self.runs):
            wall, cpu = time.perf_counter(), time.process_time()
            self.get(params)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        return statistics.median(walls), statistics.median(cpus)

    def queries(self, params):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.get(params)
        return captured.captured_queries


def page_size(size):
    from workflows.wagtail_hooks import SubmissionIndexView

    return mock.patch.object(
        SubmissionIndexView, "get_paginate_by", lambda self, queryset: size
    )


def sql_ms(queries):
    return sum(float(query["time"]) for query in queries) * 1000


def measure(user, reviewer, runs, label):
    """(rows visible, [Figure per scenario], {page size: Figure})."""
    from django.test import Client
    from django.urls import reverse

    from workflows import wagtail_hooks

    client = Client()
    client.force_login(user)
    timer = Timer(client, reverse("submissions:list"), runs)
    visible = wagtail_hooks.submissions_visible_to(user)
    total = visible.count()
    # The scenarios at the inbox's own page size (the viewset's list_per_page).
    size = wagtail_hooks.SubmissionViewSet.list_per_page
    results = []
    for name, params, filters in scenarios(reviewer):
        if params.get("p") == "last":
            params = {"p": max(1, -(-total // size))}
        matches = visible.filter(**orm_filters(params, filters)).count()
        wall, cpu = timer.medians(params)
        queries = timer.queries(params)
        results.append(Figure(name, wall, cpu, sql_ms(queries), queries, matches))
        log(f"{label}: {name}: {wall:.0f} ms ({cpu:.0f} CPU), {len(queries)} queries")
    sizes = {}
    for size in PAGE_SIZES:
        with page_size(size):
            wall, cpu = timer.medians({})
            queries = timer.queries({})
        sizes[size] = Figure(str(size), wall, cpu, sql_ms(queries), queries, total)
    return total, results, sizes


# --before: the inbox as it was before 2026-11-27, patched back in this process


def as_before():
    """Django's Select for the long filters, 50 rows a page, and whole rows
    sorted past OFFSET (no ids first). The order (oldest first then) is not
    patched back: it changes which rows, not how much work."""
    from django import forms
    from wagtail.snippets.views.snippets import IndexView

    from forms_app.widgets import LongSelect
    from workflows.wagtail_hooks import SubmissionIndexView, SubmissionViewSet

    return [
        mock.patch.object(LongSelect, "render", forms.Select.render),
        mock.patch.object(
            SubmissionIndexView, "paginate_queryset", IndexView.paginate_queryset
        ),
        mock.patch.object(SubmissionViewSet, "list_per_page", 50),
        page_size(50),
    ]


def filter_widget_costs(user):
    """CPU ms to render each filter of the inbox (its options counted)."""
    from django.test import RequestFactory

    from forms_app.models import FormSubmission
    from workflows.wagtail_hooks import SubmissionIndexView

    viewset = FormSubmission.snippet_viewset
    view = SubmissionIndexView(model=FormSubmission, list_filter=viewset.list_filter)
    request = RequestFactory().get("/admin/submissions/")
    request.user = user
    filterset = view.filterset_class(
        data={}, queryset=FormSubmission.objects.all(), request=request
    )
    costs = []
    for name in filterset.filters:
        field = filterset.form[name]
        html = str(field)
        started = time.process_time()
        for _run in range(5):
            html = str(field)
        ms = (time.process_time() - started) * 200
        costs.append((name, ms, html.count("<option") + html.count('type="radio"')))
    return costs


def slowest(queries, count=2):
    ranked = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
    return [(float(q["time"]) * 1000, q["sql"]) for q in ranked[:count]]


def row(figure, flag=True):
    mark = " !" if flag and figure.wall_ms > TARGET_MS else ""
    return (
        f"{figure.wall_ms:8.0f}{figure.cpu_ms:8.0f}{figure.sql_ms:8.0f}"
        f"{figure.count:9d}{figure.matches:9,d}{mark}"
    )


def report(rows, runs, figures):
    print()
    print(
        f"Inbox /admin/submissions/ with {rows:,} submissions, in-process test "
        f"Client; median of {runs} requests; ! = over {TARGET_MS} ms"
    )
    from workflows.wagtail_hooks import SubmissionViewSet

    head = f"{'wall ms':>8}{'CPU ms':>8}{'SQL ms':>8}{'queries':>9}{'rows':>9}"
    default = f"page size {SubmissionViewSet.list_per_page}"
    for label, (total, results, sizes) in figures.items():
        print(f" {label}: sees {total:,} submissions")
        print(f"  {default:<28}{head}")
        for figure in results:
            print(f"  {figure.name:<28}{row(figure)}")
        for size, figure in sizes.items():
            print(f"  {'first page, page size ' + str(size):<28}{row(figure)}")
        counts = {figure.count for figure in sizes.values()}
        verdict = "independent of" if len(counts) == 1 else "GROWS with"
        print(f"  query count {verdict} the page size: {sorted(counts)}")
    slow = [
        (label, figure)
        for label, (_t, results, _s) in figures.items()
        for figure in results
        if figure.sql_ms > TARGET_MS / 2
    ]
    if slow:
        print(f" SQL over {TARGET_MS // 2} ms in one request: the slowest queries")
    for label, figure in slow:
        print(f"  {label} / {figure.name}: {figure.sql_ms:.0f} ms of SQL")
        for query_ms, text in slowest(figure.queries):
            print(f"    {query_ms:6.0f} ms  {text[:160]}")


def compare(before, after):
    print()
    print(" before (--before: as on 2026-11-26) → now")
    print(f"  {'':<28}{'wall ms':>16}{'CPU ms':>14}{'SQL ms':>14}{'queries':>12}")
    for label in before:
        _t, now, _s = before[label]
        _t, fixed, _s = after[label]
        print(f"  {label}")
        for old, new in zip(now, fixed, strict=True):
            same = "" if old.matches == new.matches else "  ROWS DIFFER"
            print(
                f"    {old.name:<26}{old.wall_ms:7.0f} → {new.wall_ms:5.0f}"
                f"{old.cpu_ms:7.0f} → {new.cpu_ms:4.0f}"
                f"{old.sql_ms:7.0f} → {new.sql_ms:4.0f}"
                f"{old.count:6d} → {new.count:3d}{same}"
            )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="rebuild bench_inbox")
    parser.add_argument("--drop", action="store_true", help="drop it at the end")
    parser.add_argument("--seed", type=int, default=66)
    parser.add_argument(
        "--before",
        action="store_true",
        help="measure again as the inbox was before 2026-11-27 (benchmarks/README.md)",
    )
    args = parser.parse_args(argv)
    if not (1000 <= args.rows <= 200_000 and 1 <= args.runs <= 50):
        parser.error("--rows 1000..200000, --runs 1..50")

    env = _stack.bench_env(
        DB_NAME, hosts=("127.0.0.1", "localhost", "testserver"), redis_db=13
    )
    # In this process, jobs (none are expected) run synchronously.
    env["REDIS_URL"] = ""
    _stack.setup_django(env)
    try:
        fresh = args.fresh or not _stack.database_exists(DB_NAME)
        _stack.prepare_database(env, DB_NAME, fresh=fresh)
        from forms_app.models import FormSubmission

        board, reviewer = create_people()
        existing = FormSubmission.objects.count()
        if existing != args.rows:
            if existing:
                raise SystemExit(
                    f"{DB_NAME} holds {existing:,} submissions; use --fresh"
                )
            fill(args.rows, args.seed)
        log(f"load average {_stack.loadavg()}")
        figures = {
            "Board (chuyên viên Ban)": measure(board, reviewer, args.runs, "Board"),
            "commune reviewer": measure(reviewer, reviewer, args.runs, "reviewer"),
        }
        report(args.rows, args.runs, figures)
        print(" CPU ms to render each filter of the inbox (options)")
        print(
            "  "
            + ", ".join(
                f"{name} {ms:.1f} ({options})"
                for name, ms, options in filter_widget_costs(board)
            )
        )
        if args.before:
            log("before: the inbox of 2026-11-26, patched back in this process")
            with contextlib.ExitStack() as stack:
                for patch in as_before():
                    stack.enter_context(patch)
                before = {
                    "Board (chuyên viên Ban)": measure(
                        board, reviewer, args.runs, "Board, before"
                    ),
                    "commune reviewer": measure(
                        reviewer, reviewer, args.runs, "reviewer, before"
                    ),
                }
            compare(before, figures)
        log(f"load average {_stack.loadavg()}")
    finally:
        if args.drop:
            _stack.drop_database(DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
