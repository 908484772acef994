"""Following an issue before, during and after it is handled (Art. 7.3.2)."""

from django.urls import reverse

from forms_app.models import FormSubmission
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS


class FollowUpTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.original = make_submission(
            self.page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "normal"},
        )
        self.original.start_review(self.member)
        self.url = reverse("submissions:add_follow_up", args=[self.original.pk])

    def post(self, stage, summary, token="6f1c0c64-1f0e-4a5e-9a65-3b1f8f6b8d11"):
        return self.client.post(
            self.url,
            {
                "stage": stage,
                "token": token,
                "buoc0-dlxh_summary": summary,
                "buoc0-dlxh_impact": "medium",
                "buoc0-dlxh_trend": "falling",
                "buoc0-dlxh_sensitivity": "normal",
                "buoc0-dlxh_recommendations": "Tiếp tục theo dõi.",
            },
        )

    def test_the_unit_adds_follow_ups_and_the_thread_shows_on_one_page(self):
        self.login(self.member)
        form = self.client.get(self.url)
        self.assertContains(form, "Người dân phản ánh về giá bồi thường đất.")

        with self.jobs_after_commit():
            self.post("during", "Đã tổ chức đối thoại lần 1.")
            self.post(
                "after",
                "Người dân đồng thuận.",
                token="0b4c8f7e-8f55-4a8c-9d5e-0d2b8f5e4a21",
            )

        follow_ups = FormSubmission.objects.filter(follows=self.original).order_by("pk")
        self.assertEqual([f.follow_up_stage for f in follow_ups], ["during", "after"])
        self.assertEqual(
            follow_ups[0].answers["dlxh_summary"], "Đã tổ chức đối thoại lần 1."
        )
        self.assertEqual(follow_ups[1].unit, self.hoa_phu_ubnd)
        self.assertTrue(follow_ups[0].workflow_in_progress)  # reviewed like any report

        screen = self.client.get(reverse("submissions:edit", args=[follow_ups[1].pk]))
        self.assertContains(screen, "Báo cáo ban đầu")
        self.assertContains(screen, "Trong khi xử lý")
        self.assertContains(screen, "Sau khi xử lý")

    def test_the_handling_status_is_kept_on_the_submission(self):
        self.original.set_handling_status(self.owner, "monitoring")

        self.login(self.reviewer)
        screen = self.client.get(reverse("submissions:edit", args=[self.original.pk]))

        self.assertContains(screen, "Tiếp tục theo dõi")

    def test_a_resent_follow_up_is_stored_once(self):
        self.login(self.member)

        self.post("during", "Đã tổ chức đối thoại lần 1.")
        self.post("during", "Đã tổ chức đối thoại lần 1.")

        self.assertEqual(
            FormSubmission.objects.filter(follows=self.original).count(), 1
        )

    def test_another_unit_cannot_add_follow_ups(self):
        self.login(self.outsider)

        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(
            FormSubmission.objects.filter(follows=self.original).count(), 0
        )
