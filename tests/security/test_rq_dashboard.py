"""django-rq's dashboard: superusers only, and working for them."""

import pytest
from django.test import Client

from tests.base import BaseTestCase

PAGES = [
    "/django-rq/",
    "/django-rq/queues/0/",
    "/django-rq/queues/0/finished/",
    "/django-rq/workers/0/",
    "/django-rq/stats.json/",
]


@pytest.mark.needs_redis
class RQDashboardTestCase(BaseTestCase):
    def test_it_works_for_a_superuser(self):
        self.login(self.superuser)
        for page in PAGES:
            response = self.client.get(page)
            self.assertEqual(response.status_code, 200, page)
        self.assertContains(self.client.get("/django-rq/"), "default")
        self.assertIn("queues", self.client.get("/django-rq/stats.json/").json())

    def test_it_refuses_everyone_else(self):
        staff = self.owner
        staff.is_staff = True  # django-rq's own test would let this one in
        staff.save()
        for user in (staff, self.leader, self.member):
            client = Client()
            client.force_login(user)
            for page in PAGES:
                self.assertEqual(client.get(page).status_code, 403, (user, page))
        anonymous = Client()
        for page in PAGES:
            response = anonymous.get(page)
            self.assertEqual(response.status_code, 302, page)
            self.assertTrue(response["Location"].startswith("/admin/login/"))
