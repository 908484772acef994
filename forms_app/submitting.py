"""Storing a finished form. Every submission is created here, and only here.

Workflows (moderation, notifications) hook on the `submission_created` signal,
sent once the transaction has committed: the receipt waits for the stored
answers only, and review starts in a background job (workflows.routing).
"""

import mimetypes
import unicodedata
import uuid
from pathlib import PurePath

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from forms_app import deadlines, periods
from forms_app.protected_answers import identifying_keys, seal
from forms_app.signals import submission_created
from units.models import Unit


class AlreadySubmitted(Exception):
    """The unit already sent this form for this period."""

    def __init__(self, existing):
        super().__init__(existing.pk)
        self.existing = existing

    def __str__(self):
        return (
            f"unit {self.existing.unit_id} already sent period {self.existing.period}"
        )


class PeriodNotAccepted(Exception):
    """The period asked for is not one the template takes reports for now: a
    forged or stale choice, or a period that closed while the form was filled."""

    def __init__(self, key, accepted, period_type=""):
        super().__init__(key)
        self.key = key
        self.accepted = accepted
        self.period_type = period_type

    @property
    def message(self):
        if not self.accepted:
            return _("Biểu mẫu hiện không nhận báo cáo cho kỳ nào.")
        return _(
            "Biểu mẫu không nhận báo cáo cho kỳ “%(period)s” vào lúc này; vui lòng "
            "chọn một kỳ đang nhận: %(open)s."
        ) % {
            "period": periods.label_of_key(self.key) or self.key,
            "open": "; ".join(
                periods.period_label(self.period_type, p) for p in self.accepted
            ),
        }


def reference(submission):
    """The number a unit quotes when it asks about what it sent."""
    return f"DLXH-{submission.pk:06d}"


# What the look-ups below need of a submission (a redirect to its receipt, a
# refusal naming its unit and period): not its answers, nor forty columns to
# compile on every report's POST.
LOOKUP_FIELDS = ("pk", "page_id", "unit_id", "period", "submitted_by_id")


def existing_submission(page, unit, period_key):
    if unit is None or not page.limits_one_per_period:
        return None
    model = page.get_submission_class()
    return (
        model.objects.filter(page=page, unit=unit, period=period_key)
        .only(*LOOKUP_FIELDS)
        .order_by("submitted_at")
        .first()
    )


def made_with(model, token):
    if token is None:
        return None
    return model.objects.filter(idempotency_key=token).only(*LOOKUP_FIELDS).first()


def safe_file_name(name):
    name = unicodedata.normalize("NFC", PurePath(name or "").name)
    name = get_valid_filename(name) if name.strip(". ") else ""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem[:80] or "tep"
    return f"{stem}.{extension[:10]}" if extension else stem


def store_file(page, upload, saved):
    """Save an upload privately; the answer keeps where it went, not the bytes."""
    name = safe_file_name(upload.name)
    path = default_storage.save(
        f"submissions/{page.pk}/{uuid.uuid4().hex}/{name}", upload
    )
    saved.append(path)
    return {
        "name": unicodedata.normalize("NFC", PurePath(upload.name).name),
        "path": path,
        "size": upload.size,
        "content_type": mimetypes.guess_type(name)[0]
        or getattr(upload, "content_type", None)
        or "application/octet-stream",
    }


