"""Stable machine keys for fields, choices and statements.

A key is made once from the label (without diacritics: "Họ và tên" → "ho_va_ten")
and then kept: relabelling, reordering or moving a field never changes it, so
answers stored by key stay readable and exports keep their columns.
"""

import re

from units.text import fold

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def key_from_label(label, fallback="truong"):
    key = _NON_WORD.sub("_", fold(label or "")).strip("_")[:40].rstrip("_")
    if not key:
        key = fallback
    if key[0].isdigit():
        key = f"{fallback}_{key}"
    return key


def unique_key(base, taken):
    """`base`, or `base_2`, `base_3`… — the first not in `taken` (which it joins)."""
    key, n = base, 2
    while key in taken:
        key = f"{base}_{n}"
        n += 1
    taken.add(key)
    return key


def assign_item_keys(items, fallback):
    """Give every item of a choices/statements list a key unique in that list."""
    taken = {item["key"] for item in items if item.get("key")}
    for item in items:
        if not item.get("key"):
            item["key"] = unique_key(key_from_label(item["label"], fallback), taken)
