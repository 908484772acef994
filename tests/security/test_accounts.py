"""Accounts: lockout after failed logins, the second step for the Board and
reviewers, idle sessions, deactivation ending sessions."""

import time

import pyotp
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.middleware import IDLE_SESSION_KEY
from tests.base import PASSWORD, BaseTestCase
from tests.two_factor import confirmed_device, totp_code

LOGIN = "/admin/login/"


def log_in(client, user, password=PASSWORD):
    return client.post(LOGIN, {"username": user.username, "password": password})


class LockoutTestCase(BaseTestCase):
    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_an_account_is_locked_after_repeated_failures_even_with_its_password(self):
        client = Client()
        for _attempt in range(2):
            response = log_in(client, self.member, "sai-mat-khau")
            self.assertEqual(response.status_code, 200)  # the form again
        self.assertEqual(log_in(client, self.member, "sai-mat-khau").status_code, 429)
        locked = log_in(client, self.member)
        self.assertEqual(locked.status_code, 429)
        self.assertContains(locked, "tạm thời bị khóa", status_code=429)
        # From another address too: the account is locked, not the address.
        other = Client(REMOTE_ADDR="198.51.100.9")
        self.assertEqual(log_in(other, self.member).status_code, 429)
        # Others are not (signed in: to their landing page).
        self.assertEqual(log_in(Client(), self.outsider).status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_a_successful_login_resets_the_count(self):
        client = Client()
        log_in(client, self.member, "sai-mat-khau")
        log_in(client, self.member, "sai-mat-khau")
        self.assertEqual(log_in(client, self.member).status_code, 302)
        client.logout()
        log_in(client, self.member, "sai-mat-khau")
        self.assertEqual(log_in(client, self.member).status_code, 302)


class TwoFactorTestCase(BaseTestCase):
    def test_a_board_account_sets_up_an_authenticator_before_anything_else(self):
        client = Client()
        response = log_in(client, self.owner)
        self.assertRedirects(
            client.get("/admin/"),
            f"{reverse('dlxh_two_factor_setup')}?next=/admin/",
            fetch_redirect_response=False,
        )
        # Every page leads there, the forms' too.
        self.assertEqual(client.get("/admin/submissions/").status_code, 302)
        setup = client.get(reverse("dlxh_two_factor_setup"))
        self.assertContains(setup, "<svg")
        secret = setup.context["secret"].replace(" ", "")
        wrong = client.post(reverse("dlxh_two_factor_setup"), {"otp_token": "000000"})
        self.assertContains(wrong, "Mã xác thực không đúng")
        time.sleep(1.1)  # django-otp waits a second after a wrong code
        code = pyotp.TOTP(secret).now()
        response = client.post(
            reverse("dlxh_two_factor_setup"), {"otp_token": code, "next": "/admin/"}
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(client.get("/admin/").status_code, 200)
        self.assertTrue(TOTPDevice.objects.get(user=self.owner).confirmed)

    def test_a_board_account_with_a_device_gives_its_code_after_the_password(self):
        device = confirmed_device(self.leader)
        client = Client()
        log_in(client, self.leader)
        response = client.get("/admin/submissions/")
        self.assertRedirects(
            response,
            f"{reverse('dlxh_two_factor_verify')}?next=/admin/submissions/",
            fetch_redirect_response=False,
        )
        wrong = client.post(reverse("dlxh_two_factor_verify"), {"otp_token": "123456"})
        self.assertContains(wrong, "Mã xác thực không đúng")
        self.assertEqual(client.get("/admin/submissions/").status_code, 302)
        time.sleep(1.1)  # django-otp waits a second after a wrong code
        response = client.post(
            reverse("dlxh_two_factor_verify"),
            {"otp_token": totp_code(device), "next": "/admin/submissions/"},
        )
        self.assertRedirects(
            response, "/admin/submissions/", fetch_redirect_response=False
        )
        self.assertEqual(client.get("/admin/submissions/").status_code, 200)

    def test_a_code_is_not_accepted_twice(self):
        device = confirmed_device(self.leader)
        code = totp_code(device)
        first = Client()
        log_in(first, self.leader)
        first.post(reverse("dlxh_two_factor_verify"), {"otp_token": code})
        self.assertEqual(first.get("/admin/").status_code, 200)
        second = Client()
        log_in(second, self.leader)
        replay = second.post(reverse("dlxh_two_factor_verify"), {"otp_token": code})
        self.assertContains(replay, "Mã xác thực không đúng")

    def test_reviewers_need_it_and_reporters_do_not(self):
        reviewer, reporter = Client(), Client()
        log_in(reviewer, self.reviewer)
        log_in(reporter, self.member)
        self.assertEqual(reviewer.get("/admin/").status_code, 302)
        self.assertEqual(reporter.get("/admin/").status_code, 200)


class SessionsTestCase(BaseTestCase):
    @override_settings(SESSION_IDLE_TIMEOUT=600)
    def test_an_idle_session_ends(self):
        self.login(self.member)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        session = self.client.session
        session[IDLE_SESSION_KEY] = int(time.time()) - 601
        session.save()
        response = self.client.get("/admin/")
        self.assertRedirects(
            response, "/admin/login/?next=/admin/", fetch_redirect_response=False
        )
        login_page = self.client.get(response["Location"])
        self.assertContains(login_page, "không hoạt động quá 10 phút")
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    @override_settings(SESSION_IDLE_TIMEOUT=600)
    def test_an_active_session_goes_on(self):
        self.login(self.member)
        session = self.client.session
        session[IDLE_SESSION_KEY] = int(time.time()) - 500
        session.save()
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_deactivating_an_account_ends_its_sessions(self):
        phone, laptop = Client(), Client()
        log_in(phone, self.member)
        log_in(laptop, self.member)
        self.assertEqual(Session.objects.count(), 2)
        self.member.is_active = False
        self.member.save()
        self.assertEqual(Session.objects.count(), 0)
        self.assertEqual(phone.get("/admin/").status_code, 302)
