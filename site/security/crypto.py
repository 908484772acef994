"""Encryption of protected identities, with keys separate from SECRET_KEY.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`; MultiFernet lets an
installation rotate keys: `DLXH_IDENTITY_KEYS` lists keys, newest first; new
values are encrypted with the first, and any listed key decrypts. The
`rotate_identity_keys` command re-encrypts everything with the first key, after
which the old key can be removed (docs/security.md).
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "fernet:"


class UndecryptableError(Exception):
    """A value that no configured key opens (a key was removed too early)."""


@lru_cache(maxsize=1)
def _fernet():
    keys = list(getattr(settings, "DLXH_IDENTITY_KEYS", None) or [])
    if not keys:
        raise ImproperlyConfigured(
            "DLXH_IDENTITY_KEYS must list at least one Fernet key "
            "(docs/security.md: python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())')."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "DLXH_IDENTITY_KEYS holds a value that is not a Fernet key."
        ) from exc


@receiver(setting_changed)
def _forget_keys(setting, **kwargs):
    if setting == "DLXH_IDENTITY_KEYS":
        _fernet.cache_clear()


def generate_key():
    return Fernet.generate_key().decode()


def encrypt(text):
    """`text` encrypted with the first key; "" stays "" (nothing to protect)."""
    if text in (None, ""):
        return ""
    return PREFIX + _fernet().encrypt(str(text).encode()).decode()


def decrypt(token):
    if not token:
        return ""
    if not token.startswith(PREFIX):
        raise UndecryptableError("not an encrypted value")
    try:
        return _fernet().decrypt(token.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableError("no configured key opens this value") from exc


def rotate(token):
    """The same value encrypted with the first key (MultiFernet.rotate)."""
    if not token:
        return token
    if not token.startswith(PREFIX):
        raise UndecryptableError("not an encrypted value")
    try:
        rotated = _fernet().rotate(token.removeprefix(PREFIX).encode())
    except InvalidToken as exc:
        raise UndecryptableError("no configured key opens this value") from exc
    return PREFIX + rotated.decode()


def is_encrypted(value):
    return isinstance(value, str) and value.startswith(PREFIX)
