"""Published forms for tests: one field of every type, and conditions on them.

Other apps' tests (workflows, exports) reuse these, so keys are fixed here:
assert on `KEYS`, never on labels.
"""

from django.conf import settings
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from forms_app.models import (
    FormsIndexPage,
    FormSubmission,
    ReportTemplatePage,
    Sector,
    SurveyPage,
)
from forms_app.submitting import (
    AlreadySubmitted,
    existing_submission,
    resolve_period,
)
from home.models import HomePage

# Titles of the 2nd and 3rd steps of `every_field_type()` (the 1st is the page's).
STEP_TITLES = ["Thông tin chung", "Diễn biến", "Đánh giá"]
# A yes/no on step 2 drives a condition on the same step and one on step 3.
CONDITION_KEY = "co_vu_viec"
SHOWN_WHEN_YES = ["chi_tiet_vu_viec", "dien_bien"]


def _heading(title, key, **value):
    return {"type": "heading", "value": {"title": title, "key": key, **value}}


def _field(block_type, label, key, **value):
    return {"type": block_type, "value": {"label": label, "key": key, **value}}


def _when_yes():
    return {"field_key": CONDITION_KEY, "operator": "equals", "value": "yes"}


def every_field_type():
    """The stream of a three-step report with one block of every type."""
    choices = [
        {"label": "Hội nghị", "key": "hoi_nghi"},
        {"label": "Mạng xã hội", "key": "mang_xa_hoi"},
        {"label": "Báo chí", "key": "bao_chi"},
    ]
    return [
        _heading("Người báo cáo", "nguoi_bao_cao"),
        {"type": "instructions", "value": {"text": "<p>Điền đầy đủ thông tin.</p>"}},
        _field("short_text", "Họ và tên", "ho_ten", required=True, max_length=120),
        _field("long_text", "Ghi chú", "ghi_chu"),
        _field("number", "Số người tham gia", "so_nguoi", required=True, min_value=0),
        _field("date", "Ngày xảy ra", "ngay", required=True),
        _field("datetime", "Thời điểm ghi nhận", "thoi_diem"),
        _field("email", "Thư điện tử", "thu_dien_tu"),
        _field("phone", "Số điện thoại", "dien_thoai"),
        {"type": "page_break", "value": {"title": STEP_TITLES[1]}},
        _field(
            "single_choice",
            "Mức độ quan tâm",
            "muc_do_quan_tam",
            required=True,
            display="radio",
            choices=[
                {"label": "Ít", "key": "it"},
                {"label": "Nhiều", "key": "nhieu"},
            ],
        ),
        _field("multiple_choice", "Kênh tiếp nhận", "kenh", choices=choices),
        _field("yes_no", "Có vụ việc cụ thể không?", CONDITION_KEY, required=True),
        _field(
            "short_text",
            "Tên vụ việc",
            "chi_tiet_vu_viec",
            required=True,
            condition=_when_yes(),
        ),
        _field("rating", "Mức độ hài lòng chung", "danh_gia", scale="5"),
        _field(
            "likert_matrix",
            "Đánh giá các nhận định",
            "nhan_dinh",
            scale="5",
            statements=[
                {"label": "Chính sách được phổ biến rõ", "key": "pho_bien"},
                {"label": "Người dân đồng tình", "key": "dong_tinh"},
            ],
        ),
        _field("locality", "Xã, phường liên quan", "xa_phuong"),
        _field(
            "file",
            "Tài liệu kèm theo",
            "tai_lieu",
            allowed_extensions="pdf,png",
            max_size_mb=1,
        ),
        {"type": "page_break", "value": {"title": STEP_TITLES[2]}},
        _heading("Vụ việc cụ thể", "phan_vu_viec", condition=_when_yes()),
        _field("long_text", "Diễn biến vụ việc", "dien_bien", required=True),
        _heading("Đánh giá chung", "danh_gia_chung"),
        {"type": "dlxh_category", "value": {}},
        {"type": "dlxh_sector", "value": {"required": False}},
        {"type": "dlxh_locality", "value": {"required": False}},
        {"type": "dlxh_source_channel", "value": {}},
        {"type": "dlxh_summary", "value": {"required": False}},
        {"type": "dlxh_impact", "value": {}},
        {"type": "dlxh_trend", "value": {}},
        {"type": "dlxh_sensitivity", "value": {}},
        {"type": "dlxh_recommendations", "value": {}},
    ]


# Valid answers, as stored, for every input of `every_field_type()`.
VALID_ANSWERS = {
    "ho_ten": "Nguyễn Văn An",
    "ghi_chu": "Họp dân thôn 3",
    "so_nguoi": 42,
    "ngay": "2026-11-23",
    "thoi_diem": "2026-11-23T08:30:00+07:00",
    "thu_dien_tu": "an@example.vn",
    "dien_thoai": "0912345678",
    "muc_do_quan_tam": "nhieu",
    "kenh": ["hoi_nghi", "mang_xa_hoi"],
    CONDITION_KEY: "yes",
    "chi_tiet_vu_viec": "Giải phóng mặt bằng",
    "danh_gia": 4,
    "nhan_dinh": {"pho_bien": 4, "dong_tinh": 3},
    "xa_phuong": "24175",
    "dien_bien": "Người dân kiến nghị về giá bồi thường.",
    "dlxh_category": "issue_of_concern",
    "dlxh_source_channel": "meeting",
    "dlxh_impact": "high",
    "dlxh_trend": "rising",
    "dlxh_sensitivity": "complex",
    "dlxh_recommendations": "Đối thoại với người dân trước ngày 30/11.",
}


