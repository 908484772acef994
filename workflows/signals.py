"""Signals sent when a submission's state changes, after its audit entry and inside
the same transaction (as Wagtail's own workflow signals are)."""

from django.dispatch import Signal

# Each is sent with instance (the submission) and user (who acted, or None).
submission_escalated = Signal()
submission_verified = Signal()
direction_recorded = Signal()  # also: direction
handling_status_changed = Signal()
