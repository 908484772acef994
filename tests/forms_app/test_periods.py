"""Periods that mean what the regulation means (Art. 6.1.2, 6.3), through the
real submission path: the published form, posted by a logged-in unit, with the
clock set to the moment of sending."""

import datetime as dt
import zoneinfo
from contextlib import contextmanager
from unittest import mock

from django.test import SimpleTestCase
from django.utils import timezone

from forms_app import deadlines, periods
from forms_app.models import (
    DeadlineOverride,
    Excusal,
    FormSubmission,
    Holiday,
    ReportTemplatePage,
)
from forms_app.obligations import ReportingCalendar, State
from forms_app.submitting import PeriodNotAccepted
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission, step_post
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC


def local(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=HCM)


@contextmanager
def clock(moment):
    """The platform's clock at `moment` (timezone.now is what every path reads)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class PeriodPathMixin:
    """A weekly report due Friday 16:00, published long before November 2025."""

    period_type = "weekly"

    def setUp(self):
        super().setUp()
        self.page = make_report_template(
            fields=REPORT_FIELDS,
            slug=f"bao-cao-{self.period_type}",
            period_type=self.period_type,
            deadline_weekday=4,
            deadline_day=25,
            deadline_time=dt.time(16),
        )
        ReportTemplatePage.objects.filter(pk=self.page.pk).update(
            first_published_at=local(2025, 1, 1)
        )
        self.page.refresh_from_db()
        self.login(self.member)

    def send(self, moment, period=None, user=None, page=None, **answers):
        """GET the form and POST it at `moment`; (response, submission or None)."""
        page = page or self.page
        client = self.client
        if user is not None:
            client.force_login(user)
        with clock(moment):
            response = client.get(page.url)
            token = response.context["token"]
            data = step_post("1", {**REPORT_ANSWERS, **answers}, token=token)
            if period is not None:
                data["dlxh-period"] = period
            response = client.post(page.url, data)
        return response, FormSubmission.objects.filter(idempotency_key=token).first()


class WeeklyPeriodTest(PeriodPathMixin, BaseTestCase):
    def test_a_report_after_its_deadline_is_stored_under_its_own_period_as_late(self):
        # Monday 24 November 2025, 09:00: week 47's deadline (Friday 21st, 16:00)
        # has passed; the form opens on week 47, the one still owed.
        response, sent = self.send(local(2025, 11, 24, 9))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(sent.period, "2025-W47")
        self.assertTrue(sent.is_late)
        self.assertEqual(sent.deadline, local(2025, 11, 21, 16))
        rows = ReportingCalendar(now=local(2025, 11, 24, 9)).obligations(
            [self.page], {"weekly": [periods.period_from_key("2025-W47")[1]]}
        )
        state = {r.unit.pk: r.state for r in rows}[self.hoa_phu_ubnd.pk]
        self.assertEqual(state, State.LATE)

    def test_the_next_periods_report_is_then_accepted_and_on_time(self):
        self.send(local(2025, 11, 24, 9))
        response, sent = self.send(local(2025, 11, 26, 9))
        self.assertEqual(response.status_code, 302)
        self.assertEqual((sent.period, sent.is_late), ("2025-W48", False))
        self.assertEqual(
            FormSubmission.objects.filter(unit=self.hoa_phu_ubnd).count(), 2
        )

    def test_the_unit_may_choose_the_current_period_instead(self):
        response, sent = self.send(local(2025, 11, 24, 9), period="2025-W48")
        self.assertEqual((sent.period, sent.is_late), ("2025-W48", False))

    def test_one_minute_past_a_friday_16_00_deadline_is_late(self):
        _r, on_the_dot = self.send(local(2025, 11, 21, 16, 0))
        self.assertEqual((on_the_dot.period, on_the_dot.is_late), ("2025-W47", False))
        _r, late = self.send(
            local(2025, 11, 28, 16, 1), user=self.reviewer, period="2025-W48"
        )
        # The reviewer's own unit (Ban Xây dựng Đảng) also owes the report.
        self.assertEqual((late.period, late.is_late), ("2025-W48", True))

    def test_23_30_thursday_utc_is_friday_in_the_province(self):
        thursday_utc = dt.datetime(2025, 11, 20, 23, 30, tzinfo=UTC)
        self.assertEqual(periods.local_date(thursday_utc), dt.date(2025, 11, 21))
        # A deadline of Friday 08:00 local: 06:30 Friday local is on time...
        ReportTemplatePage.objects.filter(pk=self.page.pk).update(
            deadline_time=dt.time(8)
        )
        self.page.refresh_from_db()
        _r, sent = self.send(thursday_utc)
        self.assertEqual((sent.period, sent.is_late), ("2025-W47", False))
        self.assertEqual(sent.deadline, local(2025, 11, 21, 8))
        # ...and Sunday 23:30 UTC is already Monday of the next week.
        sunday_utc = dt.datetime(2025, 11, 23, 23, 30, tzinfo=UTC)
        self.assertEqual(periods.period_for("weekly", sunday_utc).key, "2025-W48")

    def test_a_forged_period_is_refused_with_a_message_and_nothing_is_lost(self):
        for forged in ("2025-W30", "2025-W49", "2030-W01", "2025-11", "tuần 47", ""):
            with self.subTest(forged=forged):
                response, sent = self.send(
                    local(2025, 11, 24, 9), period=forged, dlxh_summary="Giữ lại"
                )
                self.assertIsNone(sent)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'id="id_dlxh-period_error"')
                self.assertContains(response, "Giữ lại")

    def test_the_period_closing_while_the_form_is_filled_is_refused_at_the_end(self):
        with self.assertRaises(PeriodNotAccepted) as refusal:
            make_submission(
                self.page,
                self.hoa_phu_ubnd,
                period="2025-W46",
                submitted_at=local(2025, 12, 1, 9),
            )
        self.assertIn("tuần 49/2025", refusal.exception.message)

    def test_an_excused_period_is_not_owed_and_not_offered_first(self):
        Excusal.objects.create(
            page=self.page,
            unit=self.hoa_phu_ubnd,
            period="2025-W47",
            reason="Bão lũ, mất điện toàn xã",
        )
        rows = ReportingCalendar(now=local(2025, 11, 24, 9)).obligations(
            [self.page], {"weekly": [periods.period_from_key("2025-W47")[1]]}
        )
        states = {r.unit.pk: (r.state, r.excuse) for r in rows}
        self.assertEqual(
            states[self.hoa_phu_ubnd.pk], (State.EXCUSED, "Bão lũ, mất điện toàn xã")
        )
        self.assertEqual(states[self.tan_an_ubnd.pk][0], State.MISSING)
        _r, sent = self.send(local(2025, 11, 24, 9))
        self.assertEqual(sent.period, "2025-W48")

    def test_a_deadline_moved_for_one_period(self):
        _r, before = self.send(local(2025, 11, 21, 18), user=self.outsider)
        self.assertTrue(before.is_late)
        DeadlineOverride.objects.create(
            page=self.page,
            period="2025-W47",
            deadline=local(2025, 11, 24, 12),
            reason="Hội nghị tổng kết",
        )
        before.refresh_from_db()
        # The stored fact follows the Board's decision.
        self.assertEqual(
            (before.deadline, before.is_late), (local(2025, 11, 24, 12), False)
        )
        _r, sent = self.send(local(2025, 11, 24, 11), user=self.member)
        self.assertEqual((sent.period, sent.is_late), ("2025-W47", False))
        # Week 46 keeps its own rule.
        book = deadlines.DeadlineBook([self.page])
        week46 = periods.period_from_key("2025-W46")[1]
        self.assertEqual(book.deadline(self.page, week46), local(2025, 11, 14, 16))

    def test_a_moved_deadline_keeps_an_old_period_open(self):
        ReportTemplatePage.objects.filter(pk=self.page.pk).update(late_periods_open=0)
        self.page.refresh_from_db()
        DeadlineOverride.objects.create(
            page=self.page,
            period="2025-W45",
            deadline=local(2025, 11, 28, 16),
            reason="Gia hạn",
        )
        keys = [p.key for p in self.page.get_accepted_periods(local(2025, 11, 24, 9))]
        self.assertEqual(keys, ["2025-W48", "2025-W45"])

    def test_a_holiday_moves_the_deadline_to_the_next_working_day(self):
        # Friday 2 January 2026 off (Tết dương lịch): week 1's deadline is
        # Monday 5 January, 16:00.
        Holiday.objects.create(
            name="Tết Dương lịch",
            start_date=dt.date(2026, 1, 1),
            end_date=dt.date(2026, 1, 2),
        )
        _r, sent = self.send(local(2026, 1, 5, 15))
        self.assertEqual(sent.period, "2026-W01")
        self.assertEqual((sent.deadline, sent.is_late), (local(2026, 1, 5, 16), False))

    def test_a_holiday_set_afterwards_restamps_the_reports_it_concerns(self):
        _r, sent = self.send(local(2026, 1, 3, 9))
        self.assertTrue(sent.is_late)
        Holiday.objects.create(
            name="Nghỉ bù", start_date=dt.date(2026, 1, 2), end_date=dt.date(2026, 1, 2)
        )
        sent.refresh_from_db()
        self.assertEqual((sent.deadline, sent.is_late), (local(2026, 1, 5, 16), False))

    def test_late_periods_open_is_a_template_setting(self):
        moment = local(2025, 11, 26, 9)
        for late, expected in (
            (0, ["2025-W48"]),
            (1, ["2025-W48", "2025-W47"]),
            (3, ["2025-W48", "2025-W47", "2025-W46", "2025-W45"]),
        ):
            with self.subTest(late=late):
                ReportTemplatePage.objects.filter(pk=self.page.pk).update(
                    late_periods_open=late
                )
                self.page.refresh_from_db()
                keys = [p.key for p in self.page.get_accepted_periods(moment)]
                self.assertEqual(keys, expected)

    def test_the_form_offers_the_open_periods_with_their_deadlines(self):
        with clock(local(2025, 11, 24, 9)):
            response = self.client.get(self.page.url)
        self.assertContains(response, 'name="dlxh-period"')
        self.assertContains(response, "tuần 47/2025 (17/11 – 23/11/2025)")
        self.assertContains(response, "đã quá hạn")
        self.assertContains(response, 'value="2025-W47" selected')

    def test_a_link_with_the_period_preselects_it(self):
        with clock(local(2025, 11, 24, 9)):
            response = self.client.get(f"{self.page.url}?ky=2025-W48")
        self.assertContains(response, 'value="2025-W48" selected')


class QuickReportTest(PeriodPathMixin, BaseTestCase):
    period_type = "quick"

    def test_two_quick_reports_on_one_day_are_both_stored(self):
        ReportTemplatePage.objects.filter(pk=self.page.pk).update(
            one_per_unit_per_period=True
        )
        _r, first = self.send(local(2025, 11, 24, 9))
        _r, second = self.send(local(2025, 11, 24, 15))
        self.assertIsNotNone(first)
        self.assertIsNotNone(second)
        for sent in (first, second):
            self.assertEqual(
                (sent.period, sent.deadline, sent.is_late), ("", None, False)
            )
        with clock(local(2025, 11, 24, 16)):
            response = self.client.get(self.page.url)
        self.assertNotContains(response, 'name="dlxh-period"')


class EveryPeriodTypeTest(PeriodPathMixin, BaseTestCase):
    """Monthly, quarterly and yearly reports behave as weekly ones do."""

    def test_each_type_files_a_late_report_under_its_own_period(self):
        cases = [
            # (type, sent at, its period, deadline)
            ("monthly", local(2025, 12, 2, 9), "2025-11", local(2025, 11, 25, 16)),
            ("quarterly", local(2026, 1, 5, 9), "2025-Q4", local(2025, 12, 25, 16)),
            ("yearly", local(2026, 1, 5, 9), "2025", local(2025, 12, 25, 16)),
        ]
        for period_type, moment, key, due in cases:
            with self.subTest(period_type=period_type):
                page = make_report_template(
                    fields=REPORT_FIELDS,
                    slug=f"mau-{period_type}",
                    title=f"Báo cáo {period_type}",
                    period_type=period_type,
                )
                ReportTemplatePage.objects.filter(pk=page.pk).update(
                    first_published_at=local(2025, 1, 1)
                )
                page.refresh_from_db()
                _r, sent = self.send(moment, page=page)
                self.assertEqual(
                    (sent.period, sent.is_late, sent.deadline), (key, True, due)
                )
                current = periods.period_for(period_type, moment).key
                _r, next_one = self.send(moment, page=page, period=current)
                self.assertEqual((next_one.period, next_one.is_late), (current, False))


class PeriodKeyTest(SimpleTestCase):
    def test_labels_and_keys_round_trip(self):
        for period_type in periods.SCHEDULED_TYPES:
            period = periods.period_for(period_type, local(2026, 2, 14))
            self.assertEqual(periods.period_from_key(period.key), (period_type, period))
            self.assertTrue(periods.label_of_key(period.key))
        self.assertEqual(periods.label_of_key(""), "")

    def test_the_default_period_is_the_one_whose_deadline_is_nearest(self):
        weeks = [periods.period_from_key(k)[1] for k in ("2025-W48", "2025-W47")]
        self.assertEqual(deadlines.default_period(weeks).key, "2025-W47")

        def friday(period):
            return (
                local(2025, 1, 1)
                + (periods.at_local(period.start, dt.time(16)) - local(2025, 1, 1))
                + dt.timedelta(days=4)
            )

        monday = local(2025, 11, 24, 9)
        thursday = local(2025, 11, 27, 9)
        self.assertEqual(
            deadlines.default_period(weeks, (), friday, monday).key, "2025-W47"
        )
        self.assertEqual(
            deadlines.default_period(weeks, (), friday, thursday).key, "2025-W48"
        )
        self.assertEqual(deadlines.default_period(weeks, {"2025-W47"}).key, "2025-W48")
        self.assertEqual(
            deadlines.default_period(weeks, {"2025-W47", "2025-W48"}).key, "2025-W48"
        )
        self.assertIsNone(deadlines.default_period([]))

    def test_the_clock_helper_moves_timezone_now(self):
        with clock(local(2025, 1, 1)):
            self.assertEqual(timezone.now(), local(2025, 1, 1))