def get_home():
    """The home page; browser tests (whose database is flushed) get a new one."""
    home = HomePage.objects.first()
    if home is None:
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root")
        )
        home = root.add_child(instance=HomePage(title="Trang chủ", slug="home"))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home


def get_forms_index():
    index = FormsIndexPage.objects.first()
    if index is None:
        index = FormsIndexPage(title="Biểu mẫu", slug="bieu-mau")
        get_home().add_child(instance=index)
    return index


def make_form_page(
    page_class=ReportTemplatePage,
    *,
    title="Báo cáo tuần DLXH",
    slug="bao-cao-tuan",
    fields=None,
    publish=True,
    **attrs,
):
    """A form page under the forms index (created if needed), published."""
    attrs.setdefault("period_type", "weekly")
    page = page_class(
        title=title,
        slug=slug,
        fields=every_field_type() if fields is None else fields,
        **attrs,
    )
    get_forms_index().add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def make_report_template(**kwargs):
    return make_form_page(ReportTemplatePage, **kwargs)


def make_survey(**kwargs):
    kwargs.setdefault("title", "Khảo sát ý kiến Nhân dân")
    kwargs.setdefault("slug", "khao-sat")
    kwargs.setdefault("period_type", "ad_hoc")
    kwargs.setdefault("one_per_unit_per_period", False)
    return make_form_page(SurveyPage, **kwargs)


def make_sector(name="Đất đai, tài nguyên"):
    return Sector.objects.get_or_create(name=name)[0]


def make_submission(page, unit=None, user=None, answers=None, period=None, **attrs):
    """A stored submission, as the wizard would store it (without the wizard).

    Its period comes from the code of the real path (submitting.resolve_period):
    a `period` key the template does not accept at `submitted_at` raises
    PeriodNotAccepted, none means the unit's default period; the deadline and
    lateness are stamped the same way, and a second report of a unit for a
    one-per-period template raises AlreadySubmitted. So no test can build a
    state the platform cannot produce.
    """
    moment = attrs.pop("submitted_at", None) or attrs.pop("moment", None)
    moment = moment or timezone.now()
    follows = attrs.get("follows")
    chosen, deadline, is_late = resolve_period(page, unit, period, moment, follows)
    key = follows.period if follows is not None else (chosen.key if chosen else "")
    if follows is None:
        existing = existing_submission(page, unit, key)
        if existing is not None:
            raise AlreadySubmitted(existing)
    return FormSubmission.objects.create(
        page=page,
        page_revision=page.live_revision,
        unit=unit,
        submitted_by=user,
        period=key,
        deadline=deadline,
        is_late=is_late,
        answers=dict(VALID_ANSWERS if answers is None else answers),
        classification=attrs.pop("classification", page.default_classification),
        submitted_at=moment,
        **attrs,
    )


# What a browser posts for each step of `every_field_type()` (unprefixed names).
VALID_POST = {
    "1": {
        "ho_ten": "Nguyễn Văn An",
        "ghi_chu": "Họp dân thôn 3",
        "so_nguoi": "42",
        "ngay": "2026-11-23",
        "thoi_diem": "2026-11-23T08:30",
        "thu_dien_tu": "an@example.vn",
        "dien_thoai": "0912345678",
    },
    "2": {
        "muc_do_quan_tam": "nhieu",
        "kenh": ["hoi_nghi", "mang_xa_hoi"],
        CONDITION_KEY: "yes",
        "chi_tiet_vu_viec": "Giải phóng mặt bằng",
        "danh_gia": "4",
        "nhan_dinh__pho_bien": "4",
        "nhan_dinh__dong_tinh": "3",
        "xa_phuong": "24175",
    },
    "3": {
        "dien_bien": "Người dân kiến nghị về giá bồi thường.",
        "dlxh_category": "issue_of_concern",
        "dlxh_source_channel": "meeting",
        "dlxh_impact": "high",
        "dlxh_trend": "rising",
        "dlxh_sensitivity": "complex",
        "dlxh_recommendations": "Đối thoại với người dân trước ngày 30/11.",
    },
}


def step_post(step, answers=None, token=None, **extra):
    """POST data of one wizard step: `answers` by unprefixed name, or the valid
    ones; `extra` adds raw (already prefixed) names."""
    answers = VALID_POST[step] if answers is None else answers
    data = {f"{step}-{name}": value for name, value in answers.items()}
    data["dlxh-current_step"] = step
    if token is not None:
        data["dlxh_token"] = str(token)
    data.update(extra)
    return data
