"""'Lịch báo cáo' in the admin: holidays, a moved deadline, an excusal."""

from forms_app.models import DeadlineOverride, Excusal, Holiday, ReportTemplatePage
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.forms_app.test_periods import local
from tests.workflows.helpers import REPORT_FIELDS


class CalendarAdminTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        ReportTemplatePage.objects.filter(pk=self.page.pk).update(
            first_published_at=local(2025, 1, 1)
        )
        self.page.refresh_from_db()

    def test_the_board_sets_a_holiday(self):
        self.login(self.owner)
        response = self.client.post(
            "/admin/lich-bao-cao/ngay-nghi/new/",
            {
                "name": "Quốc khánh",
                "start_date": "2025-09-01",
                "end_date": "2025-09-02",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertTrue(Holiday.objects.filter(name="Quốc khánh").exists())

    def test_a_holiday_ending_before_it_starts_is_refused(self):
        self.login(self.owner)
        response = self.client.post(
            "/admin/lich-bao-cao/ngay-nghi/new/",
            {"name": "Sai", "start_date": "2025-09-02", "end_date": "2025-09-01"},
        )
        self.assertContains(response, "Ngày kết thúc phải sau")

    def test_the_board_moves_a_periods_deadline_and_late_reports_are_restamped(self):
        sent = make_submission(
            self.page, self.hoa_phu_ubnd, submitted_at=local(2025, 11, 21, 18)
        )
        self.assertTrue(sent.is_late)
        self.login(self.owner)
        response = self.client.post(
            "/admin/lich-bao-cao/dieu-chinh-han/new/",
            {
                "page": self.page.pk,
                "period": "2025-w47",
                "deadline_0": "2025-11-24",
                "deadline_1": "12:00",
                "deadline": "2025-11-24 12:00",
                "reason": "Hội nghị",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:800])
        override = DeadlineOverride.objects.get()
        self.assertEqual(
            (override.period, override.created_by), ("2025-W47", self.owner)
        )
        sent.refresh_from_db()
        self.assertFalse(sent.is_late)

    def test_a_period_key_of_another_type_is_refused(self):
        self.login(self.owner)
        response = self.client.post(
            "/admin/lich-bao-cao/mien-nop/new/",
            {
                "page": self.page.pk,
                "unit": self.hoa_phu_ubnd.pk,
                "period": "2025-11",
                "reason": "Lũ",
            },
        )
        self.assertContains(response, "không phải mã kỳ")
        self.assertFalse(Excusal.objects.exists())

    def test_the_board_excuses_a_unit(self):
        self.login(self.owner)
        response = self.client.post(
            "/admin/lich-bao-cao/mien-nop/new/",
            {
                "page": self.page.pk,
                "unit": self.hoa_phu_ubnd.pk,
                "period": "2025-W47",
                "reason": "Lũ quét",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        self.assertEqual(Excusal.objects.get().created_by, self.owner)

    def test_units_and_reviewers_may_not_edit_the_calendar(self):
        for user in (self.member, self.reviewer, self.collaborator, self.viewer):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/admin/lich-bao-cao/ngay-nghi/")
                self.assertIn(response.status_code, (302, 403))
