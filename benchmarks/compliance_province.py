"""The compliance grid and a unit's page for a province-year, on PostgreSQL.

Fills a bench database (bench_compliance) with the province of code 66 (102
communes, ~750 units), a weekly and a monthly template owed by every unit but
the Board, and a year of their reports (about 80 % on time, 10 % late, 10 %
missing), stamped with their period's deadline by the platform's own code.
Then requests, in this process through Django's test Client:

- /admin/nop-bao-cao/ as Board staff: the weekly grid (12 weeks), the monthly
  grid, the whole year of weeks, and one commune;
- /admin/nop-bao-cao/ as a commune reviewer;
- /viec-cua-don-vi/ as a commune reporter, and as Board staff (the province's
  overdue units);

and prints the median and 90th percentile of --runs requests and the SQL
queries per request. It asserts nothing: the test suite checks that the
queries do not grow with the units (tests/workflows/test_unit_page.py).

    .venv/bin/python benchmarks/compliance_province.py [--runs 15] [--fresh]
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _stack  # noqa: E402
from benchmarks._stack import log  # noqa: E402

DB_NAME = "bench_compliance"
TARGET_MS = 300
FIELDS = [
    {"type": "dlxh_summary", "value": {}},
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]


def people():
    from units.choices import Role, UnitKind
    from units.models import Unit
    from units.people import upsert_person

    board = Unit.objects.filter(kind=UnitKind.BOARD).first()
    staff, _m = upsert_person(
        username="bench.ban", unit=board, role=Role.BOARD_STAFF, password=None
    )
    reporter_unit = Unit.objects.filter(code__endswith="-UBND", level="commune").first()
    reporter, _m = upsert_person(
        username="bench.xa", unit=reporter_unit, role=Role.REPORTER, password=None
    )
    reviewer_unit = Unit.objects.filter(
        commune=reporter_unit.commune, kind=UnitKind.PARTY_BUILDING
    ).first()
    reviewer, _m = upsert_person(
        username="bench.xdd",
        unit=reviewer_unit,
        role=Role.COMMUNE_REVIEWER,
        password=None,
    )
    return staff, reviewer, reporter


def templates():
    from forms_app.models import FormsIndexPage, ReportTemplatePage

    index = FormsIndexPage.objects.first()
    found = []
    for period_type, title in [
        ("weekly", "Báo cáo tuần"),
        ("monthly", "Báo cáo tháng"),
    ]:
        page = ReportTemplatePage.objects.filter(slug=f"bench-{period_type}").first()
        if page is None:
            page = ReportTemplatePage(
                title=title,
                slug=f"bench-{period_type}",
                period_type=period_type,
                fields=FIELDS,
            )
            index.add_child(instance=page)
            page.save_revision().publish()
        found.append(page)
    return found


def fill(seed=66):
    """A year of reports of every unit, bulk-created with stamped deadlines."""
    from django.utils import timezone

    from forms_app import deadlines, periods
    from forms_app.models import FormSubmission, ReportTemplatePage
    from forms_app.obligations import ReportingCalendar

    rng = random.Random(seed)
    now = timezone.now()
    pages = templates()
    ReportTemplatePage.objects.filter(pk__in=[p.pk for p in pages]).update(
        first_published_at=now - dt.timedelta(days=380)
    )
    for page in pages:
        page.refresh_from_db()
    if FormSubmission.objects.exists():
        return pages
    calendar = ReportingCalendar(now=now)
    book = deadlines.DeadlineBook(pages)
    rows = []
    for page in pages:
        count = 53 if page.period_type == "weekly" else 12
        owing = calendar.owing(page)
        for period in periods.recent_periods(page.period_type, count, now)[1:]:
            due = book.deadline(page, period)
            for unit in owing:
                fate = rng.random()
                if fate < 0.1:
                    continue
                moment = due + dt.timedelta(
                    hours=rng.randint(1, 48) * (1 if fate < 0.2 else -1)
                )
                rows.append(
                    FormSubmission(
                        page_id=page.pk,
                        page_revision_id=page.live_revision_id,
                        unit_id=unit.pk,
                        period=period.key,
                        deadline=due,
                        is_late=moment > due,
                        submitted_at=moment,
                        answers={"dlxh_impact": "low"},
                        impact="low",
                        review_status="resolved",
                    )
                )
    FormSubmission.objects.bulk_create(rows, batch_size=5000)
    log(f"{len(rows):,} reports stored")
    return pages


def measure(client, user, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    response = client.get(url)  # warm
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _n in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))], len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--drop", action="store_true", help="drop it at the end")
    args = parser.parse_args()

    env = _stack.bench_env(DB_NAME)
    _stack.setup_django(env)
    fresh = args.fresh or not _stack.database_exists(DB_NAME)
    if fresh:
        _stack.prepare_database(env, DB_NAME, fresh=True)
    from django.test import Client

    from units.models import Unit

    staff, reviewer, reporter = people()
    weekly, monthly = fill()
    year = time.localtime().tm_year
    client = Client(SERVER_NAME="127.0.0.1")
    commune = reporter.memberships.first().unit.commune_id
    cases = [
        (
            "grid, weekly, 12 weeks (Board)",
            staff,
            f"/admin/nop-bao-cao/?page={weekly.pk}",
        ),
        (
            "grid, monthly, 12 months (Board)",
            staff,
            f"/admin/nop-bao-cao/?page={monthly.pk}",
        ),
        (
            "grid, weekly, a whole year (Board)",
            staff,
            f"/admin/nop-bao-cao/?page={weekly.pk}&year={year}",
        ),
        (
            "grid, weekly, one commune (Board)",
            staff,
            f"/admin/nop-bao-cao/?page={weekly.pk}&commune={commune}",
        ),
        (
            "grid, weekly (commune reviewer)",
            reviewer,
            f"/admin/nop-bao-cao/?page={weekly.pk}",
        ),
        ("unit page (commune reporter)", reporter, "/viec-cua-don-vi/"),
        ("unit page (Board: overdue units)", staff, "/viec-cua-don-vi/"),
    ]
    print()
    print(
        f"Compliance on {Unit.objects.active().count()} units, "
        f"{weekly.title} + {monthly.title}, a year of reports; in-process test "
        f"Client, {args.runs} requests each; ! = median over {TARGET_MS} ms"
    )
    print(f"{'':40}{'median ms':>10}{'p90 ms':>10}{'queries':>9}")
    for label, user, url in cases:
        median, p90, queries = measure(client, user, url, args.runs)
        mark = " !" if median > TARGET_MS else ""
        print(f"{label:40}{median:10.0f}{p90:10.0f}{queries:9d}{mark}")
    print(f"load average: {_stack.loadavg()}")
    if args.drop:
        _stack.drop_database(DB_NAME)


if __name__ == "__main__":
    main()
