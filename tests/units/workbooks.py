"""Workbooks built in memory for the import tests (no binary files in the repo)."""

from io import BytesIO

from openpyxl import Workbook

UNIT_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Loại đơn vị",
    "Cấp",
    "Mã xã, phường",
    "Mã đơn vị cấp trên",
]

PEOPLE_HEADER = [
    "Tên đăng nhập",
    "Họ và tên",
    "Email",
    "Mã đơn vị",
    "Vai trò",
    "Mức độ tiếp cận",
    "Chức vụ",
    "Số điện thoại",
]

# Numbers where Excel users type them: a commune code arrives as an int.
GOOD_UNITS = [
    UNIT_HEADER,
    [
        "X24175-MTTQ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hòa Phú",
        "Mặt trận Tổ quốc",
        "Cấp xã",
        24175,
        "X24175-DU",
    ],
    # The parent of this unit is the next row, not yet in the registry.
    [
        "X24163-HDND",
        "Hội đồng nhân dân phường Tân An",
        "peoples_council",
        "xã",
        "24163",
        "X24163-DU",
    ],
    ["X24163-DU", "  Đảng ủy   phường Tân An ", "Đảng ủy", "commune", 24163.0, None],
    ["T66-SNNMT", "Sở Nông nghiệp và Môi trường", "Cơ quan chuyên môn", "Cấp tỉnh"],
]

GOOD_PEOPLE = [
    PEOPLE_HEADER,
    [
        "nguyen.van.an",
        "Nguyễn Văn An",
        "an.nv@example.vn",
        "X24175-UBND",
        "Cán bộ báo cáo của đơn vị",
        "Thường",
        "Chuyên viên",
        912345678,
    ],
    ["tran.thi.binh", "Trần Thị Bình", "", "X24175-CTV", "Cộng tác viên", 0],
    ["le.van.cuong", "Lê Văn Cường", None, "X24175-XDD", "commune_reviewer", "Mật"],
    ["pham.thu", "Phạm Thu", "thu@example.vn", "T66-BTGDV", "board_staff", 2],
]


def xlsx(rows, name="bang-tinh.xlsx", title="Sheet"):
    """An uploaded-file-like .xlsx: BytesIO with a name, as Django gives."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return named(buffer.getvalue(), name)


def named(data, name):
    buffer = BytesIO(data)
    buffer.name = name
    return buffer


def with_row(rows, row):
    """The good sheet with one more (bad) row at the end."""
    return [*rows, row]
