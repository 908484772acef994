"""Re-encrypt every protected identity with the first of DLXH_IDENTITY_KEYS.

Rotation (docs/security.md): put a new key first in DLXH_IDENTITY_KEYS, keeping
the old one after it; restart; run this; then remove the old key. Collaborators'
identities, identifying answers and the answers kept in their revisions are
re-encrypted in one transaction; running it twice does no harm.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Revision

from forms_app.models import FormSubmission
from forms_app.protected_answers import is_sealed, rotate_answers
from security.crypto import UndecryptableError
from units.identity import rotate_keys


class Command(BaseCommand):
    help = "Mã hóa lại danh tính được bảo vệ bằng khóa đầu tiên của DLXH_IDENTITY_KEYS."

    @transaction.atomic
    def handle(self, *args, **options):
        try:
            people = rotate_keys()
            answers = self.rotate_submissions()
            revisions = self.rotate_revisions()
        except UndecryptableError as exc:
            raise CommandError(
                "Có giá trị không khóa nào trong DLXH_IDENTITY_KEYS mở được; "
                "chưa thay đổi gì. Hãy giữ khóa cũ trong danh sách."
            ) from exc
        self.stdout.write(
            f"Đã mã hóa lại {people} danh tính cộng tác viên, {answers} báo cáo "
            f"và {revisions} phiên bản báo cáo có thông tin nhận dạng."
        )

    def rotate_submissions(self):
        count = 0
        for submission in FormSubmission.objects.select_for_update().only(
            "pk", "answers"
        ):
            if any(map(is_sealed, submission.answers.values())):
                FormSubmission.objects.filter(pk=submission.pk).update(
                    answers=rotate_answers(submission.answers)
                )
                count += 1
        return count

    def rotate_revisions(self):
        content_type = ContentType.objects.get_for_model(FormSubmission)
        count = 0
        revisions = Revision.objects.select_for_update().filter(
            base_content_type=content_type
        )
        for revision in revisions.iterator():
            answers = (revision.content or {}).get("answers") or {}
            if isinstance(answers, dict) and any(map(is_sealed, answers.values())):
                revision.content["answers"] = rotate_answers(answers)
                Revision.objects.filter(pk=revision.pk).update(content=revision.content)
                count += 1
        return count
