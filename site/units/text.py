"""Text helpers for Vietnamese names."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(value):
    """NFC, single spaces, no padding: the package data has doubled spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value or "")).strip()


def fold(value):
    """Lower case without diacritics, so "hoa phu" finds "Hòa Phú".

    unicodedata does not decompose "đ", which Vietnamese users type as "d".
    """
    decomposed = unicodedata.normalize("NFD", normalize_name(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")
