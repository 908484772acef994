"""Background jobs: RQ through django-rq, or synchronously when there is no Redis.

Jobs are enqueued only after the request's transaction commits, so a worker never
sees a row that was rolled back; they receive ids and plain values only. With
REDIS_URL unset (the embedded default) the same function runs in-process right
after the commit, so both paths run the same code.
"""

import logging

import django_rq
from django.conf import settings
from django.db import transaction
from django_rq import settings as django_rq_settings
from django_rq.connection_utils import get_redis_connection
from redis.exceptions import RedisError
from rq import Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

logger = logging.getLogger(__name__)

# Transient failures (a database restart, a lost connection) are retried.
DEFAULT_RETRY_INTERVALS = [10, 60, 300]


def run_synchronously():
    return settings.JOBS_RUN_SYNCHRONOUSLY


# One Redis client per queue configuration and process. django-rq builds a new
# client, with its own connection pool, on every get_queue(): each enqueue then
# opened a TCP connection to Redis, 1.1 ms of CPU instead of 0.25 on every
# report's POST. The configuration is part of the key, so tests that point a
# queue elsewhere (override_settings) get a client of their own.
_connections = {}


def get_connection(name="default"):
    # Read at each call: django-rq derives QUEUES from settings.RQ_QUEUES anew.
    config = django_rq_settings.QUEUES[name]
    key = (name, repr(sorted(config.items())))
    connection = _connections.get(key)
    if connection is None:
        connection = _connections[key] = get_redis_connection(config)
    return connection


def get_queue(name="default"):
    # django-rq would defer the enqueue to the end of the transaction or
    # request by itself; we call it after commit already, and must see a Redis
    # error here to leave the record for the sweep.
    return django_rq.get_queue(
        name, commit_mode="auto", connection=get_connection(name)
    )


def enqueue_now(
    func,
    *args,
    queue="default",
    job_id=None,
    timeout=None,
    retry=True,
    urgent=False,
):
    """Enqueue at once (the caller has committed). Returns the RQ job, or None.

    A Redis outage is logged and swallowed: the caller's record stays as it is
    (queued) and the periodic sweep enqueues it once Redis is back. `urgent`
    jobs go to the front of the queue, ahead of a backlog.
    """
    if run_synchronously():
        func(*args)
        return None
    try:
        return get_queue(queue).enqueue(
            func,
            *args,
            job_id=job_id,
            job_timeout=timeout,
            at_front=urgent,
            retry=Retry(
                max=len(DEFAULT_RETRY_INTERVALS), interval=DEFAULT_RETRY_INTERVALS
            )
            if retry
            else None,
        )
    except RedisError:
        logger.warning("Redis unavailable; %s%r left for the sweep", func, args)
        return None


def enqueue_on_commit(func, *args, **kwargs):
    """Enqueue after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: enqueue_now(func, *args, **kwargs))


# What job_status() answers when it cannot tell (no Redis configured, or Redis
# down): callers must then leave their records alone.
UNKNOWN = "unknown"


def job_status(job_id, queue="default"):
    """RQ's status of `job_id` ("queued", "started", "failed"…), None when Redis
    has no such job (finished long ago, or Redis lost it), UNKNOWN when there is
    no Redis to ask.
    """
    if run_synchronously() or not job_id:
        return UNKNOWN if run_synchronously() else None
    try:
        job = Job.fetch(job_id, connection=get_queue(queue).connection)
        status = job.get_status(refresh=False)
    except NoSuchJobError:
        return None
    except RedisError:
        logger.warning("Redis unavailable; status of job %s unknown", job_id)
        return UNKNOWN
    return getattr(status, "value", status)


def current_job_id():
    """The id of the RQ job running this code, or None outside a worker."""
    job = get_current_job()
    return job.id if job is not None else None
