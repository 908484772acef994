"""Views of the published forms besides the wizard: receipts, notices, preview."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from forms_app.access import submissions_visible_to
from forms_app.audience import units_for
from forms_app.models import FormSubmission
from forms_app.submitting import reference, reported_periods
from security import audit
from security.audit import Refused

# Submissions an anonymous respondent made in this session, so they may read
# their own receipt (and no one else's).
RECEIPTS_SESSION_KEY = "dlxh_receipts"


def receipt_url(submission, just_sent=False):
    url = reverse("forms_app:receipt", args=[submission.pk])
    return f"{url}?moi-gui=1" if just_sent else url


def remember_receipt(request, submission):
    if request.user.is_authenticated:
        # The access policy lets a unit's people read what they sent; writing
        # the session would cost every report's POST a database write.
        return
    receipts = request.session.get(RECEIPTS_SESSION_KEY, [])
    if submission.pk not in receipts:
        request.session[RECEIPTS_SESSION_KEY] = [*receipts, submission.pk][-50:]


def can_see_receipt(request, submission):
    """This session's respondent, or whoever the access policy lets read it."""
    if submission.pk in request.session.get(RECEIPTS_SESSION_KEY, []):
        return True
    visible = submissions_visible_to(request.user)
    return visible.filter(pk=submission.pk).exists()


def receipt(request, pk):
    submission = get_object_or_404(
        FormSubmission.objects.select_related("page", "unit", "submitted_by"), pk=pk
    )
    if not can_see_receipt(request, submission):
        raise Refused
    audit.record_view_once(request, submission)
    page = submission.page.specific
    context = page.get_context(request)
    context.update(
        submission=submission,
        reference=reference(submission),
        rows=submission.get_answer_rows(),
        just_sent="moi-gui" in request.GET,
    )
    # Later apps add what came back (review, directions) without this app
    # depending on them: workflows registers "construct_receipt_context".
    for hook in hooks.get_hooks("construct_receipt_context"):
        hook(request, submission, context)
    return TemplateResponse(request, "forms_app/receipt.html", context)


def notice(request, page, title, message, status=200, links=()):
    """A page that explains, in plain words, why the form is not shown."""
    context = page.get_context(request)
    context.update(notice_title=title, notice_message=message, links=links)
    return TemplateResponse(request, "forms_app/notice.html", context, status=status)


def access_refusal(request, page):
    """(a page saying why this user may not answer, or None; the units they may
    send for now; all their units the page is for).

    Anonymous questionnaires are open to anyone while they take answers.
    """
    if not page.is_open():
        return (
            notice(
                request,
                page,
                _("Biểu mẫu này hiện không nhận trả lời."),
                _("Thời gian nhận trả lời đã kết thúc hoặc chưa bắt đầu."),
            ),
            [],
            [],
        )
    if not page.login_required:
        return None, [], []
    mine, allowed = units_for(page, request.user)
    if not mine:
        return (
            notice(
                request,
                page,
                _("Tài khoản chưa thuộc đơn vị nào"),
                _(
                    "Tài khoản của đồng chí chưa được phân công vào đơn vị nào nên "
                    "chưa thể gửi báo cáo. Vui lòng liên hệ Ban Tuyên giáo và Dân "
                    "vận Tỉnh ủy để được phân công."
                ),
                status=403,
            ),
            [],
            [],
        )
    if not allowed:
        return (
            notice(
                request,
                page,
                _("Biểu mẫu không dành cho đơn vị của đồng chí"),
                _(
                    "Biểu mẫu “%(title)s” chỉ dành cho một số cấp, loại đơn vị "
                    "hoặc đơn vị cụ thể; %(units)s không thuộc đối tượng này."
                )
                % {"title": page.title, "units": ", ".join(u.name for u in mine)},
                status=403,
            ),
            [],
            [],
        )
    if page.limits_one_per_period:
        # Units that reported every period the template still accepts are not
        # offered it again.
        keys = [p.key for p in page.get_accepted_periods()]
        done = {unit: reported_periods(page, unit, keys) for unit in allowed}
        pending = [unit for unit in allowed if set(keys) - done[unit]]
        if not pending:
            latest = {
                unit: FormSubmission.objects.filter(
                    page_id=page.pk, unit=unit, period__in=keys, follows__isnull=True
                )
                .order_by("-submitted_at")
                .first()
                for unit in allowed
            }
            return (
                notice(
                    request,
                    page,
                    _("Đơn vị đã gửi báo cáo các kỳ đang nhận"),
                    _(
                        "Biểu mẫu này chỉ nhận một báo cáo mỗi đơn vị trong một kỳ, "
                        "và đơn vị đã gửi (hoặc được miễn) mọi kỳ đang nhận báo cáo."
                    ),
                    links=[
                        (
                            receipt_url(s),
                            _("Xem báo cáo đã gửi của %(unit)s") % {"unit": u},
                        )
                        for u, s in latest.items()
                        if s is not None
                    ],
                ),
                [],
                allowed,
            )
        return None, pending, allowed
    return None, allowed, allowed


def serve_preview(page, request, mode_name):
    """The editor's preview: every step of the real form, or the thank-you page.

    The preview cannot post (the preview URL receives the editor's form), so it
    shows all steps at once with conditions working and the buttons disabled.
    """
    context = page.get_context(request)
    context["preview"] = True
    if mode_name == "landing":
        context.update(just_sent=True, reference="DLXH-000000", rows=[])
        return TemplateResponse(request, "forms_app/receipt.html", context)
    form_context = page.get_form_context()
    steps = page.get_steps()
    context.update(
        preview_forms=[
            (
                step,
                page.get_step_form(
                    step, prefix=str(step.index + 1), context=form_context
                ),
            )
            for step in steps
        ],
        step_count=len(steps),
        prior_answers={},
        notice_preview=_("Bản xem trước: các bước hiện liền nhau và không gửi được."),
    )
    return TemplateResponse(request, page.get_template(request), context)
