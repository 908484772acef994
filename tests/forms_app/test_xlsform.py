"""XLSForm import: the reader, draft creation, and rejection of malformed sheets."""

from io import BytesIO

from openpyxl import Workbook

from forms_app.models import SurveyPage
from forms_app.xlsform import Report, create_draft, read_xlsform
from tests.base import BaseTestCase

from .factories import get_forms_index
from .xlsforms import CHOICES, SETTINGS, WELL_FORMED, q, summary, xlsform


class ReadWellFormedTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = get_forms_index()

    def import_form(self, survey=WELL_FORMED, choices=CHOICES, settings=SETTINGS):
        return create_draft(
            self.index, BytesIO(xlsform(survey, choices, settings)), self.owner
        )

    def test_creates_a_draft_survey_with_blocks_keys_and_conditions(self):
        report, page = self.import_form()

        self.assertEqual(report.errors, [])
        page = SurveyPage.objects.get(pk=page.pk)
        self.assertFalse(page.live)
        self.assertEqual(page.get_parent().pk, self.index.pk)
        self.assertEqual(page.title, "Khảo sát ý kiến về đất đai")
        self.assertEqual(page.slug, "khao_sat_dat_dai")
        self.assertEqual(page.owner, self.owner)
        self.assertIsNotNone(page.get_latest_revision())
        self.assertEqual(
            summary(page.get_latest_revision_as_object().fields),
            [
                ("short_text", "ho_ten", None),
                ("number", "tuoi", None),
                ("single_choice", "gioi_tinh", None),
                ("yes_no", "co_y_kien", None),
                ("heading", "y_kien", ("co_y_kien", "equals", "yes")),
                ("multiple_choice", "linh_vuc", None),
                ("long_text", "noi_dung", ("linh_vuc", "contains", "dat_dai")),
                # The group's condition ends with the group: a new step starts.
                ("page_break", None, None),
                ("date", "ngay", ("tuoi", "at_least", "18")),
                ("instructions", None, None),
                ("page_break", None, None),
                ("single_choice", "muc_do", ("gioi_tinh", "one_of", "nam,nu")),
            ],
        )

    def test_maps_columns_into_the_block_values(self):
        _report, page = self.import_form()

        blocks = {
            child.value.get("key"): child.value
            for child in page.fields
            if child.block_type != "instructions"
        }
        self.assertEqual(blocks["ho_ten"]["label"], "Họ và tên")
        self.assertTrue(blocks["ho_ten"]["required"])
        self.assertTrue(blocks["co_y_kien"]["required"])
        self.assertFalse(blocks["tuoi"]["required"])
        self.assertEqual(blocks["tuoi"]["decimal_places"], 0)
        self.assertEqual(
            (blocks["tuoi"]["min_value"], blocks["tuoi"]["max_value"]), (0, 120)
        )
        self.assertEqual(blocks["gioi_tinh"]["display"], "dropdown")
        self.assertEqual(
            [(c["key"], c["label"]) for c in blocks["gioi_tinh"]["choices"]],
            [("nam", "Nam"), ("nu", "Nữ"), ("khac", "Khác")],
        )
        self.assertEqual(blocks["y_kien"]["title"], "Ý kiến")
        self.assertEqual(blocks[None]["title"], "Đánh giá")
        instructions = [c for c in page.fields if c.block_type == "instructions"]
        self.assertEqual(
            instructions[0].value["text"].source, "<p>Xin cảm ơn ông/bà.</p>"
        )

    def test_steps_follow_the_field_list_group(self):
        _report, page = self.import_form()

        steps = page.get_steps()
        self.assertEqual(len(steps), 3)
        self.assertEqual(steps[2].title, "Đánh giá")
        self.assertEqual([i.key for i in steps[2].input_items], ["muc_do"])
        section = [i for i in steps[0].input_items if i.key == "noi_dung"][0]
        self.assertEqual(section.section_condition["field_key"], "co_y_kien")

    def test_lists_skipped_and_unsupported_rows_as_warnings(self):
        report, page = self.import_form()

        self.assertIsNotNone(page)
        warnings = [str(w) for w in report.warnings]
        self.assertIn("Dòng 2: trường hệ thống “start” (start) được bỏ qua.", warnings)
        self.assertIn(
            "Dòng 16: kiểu câu hỏi “geopoint” chưa được hỗ trợ; câu hỏi “vi_tri” "
            "không được nhập.",
            warnings,
        )
        self.assertTrue(any(w.startswith("Dòng 18: trường hệ thống") for w in warnings))

    def test_prefers_vietnamese_labels_and_falls_back_to_others(self):
        survey = [
            q("text", "a", None, {"label::English (en)": "Name"}),
            q("text", "b", "Tên", {"label::English (en)": "Name"}),
        ]
        _report, page = self.import_form(survey, [], {})

        labels = [child.value["label"] for child in page.fields]
        self.assertEqual(labels, ["Name", "Tên"])

    def test_untranslatable_conditions_and_constraints_are_warnings(self):
        survey = [
            q("integer", "tuoi", "Tuổi", constraint=". mod 2 = 0"),
            q("text", "x", "X", relevant="${tuoi} > 3 and ${tuoi} < 9"),
            q("text", "y", "Y", relevant="${sau} = 'a'"),
            q("text", "sau", "Sau"),
        ]
        report, page = self.import_form(survey, [], {})

        self.assertIsNotNone(page)
        warnings = [str(w) for w in report.warnings]
        self.assertIn(
            "Dòng 2: ràng buộc “. mod 2 = 0” không chuyển được; bỏ ràng buộc này.",
            warnings,
        )
        self.assertTrue(
            any(w.startswith("Dòng 3: điều kiện hiển thị") for w in warnings)
        )
        self.assertTrue(
            any(w.startswith("Dòng 4: điều kiện hiển thị") for w in warnings)
        )
        self.assertEqual([c[2] for c in summary(page.fields)], [None, None, None, None])

    def test_invalid_names_get_a_valid_key_and_conditions_follow(self):
        survey = [
            q("select_one yn", "Q1", "Có không?"),
            q("text", "Q2-chi-tiet", "Chi tiết", relevant="${Q1} = 'yes'"),
        ]
        report, page = self.import_form(survey, CHOICES, {})

        self.assertEqual(
            summary(page.fields),
            [
                ("yes_no", "q1", None),
                ("short_text", "q2_chi_tiet", ("q1", "equals", "yes")),
            ],
        )
        self.assertIn("tên “Q1” không dùng được làm mã", str(report.warnings[0]))

    def test_text_constraints_ranges_likert_and_files(self):
        survey = [
            q(
                "text",
                "ma_so",
                "Mã số",
                constraint="regex(., '^[0-9]{6}$')",
                constraint_message="Sáu chữ số",
            ),
            q("range", "diem", "Điểm", parameters="start=1 end=7 step=1"),
            q("select_one thang", "hai_long", "Hài lòng", appearance="likert"),
            q("image", "anh", "Ảnh"),
            q("decimal", "dien_tich", "Diện tích"),
            q("dateTime", "luc", "Lúc"),
        ]
        choices = [["thang", str(n), f"Mức {n}"] for n in range(1, 6)]
        _report, page = self.import_form(survey, choices, {})

        blocks = {child.value["key"]: child for child in page.fields}
        self.assertEqual(blocks["ma_so"].value["pattern"], "^[0-9]{6}$")
        self.assertEqual(blocks["ma_so"].value["pattern_message"], "Sáu chữ số")
        self.assertEqual(blocks["diem"].block_type, "rating")
        self.assertEqual(blocks["diem"].value["scale"], "7")
        self.assertEqual(blocks["hai_long"].block_type, "rating")
        self.assertEqual(blocks["hai_long"].value["low_label"], "Mức 1")
        self.assertEqual(blocks["anh"].block_type, "file")
        self.assertEqual(blocks["anh"].value["allowed_extensions"], "jpg,jpeg,png")
        self.assertEqual(blocks["dien_tich"].value["decimal_places"], 2)
        self.assertEqual(blocks["luc"].block_type, "datetime")

    def test_standard_lists_map_back_to_standard_blocks(self):
        survey = [
            q("text", "ten", "Tên"),
            q("select_one dlxh_impact", "muc_do_tac_dong", "Tác động"),
        ]
        choices = [["dlxh_impact", "low", "Thấp"]]
        report, page = self.import_form(survey, choices, {})

        self.assertEqual(summary(page.fields)[1], ("dlxh_impact", "dlxh_impact", None))
        self.assertEqual(page.fields[1].value["label"], "Tác động")
        warnings = " ".join(str(w) for w in report.warnings)
        self.assertIn("mã chuẩn “dlxh_impact”", warnings)
        self.assertIn("khác bộ mã chuẩn", warnings)

    def test_nested_groups_keep_each_section_condition_where_it_applies(self):
        survey = [
            q("select_one yn", "a", "A?"),
            q("begin group", "ngoai", "Ngoài", relevant="${a} = 'yes'"),
            q("text", "x", "X"),
            q("begin group", "trong", "Trong", relevant="${x} = 'b'"),  # row 5
            q("text", "y", "Y"),
            q("end group", None),
            q("text", "z", "Z"),
            q("end group", None),
            q("text", "w", "W"),
        ]
        report, page = self.import_form(survey, CHOICES, {})

        when_a = ("a", "equals", "yes")
        self.assertEqual(
            summary(page.fields),
            [
                ("yes_no", "a", None),
                ("heading", "ngoai", when_a),
                ("short_text", "x", None),
                ("heading", "trong", ("x", "equals", "b")),
                ("short_text", "y", None),
                # Back in the outer group: its section starts again.
                ("heading", page.fields[5].value["key"], when_a),
                ("short_text", "z", None),
                ("page_break", None, None),
                ("short_text", "w", None),
            ],
        )
        self.assertEqual(page.fields[5].value["title"], "Ngoài")
        self.assertTrue(str(report.warnings[0]).startswith("Dòng 5: nhóm “trong”"))

    def test_title_falls_back_to_the_file_name_and_slugs_stay_unique(self):
        first, page = create_draft(
            self.index,
            BytesIO(xlsform([q("text", "a", "A")], None, None)),
            self.owner,
            "Phiếu ý kiến.xlsx",
        )
        _second, other = create_draft(
            self.index,
            BytesIO(xlsform([q("text", "a", "A")], None, None)),
            self.owner,
            "Phiếu ý kiến.xlsx",
        )

        self.assertEqual(page.title, "Phiếu ý kiến")
        self.assertEqual((page.slug, other.slug), ("phieu-y-kien", "phieu-y-kien-2"))


