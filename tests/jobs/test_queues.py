"""Enqueueing reuses one Redis client per queue, instead of a connection each."""


import pytest
from django.conf import settings
from django.test import SimpleTestCase, override_settings

import jobs


@pytest.mark.needs_redis
class QueueConnectionTests(SimpleTestCase):
    def test_many_enqueues_share_one_redis_connection(self):
        queue = jobs.get_queue("default")
        before = queue.connection.client_list()
        for _ in range(20):
            jobs.get_queue("default").enqueue("builtins.print", "")
        after = jobs.get_queue("default").connection.client_list()
        self.addCleanup(jobs.get_queue("default").empty)

        self.assertIs(jobs.get_queue("default").connection, queue.connection)
        # Twenty enqueues opened no new connection to Redis.
        self.assertLess(len(after) - len(before), 3)

    def test_a_queue_pointed_elsewhere_gets_a_client_of_its_own(self):
        usual = jobs.get_queue("default").connection
        elsewhere = {**settings.RQ_QUEUES["default"], "URL": "redis://127.0.0.1:1/0"}
        with override_settings(RQ_QUEUES={**settings.RQ_QUEUES, "default": elsewhere}):
            self.assertIsNot(jobs.get_queue("default").connection, usual)
        self.assertIs(jobs.get_queue("default").connection, usual)
