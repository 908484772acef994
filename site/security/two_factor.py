"""Two-factor sign-in (TOTP) on django-otp, in front of the Wagtail admin.

After the password, a person whose role requires it (the
`security.require_two_factor` permission, given to the Board's and the
reviewers' groups by units.roles, and every superuser) enters the six-digit
code of their authenticator app; one who has no device yet sets one up first
(a QR code and the key, then a code to confirm it). Until then every page, the
admin's and the forms', leads here. wagtail-2fa did this for Wagtail up to 7;
its views import modules Wagtail 8 removed, so this is its small equivalent on
the same django-otp devices.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

REQUIRE_PERMISSION = "security.require_two_factor"

# Pages an unverified person may still reach: the steps themselves, leaving,
# and what the admin's login page loads.
OPEN_URL_NAMES = {
    "dlxh_two_factor_verify",
    "dlxh_two_factor_setup",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def requires_two_factor(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(REQUIRE_PERMISSION))
    )


class TwoFactorMiddleware:
    """After django_otp's OTPMiddleware: an unverified person who must use a
    second factor goes to the code page (or to set up a device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and requires_two_factor(user)
            and not user.is_verified()
            and not self._is_open(request)
        ):
            step = (
                "dlxh_two_factor_verify"
                if user_has_device(user, confirmed=True)
                else "dlxh_two_factor_setup"
            )
            return redirect_to_login(request.get_full_path(), reverse(step))
        return self.get_response(request)

    @staticmethod
    def _is_open(request):
        if request.path_info.startswith("/static/"):
            return True
        try:
            return resolve(request.path_info).url_name in OPEN_URL_NAMES
        except Resolver404:
            return False


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=gettext_lazy("Mã xác thực (6 chữ số)"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": gettext_lazy("Mã xác thực gồm 6 chữ số."),
            "required": gettext_lazy("Vui lòng nhập mã xác thực."),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args, devices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.devices = list(devices)
        self.device = None

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"].strip()
        for device in self.devices:
            # verify_token() also refuses a code already used (replay) and
            # throttles repeated failures (django-otp's ThrottlingMixin).
            if device.verify_token(token):
                self.device = device
                return token
        raise forms.ValidationError(
            _("Mã xác thực không đúng hoặc đã hết hạn. Vui lòng nhập mã mới.")
        )


def _next_url(request):
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(
        REDIRECT_FIELD_NAME, ""
    )
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
    return None


@sensitive_post_parameters()
@never_cache
def verify(request):
    """The code step after the password."""
    refusal = _signed_in(request)
    if refusal:
        return refusal
    devices = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    if not devices.exists():
        return redirect(f"{reverse('dlxh_two_factor_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "security/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


def qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :].replace(
        "<svg ", '<svg width="100%" height="auto" ', 1
    )
    return mark_safe(svg)  # noqa: S308 (qrcode's own SVG of our own text)


@sensitive_post_parameters()
@never_cache
def setup(request):
    """Set up an authenticator app: scan, then confirm with its first code."""
    refusal = _signed_in(request)
    if refusal:
        return refusal
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect(
            f"{reverse('dlxh_two_factor_verify')}?next={_next_url(request)}"
        )
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None or request.method != "POST":
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user, name=_("Ứng dụng xác thực"), confirmed=False
        )
    form = TokenForm(request.POST or None, devices=[device])
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": qr_svg(device.config_url),
            "secret": _base32(device),
        },
    )


def _base32(device):
    # django-otp keeps the key in hex; authenticator apps take it in base 32.
    key = base64.b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
