"""The reviewers' and the Board's inbox, bulk approval and the dashboard."""

import datetime as dt

from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from forms_app.models.review import ReviewStatus
from tests.base import BaseTestCase
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from workflows.choices import NotificationKind
from workflows.models import Notification


class InboxTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(
            fields=REPORT_FIELDS, one_per_unit_per_period=False
        )
        now = timezone.now()
        self.old = self.make(
            self.hoa_phu_ubnd, impact="low", submitted_at=now - dt.timedelta(days=3)
        )
        self.new = self.make(self.hoa_phu_party, impact="very_high", submitted_at=now)
        self.other = self.make(self.tan_an_ubnd, impact="high", user=self.outsider)

    def make(self, unit, impact, user=None, **attrs):
        submission = make_submission(
            self.page,
            unit=unit,
            user=user or self.member,
            answers={
                **REPORT_ANSWERS,
                "dlxh_sensitivity": "normal",
                "dlxh_impact": impact,
            },
            **attrs,
        )
        submission.start_review(user or self.member)
        return submission

    def listed(self, **filters):
        response = self.client.get(reverse("submissions:list"), filters)
        self.assertEqual(response.status_code, 200)
        return [obj.pk for obj in response.context["object_list"]]

    def test_the_reviewer_sees_their_communes_submissions_newest_first(self):
        self.login(self.reviewer)

        self.assertEqual(self.listed(), [self.new.pk, self.old.pk])

    def test_twenty_submissions_a_page_and_none_repeats_across_pages(self):
        moment = self.new.submitted_at
        for _n in range(22):
            # Same minute: the pages must still split them without overlap.
            self.make(self.hoa_phu_ubnd, impact="low", submitted_at=moment)
        self.login(self.reviewer)

        first, second = self.listed(), self.listed(p=2)

        self.assertEqual((len(first), len(second)), (20, 4))
        self.assertFalse(set(first) & set(second))
        self.assertEqual(second[-1], self.old.pk)

    def test_the_unit_and_commune_filters_list_every_choice_and_keep_the_chosen(self):
        self.login(self.owner)

        response = self.client.get(
            reverse("submissions:list"),
            {"unit": self.hoa_phu_party.pk, "unit__commune": self.hoa_phu.pk},
        )

        self.assertInHTML(
            f'<option value="{self.hoa_phu_party.pk}" selected>'
            f"{self.hoa_phu_party}</option>",
            response.text,
        )
        self.assertInHTML(
            f'<option value="{self.tan_an_ubnd.pk}">{self.tan_an_ubnd}</option>',
            response.text,
        )
        self.assertInHTML(
            f'<option value="{self.hoa_phu.pk}" selected>{self.hoa_phu}</option>',
            response.text,
        )
        self.assertEqual(self.listed(unit=self.hoa_phu_party.pk), [self.new.pk])

    def test_the_board_filters_by_commune_impact_status_and_unit(self):
        self.login(self.owner)

        self.assertEqual(
            set(self.listed(unit__commune=self.hoa_phu.pk)), {self.old.pk, self.new.pk}
        )
        self.assertEqual(self.listed(impact="very_high"), [self.new.pk])
        self.assertEqual(self.listed(unit=self.tan_an_ubnd.pk), [self.other.pk])
        self.assertEqual(len(self.listed(review_status="pending")), 3)
        period = self.old.period
        same_period = {
            s.pk for s in (self.new, self.other, self.old) if s.period == period
        }
        self.assertEqual(
            set(self.listed(page=self.page.pk, period=period)), same_period
        )

    def test_bulk_approve_approves_what_the_reviewer_may_and_audits_each(self):
        self.login(self.reviewer)
        url = (
            reverse(
                "wagtail_bulk_action",
                args=["forms_app", "formsubmission", "approve_submissions"],
            )
            + f"?id={self.old.pk}&id={self.new.pk}&id={self.other.pk}"
        )

        confirm = self.client.get(url)
        self.assertContains(confirm, str(self.old))
        response = self.client.post(url)

        self.assertEqual(response.status_code, 302)
        for submission in (self.old, self.new):
            submission.refresh_from_db()
            self.assertEqual(submission.review_status, ReviewStatus.RESOLVED)
            self.assertEqual(
                LogEntry.objects.get_for_object(submission)
                .filter(
                    additional_data__event="unit_review.approve", actor=self.reviewer
                )
                .count(),
                1,
            )
        self.other.refresh_from_db()
        self.assertEqual(self.other.review_status, ReviewStatus.PENDING)


class DashboardTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        page = make_report_template(fields=REPORT_FIELDS, one_per_unit_per_period=False)
        self.submission = make_submission(
            page,
            unit=self.hoa_phu_ubnd,
            user=self.member,
            answers={**REPORT_ANSWERS, "dlxh_sensitivity": "normal"},
        )
        self.submission.start_review(self.member)

    def test_the_reviewer_is_shown_what_waits_for_review(self):
        self.login(self.reviewer)

        response = self.client.get(reverse("wagtailadmin_home"))

        self.assertContains(
            response, "Chờ đồng chí thẩm định: <strong>1</strong>", html=False
        )
        self.assertContains(response, "Chờ đồng chí thẩm định:")

    def test_opening_a_notification_marks_it_read_and_follows_its_link(self):
        notification = Notification.objects.get(
            user=self.reviewer, kind=NotificationKind.AWAITING_REVIEW
        )
        self.login(self.reviewer)

        response = self.client.get(
            reverse("dlxh_notification_open", args=[notification.pk])
        )

        self.assertRedirects(
            response,
            reverse("submissions:edit", args=[self.submission.pk]),
            fetch_redirect_response=False,
        )
        notification.refresh_from_db()
        self.assertIsNotNone(notification.read_at)

    def test_nobody_opens_someone_elses_notification(self):
        notification = Notification.objects.get(user=self.reviewer)
        self.login(self.outsider)

        response = self.client.get(
            reverse("dlxh_notification_open", args=[notification.pk])
        )

        self.assertEqual(response.status_code, 404)
