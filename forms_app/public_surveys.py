"""Anonymous surveys (Art. 4.2) against floods and ballot stuffing, without
personal data.

- a rate limit per client and survey, and per survey for all clients
  (security.ratelimit over Django's cache); the client's address is hashed
  with the site's key before it becomes a cache key, and expires with it;
- a honeypot field people never see: a bot that fills it is thanked and
  nothing is stored;
- one answer per browser: a signed cookie holding no more than "answered".

Anonymous answers themselves store no address, browser or account
(forms_app.submitting stores no user for them; django-auditlog records no
address for anonymous requests: security.middleware).
"""

import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from forms_app.views import notice
from security.client import client_ip
from security.ratelimit import hit

HONEYPOT_FIELD = "dlxh_website"
COOKIE_SALT = "dlxh-answered"
ONE_YEAR = 365 * 24 * 3600


def cookie_name(page):
    return f"dlxh_da_tra_loi_{page.pk}"


def already_answered(request, page):
    return bool(
        request.get_signed_cookie(cookie_name(page), default=None, salt=COOKIE_SALT)
    )


def mark_answered(response, page):
    response.set_signed_cookie(
        cookie_name(page),
        "1",
        salt=COOKIE_SALT,
        max_age=ONE_YEAR,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _client_key(request):
    address = client_ip(request) or "unknown"
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def within_rate(request, page, steps):
    """Count this POST; False when the client or the survey posts too often."""
    per_client = settings.SURVEY_RATE_PER_CLIENT * max(steps, 1)
    client_ok = hit(f"survey:{page.pk}:{_client_key(request)}", per_client, 3600)
    survey_ok = hit(f"survey:{page.pk}", settings.SURVEY_RATE_PER_SURVEY * steps, 60)
    return client_ok and survey_ok


def is_bot(request):
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())


def too_many(request, page):
    return notice(
        request,
        page,
        _("Quá nhiều lượt gửi"),
        _(
            "Có quá nhiều lượt gửi phiếu từ máy của đồng chí hoặc tới phiếu này "
            "trong thời gian ngắn. Câu trả lời chưa được lưu; vui lòng thử lại "
            "sau ít phút."
        ),
        status=429,
    )


def answered_notice(request, page):
    return notice(
        request,
        page,
        _("Đồng chí đã trả lời phiếu này"),
        _(
            "Máy của đồng chí đã gửi câu trả lời cho phiếu khảo sát này. Mỗi "
            "người chỉ trả lời một lần; cảm ơn đồng chí đã tham gia."
        ),
    )


def thanked(request, page):
    """What a bot that filled the honeypot sees: thanks, and nothing stored."""
    return notice(
        request,
        page,
        _("Đã gửi thành công"),
        _("Cảm ơn đồng chí đã gửi thông tin."),
    )
