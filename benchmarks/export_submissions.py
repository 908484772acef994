"""Export benchmark: our submissions export against Wagtail's own XLSX export.

Builds a temporary SQLite database with N submissions (default 10 000) of a
30-field report template with Vietnamese text, and the same N rows for an
equivalent wagtail.contrib.forms page (benchmarks.models.BenchFormPage, 30
FormFields). Then, each in a fresh subprocess:

- ours: `exports.runs.start_export` (no REDIS_URL, so the job runs in-process
  through the same run_export a worker runs), writing the .xlsx file;
- Wagtail: its form submissions listing with `?export=xlsx`
  (wagtail.contrib.forms.views.SubmissionsListView, SpreadsheetExportMixin),
  requested through Django's test client as a superuser.

Prints seconds, rows/s, the peak resident memory above the process's size just
before the export (VmHWM reset through /proc/self/clear_refs), and the ratio.

    .venv/bin/python benchmarks/export_submissions.py            # 10 000 rows
    .venv/bin/python benchmarks/export_submissions.py --n 100000

Run by hand, never by the tests.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIELDS = 30
WORDS = (
    "người dân phản ánh giá bồi thường đất đai giải phóng mặt bằng dự án đường "
    "cao tốc thôn buôn xã phường chính sách hỗ trợ tái định cư cán bộ tuyên truyền "
    "đối thoại kiến nghị mạng xã hội thông tin sai sự thật an ninh trật tự cà phê "
    "hồ tiêu giá nông sản học sinh trường học y tế bảo hiểm việc làm thanh niên"
).split()
CHOICES = ["Rất quan tâm", "Quan tâm", "Bình thường", "Ít quan tâm"]
CHANNELS = ["Hội nghị", "Mạng xã hội", "Báo chí", "Đơn thư"]


# The 30 questions, in both forms: (our block type, Wagtail field type, label)
def questions():
    spec = (
        [("short_text", "singleline", f"Thông tin {n}") for n in range(1, 10)]
        + [("long_text", "multiline", f"Diễn biến {n}") for n in range(1, 5)]
        + [("number", "number", f"Số liệu {n}") for n in range(1, 5)]
        + [("date", "date", "Ngày xảy ra"), ("date", "date", "Ngày báo cáo")]
        + [("datetime", "datetime", "Thời điểm ghi nhận")]
        + [("single_choice", "radio", f"Mức độ quan tâm {n}") for n in range(1, 4)]
        + [("multiple_choice", "checkboxes", f"Kênh tiếp nhận {n}") for n in (1, 2)]
        + [("yes_no", "radio", "Có vụ việc cụ thể không?")]
        + [("rating", "dropdown", "Mức độ hài lòng")]
    )
    result = [
        (kind, wagtail, label, f"cau_{n:02d}")
        for n, (kind, wagtail, label) in enumerate(spec, 1)
    ]
    # Art. 6.3 blocks every report template has: impact, trend, recommendations.
    result += [
        ("dlxh_impact", "radio", "Mức độ tác động", "dlxh_impact"),
        ("dlxh_trend", "radio", "Xu hướng", "dlxh_trend"),
        (
            "dlxh_recommendations",
            "multiline",
            "Kiến nghị, đề xuất",
            "dlxh_recommendations",
        ),
    ]
    assert len(result) == FIELDS, len(result)
    return result


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def answer_pair(rng, kind, when):
    """(our stored answer, Wagtail's stored form_data value) for one question."""
    if kind == "short_text":
        value = text(rng, 6)
        return value, value
    if kind in ("long_text", "dlxh_recommendations"):
        value = text(rng, 60)
        return value, value
    if kind == "number":
        value = rng.randint(0, 5000)
        return value, value
    if kind == "date":
        value = (when - dt.timedelta(days=rng.randint(0, 30))).date().isoformat()
        return value, value
    if kind == "datetime":
        value = when.isoformat()
        return value, value
    if kind == "single_choice":
        index = rng.randrange(len(CHOICES))
        return f"lua_chon_{index + 1}", CHOICES[index]
    if kind == "multiple_choice":
        picked = sorted(rng.sample(range(len(CHANNELS)), 2))
        return [f"kenh_{i + 1}" for i in picked], [CHANNELS[i] for i in picked]
    if kind == "yes_no":
        yes = rng.random() < 0.3
        return ("yes", "Có") if yes else ("no", "Không")
    if kind == "rating":
        value = rng.randint(1, 5)
        return value, str(value)
    if kind == "dlxh_impact":
        value = rng.choice(["low", "medium", "high", "very_high"])
        return value, value
    if kind == "dlxh_trend":
        value = rng.choice(["rising", "stable", "falling", "spreading"])
        return value, value
    raise ValueError(kind)


# Setting up (a subprocess of its own)


def setup(n):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.contrib.forms.models import FormSubmission as WagtailSubmission

    from benchmarks.models import BenchFormField, BenchFormPage
    from forms_app.models import FormsIndexPage, FormSubmission, ReportTemplatePage
    from home.models import HomePage
    from units.choices import Clearance, DivisionType, Level, Role, UnitKind
    from units.models import Commune, Unit
    from units.people import upsert_person

    call_command("migrate", interactive=False, verbosity=0)
    commune = Commune.objects.create(
        code="24175",
        name="Xã Hòa Phú",
        division_type=DivisionType.COMMUNE,
        province_code=66,
    )
    board = Unit.objects.create(
        code="T66-BTGDV",
        name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
        kind=UnitKind.BOARD,
        level=Level.PROVINCE,
    )
    unit = Unit.objects.create(
        code="X24175-UBND",
        name="Ủy ban nhân dân xã Hòa Phú",
        kind=UnitKind.PEOPLES_COMMITTEE,
        level=Level.COMMUNE,
        commune=commune,
    )
    upsert_person(
        username="canbo.ban",
        full_name="Nguyễn Thị Hương",
        unit=board,
        role=Role.BOARD_STAFF,
        clearance=Clearance.SECRET,
    )
    get_user_model().objects.create_superuser("quantri", "q@example.vn", "x")

    spec = questions()
    stream = []
    for kind, _wagtail, label, key in spec:
        value = {"label": label, "key": key} if not kind.startswith("dlxh_") else {}
        if kind == "single_choice":
            value["choices"] = [
                {"label": c, "key": f"lua_chon_{i + 1}"} for i, c in enumerate(CHOICES)
            ]
        if kind == "multiple_choice":
            value["choices"] = [
                {"label": c, "key": f"kenh_{i + 1}"} for i, c in enumerate(CHANNELS)
            ]
        stream.append({"type": kind, "value": value})
    home = HomePage.objects.first()
    index = FormsIndexPage.objects.first()  # made by forms_app's migrations
    if index is None:
        index = FormsIndexPage(title="Biểu mẫu", slug="bieu-mau")
        home.add_child(instance=index)
    page = ReportTemplatePage(
        title="Báo cáo tuần DLXH",
        slug="bao-cao-tuan",
        fields=stream,
        period_type="weekly",
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()

    wagtail_page = BenchFormPage(title="Báo cáo tuần (Wagtail)", slug="wagtail-form")
    home.add_child(instance=wagtail_page)
    for order, (_kind, wagtail_type, label, _key) in enumerate(spec):
        choices = ""
        if wagtail_type in ("radio", "checkboxes"):
            choices = "\n".join(CHOICES if "quan tâm" in label else CHANNELS)
        if wagtail_type == "dropdown":
            choices = "1\n2\n3\n4\n5"
        BenchFormField.objects.create(
            page=wagtail_page,
            sort_order=order,
            label=label,
            field_type=wagtail_type,
            required=False,
            choices=choices,
        )
    wagtail_keys = [f.clean_name for f in wagtail_page.get_form_fields()]

    rng = random.Random(2026)
    start = timezone.now() - dt.timedelta(days=7)
    ours, theirs = [], []
    for i in range(n):
        when = start + dt.timedelta(seconds=i * 30)
        answers, form_data = {}, {}
        for (kind, _w, _label, key), wagtail_key in zip(
            spec, wagtail_keys, strict=True
        ):
            answers[key], form_data[wagtail_key] = answer_pair(rng, kind, when)
        ours.append(
            FormSubmission(
                page=page,
                page_revision=page.live_revision,
                unit=unit,
                period="2026-W47",
                answers=answers,
                submitted_at=when,
                impact=answers["dlxh_impact"],
                trend=answers["dlxh_trend"],
            )
        )
        theirs.append(
            WagtailSubmission(page=wagtail_page, form_data=form_data, submit_time=when)
        )
        if len(ours) == 2000:
            FormSubmission.objects.bulk_create(ours)
            WagtailSubmission.objects.bulk_create(theirs)
            ours, theirs = [], []
    FormSubmission.objects.bulk_create(ours)
    WagtailSubmission.objects.bulk_create(theirs)
    return {"page": page.pk, "wagtail_page": wagtail_page.pk}


# Measuring (each export in a fresh subprocess)


def rss_kb(field="VmRSS"):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak():
    """Start VmHWM again from the present size (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def measure(run):
    import gc

    gc.collect()
    before = rss_kb()
    reset_peak()
    started, cpu_started = time.perf_counter(), time.process_time()
    rows, size = run()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = max(rss_kb("VmHWM"), rss_kb())
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": rows,
        "rows_per_s": rows / seconds if seconds else 0,
        "rss_before_mb": before / 1024,
        "peak_increase_mb": (peak - before) / 1024,
        "bytes": size,
    }


def run_ours(ids):
    from django.contrib.auth import get_user_model

    from exports.models import ExportJob
    from exports.runs import start_export

    user = get_user_model().objects.get(username="canbo.ban")
    # Warm up what any request would have loaded (URLconf, registries).
    from django.urls import reverse

    reverse("exports:list")

    def run():
        job = start_export(user, "submissions", {"page": [ids["page"]]})
        job = ExportJob.objects.get(pk=job.pk)
        assert job.status == ExportJob.Status.DONE, (job.status, job.error)
        return job.row_count, job.file.size

    return measure(run)


def run_wagtail(ids):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))
    url = reverse("wagtailforms:list_submissions", args=[ids["wagtail_page"]])

    def run():
        response = client.get(url, {"export": "xlsx"})
        assert response.status_code == 200, response.status_code
        body = b"".join(response.streaming_content)
        return int(ids["n"]), len(body)

    return measure(run)


def child(role, payload):
    sys.path[:0] = [str(REPO / "site"), str(REPO)]
    import django
    from django.conf import settings

    # Wagtail's listing view builds its media even for an export; plain static
    # storage spares a collectstatic in the temporary directory.
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
    django.setup()
    if role == "setup":
        result = setup(int(payload["n"]))
    elif role == "ours":
        result = run_ours(payload)
    else:
        result = run_wagtail(payload)
    print("RESULT " + json.dumps(result))


def warm(path):
    with open(path, "rb") as handle:
        while handle.read(1 << 23):
            pass


def spawn(env, role, payload):
    output = subprocess.run(
        [sys.executable, __file__, "--role", role, "--payload", json.dumps(payload)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=3 * 60 * 60,
    )
    for line in output.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    sys.stderr.write(output.stdout + output.stderr)
    raise SystemExit(f"{role} failed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="submissions")
    parser.add_argument(
        "--workdir",
        help="keep the database here and reuse it on the next run (default: a "
        "temporary directory, removed afterwards)",
    )
    parser.add_argument("--role", help=argparse.SUPPRESS)
    parser.add_argument("--payload", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        return child(args.role, json.loads(args.payload))

    with contextlib.ExitStack() as stack:
        if args.workdir:
            tmp = str(Path(args.workdir).resolve())
            Path(tmp).mkdir(parents=True, exist_ok=True)
        else:
            tmp = stack.enter_context(
                tempfile.TemporaryDirectory(prefix="dlxh-export-bench-")
            )
        ids_file = Path(tmp) / f"ids-{args.n}.json"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/bench-{args.n}.sqlite3",
            "PRIVATE_FILES_ROOT": f"{tmp}/private",
            "STATIC_ROOT": f"{tmp}/static",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join([str(REPO / "site"), str(REPO)]),
        }
        env.pop("REDIS_URL", None)  # jobs run in-process, through run_export
        if ids_file.exists():
            ids = json.loads(ids_file.read_text())
        else:
            print(f"Generating {args.n} submissions of a {FIELDS}-field form…")
            started = time.perf_counter()
            ids = spawn(env, "setup", {"n": args.n})
            ids["n"] = args.n
            ids_file.write_text(json.dumps(ids))
            print(f"  done in {time.perf_counter() - started:.0f} s")
        results = {}
        for role, name in (("ours", "DLXH export"), ("wagtail", "Wagtail XLSX")):
            print(f"Exporting: {name}…")
            # Both start with the database in the page cache: otherwise the
            # first to run pays for reading it from disk.
            warm(Path(tmp) / f"bench-{args.n}.sqlite3")
            results[role] = spawn(env, role, ids)

    print()
    print(
        f"{'':14}{'seconds':>9}{'CPU s':>8}{'rows/s':>9}{'peak +MB':>10}{'file MB':>9}"
    )
    for role, name in (("ours", "DLXH export"), ("wagtail", "Wagtail XLSX")):
        r = results[role]
        print(
            f"{name:14}{r['seconds']:9.1f}{r['cpu_seconds']:8.1f}"
            f"{r['rows_per_s']:9.0f}{r['peak_increase_mb']:10.1f}"
            f"{r['bytes'] / 1e6:9.1f}"
        )
    ratio = results["wagtail"]["seconds"] / results["ours"]["seconds"]
    cpu_ratio = results["wagtail"]["cpu_seconds"] / results["ours"]["cpu_seconds"]
    print(
        f"\nOurs is {ratio:.1f}× faster than Wagtail's XLSX export in elapsed time "
        f"({cpu_ratio:.1f}× in CPU time; target ≥ 3×). Peak memory above the "
        f"process before the export: {results['ours']['peak_increase_mb']:.1f} MB "
        "(target ≤ 50 MB)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
