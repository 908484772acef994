from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from forms_app.models import FormsIndexPage
from forms_app.xlsform import create_draft


class Command(BaseCommand):
    help = (
        "Import an XLSForm (.xlsx) as a draft survey under a forms index, with the "
        "same checks as the admin's 'Nhập XLSForm' page."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the XLSForm .xlsx file")
        parser.add_argument(
            "--parent",
            help="Slug or id of the forms index (default: the first one)",
        )
        parser.add_argument(
            "--user", required=True, help="Username recorded as the draft's owner"
        )

    def handle(self, *args, file, parent, user, **options):
        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(_("Không có người dùng “%(user)s”.") % {"user": user})
        indexes = FormsIndexPage.objects.order_by("path")
        if parent:
            lookup = {"pk": parent} if parent.isdigit() else {"slug": parent}
            indexes = indexes.filter(**lookup)
        index = indexes.first()
        if index is None:
            raise CommandError(_("Không tìm thấy thư mục biểu mẫu."))
        path = Path(file)
        report, page = create_draft(index, path.read_bytes(), owner, path.name)
        for message in report.errors:
            self.stderr.write(_("Lỗi: %(message)s") % {"message": message})
        for message in report.warnings:
            self.stderr.write(_("Cảnh báo: %(message)s") % {"message": message})
        if page is None:
            raise CommandError(
                _("Chưa tạo phiếu khảo sát: XLSForm có %(count)s lỗi.")
                % {"count": len(report.errors)}
            )
        self.stdout.write(
            _("Đã tạo phiếu khảo sát nháp “%(title)s” (id %(id)s).")
            % {"title": page.title, "id": page.pk}
        )
