"""The standard units of a province (Art. 1.2.1) and of each commune (Art. 1.2.2).

Codes are stable keys: province units are "T<province>-<suffix>", commune units
"X<commune code>-<suffix>". Names take the province or commune name.
"""

from .choices import UnitKind

PROVINCE_UNITS = [
    # (suffix, kind, name template, parent suffix)
    ("BTGDV", UnitKind.BOARD, "Ban Tuyên giáo và Dân vận Tỉnh ủy", None),
    ("DU-CQD", UnitKind.PARTY_COMMITTEE, "Đảng ủy Các cơ quan Đảng tỉnh", None),
    ("DU-UBND", UnitKind.PARTY_COMMITTEE, "Đảng ủy Ủy ban nhân dân tỉnh", None),
    ("DU-CA", UnitKind.PARTY_COMMITTEE, "Đảng ủy Công an tỉnh", None),
    ("DU-QS", UnitKind.PARTY_COMMITTEE, "Đảng ủy Quân sự tỉnh", None),
    ("DU-HDND", UnitKind.PARTY_COMMITTEE, "Đảng ủy Hội đồng nhân dân tỉnh", None),
    (
        "DU-MTTQ",
        UnitKind.PARTY_COMMITTEE,
        "Đảng ủy Mặt trận Tổ quốc Việt Nam tỉnh",
        None,
    ),
    ("VPTU", UnitKind.ADVISORY, "Văn phòng Tỉnh ủy", None),
    ("BTCTU", UnitKind.ADVISORY, "Ban Tổ chức Tỉnh ủy", None),
    ("UBKTTU", UnitKind.ADVISORY, "Ủy ban Kiểm tra Tỉnh ủy", None),
    ("BNCTU", UnitKind.ADVISORY, "Ban Nội chính Tỉnh ủy", None),
    ("BCSKTU", UnitKind.ADVISORY, "Ban Chính sách, chiến lược Tỉnh ủy", None),
    ("UBND", UnitKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân tỉnh {province}", "DU-UBND"),
    ("CA", UnitKind.POLICE, "Công an tỉnh {province}", "DU-CA"),
    ("QS", UnitKind.MILITARY, "Bộ Chỉ huy Quân sự tỉnh {province}", "DU-QS"),
    ("HDND", UnitKind.PEOPLES_COUNCIL, "Hội đồng nhân dân tỉnh {province}", "DU-HDND"),
    (
        "MTTQ",
        UnitKind.FATHERLAND_FRONT,
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {province}",
        "DU-MTTQ",
    ),
    ("HLHPN", UnitKind.SOCIO_POLITICAL, "Hội Liên hiệp Phụ nữ tỉnh", "MTTQ"),
    ("TDTN", UnitKind.SOCIO_POLITICAL, "Tỉnh đoàn {province}", "MTTQ"),
    ("HND", UnitKind.SOCIO_POLITICAL, "Hội Nông dân tỉnh", "MTTQ"),
    ("HCCB", UnitKind.SOCIO_POLITICAL, "Hội Cựu chiến binh tỉnh", "MTTQ"),
    ("LDLD", UnitKind.SOCIO_POLITICAL, "Liên đoàn Lao động tỉnh", "MTTQ"),
    ("VP-UBND", UnitKind.SPECIALISED_AGENCY, "Văn phòng Ủy ban nhân dân tỉnh", "UBND"),
    ("SNV", UnitKind.SPECIALISED_AGENCY, "Sở Nội vụ", "UBND"),
    ("STC", UnitKind.SPECIALISED_AGENCY, "Sở Tài chính", "UBND"),
    ("STP", UnitKind.SPECIALISED_AGENCY, "Sở Tư pháp", "UBND"),
    ("SXD", UnitKind.SPECIALISED_AGENCY, "Sở Xây dựng", "UBND"),
    ("SNNMT", UnitKind.SPECIALISED_AGENCY, "Sở Nông nghiệp và Môi trường", "UBND"),
    ("SCT", UnitKind.SPECIALISED_AGENCY, "Sở Công Thương", "UBND"),
    ("SKHCN", UnitKind.SPECIALISED_AGENCY, "Sở Khoa học và Công nghệ", "UBND"),
    ("SGDDT", UnitKind.SPECIALISED_AGENCY, "Sở Giáo dục và Đào tạo", "UBND"),
    ("SYT", UnitKind.SPECIALISED_AGENCY, "Sở Y tế", "UBND"),
    ("SVHTTDL", UnitKind.SPECIALISED_AGENCY, "Sở Văn hóa, Thể thao và Du lịch", "UBND"),
    ("SDTTG", UnitKind.SPECIALISED_AGENCY, "Sở Dân tộc và Tôn giáo", "UBND"),
    ("SNGV", UnitKind.SPECIALISED_AGENCY, "Sở Ngoại vụ", "UBND"),
    ("TTR", UnitKind.SPECIALISED_AGENCY, "Thanh tra tỉnh", "UBND"),
    ("BAOPTTH", UnitKind.PRESS, "Báo và Phát thanh, Truyền hình {province}", None),
    (
        "CTV",
        UnitKind.COLLABORATORS,
        "Cộng tác viên dư luận xã hội cấp tỉnh",
        "BTGDV",
    ),
]

COMMUNE_UNITS = [
    ("DU", UnitKind.PARTY_COMMITTEE, "Đảng ủy {commune}", None),
    ("HDND", UnitKind.PEOPLES_COUNCIL, "Hội đồng nhân dân {commune}", None),
    ("UBND", UnitKind.PEOPLES_COMMITTEE, "Ủy ban nhân dân {commune}", None),
    (
        "MTTQ",
        UnitKind.FATHERLAND_FRONT,
        "Ban Thường trực Ủy ban MTTQ Việt Nam {commune}",
        None,
    ),
    ("XDD", UnitKind.PARTY_BUILDING, "Ban Xây dựng Đảng {commune}", "DU"),
    ("VPDU", UnitKind.PARTY_OFFICE, "Văn phòng Đảng ủy {commune}", "DU"),
    ("CTV", UnitKind.COLLABORATORS, "Cộng tác viên dư luận xã hội {commune}", "XDD"),
]


def province_unit_code(province_code, suffix):
    return f"T{province_code}-{suffix}"


def commune_unit_code(commune_code, suffix):
    return f"X{commune_code}-{suffix}"
