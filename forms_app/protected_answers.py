"""Answers a form marks as identifying (a source's name, a respondent's phone)
are protected as collaborators' identities are (Art. 7.1.5).

A question's "thông tin nhận dạng" box marks it; its answer is stored
encrypted ({"protected": <Fernet token>}, security.crypto) and shown, exported
and logged as the submission's pseudonym (NT-000123) only; holders of
units.reveal_identity may reveal it with a reason (workflows.edit_views), which
is recorded. Files are not sealed: attachments stay behind their own
permission-checked view.
"""

import json

from django.core.files.base import File
from django.utils.translation import gettext as _

from security import crypto

SEALED = "protected"


def source_pseudonym(submission_pk):
    """The stable pseudonym of whoever a submission's identifying answers name."""
    return f"NT-{int(submission_pk or 0):06d}"


def identifying_keys(items):
    return {item.key for item in items if item.value.get("identifying")}


def is_sealed(answer):
    return isinstance(answer, dict) and set(answer) == {SEALED}


def seal(answers, keys):
    """`answers` with those of `keys` encrypted (uploads and blanks as they are)."""
    sealed = dict(answers)
    for key in keys:
        answer = sealed.get(key)
        if answer in (None, "", []) or isinstance(answer, File) or is_sealed(answer):
            continue
        sealed[key] = {SEALED: crypto.encrypt(json.dumps(answer, ensure_ascii=False))}
    return sealed


def unseal(answer):
    if not is_sealed(answer):
        return answer
    return json.loads(crypto.decrypt(answer[SEALED]))


def unsealed(answers):
    return {key: unseal(answer) for key, answer in (answers or {}).items()}


def placeholder(submission_pk):
    return _("[Được bảo vệ · %(pseudonym)s]") % {
        "pseudonym": source_pseudonym(submission_pk)
    }


def masked(answers, submission_pk):
    """`answers` with each sealed one replaced by the pseudonym placeholder."""
    if not any(is_sealed(answer) for answer in (answers or {}).values()):
        return answers or {}
    shown = placeholder(submission_pk)
    return {
        key: shown if is_sealed(answer) else answer for key, answer in answers.items()
    }


def rotate_answers(answers):
    return {
        key: {SEALED: crypto.rotate(answer[SEALED])} if is_sealed(answer) else answer
        for key, answer in answers.items()
    }
