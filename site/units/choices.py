"""Vocabularies of the organisation registry (Art. 1.2 of the regulation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class DivisionType(models.TextChoices):
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


class UnitKind(models.TextChoices):
    BOARD = "board", _("Ban Tuyên giáo và Dân vận")
    PARTY_COMMITTEE = "party_committee", _("Đảng ủy")
    ADVISORY = "advisory", _("Cơ quan tham mưu, giúp việc cấp ủy")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    POLICE = "police", _("Công an")
    MILITARY = "military", _("Quân sự")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    FATHERLAND_FRONT = "fatherland_front", _("Mặt trận Tổ quốc")
    SOCIO_POLITICAL = "socio_political", _("Tổ chức chính trị - xã hội")
    SPECIALISED_AGENCY = "specialised_agency", _("Cơ quan chuyên môn")
    PRESS = "press", _("Báo chí, phát thanh, truyền hình")
    PARTY_BUILDING = "party_building", _("Ban Xây dựng Đảng")
    PARTY_OFFICE = "party_office", _("Văn phòng đảng ủy")
    COLLABORATORS = "collaborators", _("Cộng tác viên dư luận xã hội")
    OTHER = "other", _("Cơ quan, đơn vị khác")


# Which kinds exist at which level (Art. 1.2.1 and 1.2.2).
KINDS_BY_LEVEL = {
    Level.PROVINCE: {
        UnitKind.BOARD,
        UnitKind.PARTY_COMMITTEE,
        UnitKind.ADVISORY,
        UnitKind.PEOPLES_COMMITTEE,
        UnitKind.POLICE,
        UnitKind.MILITARY,
        UnitKind.PEOPLES_COUNCIL,
        UnitKind.FATHERLAND_FRONT,
        UnitKind.SOCIO_POLITICAL,
        UnitKind.SPECIALISED_AGENCY,
        UnitKind.PRESS,
        UnitKind.COLLABORATORS,
        UnitKind.OTHER,
    },
    Level.COMMUNE: {
        UnitKind.PARTY_COMMITTEE,
        UnitKind.PEOPLES_COUNCIL,
        UnitKind.PEOPLES_COMMITTEE,
        UnitKind.FATHERLAND_FRONT,
        UnitKind.SOCIO_POLITICAL,
        UnitKind.PARTY_BUILDING,
        UnitKind.PARTY_OFFICE,
        UnitKind.COLLABORATORS,
        UnitKind.OTHER,
    },
}


class Role(models.TextChoices):
    BOARD_STAFF = "board_staff", _("Chuyên viên Ban Tuyên giáo và Dân vận")
    BOARD_LEADER = "board_leader", _("Lãnh đạo Ban Tuyên giáo và Dân vận")
    REPORTER = "reporter", _("Cán bộ báo cáo của đơn vị")
    COMMUNE_REVIEWER = "commune_reviewer", _("Cán bộ thẩm định cấp xã")
    COLLABORATOR = "collaborator", _("Cộng tác viên dư luận xã hội")
    LEADERSHIP_VIEWER = "leadership_viewer", _("Lãnh đạo theo dõi")


class Clearance(models.IntegerChoices):
    """Classification levels of the Law on Protection of State Secrets (Art. 6.2.2)."""

    NORMAL = 0, _("Thường")
    SECRET = 1, _("Mật")
    TOP_SECRET = 2, _("Tối mật")
    # An installation holds it only when DLXH_MAX_CLASSIFICATION allows
    # (forms_app.classification).
    ULTRA_SECRET = 3, _("Tuyệt mật")
