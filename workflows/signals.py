"""Signals of the workflows app, sent after the audit entry and inside the same
transaction (as Wagtail's own workflow signals are)."""

from django.dispatch import Signal

# Sent with instance (the submission), user (who directed) and direction.
direction_recorded = Signal()
