"""Where a form in progress lives: a SubmissionDraft row, not the session.

django-formtools keeps wizard state in the session (or a cookie). A unit whose
session expires, who closes the browser or whose final submission fails must
lose nothing, so this storage backend keeps the same state in the database, per
page and user (or per session for an anonymous respondent), and saves it at
every step. Files uploaded on earlier steps wait in the "drafts" storage
(forms_app.files: a private folder, or a prefix of the bucket every machine
shares, so the next step may be posted to another machine).
"""

import uuid

from formtools.wizard.storage.base import BaseStorage

from forms_app.models import FormSubmission, SubmissionDraft
from forms_app.submitting import safe_file_name


class DraftStorage(BaseStorage):
    """formtools storage backed by one SubmissionDraft."""

    def __init__(self, prefix, request=None, file_storage=None, *, page):
        super().__init__(prefix, request, file_storage)
        self.page = page
        self.finished = False
        self.draft = self._find_draft() or self._new_draft()
        self.data = self.draft.data or {}
        if not self.data:
            self.init_data()
        self._saved_state = self._state()

    # Finding and saving the draft

    @property
    def user(self):
        user = self.request.user
        return user if user.is_authenticated else None

    def _find_draft(self):
        drafts = SubmissionDraft.objects.filter(page=self.page)
        if self.user:
            return drafts.filter(user=self.user).first()
        session_key = self.request.session.session_key
        if not session_key:
            return None
        return drafts.filter(user=None, session_key=session_key).first()

    def _new_draft(self):
        return SubmissionDraft(page=self.page, user=self.user)

    def _state(self):
        return (self.draft.token, repr(self.data))

    @property
    def is_new(self):
        return self.draft.pk is None

    @property
    def token(self):
        return self.draft.token

    def adopt_token(self, token, stored=None):
        """Take the token of the page the browser shows, for a draft not yet saved.

        A first visit renders a token before any draft row exists; if the
        respondent submits a one-step form straight away, the token they post is
        the one a resent POST will carry, so it must become the idempotency key.
        `stored`: whether a submission carries it (None: look it up).
        """
        if not self.is_new or token is None:
            return
        if stored is None:
            stored = FormSubmission.objects.filter(idempotency_key=token).exists()
        taken = stored or SubmissionDraft.objects.filter(token=token).exists()
        if not taken:
            self.draft.token = token

    def save(self):
        """Store the wizard's state if it changed (a no-op once submitted)."""
        if self.finished or self._state() == self._saved_state:
            return
        if self.is_new and not self.data[self.step_data_key]:
            # Nothing answered yet: a visit alone leaves no row behind.
            return
        if self.user is None:
            session = self.request.session
            if not session.session_key:
                session.save()
            self.draft.session_key = session.session_key
        self.draft.data = self.data
        self.draft.save()
        self._saved_state = self._state()

    def finish(self):
        """The submission is stored: delete the draft and, after the response,
        its uploads."""
        self.reset()
        self.finished = True
        if self.draft.pk:
            self.draft.delete()

    def restart(self):
        """Throw the answers away and start again with a new token."""
        self.reset()
        self.draft.token = uuid.uuid4()

    @property
    def updated_at(self):
        return None if self.is_new else self.draft.updated_at

    # Files

    def set_step_files(self, step, files):
        """formtools' own, but each upload is saved under a name of its own.

        formtools saves an upload under the name it came with; only a local
        disk makes that unique (it creates files exclusively). In a bucket two
        units sending "bien-ban.pdf" at once would write one object.
        """
        stored = self.data[self.step_files_key].setdefault(step, {})
        for field, upload in (files or {}).items():
            if field in stored:
                # A file uploaded again for the same question replaces the old.
                self._tmp_files.append(stored[field]["tmp_name"])
                self._files.pop((step, field), None)
            name = f"{uuid.uuid4().hex}-{safe_file_name(upload.name)}"
            stored[field] = {
                "tmp_name": self.file_storage.save(name, upload),
                "name": upload.name,
                "content_type": upload.content_type,
                "size": upload.size,
                "charset": upload.charset,
            }

    def update_response(self, response):
        self.save()
        super().update_response(response)
