"""Uploads: one installation-wide allow-list; a question narrows it, never
widens it; SVG and HTML are refused always."""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings

from forms_app.blocks import FileBlock
from forms_app.fields import PrivateFileField
from security.uploads import allowed_extensions

PDF = b"%PDF-1.4 bien ban"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, content=PDF):
    return SimpleUploadedFile(name, content)


def question(extensions):
    return FileBlock().to_python(
        {"label": "Tài liệu", "key": "tai_lieu", "allowed_extensions": extensions}
    )


class AllowListTestCase(SimpleTestCase):
    def field(self, extensions):
        return PrivateFileField(extensions=extensions, max_size=1024 * 1024)

    def test_a_question_cannot_widen_the_installations_list(self):
        for extensions in ("svg", "pdf,html", "exe", "pdf, .HTM", "js,png"):
            with self.subTest(extensions), self.assertRaises(ValidationError) as e:
                FileBlock().clean(question(extensions))
            self.assertIn("Không được nhận tệp", str(e.exception.block_errors))

    def test_a_question_narrows_it(self):
        FileBlock().clean(question("pdf"))
        field = self.field(["pdf"])
        self.assertTrue(field.clean(upload("bien-ban.pdf")))
        with self.assertRaises(ValidationError):
            field.clean(upload("anh.png", PNG))

    def test_an_empty_list_is_the_installations_list_not_any_type(self):
        field = self.field([])
        self.assertTrue(field.clean(upload("anh.png", PNG)))
        for name in ("trang.html", "hinh.svg", "chay.exe", "ghi-chu.txt"):
            with self.subTest(name), self.assertRaises(ValidationError) as raised:
                field.clean(upload(name, b"<svg onload=alert(1)>"))
            self.assertIn("Chỉ nhận tệp có định dạng", str(raised.exception))

    def test_a_list_of_only_refused_types_accepts_nothing(self):
        field = self.field(["svg"])
        with self.assertRaises(ValidationError):
            field.clean(upload("bien-ban.pdf"))

    def test_content_must_match_the_name(self):
        with self.assertRaises(ValidationError) as raised:
            self.field(["pdf"]).clean(upload("bien-ban.pdf", b"MZ\x90\x00 not a pdf"))
        self.assertIn("Nội dung tệp không khớp", str(raised.exception))

    @override_settings(DLXH_UPLOAD_EXTENSIONS=["pdf"])
    def test_the_installation_may_narrow_its_own_list(self):
        self.assertEqual(allowed_extensions(), ["pdf"])
        with self.assertRaises(ValidationError):
            self.field(["png"]).clean(upload("anh.png", PNG))

    @override_settings(DLXH_UPLOAD_EXTENSIONS=["pdf", "svg"])
    def test_an_operator_cannot_allow_svg_or_html(self):
        with self.assertRaises(ImproperlyConfigured):
            allowed_extensions()
