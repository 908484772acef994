"""Two-factor sign-in in tests.

Tests that are about something else sign in with `force_login`; for a person
whose role requires a second factor, the conftest marks that session verified
with a real confirmed TOTP device, as django-otp's own login() would after a
code. The two-factor step itself is tested for real (tests/security/,
tests/browser/test_security.py): a password, then a code computed from the
device's key as an authenticator app would.
"""

import base64
import time

import pyotp
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from security.two_factor import requires_two_factor


def confirmed_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Điện thoại", confirmed=True
    )


def totp_code(device, base32_key=None):
    """The code an authenticator app would show now for `device` (or for the
    key shown on the setup page), for a window the device has not used yet:
    django-otp refuses a code twice."""
    secret = (base32_key or "").replace(" ", "") or _base32(device)
    totp = pyotp.TOTP(secret, interval=device.step, digits=device.digits)
    now_t = int(time.time() - device.t0) // device.step
    t = max(now_t, (device.last_t or -1) + 1)
    return totp.at(device.t0 + t * device.step)


def _base32(device):
    return base64.b32encode(device.bin_key).decode()


def mark_verified(client, user):
    """Mark `client`'s session as having passed the second step."""
    if not requires_two_factor(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()
