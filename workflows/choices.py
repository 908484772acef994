from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationReason(models.TextChoices):
    BEYOND_AUTHORITY = "beyond_authority", _("Vượt thẩm quyền")
    COMPLEX = "complex", _("Phức tạp")
    SENSITIVE = "sensitive", _("Nhạy cảm")
    QUICK_REPORT = "quick_report", _("Báo cáo nhanh")
    OVERDUE = "overdue", _("Quá hạn xử lý ở cấp xã")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa gửi duyệt")
    PENDING = "pending", _("Chờ thẩm định")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ESCALATED = "escalated", _("Đã báo cáo lên Ban")
    RESOLVED = "resolved", _("Đã giải quyết tại cơ sở")
    ACKNOWLEDGED = "acknowledged", _("Ban đã ghi nhận")
    DIRECTED = "directed", _("Ban đã chỉ đạo")


class HandlingStatus(models.TextChoices):
    NEW = "new", _("Mới")
    HANDLING = "handling", _("Đang xử lý")
    HANDLED = "handled", _("Đã xử lý")
    MONITORING = "monitoring", _("Tiếp tục theo dõi")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Chưa kiểm chứng")
    VERIFIED = "verified", _("Đã kiểm chứng")
    PARTLY = "partly", _("Kiểm chứng một phần")
    UNVERIFIABLE = "unverifiable", _("Không thể kiểm chứng")
    FALSE = "false", _("Thông tin sai sự thật")


class FollowUpStage(models.TextChoices):
    BEFORE = "before", _("Trước khi xử lý")
    DURING = "during", _("Trong khi xử lý")
    AFTER = "after", _("Sau khi xử lý")


class NotificationKind(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", _("Chờ đồng chí thẩm định")
    ESCALATED = "escalated", _("Đã báo cáo lên Ban")
    RETURNED = "returned", _("Bị trả lại để bổ sung")
    DIRECTION = "direction", _("Có ý kiến chỉ đạo mới")
    APPROVED = "approved", _("Đã được duyệt")
    EXPORT_READY = "export_ready", _("Tệp Excel đã sẵn sàng")
