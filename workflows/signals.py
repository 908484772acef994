"""Signals sent after a submission's state changes (each after its audit entry)."""

from django.dispatch import Signal

# Each is sent with instance (the submission) and user (who acted, or None).
submission_escalated = Signal()
submission_returned = Signal()
submission_verified = Signal()
direction_recorded = Signal()  # also: direction
handling_status_changed = Signal()
