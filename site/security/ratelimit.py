"""Fixed-window counters in Django's cache (Redis when REDIS_URL is set).

django-ratelimit would do this as a decorator; public surveys need two limits
whose keys are known only inside the view (the survey, the client), and a
message in the form's own page, so a small counter over the cache it would use
anyway is clearer.
"""

import time

from django.core.cache import cache


def hit(key, limit, window):
    """Count one event under `key`; False when more than `limit` happened in
    the current `window` seconds."""
    bucket = f"dlxh-rl:{key}:{int(time.time() // window)}"
    # add() is atomic in Redis and locmem: the first hit of a window sets 1.
    if cache.add(bucket, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add() and incr()
            cache.set(bucket, 1, timeout=window + 1)
            count = 1
    return count <= limit
