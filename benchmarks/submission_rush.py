"""Submission rush: every commune unit sends its weekly report at once.

Drives the real stack on this machine: gunicorn (production settings, 2 workers)
on 127.0.0.1, PostgreSQL (a fresh bench_* database, migrated, province 66
seeded), Redis and one RQ worker. A bounded pool of client threads plays the
units' reporters: each one renders a 30-input one-step report and posts it; 5 %
of them send their POST twice with the same token (half as a double click, both
in flight at once, half as a retry after the answer).

Side by side, in the same run and on the same stack, the same users fill in a
plain wagtail.contrib.forms page with the same 30 fields (benchmarks.models,
installed only by benchmarks.bench_settings).

    .venv/bin/python benchmarks/submission_rush.py [--users 700] [--concurrency 20]

Run by hand, never by the tests; see benchmarks/README.md.
"""

import argparse
import datetime as dt
import os
import random
import re
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import _stack  # noqa: E402
from benchmarks._stack import log, percentile  # noqa: E402

DB_NAME = "bench_rush"
CORES = os.cpu_count() or 1
REQUEST_TIMEOUT = (5, 120)  # connect, read (seconds)
LANDING_MARK = 'data-bench="landing"'
# What the wizard says when the unit already reported this period.
ALREADY_SENT = "đã gửi báo cáo kỳ"

# The 30 inputs, as (key, label, kind, required, choices). Our page gets one
# block per input (the nine standard DLXH blocks among them), Wagtail's page one
# form field of the closest type, with the key as its field name.
CHOICES = {
    "muc_do_quan_tam": [("it", "Ít"), ("vua", "Vừa phải"), ("nhieu", "Nhiều")],
    "doi_tuong": [
        ("can_bo", "Cán bộ, đảng viên"),
        ("nong_dan", "Nông dân"),
        ("cong_nhan", "Công nhân"),
        ("hoc_sinh", "Học sinh, sinh viên"),
        ("dong_bao", "Đồng bào dân tộc thiểu số"),
    ],
    "kenh": [
        ("hoi_nghi", "Hội nghị"),
        ("mang_xa_hoi", "Mạng xã hội"),
        ("bao_chi", "Báo chí"),
        ("truc_tiep", "Trao đổi trực tiếp"),
    ],
    "nhom_quan_tam": [
        ("dat_dai", "Đất đai"),
        ("viec_lam", "Việc làm"),
        ("y_te", "Y tế"),
        ("giao_duc", "Giáo dục"),
        ("an_ninh", "An ninh trật tự"),
    ],
}
INPUTS = [
    ("ho_ten", "Họ và tên người báo cáo", "text", True),
    ("chuc_vu", "Chức vụ", "text", False),
    ("dien_thoai", "Số điện thoại", "phone", False),
    ("thu_dien_tu", "Thư điện tử", "email", False),
    ("ngay", "Ngày ghi nhận", "date", True),
    ("thoi_diem", "Thời điểm xảy ra", "datetime", False),
    ("dia_diem", "Địa điểm", "text", True),
    ("so_nguoi", "Số người tham gia", "number", False),
    ("so_y_kien", "Số ý kiến ghi nhận", "number", False),
    ("muc_do_quan_tam", "Mức độ quan tâm", "radio", True),
    ("doi_tuong", "Đối tượng chủ yếu", "select", False),
    ("kenh", "Kênh tiếp nhận", "checkboxes", False),
    ("nhom_quan_tam", "Nhóm vấn đề quan tâm", "checkboxes", False),
    ("co_vu_viec", "Có vụ việc cụ thể không?", "yes_no", True),
    ("da_xu_ly", "Đã được xử lý chưa?", "yes_no", False),
    ("danh_gia", "Mức độ hài lòng", "rating", False),
    ("dong_thuan", "Mức độ đồng thuận", "rating", False),
    ("xa_phuong", "Xã, phường liên quan", "locality", False),
    ("dien_bien", "Diễn biến", "textarea", True),
    ("y_kien", "Ý kiến, kiến nghị của Nhân dân", "textarea", False),
    ("ghi_chu", "Ghi chú", "textarea", False),
    ("dlxh_category", "Nhóm nội dung dư luận", "std_choice", True),
    ("dlxh_sector", "Lĩnh vực", "std_sector", True),
    ("dlxh_locality", "Địa bàn phát sinh", "std_locality", True),
    ("dlxh_source_channel", "Nguồn thông tin", "std_choice", True),
    ("dlxh_summary", "Tóm tắt nội dung dư luận", "std_text", True),
    ("dlxh_impact", "Mức độ tác động", "std_choice", True),
    ("dlxh_trend", "Xu hướng", "std_choice", True),
    ("dlxh_sensitivity", "Tính chất (phức tạp, nhạy cảm)", "std_choice", True),
    ("dlxh_recommendations", "Kiến nghị, đề xuất", "std_text", True),
]
assert len(INPUTS) == 30


