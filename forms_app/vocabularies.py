"""Fixed vocabularies of the standard DLXH blocks (Art. 5, 6.3 of the regulation).

Digests aggregate across templates by these keys, so they never change; only
their Vietnamese labels may be reworded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Templates, submissions and exports are classified on the scale of clearances.
from units.choices import Clearance as Classification  # noqa: F401


class ContentCategory(models.TextChoices):
    OPINION_ON_POLICY = (
        "opinion_on_policy",
        _("Tư tưởng, tâm trạng, ý kiến về chủ trương, chính sách (Điều 5.1)"),
    )
    ISSUE_OF_CONCERN = (
        "issue_of_concern",
        _("Vấn đề Nhân dân quan tâm, vụ việc nổi cộm, nhạy cảm (Điều 5.2)"),
    )
    REACTION_AFTER_POLICY = (
        "reaction_after_policy",
        _("Phản ứng dư luận sau khi ban hành chính sách, xử lý vụ việc (Điều 5.3)"),
    )


class SourceChannel(models.TextChoices):
    COLLABORATOR = "collaborator", _("Cộng tác viên dư luận xã hội")
    CYBERSPACE = "cyberspace", _("Không gian mạng, mạng xã hội")
    PRESS = "press", _("Báo chí")
    MEETING = "meeting", _("Hội nghị, tiếp xúc, đối thoại")
    PETITION = "petition", _("Đơn thư, kiến nghị")
    OTHER = "other", _("Khác")


class ImpactLevel(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    VERY_HIGH = "very_high", _("Rất cao")


class Trend(models.TextChoices):
    RISING = "rising", _("Gia tăng")
    STABLE = "stable", _("Ổn định")
    FALLING = "falling", _("Giảm dần")
    SPREADING = "spreading", _("Lan rộng")


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    COMPLEX = "complex", _("Phức tạp")
    SENSITIVE = "sensitive", _("Nhạy cảm")


class PeriodType(models.TextChoices):
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")
    QUICK = "quick", _("Báo cáo nhanh")
