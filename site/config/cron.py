"""What RQ's cron scheduler runs: `manage.py rqcron config.cron` (deploy/).

Each entry is enqueued on an RQ queue and worked by the ordinary workers. The
scheduler takes no lock, so every job here is safe to run twice or at once: a
second scheduler, or a tick that overlaps a slow one, does no harm. Digest
times are not here but in the database (exports.schedules), editable by the
Board in "Lịch tổng hợp"; the tick that reads them runs every minute.
"""

from rq import cron

from exports.housekeeping import sweep
from exports.schedules import run_due_schedules
from forms_app.housekeeping import delete_abandoned_drafts
from workflows.escalation import escalate_overdue_reviews
from workflows.notifications import resend_pending_emails
from workflows.reminders import send_reminders
from workflows.routing import start_unrouted_reviews

MINUTE = 60
HOUR = 60 * MINUTE

# Jobs that outlive the next tick are pointless: a minute's job expires after
# a minute in the queue, so a backlog never piles up behind a stopped worker.
cron.register(run_due_schedules, "default", interval=MINUTE, ttl=MINUTE)
cron.register(sweep, "default", interval=MINUTE, ttl=MINUTE)
# Submissions whose routing job was lost (Redis down when they were stored).
cron.register(start_unrouted_reviews, "default", interval=MINUTE, ttl=MINUTE)
cron.register(escalate_overdue_reviews, "default", interval=5 * MINUTE, ttl=5 * MINUTE)
# Forms begun and never sent (DRAFT_RETENTION_DAYS): once a day is plenty.
cron.register(delete_abandoned_drafts, "default", interval=24 * HOUR, ttl=HOUR)
# Mails that could not be queued while Redis was away.
cron.register(resend_pending_emails, "default", interval=5 * MINUTE, ttl=5 * MINUTE)
# The reporting calendar's reminders, missed-deadline notices and the daily
# summary of overdue units (workflows.reminders): each is sent once, by its
# unique key, however often this runs; the daily summary waits for 07:30.
cron.register(send_reminders, "default", interval=15 * MINUTE, ttl=15 * MINUTE)
