"""The installation-wide allow-list of attachment types.

`DLXH_UPLOAD_EXTENSIONS` (images, PDF, Office documents by default) is the
most a question may accept: a question may narrow it, never widen it. Types a
browser would run (SVG, HTML, scripts) are refused always, even if an operator
lists them.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_EXTENSIONS = (
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
)
# Active content: a browser renders or runs these, scripts included.
NEVER_ALLOWED = frozenset(
    {
        "svg",
        "svgz",
        "html",
        "htm",
        "xhtml",
        "xht",
        "shtml",
        "mht",
        "mhtml",
        "xml",
        "xsl",
        "js",
        "mjs",
        "swf",
    }
)


def normalise(extensions):
    return [
        ext.strip().lower().lstrip(".")
        for ext in extensions
        if ext and ext.strip().lstrip(".")
    ]


def allowed_extensions():
    """The installation's allow-list, in order."""
    configured = normalise(
        getattr(settings, "DLXH_UPLOAD_EXTENSIONS", None) or DEFAULT_EXTENSIONS
    )
    refused = sorted(set(configured) & NEVER_ALLOWED)
    if refused:
        raise ImproperlyConfigured(
            "DLXH_UPLOAD_EXTENSIONS may not allow "
            + ", ".join(refused)
            + ": a browser would run them."
        )
    return list(dict.fromkeys(configured))


def effective_extensions(question_extensions):
    """What a question accepts: its own list within the allow-list; an empty
    list means the whole allow-list (never "anything")."""
    allowed = allowed_extensions()
    asked = normalise(question_extensions or [])
    if not asked:
        return allowed
    return [ext for ext in dict.fromkeys(asked) if ext in allowed]


def refused_extensions(question_extensions):
    """Extensions a question asks for that the installation does not allow."""
    allowed = set(allowed_extensions())
    return [
        ext
        for ext in dict.fromkeys(normalise(question_extensions or []))
        if ext not in allowed
    ]
