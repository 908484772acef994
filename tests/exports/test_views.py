"""The admin screens: start, follow, download and retry exports; attachments.
Owner (Board staff), member and outsider, as everywhere."""

import json
from unittest import mock

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from exports.models import ExportJob
from security.models import AccessEvent
from tests.base import BaseTestCase
from tests.forms_app.factories import (
    VALID_ANSWERS,
    make_report_template,
    make_submission,
)
from units.choices import Clearance

from .helpers import PrivateFilesMixin, export

Status = ExportJob.Status


class ExportViewsTestCase(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(one_per_unit_per_period=False)
        self.submission = make_submission(
            self.page, unit=self.hoa_phu_ubnd, user=self.member
        )
        make_submission(self.page, unit=self.tan_an_ubnd, user=self.outsider)

    def assertRefused(self, response):
        """Wagtail's admin answers a PermissionDenied with a redirect home."""
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], reverse("wagtailadmin_home"))

    def download_url(self, job):
        return reverse("exports:download", args=[job.pk])

    # Starting

    def test_start_page_counts_rows_then_post_creates_the_job(self):
        self.login(self.owner)
        url = reverse("exports:start", args=["submissions"])
        response = self.client.get(url, {"page": self.page.pk, "impact": "high"})
        self.assertContains(response, "Báo cáo đã gửi — Báo cáo tuần DLXH")
        self.assertContains(response, "Tệp sẽ có 2 dòng dữ liệu")
        self.assertContains(response, "Bắt đầu xuất")

        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(
                url, {"page": [self.page.pk], "impact": ["high"]}
            )
        job = ExportJob.objects.get()
        self.assertRedirects(response, f"{reverse('exports:list')}?moi={job.pk}")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(job.requested_by, self.owner)
        self.assertEqual(job.params, {"page": [self.page.pk], "impact": ["high"]})

    def test_start_refused_without_the_permission(self):
        self.login(self.member)
        url = reverse("exports:start", args=["submissions"])
        self.assertRefused(self.client.post(url, {"page": self.page.pk}))
        self.assertFalse(ExportJob.objects.exists())

    def test_unknown_kind_and_bad_filters(self):
        self.login(self.owner)
        missing = reverse("exports:start", args=["khong-co"])
        self.assertEqual(self.client.get(missing).status_code, 404)
        url = reverse("exports:start", args=["submissions"])
        self.assertContains(self.client.get(url, {"unit": "abc"}), "không hợp lệ")
        self.client.post(url, {"unit": "abc"})
        self.assertFalse(ExportJob.objects.exists())

    # Following

    def test_the_list_shows_ones_own_jobs_the_board_sees_all(self):
        mine = export(self.reviewer, page=[self.page.pk])
        boards = export(self.owner, page=[self.page.pk])
        self.login(self.reviewer)
        response = self.client.get(reverse("exports:list"))
        self.assertEqual([job for job, _state in response.context["jobs"]], [mine])
        self.login(self.leader)
        response = self.client.get(reverse("exports:list"))
        listed = [job for job, _state in response.context["jobs"]]
        self.assertEqual(listed, [boards, mine])
        self.assertContains(response, "Tải xuống")
        self.assertContains(response, "exports/job_list.js")

    def test_the_list_and_menu_are_closed_to_those_without_the_permission(self):
        self.login(self.member)
        self.assertRefused(self.client.get(reverse("exports:list")))
        menu = self.client.get(reverse("wagtailadmin_home"))
        menu_link = f'"url": "{reverse("exports:list")}"'
        self.assertNotContains(menu, menu_link)
        self.login(self.owner)
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), menu_link)

    def test_status_json_with_progress_and_estimate(self):
        job = export(self.owner, page=[self.page.pk])
        now = timezone.now()
        running = ExportJob.objects.create(
            requested_by=self.owner,
            kind="submissions",
            status=Status.RUNNING,
            started_at=now - timezone.timedelta(seconds=10),
            rows_done=100,
            rows_total=300,
            progress=33,
        )
        other = export(self.reviewer, page=[self.page.pk])
        self.login(self.reviewer)
        url = reverse("exports:status")
        response = self.client.get(url, {"ids": f"{job.pk},{running.pk},{other.pk}"})
        # Only the reviewer's own job comes back.
        self.assertEqual([j["id"] for j in response.json()["jobs"]], [other.pk])

        self.login(self.owner)
        # The clock is held where the job was stamped: under load the request may
        # come seconds later, and the estimate would move with it.
        with mock.patch("django.utils.timezone.now", return_value=now):
            data = json.loads(
                self.client.get(url, {"ids": f"{job.pk},{running.pk}"}).content
            )
        states = {j["id"]: j for j in data["jobs"]}
        self.assertEqual(states[job.pk]["progress"], 100)
        self.assertEqual(states[job.pk]["download_url"], self.download_url(job))
        self.assertTrue(states[job.pk]["finished"])
        self.assertEqual(states[running.pk]["progress"], 33)
        self.assertIsNone(states[running.pk]["download_url"])
        self.assertAlmostEqual(states[running.pk]["eta_seconds"], 20, delta=3)
        self.assertIn("giây", states[running.pk]["eta_text"])

    # Downloading

    def test_the_requester_downloads_and_the_download_is_audited(self):
        job = export(self.reviewer, page=[self.page.pk])
        self.login(self.reviewer)
        response = self.client.get(self.download_url(job))
        self.assertEqual(response.status_code, 200)
        self.assertIn(job.file_name, response["Content-Disposition"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"PK"))
        entry = AccessEvent.objects.get(kind=AccessEvent.Kind.DOWNLOAD)
        self.assertEqual(entry.user, self.reviewer)
        self.assertEqual(entry.object_id, str(job.pk))
        self.assertEqual(entry.client_address, "127.0.0.1")

    def test_the_board_downloads_others_exports(self):
        job = export(self.reviewer, page=[self.page.pk])
        self.login(self.leader)
        self.assertEqual(self.client.get(self.download_url(job)).status_code, 200)

    def test_others_get_404(self):
        job = export(self.owner, page=[self.page.pk])
        for user in (self.member, self.outsider, self.reviewer, self.collaborator):
            self.login(user)
            self.assertEqual(
                self.client.get(self.download_url(job)).status_code, 404, user
            )
            self.assertEqual(
                self.client.post(reverse("exports:retry", args=[job.pk])).status_code,
                404,
            )

    def test_no_download_once_the_requester_lost_the_right_or_it_expired(self):
        job = export(self.reviewer, page=[self.page.pk])
        self.reviewer.memberships.update(is_active=False)
        self.reviewer.memberships.first().save()
        self.login(self.leader)
        self.assertEqual(self.client.get(self.download_url(job)).status_code, 404)

        job = export(self.owner, page=[self.page.pk])
        ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
        self.login(self.owner)
        self.assertEqual(self.client.get(self.download_url(job)).status_code, 404)

    def test_a_secret_file_needs_the_clearance(self):
        make_submission(
            self.page, unit=self.tan_an_ubnd, classification=Clearance.SECRET
        )
        job = export(self.leader, page=[self.page.pk])
        self.assertEqual(job.classification, Clearance.SECRET)
        self.login(self.owner)  # cleared for Mật
        self.assertEqual(self.client.get(self.download_url(job)).status_code, 200)
        profile = self.owner.dlxh_profile
        profile.clearance = Clearance.NORMAL
        profile.save()
        self.assertEqual(self.client.get(self.download_url(job)).status_code, 404)

    def test_retry_button(self):
        job = export(self.owner, page=[self.page.pk])
        ExportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error="x")
        self.login(self.owner)
        url = reverse("exports:retry", args=[job.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        with self.captureOnCommitCallbacks(execute=False):
            response = self.client.post(url)
        self.assertRedirects(response, f"{reverse('exports:list')}?moi={job.pk}")
        job.refresh_from_db()
        self.assertEqual(job.status, Status.QUEUED)

    # Buttons

    def test_export_button_on_the_inbox_carries_its_filters(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("submissions:list"), {"page": self.page.pk, "impact": "high"}
        )
        start = reverse("exports:start", args=["submissions"])
        self.assertContains(response, f"{start}?page={self.page.pk}&amp;impact=high")
        self.assertContains(response, "data-dlxh-export-query")
        self.assertContains(response, "exports/exports.js")
        self.login(self.member)
        response = self.client.get(reverse("submissions:list"))
        self.assertNotContains(response, start)

    def test_export_button_on_the_form_page(self):
        self.login(self.owner)
        response = self.client.get(
            reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        )
        start = reverse("exports:start", args=["submissions"])
        self.assertContains(response, f"{start}?page={self.page.pk}")
        self.assertContains(response, "Xuất Excel")


class AttachmentViewTestCase(PrivateFilesMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(one_per_unit_per_period=False)
        path = default_storage.save(
            f"submissions/{self.page.pk}/abc/bien-ban.pdf", ContentFile(b"%PDF-1.4")
        )
        self.answer = {
            "name": "biên bản.pdf",
            "path": path,
            "size": 8,
            "content_type": "application/pdf",
        }
        self.submission = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**VALID_ANSWERS, "tai_lieu": self.answer},
        )
        self.url = reverse("exports:attachment", args=[self.submission.pk, "tai_lieu"])

    def test_those_who_may_read_the_submission_download_it(self):
        for user in (self.member, self.owner, self.reviewer):
            self.login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200, user)
            self.assertEqual(b"".join(response.streaming_content), b"%PDF-1.4")
            self.assertEqual(response["Content-Type"], "application/pdf")
        opened = AccessEvent.objects.filter(kind=AccessEvent.Kind.ATTACHMENT)
        self.assertEqual(
            sorted(opened.values_list("user__username", flat=True)),
            sorted(u.username for u in (self.member, self.owner, self.reviewer)),
        )

    def test_others_get_404(self):
        for user in (self.outsider, self.other_reviewer, self.collaborator):
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_only_the_forms_own_files(self):
        self.submission.answers["tai_lieu"] = {
            **self.answer,
            "path": "exports/1-secret.xlsx",
        }
        self.submission.save()
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        other_key = reverse("exports:attachment", args=[self.submission.pk, "ho_ten"])
        self.assertEqual(self.client.get(other_key).status_code, 404)
