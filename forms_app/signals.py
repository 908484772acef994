"""Signals of the forms app."""

from django.dispatch import Signal

# Sent once a submission is stored and its transaction has committed (so a
# receiver that starts a workflow or enqueues a job sees the row), with
# sender=FormSubmission, instance (the submission), user (the sender, or None for
# an anonymous respondent) and request.
submission_created = Signal()