# Building the two pages


def _items(key):
    return [{"label": label, "key": item} for item, label in CHOICES[key]]


def our_stream():
    """The StreamField of the one-step report (no page break: one step)."""
    blocks = {
        "text": lambda v: ("short_text", {**v, "max_length": 255}),
        "phone": lambda v: ("phone", v),
        "email": lambda v: ("email", v),
        "date": lambda v: ("date", v),
        "datetime": lambda v: ("datetime", v),
        "number": lambda v: ("number", {**v, "min_value": 0}),
        "radio": lambda v: ("single_choice", {**v, "display": "radio"}),
        "select": lambda v: ("single_choice", {**v, "display": "dropdown"}),
        "checkboxes": lambda v: ("multiple_choice", v),
        "yes_no": lambda v: ("yes_no", v),
        "rating": lambda v: ("rating", {**v, "scale": "5"}),
        "locality": lambda v: ("locality", v),
        "textarea": lambda v: ("long_text", v),
    }
    stream = [
        {"type": "heading", "value": {"title": "Người báo cáo", "key": "phan_1"}},
    ]
    for key, label, kind, required in INPUTS:
        if key == "ngay":
            stream.append(
                {"type": "heading", "value": {"title": "Sự việc", "key": "phan_2"}}
            )
        if kind.startswith("std_"):
            stream.append({"type": key, "value": {"label": label, "key": key}})
            continue
        value = {"label": label, "key": key, "required": required}
        if key in CHOICES:
            value["choices"] = _items(key)
        block_type, value = blocks[kind](value)
        stream.append({"type": block_type, "value": value})
    return stream


def wagtail_fields(communes, sectors):
    """BenchFormField rows: the same inputs as Wagtail form fields."""
    from benchmarks.models import BenchFormField
    from forms_app.vocabularies import (
        ContentCategory,
        ImpactLevel,
        Sensitivity,
        SourceChannel,
        Trend,
    )

    vocabularies = {
        "dlxh_category": ContentCategory,
        "dlxh_source_channel": SourceChannel,
        "dlxh_impact": ImpactLevel,
        "dlxh_trend": Trend,
        "dlxh_sensitivity": Sensitivity,
    }
    types = {
        "text": "singleline",
        "phone": "singleline",
        "email": "email",
        "date": "date",
        "datetime": "datetime",
        "number": "number",
        "radio": "radio",
        "select": "dropdown",
        "checkboxes": "checkboxes",
        "yes_no": "radio",
        "rating": "radio",
        "locality": "dropdown",
        "textarea": "multiline",
        "std_choice": "radio",
        "std_sector": "dropdown",
        "std_locality": "dropdown",
        "std_text": "multiline",
    }
    rows = []
    for order, (key, label, kind, required) in enumerate(INPUTS):
        if key in CHOICES:
            labels = [label for _key, label in CHOICES[key]]
        elif kind == "yes_no":
            labels = ["Có", "Không"]
        elif kind == "rating":
            labels = [str(n) for n in range(1, 6)]
        elif kind in ("locality", "std_locality"):
            labels = list(communes.values())
        elif kind == "std_sector":
            labels = list(sectors.values())
        elif kind == "std_choice":
            labels = [str(label) for label in vocabularies[key].labels]
        else:
            labels = []
        rows.append(
            BenchFormField(
                sort_order=order,
                label=label,
                clean_name=key,
                field_type=types[kind],
                required=required,
                choices="\n".join(labels),
            )
        )
    return rows


