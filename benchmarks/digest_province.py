"""A province's digests: how long the weekly digest and the yearly report take.

In a temporary SQLite database (migrated, `seed_province 66`: 752 units), one
weekly template owed by every unit and one report per unit per week (the week
measured and the one before it, for the comparison; more with --weeks), with
the standard columns spread over their vocabularies, some escalated and
directed. Each export runs as a worker runs it (exports.runs.run_export: claim,
count, classification, workbook, publish), as a Board staff member.

    .venv/bin/python benchmarks/digest_province.py [--weeks 2] [--keep]

Targets: weekly digest < 10 s (the monthly one too), yearly report < 60 s. Exit
status 1 when one is missed. Run by hand, never by the tests.
"""

import argparse
import datetime as dt
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The monthly digest is held to the weekly digest's target.
TARGETS = {"digest": 10.0, "annual_report": 60.0}


def configure(directory):
    """Settings for a throwaway database and file store, before Django starts."""
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ["PRIVATE_FILES_ROOT"] = str(directory / "private")
    os.environ.pop("REDIS_URL", None)  # jobs in-process; nothing queued
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = directory / "private"


def seed(weeks, rng):
    from django.core.management import call_command
    from django.utils import timezone

    from exports.compliance import period_from_key
    from forms_app import periods
    from forms_app.models import FormSubmission, ReportTemplatePage, Sector
    from forms_app.vocabularies import (
        ContentCategory,
        ImpactLevel,
        Sensitivity,
        SourceChannel,
        Trend,
    )
    from tests.forms_app.factories import make_report_template
    from units.choices import Clearance, Role
    from units.models import Commune, Unit
    from units.people import upsert_person
    from workflows.models import Direction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_province", "66", stdout=io.StringIO())
    board = Unit.objects.board().get()
    staff = upsert_person(
        username="bench.ban",
        full_name="Chuyên viên Ban",
        unit=board,
        role=Role.BOARD_STAFF,
        clearance=Clearance.TOP_SECRET,
    )[0]
    template = make_report_template(title="Báo cáo tuần DLXH", slug="bao-cao-tuan")
    # The last full week, and the year it belongs to: every week of it owed.
    today = timezone.localdate()
    week = periods.previous_period(
        "weekly", periods.period_for("weekly", timezone.now())
    )
    year = int(week.key[:4])
    ReportTemplatePage.objects.filter(pk=template.pk).update(
        first_published_at=timezone.make_aware(dt.datetime(year - 1, 12, 1))
    )
    revision = template.live_revision

    units = list(Unit.objects.values_list("pk", "commune__code"))
    communes = list(Commune.objects.values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("key", flat=True)) or [""]
    vocab = {
        "category": ContentCategory.values,
        "source_channel": SourceChannel.values,
        "impact": ImpactLevel.values,
        "trend": Trend.values,
        "sensitivity": Sensitivity.values,
    }
    summary = "Người dân quan tâm đến giá bồi thường, tiến độ giải phóng mặt bằng. " * 4
    period = week
    rows = []
    for _index in range(weeks):
        deadline = template.get_deadline(period)
        for unit_id, commune in units:
            values = {name: rng.choice(choices) for name, choices in vocab.items()}
            late = rng.random() < 0.1
            sent = deadline + dt.timedelta(hours=rng.randint(1, 48) if late else 0)
            sent -= dt.timedelta(hours=0 if late else rng.randint(1, 96))
            locality = commune or rng.choice(communes)
            answers = {
                "dlxh_category": values["category"],
                "dlxh_sector": rng.choice(sectors),
                "dlxh_locality": locality,
                "dlxh_source_channel": values["source_channel"],
                "dlxh_impact": values["impact"],
                "dlxh_trend": values["trend"],
                "dlxh_sensitivity": values["sensitivity"],
                "dlxh_summary": summary,
                "dlxh_recommendations": "Tổ chức đối thoại với người dân.",
            }
            rows.append(
                FormSubmission(
                    page_id=template.pk,
                    page_revision=revision,
                    unit_id=unit_id,
                    submitted_by=staff,
                    period=period.key,
                    answers=answers,
                    submitted_at=sent,
                    sector=answers["dlxh_sector"],
                    locality_id=locality,
                    escalated=rng.random() < 0.05,
                    classification=Clearance.SECRET if rng.random() < 0.01 else 0,
                    **values,
                )
            )
        period = periods.previous_period("weekly", period)
    FormSubmission.objects.bulk_create(rows, batch_size=1000)
    escalated = FormSubmission.objects.filter(escalated=True).values_list(
        "pk", flat=True
    )
    Direction.objects.bulk_create(
        Direction(submission_id=pk, author=staff, text="Chỉ đạo xử lý.")
        for pk in list(escalated)[::2]
    )
    _type, week = period_from_key(week.key)
    return {
        "staff": staff,
        "week": week,
        "year": year,
        "units": len(units),
        "submissions": len(rows),
        "seconds": time.perf_counter() - started,
        "today": today,
    }


def timed_export(user, kind, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exports.models import ExportJob
    from exports.runs import run_export

    job = ExportJob.objects.create(requested_by=user, kind=kind, params=params)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run_export(job.pk)
        seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != ExportJob.Status.DONE:
        raise SystemExit(f"{kind} failed: {job.error}")
    return {
        "seconds": seconds,
        "queries": len(queries),
        "rows": job.row_count,
        "bytes": job.file.size,
        "classification": job.get_classification_display(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=2, help="weeks of reports")
    parser.add_argument("--seed", type=int, default=66)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="dlxh-bench-digest-"))
    try:
        configure(directory)
        data = seed(max(args.weeks, 1), random.Random(args.seed))
        print(
            f"Seeded in {data['seconds']:.1f} s: {data['units']} units, "
            f"{data['submissions']} reports over {args.weeks} week(s); "
            f"SQLite at {directory / 'bench.sqlite3'}"
        )
        week, month = data["week"].key, data["week"].end.strftime("%Y-%m")
        runs = [
            ("digest", {"period": week}, f"weekly digest {week}"),
            ("digest", {"period": month}, f"monthly digest {month}"),
            ("annual_report", {"year": data["year"]}, f"yearly report {data['year']}"),
        ]
        missed = False
        for kind, params, label in runs:
            result = timed_export(data["staff"], kind, params)
            target = TARGETS[kind]
            verdict = "ok" if result["seconds"] < target else "MISSED"
            missed = missed or verdict != "ok"
            print(
                f"{label:<28} {result['seconds']:7.2f} s (target < {target:.0f} s, "
                f"{verdict}); {result['queries']} queries, {result['rows']} rows, "
                f"{result['bytes'] / 1024:.0f} KiB, marked "
                f"{result['classification']}"
            )
        return 1 if missed else 0
    finally:
        if args.keep:
            print(f"Kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
