"""A form that has answers is archived, never deleted.

Submissions point at the form page and at the revision they were made against
(both PROTECT): deleting the page would fail, and losing it would leave answers
without their questions. Archiving unpublishes the form, stops it accepting
answers (`is_open()`), and keeps everything readable.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log

from forms_app.models import FormSubmission
from forms_app.models.pages import AbstractDlxhFormPage

ARCHIVE_ACTION = "forms_app.archive"

ARCHIVED_MESSAGE = _("Biểu mẫu đã có câu trả lời nên được lưu trữ thay vì xóa.")
WILL_ARCHIVE_MESSAGE = _(
    "Biểu mẫu đã có câu trả lời nên sẽ được lưu trữ thay vì xóa: biểu mẫu ngừng "
    "nhận báo cáo, các câu trả lời được giữ nguyên."
)
SECTION_HAS_ANSWERS_MESSAGE = _(
    "Không thể xóa “%(title)s”: mục này chứa biểu mẫu đã có câu trả lời. "
    "Hãy xóa từng biểu mẫu; biểu mẫu đã có câu trả lời sẽ được lưu trữ."
)


def has_answers(page):
    return FormSubmission.objects.filter(page_id=page.pk).exists()


def has_answered_descendants(page):
    return FormSubmission.objects.filter(
        page__path__startswith=page.path, page__depth__gt=page.depth
    ).exists()


def should_archive(page):
    return isinstance(page.specific, AbstractDlxhFormPage) and has_answers(page)


@transaction.atomic
def archive_form(page, user=None):
    """Withdraw an answered form: cancel its moderation, unpublish, mark archived."""
    page = page.specific
    # An approval still running, or a scheduled publish, would put the form
    # back online.
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        workflow_state.cancel(user=user)
    page.revisions.update(approved_go_live_at=None)

    # Kept on the page record, not in revisions (see AbstractDlxhFormPage).
    page.archived = True
    type(page).objects.filter(pk=page.pk).update(archived=True)
    if page.live:
        # Deleting was already allowed by the admin; unpublishing is part of it.
        UnpublishPageAction(page, user=user).execute(skip_permission_checks=True)
    log(instance=page, action=ARCHIVE_ACTION, user=user)
    return page