def create_pages():
    """Publish our report template and Wagtail's form page; return both."""
    from benchmarks.models import BenchFormPage
    from forms_app.models import FormsIndexPage, ReportTemplatePage, Sector
    from home.models import HomePage
    from units.models import Commune

    index = FormsIndexPage.objects.first()
    ours = ReportTemplatePage(
        title="Báo cáo tuần DLXH (benchmark)",
        slug="bao-cao-tuan-benchmark",
        fields=our_stream(),
        period_type="weekly",
        one_per_unit_per_period=True,
    )
    index.add_child(instance=ours)
    ours.save_revision().publish()
    ours.refresh_from_db()
    inputs = [item for item in ours.input_items() if item.is_input]
    assert len(inputs) == 30, len(inputs)

    communes = dict(Commune.objects.order_by("code").values_list("code", "name"))
    sectors = dict(Sector.objects.filter(is_active=True).values_list("key", "name"))
    theirs = BenchFormPage(
        title="Biểu mẫu wagtail.contrib.forms (benchmark)",
        slug="bieu-mau-wagtail-benchmark",
    )
    theirs.form_fields = wagtail_fields(communes, sectors)
    HomePage.objects.first().add_child(instance=theirs)
    theirs.save_revision().publish()
    theirs.refresh_from_db()
    assert theirs.form_fields.count() == 30
    return ours, theirs, communes, sectors


# People and their sessions


def create_people(count):
    """One person per unit (commune units first), a reviewer per commune and the
    Board's staff; returns [(username, unit code)] of the `count` reporters."""
    from django.contrib.auth import get_user_model

    from units.choices import Clearance, Level, Role, UnitKind
    from units.models import Unit
    from units.people import upsert_person

    candidates = list(Unit.objects.filter(level=Level.COMMUNE).order_by("code")) + list(
        Unit.objects.filter(level=Level.PROVINCE)
        .exclude(kind=UnitKind.BOARD)
        .order_by("code")
    )
    if count > len(candidates):
        raise SystemExit(f"--users: at most {len(candidates)} (one per unit)")
    reporters = []
    for unit in candidates[:count]:
        username = f"bench.{unit.code.lower()}"
        role = (
            Role.COLLABORATOR if unit.kind == UnitKind.COLLABORATORS else Role.REPORTER
        )
        upsert_person(
            username=username,
            full_name=f"Cán bộ {unit.code}",
            email=f"{username}@example.vn",
            unit=unit,
            role=role,
        )
        reporters.append((username, unit.code))
    for unit in Unit.objects.filter(kind=UnitKind.PARTY_BUILDING):
        upsert_person(
            username=f"bench.review.{unit.code.lower()}",
            full_name=f"Thẩm định {unit.code}",
            email=f"review.{unit.code.lower()}@example.vn",
            unit=unit,
            role=Role.COMMUNE_REVIEWER,
            clearance=Clearance.SECRET,
        )
    # Installations have a superuser (docs/operations.md, "Install"); Wagtail
    # mails it too.
    User = get_user_model()
    if not User.objects.filter(username="bench.quantri").exists():
        User.objects.create_superuser("bench.quantri", "quantri@example.vn", None)
    board = Unit.objects.board().first()
    for n in (1, 2):
        upsert_person(
            username=f"bench.ban{n}",
            full_name=f"Chuyên viên Ban {n}",
            email=f"ban{n}@example.vn",
            unit=board,
            role=Role.BOARD_STAFF,
            clearance=Clearance.SECRET,
        )
    users = User.objects.in_bulk(
        [name for name, _code in reporters], field_name="username"
    )
    return reporters, users


