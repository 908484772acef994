"""Demo reports of the last weeks and months (DEMO ONLY), sent through the real
path (forms_app.submitting.create_submission at past moments), so the unit
page, the compliance grid, the digests and the annual report show something
real: some units on time, some late, some missing; reviews, a direction, a
quick report and survey answers. Run by load_demo; does nothing when the demo
templates already have reports.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from forms_app import periods
from forms_app.models import FormSubmission, ReportTemplatePage, SurveyPage
from forms_app.submitting import create_submission
from units.models import Commune, Membership, Unit

WEEKS, MONTHS = 8, 3
# Communes whose units report in the demo, besides the demo people's own.
OTHER_COMMUNES = 8
DEMO_COMMUNES = ["24133", "24175", "24163"]  # Buôn Ma Thuột, Hòa Phú, Tân An


def answers_for(page, rng, unit):
    """Valid answers to the demo report templates, by their stable keys."""
    answers = {}
    for item in page.input_items():
        kind, key = item.block_type, item.key
        if kind == "dlxh_category":
            answers[key] = rng.choice(
                ["opinion_on_policy", "issue_of_concern", "reaction_after_policy"]
            )
        elif kind == "dlxh_locality" and unit.commune_id:
            answers[key] = unit.commune.code
        elif kind == "dlxh_source_channel":
            answers[key] = rng.choice(["meeting", "collaborator", "cyberspace"])
        elif kind == "dlxh_summary":
            answers[key] = rng.choice(
                [
                    "Nhân dân đồng tình với chủ trương sắp xếp đơn vị hành chính.",
                    "Người dân quan tâm giá bồi thường giải phóng mặt bằng.",
                    "Dư luận phản ánh giá nông sản (cà phê, sầu riêng) giảm.",
                    "Ý kiến về dịch vụ công trực tuyến cấp xã còn chậm.",
                ]
            )
        elif kind == "dlxh_impact":
            answers[key] = rng.choice(["low", "medium", "medium", "high"])
        elif kind == "dlxh_trend":
            answers[key] = rng.choice(["stable", "stable", "rising", "falling"])
        elif kind == "dlxh_sensitivity":
            answers[key] = rng.choice(["normal", "normal", "normal", "complex"])
        elif kind == "dlxh_recommendations":
            answers[key] = "Tăng cường tuyên truyền, đối thoại với Nhân dân."
        elif kind == "yes_no":
            answers[key] = "no"
        elif kind == "number":
            answers[key] = rng.randint(3, 40)
    return answers


class Command(BaseCommand):
    help = "Demo reports of the last weeks (DEMO ONLY); nothing if there are some."

    def handle(self, *args, **options):
        weekly = ReportTemplatePage.objects.filter(slug="bao-cao-tuan").first()
        monthly = ReportTemplatePage.objects.filter(slug="bao-cao-thang").first()
        if weekly is None or monthly is None:
            self.stdout.write("No demo templates: no demo reports.")
            return
        if FormSubmission.objects.filter(page__in=[weekly, monthly]).exists():
            self.stdout.write("Demo reports already there.")
            return
        now = timezone.now()
        rng = random.Random(66)
        # The templates were "published" before the weeks the demo covers.
        ReportTemplatePage.objects.filter(pk__in=[weekly.pk, monthly.pk]).update(
            first_published_at=now - dt.timedelta(weeks=WEEKS + 1),
            late_periods_open=2,
        )
        weekly.refresh_from_db()
        monthly.refresh_from_db()
        users = {u.username: u for u in get_user_model().objects.all()}
        communes = DEMO_COMMUNES + list(
            Commune.objects.exclude(code__in=DEMO_COMMUNES)
            .order_by("name")
            .values_list("code", flat=True)[:OTHER_COMMUNES]
        )
        units = list(
            Unit.objects.active()
            .filter(commune__code__in=communes)
            .select_related("commune")
            .order_by("code")
        )
        # Each report commits on its own, as a real one does: its review starts
        # right after (synchronously without Redis), so the demo can act on it.
        sent = self.periodic(weekly, units, WEEKS, now, rng, users)
        sent += self.periodic(monthly, units, MONTHS, now, rng, users)
        sent += self.quick_report(now, users, rng)
        sent += self.survey(now, rng)
        self.stdout.write(f"{sent} demo reports sent (weeks, months, quick, survey).")

    def periodic(self, page, units, count, now, rng, users):
        owing = [
            u
            for u in units
            if u.kind in (page.audience_kinds or [])
            and u.level in (page.audience_levels or [])
        ]
        sender = {u.unit.code: u.user for u in self.memberships(owing)}
        current = periods.period_for(page.period_type, now)
        made = 0
        for back in range(count, -1, -1):
            period = current
            for _n in range(back):
                period = periods.previous_period(page.period_type, period)
            deadline = page.get_deadline(period)
            for unit in owing:
                fate = rng.random()
                if back == 0 and fate < 0.5:
                    continue  # this period: half have not sent yet
                if fate < 0.15:
                    continue  # missing
                if fate < 0.35:
                    moment = deadline + dt.timedelta(hours=rng.randint(2, 60))
                else:
                    moment = deadline - dt.timedelta(hours=rng.randint(2, 70))
                moment = max(moment, periods.at_local(period.start, dt.time(8)))
                if moment > now:
                    continue
                submission, _created = create_submission(
                    page,
                    answers=answers_for(page, rng, unit),
                    unit=unit,
                    user=sender.get(unit.code),
                    moment=moment,
                    period=period.key,
                )
                made += 1
                self.review(submission, users, rng)
        return made

    def memberships(self, units):
        return (
            Membership.objects.active()
            .filter(unit__in=units)
            .select_related("user", "unit")
        )

    def act(self, submission, user, action, **data):
        """Take `action` on the submission's current review task, if `user` may
        (through Wagtail's Task API: the task types live above this app)."""
        state = submission.current_workflow_task_state
        if state is None or user is None:
            return False
        task = state.task.specific
        if action not in {name for name, *_rest in task.get_actions(submission, user)}:
            return False
        task.on_action(state, user, action, **data)
        return True

    def review(self, submission, users, rng):
        """The commune's reviewer approves most reports; returns a few."""
        submission.refresh_from_db()
        reviewer = users.get(
            {"24133": "bmt.xdd", "24175": "hoaphu.xdd", "24163": "tanan.xdd"}.get(
                submission.unit.commune.code if submission.unit.commune_id else "", ""
            )
        )
        if rng.random() < 0.3:
            return  # left for the reviewer
        action = "reject" if rng.random() < 0.15 else "approve"
        self.act(submission, reviewer, action, comment="Đã xem xét.")

    def quick_report(self, now, users, rng):
        """A quick report from Buôn Ma Thuột's People's Committee, straight to
        the Board, which records a direction the unit then reads."""
        page = ReportTemplatePage.objects.filter(slug="bao-cao-nhanh").first()
        unit = Unit.objects.filter(code="X24133-UBND").first()
        if page is None or unit is None:
            return 0
        answers = {}
        for item in page.input_items():
            if item.block_type == "dlxh_summary":
                answers[item.key] = "Một số hộ dân tụ tập kiến nghị về bồi thường."
            elif item.block_type == "dlxh_locality":
                answers[item.key] = "24133"
            elif item.block_type == "datetime":
                answers[item.key] = (now - dt.timedelta(days=3)).isoformat()
            elif item.block_type == "dlxh_source_channel":
                answers[item.key] = "meeting"
            elif item.block_type == "dlxh_impact":
                answers[item.key] = "high"
            elif item.block_type == "dlxh_trend":
                answers[item.key] = "rising"
            elif item.block_type == "dlxh_recommendations":
                answers[item.key] = "Đề nghị Ban chỉ đạo tổ chức đối thoại."
        made = 0
        for days in (3, 1):
            submission, _created = create_submission(
                page,
                answers=answers,
                unit=unit,
                user=users.get("bmt.ubnd"),
                moment=now - dt.timedelta(days=days),
            )
            made += 1
        submission.refresh_from_db()
        self.act(
            submission,
            users.get("canbo.ban"),
            "direct",
            direction="Giao UBND phường tổ chức đối thoại với các hộ dân trước cuối "
            "tuần; báo cáo kết quả về Ban.",
            comment="",
        )
        return made

    def survey(self, now, rng):
        page = SurveyPage.objects.filter(slug="khao-sat-chuyen-doi-so").first()
        if page is None:
            return 0
        made = 0
        for n in range(24):
            answers = {}
            for item in page.input_items():
                value = item.value
                if item.block_type in ("dlxh_locality", "locality"):
                    answers[item.key] = rng.choice(DEMO_COMMUNES)
                elif item.block_type in ("single_choice", "multiple_choice"):
                    keys = [c["key"] for c in value["choices"]]
                    pick = rng.choice(keys)
                    answers[item.key] = (
                        [pick] if item.block_type == "multiple_choice" else pick
                    )
                elif item.block_type == "rating":
                    answers[item.key] = rng.randint(2, 5)
                elif item.block_type == "likert_matrix":
                    answers[item.key] = {
                        s["key"]: rng.randint(1, 5) for s in value["statements"]
                    }
            create_submission(
                page, answers=answers, moment=now - dt.timedelta(hours=6 * n + 1)
            )
            made += 1
        return made