class MalformedTests(BaseTestCase):
    """Errors block the import: nothing is created, every error has its row."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.index = get_forms_index()

    def assert_rejected(self, content, *expected):
        before = SurveyPage.objects.count()
        report, page = create_draft(self.index, BytesIO(content), self.owner)

        self.assertIsNone(page)
        self.assertEqual(SurveyPage.objects.count(), before)
        errors = [str(error) for error in report.errors]
        for text in expected:
            self.assertTrue(
                any(text in error for error in errors), f"{text!r} not in {errors}"
            )
        return errors

    def test_not_an_xlsx(self):
        self.assert_rejected(b"type,name\ntext,a\n", "không phải bảng tính Excel .xlsx")

    def test_no_survey_sheet(self):
        book = Workbook()
        book.active.title = "Sheet1"
        book.active.append(["type", "name"])
        book.create_sheet("choices")
        buffer = BytesIO()
        book.save(buffer)
        self.assert_rejected(buffer.getvalue(), "Không có trang tính “survey”")

    def test_missing_type_or_name_column(self):
        content = xlsform([["text", "Họ tên"]], header=["type", "label"])
        self.assert_rejected(content, "Trang tính “survey” thiếu cột “name”.")
        content = xlsform([["a", "Họ tên"]], header=["name", "label"])
        self.assert_rejected(content, "Trang tính “survey” thiếu cột “type”.")

    def test_select_on_an_unknown_list(self):
        survey = [q("text", "a", "A"), q("select_one khong_co", "b", "B")]
        self.assert_rejected(
            xlsform(survey, CHOICES),
            "Dòng 3: danh sách lựa chọn “khong_co” không có trong trang “choices”.",
        )

    def test_select_without_a_choices_sheet(self):
        self.assert_rejected(
            xlsform([q("select_multiple yn", "b", "B")]),
            "Dòng 2: danh sách lựa chọn “yn”",
        )

    def test_group_not_closed(self):
        survey = [q("begin group", "g", "G"), q("text", "a", "A")]
        self.assert_rejected(
            xlsform(survey), "Dòng 2: “begin group” “g” không có “end group”"
        )

    def test_end_group_without_begin(self):
        survey = [q("text", "a", "A"), q("end group", None)]
        self.assert_rejected(
            xlsform(survey), "Dòng 3: “end group” không có “begin group” tương ứng."
        )

    def test_duplicate_names(self):
        survey = [q("text", "a", "A"), q("integer", "b", "B"), q("date", "a", "C")]
        self.assert_rejected(xlsform(survey), "Dòng 4: tên “a” trùng với dòng 2")

    def test_rows_without_type_or_name(self):
        survey = [q("text", None, "A"), q(None, "b", "B")]
        self.assert_rejected(
            xlsform(survey),
            "Dòng 2: thiếu tên (cột “name”).",
            "Dòng 3: thiếu kiểu câu hỏi (cột “type”).",
        )

    def test_bad_choices_rows(self):
        choices = [["yn", "yes", "Có"], ["yn", "yes", "Có nữa"], ["yn", None, "?"]]
        self.assert_rejected(
            xlsform([q("select_one yn", "a", "A")], choices),
            "Trang “choices”, dòng 3: lựa chọn “yes” lặp lại",
            "Trang “choices”, dòng 4: lựa chọn thiếu",
        )

    def test_nothing_importable(self):
        self.assert_rejected(
            xlsform([q("start", "start"), q("geopoint", "p", "P")]),
            "không có câu hỏi nào nhập được",
        )


class ReaderTests(BaseTestCase):
    def test_read_without_creating(self):
        report = read_xlsform(BytesIO(xlsform([q("text", "a", "A")])), Report())

        self.assertTrue(report.ok)
        self.assertEqual(report.fields[0]["type"], "short_text")
        self.assertEqual(SurveyPage.objects.count(), 0)

    def test_likert_matrix_from_a_table_list_group(self):
        survey = [
            q("begin group", "nhan_dinh", "Nhận định", appearance="table-list"),
            q("select_one thang", "nhan_dinh_a", "Câu A", required="yes"),
            q("select_one thang", "nhan_dinh_b", "Câu B"),
            q("end group", None),
        ]
        choices = [["thang", str(n), str(n)] for n in range(1, 6)]
        report = read_xlsform(BytesIO(xlsform(survey, choices)), Report())

        self.assertEqual([f["type"] for f in report.fields], ["likert_matrix"])
        value = report.fields[0]["value"]
        self.assertEqual([s["key"] for s in value["statements"]], ["a", "b"])
        self.assertTrue(value["required"])