def create_submission(
    page,
    *,
    answers,
    unit=None,
    user=None,
    token=None,
    request=None,
    moment=None,
    follows=None,
    follow_up_stage="",
    period=None,
):
    """Store `answers` ({key: JSON or upload}) as a submission of `page`.

    Returns (submission, created). A scheduled report is *for* a period: the
    key the unit chose (`period`), which must be one the template accepts at
    `moment` (else PeriodNotAccepted), or by default the oldest accepted period
    the unit has not reported (deadlines.default_period). Its deadline and
    lateness are stored with it. Quick and ad hoc reports are for no period and
    never limited to one per period.

    A token already used returns the submission made with it (a resent POST, a
    double click); a unit that already sent a one-per-period form for that
    period raises AlreadySubmitted. A follow-up (`follows`, Art. 7.3.2) belongs
    to its report's period and is never refused as one, nor late.
    """
    model = page.get_submission_class()
    # No look-up of the token first: the wizard has done it before calling,
    # and a token stored meanwhile fails the unique index below.
    moment = moment or timezone.now()
    chosen, deadline, is_late = resolve_period(page, unit, period, moment, follows)
    period = chosen.key if chosen else ""
    if follows is not None:
        period = follows.period
    sender = user if user is not None and user.is_authenticated else None
    saved = []
    try:
        with transaction.atomic():
            if unit is not None and page.limits_one_per_period and follows is None:
                # Two members of one unit sending at once: the second waits here
                # and then sees the first one's submission.
                list(
                    Unit.objects.select_for_update()
                    .filter(pk=unit.pk)
                    .order_by()
                    .values_list("pk")
                )
                # The same token sent twice at once: the first one's submission
                # is committed by the time the lock is ours.
                earlier = made_with(model, token)
                if earlier is not None:
                    return earlier, False
                existing = existing_submission(page, unit, period)
                if existing is not None:
                    raise AlreadySubmitted(existing)
            stored = {
                key: store_file(page, answer, saved)
                if isinstance(answer, File)
                else answer
                for key, answer in answers.items()
            }
            # Identifying answers are encrypted before the row is written.
            stored = seal(stored, identifying_keys(page.input_items()))
            submission = model(
                page=page,
                page_revision_id=page.live_revision_id,
                unit=unit,
                submitted_by=sender,
                period=period,
                answers=stored,
                classification=page.default_classification,
                idempotency_key=token,
                submitted_at=moment,
                deadline=deadline,
                is_late=is_late,
                follows=follows,
                follow_up_stage=follow_up_stage,
            )
            submission.save()
            transaction.on_commit(
                lambda: submission_created.send(
                    sender=model, instance=submission, user=user, request=request
                )
            )
    except IntegrityError:
        _delete(saved)
        earlier = made_with(model, token)
        if earlier is None:
            raise
        return earlier, False
    except BaseException:
        _delete(saved)
        raise
    return submission, True


def resolve_period(page, unit, key, moment, follows=None):
    """(Period or None, deadline, is_late) of a report sent at `moment`."""
    if follows is not None or not page.is_scheduled:
        return None, None, False
    book = deadlines.DeadlineBook([page])
    accepted = deadlines.accepted_periods(page, moment, book)
    if key:
        chosen = next((p for p in accepted if p.key == key), None)
        if chosen is None:
            raise PeriodNotAccepted(key, accepted, page.period_type)
    else:
        done = reported_periods(page, unit) if unit is not None else set()
        chosen = deadlines.default_period(
            accepted, done, lambda p: book.deadline(page, p), moment
        )
        if chosen is None:
            raise PeriodNotAccepted("", accepted, page.period_type)
    deadline, is_late = deadlines.stamp(page, chosen, moment, book)
    return chosen, deadline, is_late


def reported_periods(page, unit, keys=None):
    """Keys of the periods `unit` has reported `page` for, or been excused from."""
    if unit is None:
        return set()
    # The page models import this module (process_form_submission).
    from forms_app.models import Excusal  # noqa: PLC0415

    sent = page.get_submission_class().objects.filter(
        page_id=page.pk, unit=unit, follows__isnull=True
    )
    excused = Excusal.objects.filter(page_id=page.pk, unit=unit)
    if keys is not None:
        sent, excused = sent.filter(period__in=keys), excused.filter(period__in=keys)
    return set(sent.values_list("period", flat=True)) | set(
        excused.values_list("period", flat=True)
    )


def _delete(paths):
    for path in paths:
        default_storage.delete(path)
