"""XLSForm workbooks for tests, built with openpyxl (no binary files committed)."""

from io import BytesIO

from openpyxl import Workbook

HEADER = [
    "type",
    "name",
    "label::Vietnamese (vi)",
    "label::English (en)",
    "hint::Vietnamese (vi)",
    "required",
    "relevant",
    "appearance",
    "constraint",
    "constraint_message",
    "parameters",
]


def xlsform(survey, choices=None, settings=None, header=HEADER, sheets=None):
    """An .xlsx (bytes) from rows of values; `survey[0]` is not the header."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(header)
    for row in survey:
        sheet.append(list(row))
    if choices is not None:
        choice_sheet = book.create_sheet("choices")
        choice_sheet.append(["list_name", "name", "label::Vietnamese (vi)"])
        for row in choices:
            choice_sheet.append(list(row))
    if settings is not None:
        settings_sheet = book.create_sheet("settings")
        settings_sheet.append(list(settings))
        settings_sheet.append(list(settings.values()))
    for name, rows in (sheets or {}).items():
        extra = book.create_sheet(name)
        for row in rows:
            extra.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def q(type_, name, label="", other_columns=None, **columns):
    """One survey row in HEADER's order."""
    values = {"type": type_, "name": name, "label::Vietnamese (vi)": label}
    values.update(columns)
    values.update(other_columns or {})
    return [values.get(column) for column in HEADER]


CHOICES = [
    ["gioi_tinh", "nam", "Nam"],
    ["gioi_tinh", "nu", "Nữ"],
    ["gioi_tinh", "khac", "Khác"],
    ["yn", "yes", "Có"],
    ["yn", "no", "Không"],
    ["linh_vuc", "dat_dai", "Đất đai"],
    ["linh_vuc", "y_te", "Y tế"],
    ["muc_do", "low", "Thấp"],
    ["muc_do", "medium", "Trung bình"],
    ["muc_do", "high", "Cao"],
    ["muc_do", "very_high", "Rất cao"],
]
SETTINGS = {"form_title": "Khảo sát ý kiến về đất đai", "form_id": "khao_sat_dat_dai"}

WELL_FORMED = [
    q("start", "start"),  # row 2
    q("end", "end"),
    q("text", "ho_ten", "Họ và tên", required="yes"),
    q("integer", "tuoi", "Tuổi", constraint=". >= 0 and . <= 120"),  # row 5
    q("select_one gioi_tinh", "gioi_tinh", "Giới tính", appearance="minimal"),
    q("select_one yn", "co_y_kien", "Ông/bà có ý kiến không?", required="TRUE()"),
    q("begin group", "y_kien", "Ý kiến", relevant="${co_y_kien}='yes'"),  # row 8
    q("select_multiple linh_vuc", "linh_vuc", "Lĩnh vực quan tâm"),
    q(
        "text",
        "noi_dung",
        "Nội dung ý kiến",
        appearance="multiline",
        relevant="selected(${linh_vuc}, 'dat_dai')",
    ),
    q("end group", None),  # row 11
    q("date", "ngay", "Ngày sinh", relevant="${tuoi} >= 18"),
    q("note", "cam_on", "Xin cảm ơn ông/bà."),
    q("begin group", "trang_2", "Đánh giá", appearance="field-list"),  # row 14
    q(
        "select_one muc_do",
        "muc_do",
        "Mức độ",
        relevant="${gioi_tinh} = 'nam' or ${gioi_tinh} = 'nu'",
    ),
    q("geopoint", "vi_tri", "Vị trí"),  # row 16
    q("end group", None),
    q("calculate", "tinh_toan"),  # row 18
]


def summary(stream):
    """[(type, key, condition)] of a page's blocks, the things a round trip keeps."""
    result = []
    for child in stream:
        value = child.value
        key = value.get("key") if hasattr(value, "get") else None
        condition = value.get("condition") if hasattr(value, "get") else None
        condition = (
            (condition["field_key"], condition["operator"], condition["value"])
            if condition and condition.get("field_key")
            else None
        )
        result.append((child.block_type, key, condition))
    return result
