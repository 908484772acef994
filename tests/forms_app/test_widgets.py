"""LongSelect: the long dropdowns (communes, units) built without a template per
option, and the report form's commune questions that use it."""

from django import forms
from django.test import SimpleTestCase

from forms_app.widgets import LongSelect
from tests.base import BaseTestCase
from tests.forms_app.factories import VALID_POST, make_report_template, step_post

CHOICES = [
    ("", "— Chọn xã, phường —"),
    ("24175", "Xã Hòa Phú"),
    ("Phường", [("24163", "Phường Tân An"), ("24166", "Phường Ea Tam")]),
]


class CommuneForm(forms.Form):
    commune = forms.ChoiceField(choices=CHOICES, widget=LongSelect)


class DjangoCommuneForm(forms.Form):
    commune = forms.ChoiceField(choices=CHOICES)


class LongSelectTests(SimpleTestCase):
    def test_it_renders_what_djangos_select_renders(self):
        for value in (None, "", "24175", "24166", "unknown"):
            with self.subTest(value=value):
                attrs = {"id": "id_xa", "class": "dlxh-select", "required": True}
                self.assertHTMLEqual(
                    LongSelect(choices=CHOICES).render("xa", value, attrs),
                    forms.Select(choices=CHOICES).render("xa", value, attrs),
                )

    def test_the_chosen_option_is_selected_inside_its_group(self):
        html = LongSelect(choices=CHOICES).render("xa", "24163")

        self.assertInHTML(
            '<optgroup label="Phường"><option value="24163" selected>Phường Tân An'
            '</option><option value="24166">Phường Ea Tam</option></optgroup>',
            html,
        )
        self.assertEqual(html.count("selected"), 1)

    def test_labels_values_and_attributes_are_escaped(self):
        html = LongSelect(
            choices=[('a"><script>', "<b>Xã & phường</b>")],
            attrs={"title": '"><img>'},
        ).render("xa", None)

        self.assertNotIn("<script>", html)
        self.assertNotIn("<b>", html)
        self.assertNotIn("<img>", html)
        self.assertIn("&lt;b&gt;Xã &amp; phường&lt;/b&gt;", html)
        self.assertIn('value="a&quot;&gt;&lt;script&gt;"', html)

    def test_a_posted_choice_is_read_and_validated_as_with_djangos_select(self):
        for data in ({"commune": "24166"}, {"commune": "99999"}, {"commune": ""}, {}):
            with self.subTest(data=data):
                ours, django = CommuneForm(data), DjangoCommuneForm(data)
                self.assertEqual(ours.is_valid(), django.is_valid())
                self.assertEqual(ours.errors, django.errors)
                self.assertEqual(
                    ours.cleaned_data.get("commune"),
                    django.cleaned_data.get("commune"),
                )

    def test_a_form_shown_again_keeps_the_choice(self):
        form = CommuneForm({"commune": "24175"})

        self.assertInHTML(
            '<option value="24175" selected>Xã Hòa Phú</option>', str(form["commune"])
        )


class ReportFormCommuneTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.page = make_report_template()
        self.login(self.member)
        self.token = self.client.get(self.page.url).context["token"]

    def post(self, step, answers=None, **extra):
        return self.client.post(
            self.page.url, step_post(step, answers, token=self.token, **extra)
        )

    def test_the_commune_question_lists_the_provinces_communes(self):
        response = self.post("1")

        self.assertContains(response, "Bước 2/3")
        self.assertInHTML('<option value="24175">Xã Hòa Phú</option>', response.text)
        self.assertInHTML('<option value="24163">Phường Tân An</option>', response.text)

    def test_a_chosen_commune_is_still_selected_after_going_back(self):
        self.post("1")
        self.post("2", {**VALID_POST["2"], "xa_phuong": "24163"}, wizard_goto_step="1")

        response = self.post("1")

        self.assertContains(response, "Bước 2/3")
        self.assertInHTML(
            '<option value="24163" selected>Phường Tân An</option>', response.text
        )

    def test_a_commune_not_in_the_list_is_refused(self):
        self.post("1")

        response = self.post("2", {**VALID_POST["2"], "xa_phuong": "00000"})

        self.assertContains(response, "Bước 2/3")
        self.assertTrue(response.context["form"].errors["xa_phuong"])