def create_sessions(users):
    """A logged-in session per user, as django.contrib.auth.login() leaves it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    keys, rows = {}, []
    for username, user in users.items():
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=key, session_data=store.encode(data), expire_date=expires
            )
        )
        keys[username] = key
    Session.objects.bulk_create(rows, batch_size=500)
    return keys


# What each reporter answers


def answers_for(username, rng, communes, sectors, *, wagtail):
    """The POST values of one reporter (Wagtail's page posts choice labels)."""
    from forms_app.vocabularies import (
        ContentCategory,
        ImpactLevel,
        Sensitivity,
        SourceChannel,
        Trend,
    )

    def pick(vocabulary, weights=None):
        value = rng.choices(list(vocabulary), weights=weights)[0]
        return str(value.label) if wagtail else value.value

    def pick_items(key, k):
        chosen = rng.sample(CHOICES[key], k)
        return [label if wagtail else item for item, label in chosen]

    commune = rng.choice(list(communes))
    sector = rng.choice(list(sectors))
    yes_no = ("Có", "Không") if wagtail else ("yes", "no")
    return {
        "ho_ten": f"Bench {username}",
        "chuc_vu": "Chuyên viên",
        "dien_thoai": f"09{rng.randrange(10**8):08d}",
        "thu_dien_tu": f"{username}@example.vn",
        "ngay": dt.date.today().isoformat(),
        "thoi_diem": f"{dt.date.today().isoformat()}T08:{rng.randrange(60):02d}",
        "dia_diem": f"Thôn {rng.randrange(1, 20)}",
        "so_nguoi": str(rng.randrange(5, 300)),
        "so_y_kien": str(rng.randrange(0, 40)),
        "muc_do_quan_tam": pick_items("muc_do_quan_tam", 1)[0],
        "doi_tuong": pick_items("doi_tuong", 1)[0],
        "kenh": pick_items("kenh", 2),
        "nhom_quan_tam": pick_items("nhom_quan_tam", 2),
        "co_vu_viec": rng.choice(yes_no),
        "da_xu_ly": rng.choice(yes_no),
        "danh_gia": str(rng.randrange(1, 6)),
        "dong_thuan": str(rng.randrange(1, 6)),
        "xa_phuong": communes[commune] if wagtail else commune,
        "dien_bien": "Người dân phản ánh về tiến độ bồi thường, giải phóng mặt bằng "
        "dự án đường liên xã; một số hộ chưa đồng thuận với đơn giá.",
        "y_kien": "Đề nghị công khai phương án bồi thường.",
        "ghi_chu": "",
        "dlxh_category": pick(ContentCategory),
        "dlxh_sector": sectors[sector] if wagtail else sector,
        "dlxh_locality": communes[commune] if wagtail else commune,
        "dlxh_source_channel": pick(SourceChannel),
        "dlxh_summary": "Dư luận quan tâm đến việc bồi thường, hỗ trợ tái định cư.",
        "dlxh_impact": pick(ImpactLevel, [4, 3, 2, 1]),
        "dlxh_trend": pick(Trend),
        "dlxh_sensitivity": pick(Sensitivity, [14, 5, 1]),
        "dlxh_recommendations": "Tổ chức đối thoại với các hộ dân trước ngày 30.",
    }


# The clients

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="dlxh_token" value="([^"]+)"')


@dataclass
class Sample:
    kind: str  # render, post, resend
    ok: bool
    seconds: float
    status: int = 0
    note: str = ""


@dataclass
class Reporter:
    username: str
    unit_code: str
    session: object
    resend: str = ""  # "", "double_click", "retry"
    posts: dict = field(default_factory=dict)  # form name → post data
    acked: dict = field(default_factory=dict)  # form name → receipt or True


class Form:
    """One of the two pages: how to post it and how to tell it was accepted."""

    def __init__(self, name, url, *, ours):
        self.name, self.url, self.ours = name, url, ours

    def post_data(self, answers, csrf, token):
        if not self.ours:
            return {"csrfmiddlewaretoken": csrf, **answers}
        data = {f"1-{key}": value for key, value in answers.items()}
        data.update(
            {"csrfmiddlewaretoken": csrf, "dlxh-current_step": "1", "dlxh_token": token}
        )
        return data

    def accepted(self, response):
        """(accepted?, receipt) of a POST's response."""
        if self.ours:
            location = response.headers.get("Location", "")
            ok = response.status_code == 302 and "/phieu-da-gui/" in location
            return ok, location.split("?")[0] if ok else None
        ok = response.status_code == 200 and LANDING_MARK in response.text
        return ok, True if ok else None


def timed(call, kind):
    import requests

    started = time.perf_counter()
    try:
        response = call()
    except requests.RequestException as exc:
        return None, Sample(kind, False, time.perf_counter() - started, 0, str(exc))
    return response, Sample(
        kind, True, time.perf_counter() - started, response.status_code
    )


