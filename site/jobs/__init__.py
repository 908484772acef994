"""Background jobs: RQ through django-rq, or synchronously when there is no Redis.

Jobs are enqueued only after the request's transaction commits, so a worker never
sees a row that was rolled back; they receive ids and plain values only. With
REDIS_URL unset (the embedded default) the same function runs in-process right
after the commit, so both paths run the same code.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Transient failures (a database restart, a lost connection) are retried.
DEFAULT_RETRY_INTERVALS = [10, 60, 300]


def run_synchronously():
    return settings.JOBS_RUN_SYNCHRONOUSLY


def get_queue(name="default"):
    import django_rq

    return django_rq.get_queue(name)


def _callable(func):
    return import_string(func) if isinstance(func, str) else func


def enqueue_now(func, *args, queue="default", job_id=None, timeout=None, retry=True):
    """Enqueue at once (the caller has committed). Returns the RQ job, or None.

    A Redis outage is logged and swallowed: the caller's record stays as it is
    (queued) and the periodic sweep enqueues it once Redis is back.
    """
    if run_synchronously():
        _callable(func)(*args)
        return None
    from rq import Retry

    try:
        return get_queue(queue).enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=timeout,
            retry=Retry(
                max=len(DEFAULT_RETRY_INTERVALS), interval=DEFAULT_RETRY_INTERVALS
            )
            if retry
            else None,
        )
    except RedisError:
        logger.warning("Redis unavailable; %s%r left for the sweep", func, args)
        return None


def enqueue(func, *args, **kwargs):
    """Enqueue after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue_now(func, *args, **kwargs))
