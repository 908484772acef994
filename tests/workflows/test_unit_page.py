"""A unit's own page, the login's first screen, the front page, the dashboard and
the compliance grid, for every role."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exports.exporters.compliance_grid import ComplianceGridExporter
from forms_app.models import Excusal, ReportTemplatePage
from tests.base import PASSWORD, BaseTestCase, make_unit
from tests.exports.reading import build_workbook, table
from tests.forms_app.factories import make_report_template, make_submission
from tests.forms_app.test_periods import clock, local
from tests.workflows.helpers import REPORT_FIELDS
from units.choices import Level, UnitKind
from workflows.models import Direction

UNIT_PAGE = "/viec-cua-don-vi/"
GRID = "/admin/nop-bao-cao/"
NOW = local(2025, 11, 24, 9)  # Monday of week 48; week 47 due last Friday


class CycleData:
    @classmethod
    def create_cycle(cls):
        cls.weekly = make_report_template(
            title="Báo cáo tuần DLXH",
            slug="bao-cao-tuan",
            fields=REPORT_FIELDS,
            audience_levels=[Level.COMMUNE],
            audience_kinds=[UnitKind.PEOPLES_COMMITTEE],
        )
        cls.monthly = make_report_template(
            title="Báo cáo tháng DLXH",
            slug="bao-cao-thang",
            fields=REPORT_FIELDS,
            period_type="monthly",
            audience_levels=[Level.COMMUNE],
        )
        ReportTemplatePage.objects.update(first_published_at=local(2025, 1, 1))
        cls.weekly.refresh_from_db()
        cls.monthly.refresh_from_db()
        # Tân An sent week 47 on time; Hòa Phú did not.
        cls.sent = make_submission(
            cls.weekly, cls.tan_an_ubnd, cls.outsider, submitted_at=local(2025, 11, 20)
        )
        Direction.objects.create(
            submission=cls.sent, author=cls.owner, text="Theo dõi sát tình hình."
        )


class UnitPageTest(CycleData, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_cycle()

    def get(self, user, query=""):
        self.login(user)
        with clock(NOW):
            return self.client.get(f"{UNIT_PAGE}{query}")

    def test_a_reporter_sees_the_overdue_report_first_with_a_link_to_fill_it(self):
        response = self.get(self.member)
        self.assertEqual(response.status_code, 200)
        work = response.context["work"]
        self.assertEqual(work.unit, self.hoa_phu_ubnd)
        states = [row.state for row in work.to_send]
        self.assertEqual(states, sorted(states, key=lambda s: s != "missing"))
        week47 = [r for r in work.to_send if r.period.key == "2025-W47"][0]
        self.assertEqual((week47.page, week47.state), (self.weekly, "missing"))
        self.assertContains(response, "Quá hạn")
        self.assertContains(
            response, f"{self.weekly.url}?ky=2025-W47&amp;don-vi={self.hoa_phu_ubnd.pk}"
        )
        keys = [(r.page.slug, r.period.key) for r in work.to_send]
        self.assertIn(("bao-cao-tuan", "2025-W48"), keys)
        self.assertIn(("bao-cao-thang", "2025-11"), keys)

    def test_what_was_sent_shows_its_status_and_the_direction(self):
        response = self.get(self.outsider)
        self.assertContains(response, "Báo cáo đã gửi")
        self.assertContains(response, "Chưa gửi duyệt")
        self.assertContains(response, "Theo dõi sát tình hình.")
        self.assertContains(response, "Đúng hạn")

    def test_forms_the_unit_may_fill_are_listed(self):
        response = self.get(self.member)
        titles = [page.title for page, _units in response.context["work"].forms]
        self.assertEqual(titles, ["Báo cáo tháng DLXH", "Báo cáo tuần DLXH"])

    def test_an_excused_period_is_not_asked_for(self):
        Excusal.objects.create(
            page=self.weekly, unit=self.hoa_phu_ubnd, period="2025-W47", reason="Lũ"
        )
        work = self.get(self.member).context["work"]
        self.assertNotIn("2025-W47", [r.period.key for r in work.to_send])

    def test_another_units_page_is_a_404_for_a_unit_member(self):
        response = self.get(self.member, f"?don-vi={self.tan_an_ubnd.code}")
        self.assertEqual(response.status_code, 404)

    def test_a_reviewer_opens_the_units_of_their_commune_only(self):
        response = self.get(self.reviewer, f"?don-vi={self.hoa_phu_ubnd.code}")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["work"].own)
        overview = response.context["overview"]
        self.assertEqual(
            {unit.commune_id for unit, _rows in overview["worst"]}, {self.hoa_phu.pk}
        )
        self.assertEqual(
            self.get(self.reviewer, f"?don-vi={self.tan_an_ubnd.code}").status_code,
            404,
        )

    def test_the_board_and_leadership_see_every_overdue_unit(self):
        for user in (self.owner, self.leader, self.viewer, self.superuser):
            with self.subTest(user=user.username):
                response = self.get(user)
                overview = response.context["overview"]
                names = [unit.name for unit, _rows in overview["worst"]]
                self.assertIn(self.hoa_phu_ubnd.name, names)
                self.assertNotIn(
                    self.tan_an_ubnd.name,
                    [
                        u.name
                        for u, rows in overview["worst"]
                        if any(
                            r.page == self.weekly and r.period.key == "2025-W47"
                            for r in rows
                        )
                    ],
                )
                self.assertEqual(
                    self.get(user, f"?don-vi={self.hoa_phu_ubnd.code}").status_code, 200
                )

    def test_a_collaborator_sees_their_unit_page(self):
        response = self.get(self.collaborator)
        self.assertEqual(response.context["work"].unit, self.hoa_phu_ctv)

    def test_anonymous_visitors_are_sent_to_the_login(self):
        response = self.client.get(UNIT_PAGE)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_the_query_count_does_not_grow_with_the_units(self):
        def count(user):
            self.login(user)
            with clock(NOW), CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(UNIT_PAGE).status_code, 200)
            return len(queries)

        before = count(self.owner), count(self.member)
        commune = self.hoa_phu
        for n in range(30):
            make_unit(
                f"X-EXTRA-{n}",
                f"Ủy ban nhân dân thêm {n}",
                UnitKind.PEOPLES_COMMITTEE,
                commune,
            )
        self.assertEqual((count(self.owner), count(self.member)), before)


class LandingTest(CycleData, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_cycle()

    def log_in(self, user):
        # As the login page posts it: `next` is the admin home when none.
        return self.client.post(
            "/admin/login/",
            {"username": user.username, "password": PASSWORD, "next": "/admin/"},
        )

    def test_reporters_and_collaborators_land_on_their_unit_page(self):
        for user in (self.member, self.collaborator):
            with self.subTest(user=user.username):
                self.assertEqual(self.log_in(user)["Location"], UNIT_PAGE)
                self.client.logout()

    def test_the_board_reviewers_and_leadership_land_on_the_dashboard(self):
        for user in (self.owner, self.leader, self.reviewer, self.viewer):
            with self.subTest(user=user.username):
                self.assertEqual(self.log_in(user)["Location"], "/admin/")
                self.client.logout()

    def test_a_next_address_still_wins(self):
        response = self.client.post(
            "/admin/login/?next=/bieu-mau/bao-cao-tuan/",
            {"username": self.member.username, "password": PASSWORD},
        )
        self.assertEqual(response["Location"], "/bieu-mau/bao-cao-tuan/")

    def test_the_front_page_leads_to_the_login_or_the_unit_page(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/admin/login/"')
        self.assertNotContains(response, UNIT_PAGE)
        self.login(self.member)
        response = self.client.get("/")
        self.assertContains(response, f'href="{UNIT_PAGE}"')

    def test_the_dashboard_shows_the_reporting_panel_to_every_role(self):
        for user in (self.owner, self.reviewer, self.viewer, self.member):
            with self.subTest(user=user.username):
                self.login(user)
                with clock(NOW):
                    response = self.client.get("/admin/")
                self.assertContains(response, "Tình hình nộp báo cáo")
                if user == self.member:
                    self.assertContains(response, "Quá hạn")
                else:
                    self.assertContains(response, self.hoa_phu_ubnd.name)

    def test_the_forms_list_shows_each_forms_period_deadline_and_what_was_sent(self):
        self.login(self.member)
        with clock(NOW):
            response = self.client.get("/bieu-mau/")
        self.assertContains(
            response, "Kỳ tuần 47/2025 (17/11 – 23/11/2025), hạn nộp 16:00 21/11/2025"
        )
        self.assertContains(response, "đã quá hạn")
        make_submission(self.weekly, self.hoa_phu_ubnd, self.member, submitted_at=NOW)
        make_submission(
            self.weekly,
            self.hoa_phu_ubnd,
            self.member,
            submitted_at=NOW,
            period="2025-W48",
        )
        with clock(NOW):
            response = self.client.get("/bieu-mau/")
        self.assertContains(response, "Đã gửi báo cáo các kỳ đang nhận.")

    def test_the_receipt_shows_the_review_status_and_the_direction(self):
        self.login(self.outsider)
        response = self.client.get(reverse("forms_app:receipt", args=[self.sent.pk]))
        self.assertContains(response, "Tình trạng xử lý")
        self.assertContains(response, "Chưa gửi duyệt")
        self.assertContains(response, "Theo dõi sát tình hình.")
        self.assertContains(response, "tuần 47/2025")
        self.assertContains(response, "nộp đúng hạn")


class ComplianceGridTest(CycleData, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.create_cycle()

    def get(self, user, query=""):
        self.login(user)
        with clock(NOW):
            return self.client.get(f"{GRID}{query}")

    def test_the_board_sees_units_by_period_with_symbols_and_rates(self):
        response = self.get(self.owner, f"?page={self.weekly.pk}&span=4")
        self.assertEqual(response.status_code, 200)
        grid = response.context["grid"]
        self.assertEqual(
            [p.key for p in grid.periods],
            ["2025-W45", "2025-W46", "2025-W47", "2025-W48"],
        )
        cells = {row.unit.code: [c.state for c in row.cells] for row in grid.rows}
        self.assertEqual(cells["X24163-UBND"][2:], ["on_time", "due"])
        self.assertEqual(cells["X24175-UBND"][2:], ["missing", "due"])
        self.assertContains(response, "✓")
        self.assertContains(response, "✗")
        self.assertContains(response, "Chưa nộp")
        self.assertContains(response, "Tỷ lệ đúng hạn theo xã, phường")
        self.assertContains(response, "Xuất Excel")

    def test_filters_by_level_kind_and_commune(self):
        grid = self.get(
            self.owner,
            f"?page={self.monthly.pk}&kind=peoples_committee&commune={self.tan_an.pk}",
        ).context["grid"]
        self.assertEqual([row.unit.code for row in grid.rows], ["X24163-UBND"])

    def test_a_commune_reviewer_sees_only_their_commune(self):
        grid = self.get(self.reviewer, f"?page={self.monthly.pk}").context["grid"]
        self.assertEqual({row.unit.commune_id for row in grid.rows}, {self.hoa_phu.pk})

    def test_reporters_may_not_open_the_grid(self):
        for user in (self.member, self.collaborator):
            with self.subTest(user=user.username):
                self.assertIn(self.get(user).status_code, (302, 403))

    def test_the_query_count_does_not_grow_with_the_units(self):
        def count():
            self.login(self.owner)
            with clock(NOW), CaptureQueriesContext(connection) as queries:
                self.assertEqual(
                    self.client.get(f"{GRID}?page={self.weekly.pk}").status_code, 200
                )
            return len(queries)

        before = count()
        for n in range(40):
            make_unit(
                f"X-MORE-{n}",
                f"Ủy ban nhân dân số {n}",
                UnitKind.PEOPLES_COMMITTEE,
                self.tan_an,
            )
        self.assertEqual(count(), before)

    def test_the_export_has_the_grid_the_screen_shows(self):
        with clock(NOW):
            workbook = build_workbook(
                ComplianceGridExporter(
                    user=self.owner,
                    params={"page": [str(self.weekly.pk)], "span": ["4"]},
                )
            )
        self.assertEqual(
            workbook.sheetnames,
            ["Đơn vị theo kỳ", "Theo xã, phường", "Theo mẫu báo cáo"],
        )
        headers, rows = table(workbook["Đơn vị theo kỳ"])
        by_unit = {row["Mã đơn vị"]: row for row in rows}
        week47 = [h for h in headers if h and "tuần 47/2025" in h][0]
        self.assertEqual(by_unit["X24175-UBND"][week47], "✗")
        self.assertEqual(by_unit["X24163-UBND"][week47], "✓")
