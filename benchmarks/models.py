"""A plain wagtail.contrib.forms page: the baseline of benchmarks/submission_rush.py.

The project has no AbstractForm page of its own (its forms are StreamField pages,
forms_app.models.pages), and a concrete form page needs tables, hence this app.
Only benchmarks.bench_settings installs it; no other settings know it.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField


class BenchFormField(AbstractFormField):
    page = ParentalKey(
        "BenchFormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class BenchFormPage(AbstractForm):
    """Wagtail's own form page, as its documentation builds one."""

    template = "benchmarks/bench_form_page.html"
    landing_page_template = "benchmarks/bench_form_page_landing.html"