def render(base, form, reporter, answers):
    response, sample = timed(
        lambda: reporter.session.get(base + form.url, timeout=REQUEST_TIMEOUT), "render"
    )
    if response is None:
        return [sample]
    csrf = CSRF_RE.search(response.text)
    token = TOKEN_RE.search(response.text)
    if response.status_code != 200 or not csrf or (form.ours and not token):
        sample.ok, sample.note = False, f"render {response.status_code}"
        return [sample]
    reporter.posts[form.name] = form.post_data(
        answers, csrf.group(1), token.group(1) if token else None
    )
    return [sample]


def submit(base, form, reporter):
    data = reporter.posts.get(form.name)
    if data is None:
        return [Sample("post", False, 0.0, 0, "not rendered")]

    def post(kind):
        response, sample = timed(
            lambda: reporter.session.post(
                base + form.url,
                data=data,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
            ),
            kind,
        )
        if response is None:
            return sample
        sample.ok, receipt = form.accepted(response)
        if not sample.ok:
            told = form.ours and ALREADY_SENT in response.text
            sample.note = (
                f"{kind} answered 'already sent'"
                if told
                else f"{kind} {response.status_code}"
            )
            return sample
        with lock:
            earlier = reporter.acked.setdefault(form.name, receipt)
        if earlier != receipt:
            # Both POSTs of one token must end on the same receipt.
            sample.note = "two receipts for one token"
        return sample

    lock = threading.Lock()
    samples = []
    if reporter.resend == "double_click":
        again = []
        thread = threading.Thread(target=lambda: again.append(post("resend")))
        thread.start()
        samples.append(post("post"))
        thread.join(timeout=sum(REQUEST_TIMEOUT) + 5)
        samples.extend(again)
    else:
        samples.append(post("post"))
        if reporter.resend == "retry":
            samples.append(post("resend"))
    return samples


def run_phase(jobs, concurrency, time_limit):
    """Run the jobs on `concurrency` threads; jobs not started by the deadline are
    skipped. Returns (samples, wall seconds, skipped)."""
    deadline = time.monotonic() + time_limit
    skipped = []

    def guarded(job):
        if time.monotonic() > deadline:
            skipped.append(job)
            return []
        return job()

    started = time.monotonic()
    samples = []
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for result in pool.map(guarded, jobs):
            samples.extend(result)
    return samples, time.monotonic() - started, len(skipped)


# Figures


@dataclass
class PhaseFigures:
    requests: int
    ok: int
    wall: float
    latencies: list
    cpu: dict
    skipped: int
    errors: Counter

    @property
    def rate(self):
        return self.requests / self.wall if self.wall else 0.0

    @property
    def ok_rate(self):
        return self.ok / self.wall if self.wall else 0.0

    def ms(self, fraction):
        value = percentile(self.latencies, fraction)
        return "-" if value is None else f"{value * 1000:.0f}"

    @property
    def server_ms(self):
        return sum(self.cpu_ms(name) for name in ("web", "db", "worker"))

    @property
    def ceiling(self):
        """Requests/s if the server processes had every core to themselves."""
        return CORES * 1000 / self.server_ms if self.server_ms else None

    def cpu_ms(self, name):
        return self.cpu.get(name, 0.0) * 1000 / self.requests if self.requests else 0.0


def measure(jobs, concurrency, time_limit, meter, kinds):
    meter.start()
    samples, wall, skipped = run_phase(jobs, concurrency, time_limit)
    cpu = meter.stop()
    counted = [s for s in samples if s.kind in kinds]
    return PhaseFigures(
        requests=len(counted),
        ok=sum(1 for s in counted if s.ok and s.kind != "resend"),
        wall=wall,
        latencies=[s.seconds for s in counted if s.status],
        cpu=cpu,
        skipped=skipped,
        errors=Counter(s.note for s in samples if s.note),
    )


def stored_counts(form_name, page, reporters):
    """(stored rows, distinct reporters stored, lost, duplicated rows)."""
    if form_name == "ours":
        from forms_app.models import FormSubmission

        markers = list(
            FormSubmission.objects.filter(page=page).values_list(
                "answers__ho_ten", flat=True
            )
        )
    else:
        from wagtail.contrib.forms.models import FormSubmission

        markers = [
            data.get("ho_ten")
            for data in FormSubmission.objects.filter(page=page).values_list(
                "form_data", flat=True
            )
        ]
    stored = Counter(markers)
    acked = {f"Bench {r.username}" for r in reporters if form_name in r.acked}
    lost = len(acked - set(stored))
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    return len(markers), len(stored), lost, duplicated, len(acked)


