import filetype
from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from security.uploads import NEVER_ALLOWED, effective_extensions

# Types whose content we can recognise from their first bytes: a file named .pdf
# that is really an executable is refused, not just one with a wrong name.
_SNIFFABLE = {
    "pdf",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "doc",
    "xls",
    "ppt",
    "docx",
    "xlsx",
    "pptx",
    "zip",
}
# Office files in zip form are recognised as such or as plain zip archives.
_SAME_TYPE = {
    "jpeg": "jpg",
    "docx": "zip",
    "xlsx": "zip",
    "pptx": "zip",
    "odt": "zip",
    "ods": "zip",
    "odp": "zip",
}


class PrivateFileField(forms.FileField):
    """An upload checked for type (name and content) and size.

    The types are the question's list within the installation's allow-list
    (security.uploads): an empty list means the allow-list, never any type.
    """

    def __init__(self, *, extensions, max_size, **kwargs):
        self.extensions = effective_extensions(extensions)
        self.max_size = max_size
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or not hasattr(upload, "size"):
            return upload
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension in NEVER_ALLOWED or extension not in self.extensions:
            raise forms.ValidationError(
                _("Chỉ nhận tệp có định dạng: %(types)s.")
                % {"types": ", ".join(self.extensions) or "—"},
                code="extension",
            )
        if upload.size > self.max_size:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s); dung lượng tối đa là %(max)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(self.max_size),
                },
                code="size",
            )
        if extension in _SNIFFABLE:
            upload.seek(0)
            kind = filetype.guess(upload.read(262))
            upload.seek(0)
            expected = _SAME_TYPE.get(extension, extension)
            found = _SAME_TYPE.get(kind.extension, kind.extension) if kind else None
            if found != expected:
                raise forms.ValidationError(
                    _("Nội dung tệp không khớp với định dạng .%(ext)s.")
                    % {"ext": extension},
                    code="content",
                )
        return upload
