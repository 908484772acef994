"""Settings of the processes the tests start: RQ workers (test_worker.py) and
the web and worker "machines" of tests/multinode.

They must use the test run's database, private files and queue, which only the
test process knows: they come in the environment (and so does a bucket, read
by config.storage as in production).
"""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["DLXH_TEST_DATABASE_NAME"]  # noqa: F405
MEDIA_ROOT = Path(os.environ["DLXH_TEST_MEDIA_ROOT"])
EXPORTS_QUEUE = os.environ["DLXH_TEST_EXPORTS_QUEUE"]
RQ_QUEUES = {**RQ_QUEUES, EXPORTS_QUEUE: RQ_QUEUES["exports"]}  # noqa: F405
# Lets a test slow the export down (`_test_delay`) to kill it mid-way.
EXPORTS_TEST_HOOKS = True
