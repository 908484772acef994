from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", _("Chờ đồng chí thẩm định")
    ESCALATED = "escalated", _("Đã báo cáo lên Ban")
    RETURNED = "returned", _("Bị trả lại để bổ sung")
    DIRECTION = "direction", _("Có ý kiến chỉ đạo mới")
    APPROVED = "approved", _("Đã được duyệt")
    EXPORT_READY = "export_ready", _("Tệp Excel đã sẵn sàng")
    DEADLINE_SOON = "deadline_soon", _("Sắp đến hạn nộp báo cáo")
    DEADLINE_MISSED = "deadline_missed", _("Đã quá hạn nộp báo cáo")
    OVERDUE_SUMMARY = "overdue_summary", _("Đơn vị chưa nộp báo cáo")


# Reminders of the reporting calendar (workflows.reminders).
REMINDER_KINDS = [
    NotificationKind.DEADLINE_SOON,
    NotificationKind.DEADLINE_MISSED,
    NotificationKind.OVERDUE_SUMMARY,
]
