"""Every URL the project serves, Wagtail's and django-rq's included, tried as an
outsider would: a Tối mật report sent by a collaborator, its export and the
collaborator's account must stay out of reach of everyone below them.

The URLs come from Django's URL resolver, so a view added later (by this
project or by a Wagtail upgrade) is walked too. Every integer in a path is
424242, which is at once the report's id, its export's id and the
collaborator's user id; other parameters get values naming the same objects
(the report's attachment key, the models' app labels and names). For each role
below the report's clearance every answer must be a refusal (403, 404, a
redirect to the login page or Wagtail's refusal to its home page) when the path
names the objects, and no answer may carry the report's label, id, answers or
the collaborator's name, phone or e-mail.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from exports.models import ExportJob
from forms_app.models import FormSubmission
from forms_app.submitting import create_submission
from tests.base import PASSWORD, BaseTestCase
from tests.exports.helpers import PrivateFilesMixin, export
from tests.forms_app.factories import make_report_template
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Clearance, Role
from units.people import upsert_person
from workflows.choices import NotificationKind
from workflows.notifications import notify

ITEM_ID = 424242
FILE_KEY = "tai_lieu"
SOURCE_KEY = "nguoi_cung_cap"
SECRET_SUMMARY = "Vụ việc Kim Cương ở thôn Bí Ẩn"
SOURCE_NAME = "Lê Văn Nguồn Tin"
COLLABORATOR = {
    "full_name": "Hoàng Thị Kín Đáo",
    "email": "kin.dao@example.vn",
    "phone": "0987654321",
}
# Models whose app label and name Wagtail's generic views take in their path.
MODELS = [
    ("forms_app", "formsubmission"),
    ("exports", "exportjob"),
    ("auth", "user"),
    ("units", "membership"),
    ("units", "userprofile"),
    ("units", "protectedidentity"),
    ("workflows", "direction"),
    ("workflows", "notification"),
    ("security", "accessevent"),
]
NAMED_VALUES = {
    "key": FILE_KEY,
    "kind": "submissions",
    "filter_spec": "original",
    "action": "approve",
    "action_name": "approve",
}
FIXED_REGEX = [
    (r"(?P<revision_id_a>live|earliest|\d+)", "earliest"),
    (r"(?P<revision_id_b>live|latest|\d+)", "latest"),
    (r"\.\.\.", "..."),
    (r"(?P<token>[\w]+)?", "x"),
    (r"stats.json/?", "stats.json/"),
    (r"(?P<pk>\d+)", str(ITEM_ID)),
    (r"(?P<pk>.+)", str(ITEM_ID)),
    (r"(\d+)", str(ITEM_ID)),
    (r"(.*)", "x"),
    (r"(?P<url>.*)", ""),
]
# Catch-alls (Wagtail's 404 page, its page serving: the form's own page is
# walked through its URL below) and Wagtail's test of the 500 page, which
# raises for everyone by design.
SKIPPED = {r"admin/^.*/$", r"^((?:[\w\-]+/)*)$", "admin/failwhale/"}


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        else:
            yield route


def fill(route):
    """Concrete paths for `route` (several where it takes a model's name)."""
    for regex, value in FIXED_REGEX:
        route = route.replace(regex, value)
    route = route.replace("^", "").replace("$", "")
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    names = {name for _conv, name in params}
    model_pairs = [
        ("app_label", "model_name"),
        ("content_type_app_name", "content_type_model_name"),
    ]
    variants = [{}]
    for app_name, model_name in model_pairs:
        if app_name in names:
            variants = [
                {**v, app_name: app, model_name: model}
                for v in variants
                for app, model in MODELS
            ]
    paths = []
    for variant in variants:
        path = route
        for conv, name in params:
            if name in variant:
                value = variant[name]
            elif conv == "int" or name in ("pk", "object_id", "user_id"):
                value = str(ITEM_ID)
            else:
                value = NAMED_VALUES.get(name, "x")
            path = path.replace(f"<{conv}:{name}>" if conv else f"<{name}>", value, 1)
        paths.append("/" + path)
    return paths


@pytest.mark.needs_postgres
class EveryPathTestCase(PrivateFilesMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        User = get_user_model()
        # The collaborator's account has the walk's id.
        User.objects.create(pk=ITEM_ID, username="ctv.hoaphu.07")
        cls.source, _membership = upsert_person(
            username="ctv.hoaphu.07",
            unit=cls.hoa_phu_ctv,
            role=Role.COLLABORATOR,
            password=PASSWORD,
            **COLLABORATOR,
        )
        cls.viewer.dlxh_profile.clearance = Clearance.SECRET
        cls.viewer.dlxh_profile.save()
        cls.page = make_report_template(
            title="Mẫu báo cáo chuyên đề",
            slug="chuyen-de",
            default_classification=Clearance.TOP_SECRET,
            fields=[
                *REPORT_FIELDS,
                {
                    "type": "short_text",
                    "value": {
                        "label": "Người cung cấp thông tin",
                        "key": SOURCE_KEY,
                        "identifying": True,
                    },
                },
                {
                    "type": "file",
                    "value": {"label": "Tài liệu", "key": FILE_KEY},
                },
            ],
        )

    def setUp(self):
        super().setUp()
        submission, _created = create_submission(
            self.page,
            answers={
                **REPORT_ANSWERS,
                "dlxh_summary": SECRET_SUMMARY,
                SOURCE_KEY: SOURCE_NAME,
                FILE_KEY: SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban"),
            },
            unit=self.hoa_phu_ctv,
            user=self.source,
        )
        FormSubmission.objects.filter(pk=submission.pk).update(id=ITEM_ID)
        self.submission = FormSubmission.objects.get(pk=ITEM_ID)
        self.submission.start_review(self.source)
        notify([self.leader], NotificationKind.ESCALATED, self.submission)
        job = export(self.leader, page=[self.page.pk])
        ExportJob.objects.filter(pk=job.pk).update(id=ITEM_ID)
        self.job = ExportJob.objects.get(pk=ITEM_ID)
        self.secrets = [
            str(self.submission),
            SECRET_SUMMARY,
            SOURCE_NAME,
            str(ITEM_ID),
            self.job.title,
            *COLLABORATOR.values(),
        ]

    def roles(self):
        yield "anonymous", None
        yield "reporter of another commune", self.outsider
        yield "reviewer of another commune", self.other_reviewer
        yield "leadership viewer (Mật)", self.viewer
        yield "Board staff (Mật)", self.owner

    def test_the_report_is_where_its_readers_find_it(self):
        """The walk below can fail: the leader (Tối mật) reaches all three."""
        client = Client()
        client.force_login(self.leader)
        inbox = client.get("/admin/submissions/")
        self.assertContains(inbox, str(self.submission))
        self.assertEqual(
            client.get(f"/admin/exports/{ITEM_ID}/download/").status_code, 200
        )
        history = client.get("/admin/reports/site-history/")
        self.assertContains(history, str(self.submission))

    def test_no_path_leads_anyone_below_its_clearance_to_it(self):
        failures, walked = [], 0
        for role, user in self.roles():
            client = Client()
            if user is not None:
                client.force_login(user)
            for route in routes():
                if route in SKIPPED:
                    continue
                for path in fill(route):
                    walked += 1
                    names_item = str(ITEM_ID) in path
                    failures += self.check(client, role, path, names_item)
                    if names_item:
                        # Acting on it (approve, delete, retry…) is refused too.
                        failures += self.check(client, role, path, True, method="POST")
                    if not names_item and path.startswith("/admin/"):
                        # Listings searched for the report, as a curious user would.
                        failures += self.check(
                            client, role, f"{path}?q=Kim+Cương", False
                        )
            # The published form and the site's pages, served by Wagtail.
            for path in ("/", self.page.url):
                failures += self.check(client, role, path, False)
        self.assertGreater(walked, 1000)
        self.assertEqual(failures, [], "\n".join(failures))

    def check(self, client, role, path, names_item, hops=0, method="GET"):
        try:
            if method == "POST":
                response = client.post(path, {"comment": "x", "reason": "x"})
            else:
                response = client.get(path)
        except Exception as exc:  # a crash is a failure of its own
            return [f"{role}: {method} {path} raised {exc!r}"]
        failures = []
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        text = body.decode("utf-8", "replace")
        for secret in self.secrets:
            if secret and secret in text:
                failures.append(
                    f"{role}: GET {path} ({response.status_code}) shows {secret!r}"
                )
        if response.status_code >= 500:
            failures.append(f"{role}: {method} {path} answered {response.status_code}")
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"])
            if target.path in ("/admin/login/", "/admin/"):
                return failures
            if hops < 3 and not target.netloc:
                # A redirect elsewhere on the site: where it leads must refuse.
                return failures + self.check(
                    client, role, target.path, names_item, hops + 1
                )
        if names_item and response.status_code not in (403, 404, 405):
            failures.append(f"{role}: {method} {path} answered {response.status_code}")
        return failures
