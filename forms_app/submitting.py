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

from forms_app.signals import submission_created
from units.models import Unit


class AlreadySubmitted(Exception):
    """The unit already sent this form for this period."""

    def __init__(self, existing):
        super().__init__(existing)
        self.existing = existing


def reference(submission):
    """The number a unit quotes when it asks about what it sent."""
    return f"DLXH-{submission.pk:06d}"


# What the look-ups below need of a submission (a redirect to its receipt, a
# refusal naming its unit and period): not its answers, nor forty columns to
# compile on every report's POST.
LOOKUP_FIELDS = ("pk", "page_id", "unit_id", "period", "submitted_by_id")


def existing_submission(page, unit, period_key):
    if unit is None or not page.one_per_unit_per_period:
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
):
    """Store `answers` ({key: JSON or upload}) as a submission of `page`.

    Returns (submission, created). A token already used returns the submission
    made with it (a resent POST, a double click); a unit that already sent a
    one-per-period form raises AlreadySubmitted. A follow-up (`follows`, Art.
    7.3.2) is not a period's report and is never refused as one.
    """
    model = page.get_submission_class()
    # No look-up of the token first: the wizard has done it before calling,
    # and a token stored meanwhile fails the unique index below.
    moment = moment or timezone.now()
    period = page.get_period(moment).key
    sender = user if user is not None and user.is_authenticated else None
    saved = []
    try:
        with transaction.atomic():
            if unit is not None and page.one_per_unit_per_period and follows is None:
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


def _delete(paths):
    for path in paths:
        default_storage.delete(path)
