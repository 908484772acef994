"""Classification (Art. 3.2, 6.2.2): four levels, an installation's ceiling,
who raises and who lowers, and nobody seeing above their clearance."""

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from forms_app.models import FormSubmission
from security.models import AccessEvent
from tests.base import BaseTestCase, make_person
from tests.forms_app.factories import make_report_template, make_submission
from tests.workflows.helpers import REPORT_ANSWERS, REPORT_FIELDS
from units.choices import Clearance, Role


class ClassificationTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template(fields=REPORT_FIELDS)
        self.submission = make_submission(
            self.page, unit=self.hoa_phu_ubnd, user=self.member, answers=REPORT_ANSWERS
        )
        # Another reporter of the same unit, cleared for Mật.
        self.colleague = make_person(
            "hoaphu.ubnd2", self.hoa_phu_ubnd, Role.REPORTER, Clearance.SECRET
        )

    def change(self, user, level, reason="Có tình tiết nhạy cảm."):
        self.client.force_login(user)
        return self.client.post(
            reverse("submissions:reclassify", args=[self.submission.pk]),
            {"classification": level, "reason": reason},
        )

    def level(self):
        return FormSubmission.objects.get(pk=self.submission.pk).classification

    def test_there_are_four_levels(self):
        self.assertEqual(
            [str(label) for _value, label in Clearance.choices],
            ["Thường", "Mật", "Tối mật", "Tuyệt mật"],
        )

    def test_its_author_and_its_reviewer_raise_it_each_change_audited(self):
        self.member.dlxh_profile.clearance = Clearance.SECRET
        self.member.dlxh_profile.save()
        self.change(self.member, Clearance.SECRET)
        self.assertEqual(self.level(), Clearance.SECRET)
        self.reviewer.dlxh_profile.clearance = Clearance.TOP_SECRET
        self.reviewer.dlxh_profile.save()
        self.change(self.reviewer, Clearance.TOP_SECRET, "Liên quan an ninh.")
        self.assertEqual(self.level(), Clearance.TOP_SECRET)
        entries = LogEntry.objects.filter(additional_data__event="reclassified")
        self.assertEqual(
            sorted(e.changes_dict["classification"][1] for e in entries), ["1", "2"]
        )
        self.assertEqual(
            AccessEvent.objects.filter(kind=AccessEvent.Kind.RECLASSIFY).count(), 2
        )

    def test_only_the_board_lowers_it(self):
        self.submission.reclassify(self.leader, Clearance.SECRET, "Nâng")
        self.reviewer.dlxh_profile.clearance = Clearance.SECRET
        self.reviewer.dlxh_profile.save()
        refused = self.change(self.reviewer, Clearance.NORMAL)
        self.assertContains(refused, "Chỉ Ban Tuyên giáo và Dân vận được hạ độ mật")
        self.assertEqual(self.level(), Clearance.SECRET)
        self.change(self.owner, Clearance.NORMAL, "Đã giải mật.")
        self.assertEqual(self.level(), Clearance.NORMAL)

    def test_others_may_not_raise_it(self):
        refused = self.change(self.colleague, Clearance.SECRET)
        self.assertContains(refused, "Chỉ người gửi báo cáo hoặc cán bộ thẩm định")
        self.assertEqual(self.level(), Clearance.NORMAL)

    @override_settings(DLXH_MAX_CLASSIFICATION=Clearance.TOP_SECRET)
    def test_the_installation_refuses_what_is_above_its_ceiling(self):
        refused = self.change(self.leader, Clearance.ULTRA_SECRET)
        self.assertContains(refused, "chỉ được lưu thông tin có độ mật đến “Tối mật”")
        self.assertEqual(self.level(), Clearance.NORMAL)
        self.page.default_classification = Clearance.ULTRA_SECRET
        with self.assertRaises(ValidationError) as raised:
            self.page.full_clean()
        self.assertIn("default_classification", raised.exception.message_dict)

    @override_settings(DLXH_MAX_CLASSIFICATION=Clearance.ULTRA_SECRET)
    def test_an_installation_cleared_for_it_holds_tuyet_mat(self):
        self.leader.dlxh_profile.clearance = Clearance.ULTRA_SECRET
        self.leader.dlxh_profile.save()
        self.change(self.leader, Clearance.ULTRA_SECRET)
        self.assertEqual(self.level(), Clearance.ULTRA_SECRET)
        screen = self.client.get(reverse("submissions:edit", args=[self.submission.pk]))
        self.assertContains(screen, "TUYỆT MẬT")

    def test_its_unit_sees_it_only_within_each_members_clearance(self):
        self.submission.reclassify(self.leader, Clearance.TOP_SECRET, "Nâng")
        url = reverse("submissions:edit", args=[self.submission.pk])
        self.client.force_login(self.colleague)  # Mật, same unit
        self.assertEqual(self.client.get(url).status_code, 404)
        inbox = self.client.get(reverse("submissions:list"))
        self.assertNotContains(inbox, str(self.submission))
        self.client.force_login(self.member)  # its author
        screen = self.client.get(url)
        self.assertContains(screen, "TỐI MẬT")
        self.assertContains(screen, "data-classification-marking", count=2)

    def test_a_classified_screen_is_marked_and_its_viewing_recorded(self):
        self.submission.reclassify(self.leader, Clearance.SECRET, "Nâng")
        self.client.force_login(self.owner)
        screen = self.client.get(reverse("submissions:edit", args=[self.submission.pk]))
        self.assertContains(screen, "MẬT")
        receipt = self.client.get(
            reverse("forms_app:receipt", args=[self.submission.pk])
        )
        self.assertContains(receipt, "data-classification-marking", count=2)
        views = AccessEvent.objects.filter(kind=AccessEvent.Kind.VIEW, user=self.owner)
        self.assertEqual(views.count(), 2)
