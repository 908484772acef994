"""Creating the draft SurveyPage of an imported XLSForm, and who may do it."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from units.text import fold

from ..models import FormsIndexPage, SurveyPage
from ..vocabularies import PeriodType
from .reader import read_xlsform
from .workbook import Report


def can_import_into(user, parent):
    """Wagtail's own test for "add a SurveyPage here", as the page editor uses."""
    parent = parent.specific
    return (
        SurveyPage.can_create_at(parent)
        and parent.permissions_for_user(user).can_add_subpage()
    )


def import_targets(user):
    """The forms indexes the user may add a survey to."""
    if not user.is_authenticated or not user.is_active:
        return []
    indexes = FormsIndexPage.objects.order_by("path")
    return [index for index in indexes if can_import_into(user, index)]


def _free_slug(parent, base, report):
    base = slugify(fold(base))[:200].strip("-") or "phieu-khao-sat"
    slug, n = base, 2
    while Page.objects.child_of(parent).filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    if slug != base:
        report.warn(
            _("Đường dẫn “%(base)s” đã có trong thư mục này; dùng “%(slug)s”.")
            % {"base": base, "slug": slug}
        )
    return slug


def create_draft(parent, upload, user, filename=""):
    """(report, page): the draft survey, or None when the report has errors.

    The page is saved unpublished with one revision, as the admin's "add page"
    does, so Board staff review it in the editor before it goes live.
    """
    report = read_xlsform(upload, Report())
    if not report.ok:
        return report, None
    # treebeard places the new page from the parent's child count: a stale
    # instance would collide with a sibling added since it was loaded.
    parent = Page.objects.get(pk=parent.pk).specific
    stem = Path(filename).stem if filename else ""
    title = report.title or stem or _("Phiếu khảo sát nhập từ XLSForm")
    page = SurveyPage(
        title=title[:255],
        slug=_free_slug(parent, report.form_id or title, report),
        period_type=PeriodType.AD_HOC,
        fields=report.fields,
        live=False,
        has_unpublished_changes=True,
        owner=user,
    )
    try:
        with transaction.atomic():
            parent.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=False)
            log(instance=page, action="wagtail.create", user=user, revision=revision)
    except ValidationError as error:
        for message in error.messages:
            report.error(message)
        return report, None
    return report, page