def review_figures(page):
    """What the review workflow did for our submissions (after the queue drained)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import WorkflowState

    from forms_app.models import FormSubmission
    from workflows.models import Notification

    submissions = FormSubmission.objects.filter(page=page)
    ids = [str(pk) for pk in submissions.values_list("pk", flat=True)]
    content_type = ContentType.objects.get_for_model(FormSubmission)
    states = WorkflowState.objects.filter(
        base_content_type=content_type, object_id__in=ids
    )
    notifications = Notification.objects.filter(submission__page=page)
    return {
        "workflows started": states.count(),
        "review status": dict(
            Counter(submissions.values_list("review_status", flat=True))
        ),
        "notifications": notifications.count(),
        "notifications e-mailed": notifications.filter(
            emailed_at__isnull=False
        ).count(),
    }


def print_report(args, figures, counts, review, drain, load, mails):
    names = {"theirs": "wagtail.contrib.forms", "ours": "DLXH report (wizard)"}
    width = 24

    def row(label, values):
        print(f"  {label:<34}" + "".join(f"{v:>{width}}" for v in values))

    print()
    print(
        f"Submission rush: {args.users} users, {args.concurrency} concurrent clients, "
        f"gunicorn {args.workers} workers, 1 RQ worker "
        f"({args.rq_worker_class}, nice {args.worker_nice}); load average {load}"
    )
    row("", [names[n] for n in ("theirs", "ours")])
    for phase in ("render", "submit"):
        print(f" {phase} ({'GET' if phase == 'render' else 'POST incl. resends'})")
        cells = [figures[(n, phase)] for n in ("theirs", "ours")]
        row("requests", [c.requests for c in cells])
        row("requests/s", [f"{c.rate:.1f}" for c in cells])
        if phase == "submit":
            row("accepted first POSTs/s", [f"{c.ok_rate:.1f}" for c in cells])
        row(
            "p50 / p95 / p99 ms",
            [f"{c.ms(0.5)} / {c.ms(0.95)} / {c.ms(0.99)}" for c in cells],
        )
        row("CPU ms per request, web", [f"{c.cpu_ms('web'):.1f}" for c in cells])
        row("  PostgreSQL", [f"{c.cpu_ms('db'):.1f}" for c in cells])
        row("  RQ worker", [f"{c.cpu_ms('worker'):.1f}" for c in cells])
        row("  all server processes", [f"{c.server_ms:.1f}" for c in cells])
        row("  load generator", [f"{c.cpu_ms('client'):.1f}" for c in cells])
        row(
            f"CPU-bound ceiling on {CORES} cores, /s",
            [f"{c.ceiling:.0f}" if c.ceiling else "-" for c in cells],
        )
        row(
            "failed / skipped",
            [f"{sum(c.errors.values())} / {c.skipped}" for c in cells],
        )
    print(" stored after the run")
    cells = [counts[n] for n in ("theirs", "ours")]
    row("expected (one per user)", [args.users] * 2)
    row("rows stored", [c[0] for c in cells])
    row("users stored", [c[1] for c in cells])
    row("lost (accepted, not stored)", [c[2] for c in cells])
    row("users with no POST accepted", [args.users - c[4] for c in cells])
    row("duplicated rows", [c[3] for c in cells])
    print(f"  resent POSTs: {args.resent} per form (half double clicks, half retries)")
    for name in ("theirs", "ours"):
        errors = figures[(name, "submit")].errors + figures[(name, "render")].errors
        if errors:
            print(f"  {names[name]} notes: {dict(errors)}")
    print(" review workflow (ours)")
    for key, value in review.items():
        print(f"  {key:<34}{value}")
    drained = "not within the limit" if drain is None else f"{drain:.1f} s"
    print(f"  RQ queue drained after the last POST in {drained}")
    print(
        f"  e-mails sent inside web requests: {mails['gunicorn']}, "
        f"by the RQ worker: {mails['rqworker']} (console backend; see var/bench/)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=700)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--resend", type=float, default=0.05, help="share resent")
    parser.add_argument(
        "--phase-limit",
        type=float,
        default=150,
        help="seconds after which a phase starts no more clients",
    )
    parser.add_argument(
        "--rq-worker-class",
        default="rq.worker.SimpleWorker",
        help="default as in deploy/systemd/dlxh-worker@.service; rq.Worker forks",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="the RQ worker's niceness, as Nice= in deploy/systemd (0: none)",
    )
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--keep-db", action="store_true", help=f"keep {DB_NAME}")
    parser.add_argument("--seed", type=int, default=66)
    args = parser.parse_args(argv)
    if not (1 <= args.concurrency <= 64 and 1 <= args.users <= 2000):
        parser.error("--concurrency 1..64, --users 1..2000")

    env = _stack.bench_env(DB_NAME, redis_db=args.redis_db)
    _stack.setup_django(env)
    import requests

    load = _stack.loadavg()
    try:
        _stack.prepare_database(env, DB_NAME)
        started = time.monotonic()
        reporters_list, users = create_people(args.users)
        sessions = create_sessions(users)
        ours, theirs, communes, sectors = create_pages()
        log(
            f"{len(users)} reporters, their sessions and both pages "
            f"in {time.monotonic() - started:.0f} s"
        )
        _stack.empty_queues()
        from django.db import connections

        connections.close_all()

        rng = random.Random(args.seed)
        resent = rng.sample(range(args.users), round(args.users * args.resend))
        args.resent = len(resent)
        reporters = []
        for index, (username, code) in enumerate(reporters_list):
            session = requests.Session()
            session.cookies.set("sessionid", sessions[username])
            reporter = Reporter(username, code, session)
            if index in resent:
                reporter.resend = "double_click" if index % 2 else "retry"
            reporters.append(reporter)
        answers = {
            (r.username, name): answers_for(
                r.username, rng, communes, sectors, wagtail=name == "theirs"
            )
            for r in reporters
            for name in ("theirs", "ours")
        }
        forms = {
            "theirs": Form("theirs", theirs.url, ours=False),
            "ours": Form("ours", ours.url, ours=True),
        }

        port = _stack.free_port()
        base = f"http://127.0.0.1:{port}"
        figures, counts = {}, {}
        with (
            _stack.rq_worker(
                env, worker_class=args.rq_worker_class, nice=args.worker_nice
            ) as worker,
            _stack.gunicorn(env, port=port, workers=args.workers) as web,
        ):
            meter = _stack.CpuMeter(web=web, worker=worker, db_name=DB_NAME)
            # Warm up each worker on both pages (GETs only: nothing is stored).
            for reporter in reporters[: 4 * args.workers]:
                for form in forms.values():
                    reporter.session.get(base + form.url, timeout=REQUEST_TIMEOUT)
            for name in ("theirs", "ours"):
                form = forms[name]
                log(f"{name}: {args.users} renders")
                figures[(name, "render")] = measure(
                    [
                        partial(render, base, form, r, answers[(r.username, name)])
                        for r in reporters
                    ],
                    args.concurrency,
                    args.phase_limit,
                    meter,
                    {"render"},
                )
                log(f"{name}: {args.users} submissions")
                figures[(name, "submit")] = measure(
                    [partial(submit, base, form, r) for r in reporters],
                    args.concurrency,
                    args.phase_limit,
                    meter,
                    {"post", "resend"},
                )
            drain = _stack.wait_for_queues(timeout=120)
        counts["ours"] = stored_counts("ours", ours, reporters)
        counts["theirs"] = stored_counts("theirs", theirs, reporters)
        review = review_figures(ours)
        mails = {
            name: (_stack.VAR / f"{name}.log").read_text().count("\nMessage-ID: ")
            for name in ("gunicorn", "rqworker")
        }
        print_report(
            args, figures, counts, review, drain, f"{load} → {_stack.loadavg()}", mails
        )
        # Ours must store each report once, lose none, and answer every POST.
        stored, users_stored, lost, duplicated, _accepted = counts["ours"]
        problems = (
            lost
            or duplicated
            or stored != args.users
            or figures[("ours", "submit")].errors
        )
        return 1 if problems else 0
    finally:
        if not args.keep_db:
            _stack.drop_database(DB_NAME)


if __name__ == "__main__":
    sys.exit(main())
