from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site root: a short introduction and the way into the reporting forms."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = Page.content_panels + ["intro"]

    parent_page_types = ["wagtailcore.Page"]
    # Forms indexes are added under the home page by the form builder.
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")
