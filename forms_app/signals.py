"""Signals of the forms app."""

from django.dispatch import Signal

# Sent once a submission is stored and its transaction has committed (so a
# receiver that starts a workflow or enqueues a job sees the row), with
# sender=FormSubmission, instance (the submission), user (the sender, or None for
# an anonymous respondent) and request.
submission_created = Signal()

# Sent when a submission's review state changes (models/review.py), after its
# audit entry and inside the same transaction, as Wagtail's own workflow signals
# are; with instance (the submission) and user (who acted, or None).
submission_escalated = Signal()
submission_verified = Signal()
handling_status_changed = Signal()
# `before` is the previous level.
submission_reclassified = Signal()
