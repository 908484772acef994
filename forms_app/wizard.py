"""The published form: django-formtools' WizardView over the page's steps.

The step list comes from the page (page breaks split it), so one view class
serves every template and questionnaire. State lives in a SubmissionDraft
(storage.py); answers of earlier steps are passed to each step's form so that
conditions across steps hold on the server.
"""

import uuid
from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.base import File
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import StepsHelper, WizardView

from forms_app import deadlines, public_surveys
from forms_app.audience import PeriodForm, UnitForm, period_choice_label
from forms_app.files import drafts_storage
from forms_app.forms import StepForm
from forms_app.storage import DraftStorage
from forms_app.submitting import (
    AlreadySubmitted,
    PeriodNotAccepted,
    made_with,
    reported_periods,
)
from forms_app.views import (
    RECEIPTS_SESSION_KEY,
    access_refusal,
    receipt_url,
    remember_receipt,
)

TOKEN_FIELD = "dlxh_token"
# Links from the unit's page and reminders preselect the period and the unit.
PERIOD_PARAM = "ky"
UNIT_PARAM = "don-vi"
GOTO_FIELD = "wizard_goto_step"
DISCARD_FIELD = "wizard_discard"


def parse_token(value):
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def initial_from_data(form, data):
    """The stored (raw) answers of a step, as initial values of an unbound form.

    A step the user comes back to shows what they typed without shouting
    errors at them; errors appear when they post it.
    """
    initial = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        if value not in (None, "", []):
            initial[name] = value
    return initial


def json_safe(answers):
    return {
        key: (answer.name if isinstance(answer, File) else answer)
        for key, answer in answers.items()
    }


class FormWizardView(WizardView):
    """One page's multi-step form; built per request by the page's serve()."""

    page = None
    token_submission = None

    @classmethod
    def get_initkwargs(cls, **kwargs):
        # The steps depend on the page, so the form list is built per request.
        kwargs.setdefault("form_list", OrderedDict())
        for name in ("initial_dict", "instance_dict", "condition_dict"):
            kwargs.setdefault(name, {})
        return kwargs

    def get_prefix(self, request, *args, **kwargs):
        return "dlxh"

    # Access

    def dispatch(self, request, *args, **kwargs):
        request.is_preview = False
        page = self.page
        if page.login_required and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            token = parse_token(request.POST.get(TOKEN_FIELD))
            self.token_submission = made_with(page.get_submission_class(), token)
            earlier = self.own(self.token_submission)
            if earlier is not None:
                # A resent POST or a double click: the form is already stored
                # (and its unit may now be refused as having reported).
                return redirect(receipt_url(earlier))
        refusal = self.check_access(request) or self.check_public_survey(request)
        if refusal is not None:
            if request.method == "POST":
                # A double click whose twin was stored between the look-up
                # above and this check: its unit has now "already reported".
                earlier = self.submission_for(token)
                if earlier is not None:
                    return redirect(receipt_url(earlier))
            return refusal
        self.prefix = self.get_prefix(request)
        self.storage = DraftStorage(self.prefix, request, drafts_storage, page=page)
        self.steps = StepsHelper(self)
        self._answers = {}
        # WizardView.dispatch would build a session storage; ours is made above.
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def check_public_survey(self, request):
        """Anonymous surveys: one answer per browser, a rate limit, a honeypot
        (forms_app.public_surveys)."""
        if not self.anonymous:
            return None
        page = self.page
        if public_surveys.already_answered(request, page):
            return public_surveys.answered_notice(request, page)
        if request.method == "POST":
            if not public_surveys.within_rate(request, page, len(page.get_steps())):
                return public_surveys.too_many(request, page)
            if public_surveys.is_bot(request):
                return public_surveys.thanked(request, page)
        return None

    def check_access(self, request):
        self.anonymous = not self.page.login_required
        refusal, self.units, self.allowed_units = access_refusal(request, self.page)
        return refusal

    # Steps and forms

    @cached_property
    def page_steps(self):
        return OrderedDict(
            (str(step.index + 1), step) for step in self.page.get_steps()
        )

    def get_form_list(self):
        return OrderedDict((name, StepForm) for name in self.page_steps)

    @cached_property
    def form_context(self):
        return self.page.get_form_context()

    def get_form(self, step=None, data=None, files=None):
        step = step or self.steps.current
        form = self.page.get_step_form(
            self.page_steps[step],
            data=data,
            files=files,
            prefix=step,
            prior_answers=self.answers_before(step),
            context=self.form_context,
        )
        stored = self.storage.data[self.storage.step_files_key].get(step, {})
        form.stored_files = {
            name.removeprefix(f"{step}-"): info for name, info in stored.items()
        }
        return form

    def get_display_form(self, step):
        form = self.get_form(step)
        data = self.storage.get_step_data(step)
        if data:
            form.initial = initial_from_data(form, data)
        return form

    def get_unit_form(self, step, data=None):
        if self.anonymous or len(self.units) < 2 or step != self.steps.first:
            return None
        chosen = self.storage.extra_data.get("unit")
        return UnitForm(data, units=self.units, initial={"unit": chosen})

    # The period a scheduled report is for

    @cached_property
    def deadline_book(self):
        return deadlines.DeadlineBook([self.page])

    @cached_property
    def now(self):
        return timezone.now()

    @cached_property
    def accepted(self):
        """Periods the template takes reports for now, oldest (overdue) first."""
        return list(
            reversed(self.page.get_accepted_periods(self.now, self.deadline_book))
        )

    def sending_unit(self):
        chosen = self.storage.extra_data.get("unit")
        if chosen is not None:
            return next((u for u in self.allowed_units if u.pk == chosen), None)
        return self.units[0] if len(self.units) == 1 else None

    def done_keys(self, unit):
        if unit is None:
            return set()
        keys = [p.key for p in self.accepted]
        return reported_periods(self.page, unit, keys)

    def period_choices(self):
        unit = self.sending_unit()
        done = self.done_keys(unit)
        choices = []
        for period in self.accepted:
            sent = period.key in done
            if sent and self.page.limits_one_per_period:
                continue
            deadline = self.deadline_book.deadline(self.page, period)
            choices.append(
                (
                    period.key,
                    period_choice_label(self.page, period, deadline, self.now, sent),
                )
            )
        return choices, done

    def chosen_period_key(self):
        return self.storage.extra_data.get("period")

    def get_period_form(self, step, data=None):
        if self.anonymous or not self.page.is_scheduled or step != self.steps.first:
            return None
        choices, done = self.period_choices()
        keys = [key for key, _label in choices]
        initial = self.chosen_period_key()
        if initial not in keys:
            default = deadlines.default_period(
                [p for p in reversed(self.accepted) if p.key in keys],
                done,
                lambda p: self.deadline_book.deadline(self.page, p),
                self.now,
            )
            initial = default.key if default else None
        return PeriodForm(data, choices=choices, initial={"period": initial})

    def keep_choice(self, name, value):
        extra = dict(self.storage.extra_data)
        if value is None:
            extra.pop(name, None)
        else:
            extra[name] = value
        self.storage.extra_data = extra

    def preselect(self, request):
        """?ky=2026-W48&don-vi=12 from the unit's page or a reminder."""
        unit = request.GET.get(UNIT_PARAM)
        if (
            unit
            and unit.isdigit()
            and any(u.pk == int(unit) for u in self.allowed_units)
        ):
            self.keep_choice("unit", int(unit))
        key = request.GET.get(PERIOD_PARAM)
        if key and self.page.is_scheduled:
            if any(p.key == key for p in self.accepted):
                self.keep_choice("period", key)
            else:
                messages.warning(
                    request,
                    _(
                        "Kỳ báo cáo trong đường dẫn không còn nhận báo cáo; đã chọn "
                        "sẵn kỳ phù hợp, đồng chí có thể đổi."
                    ),
                )

    def answers_before(self, step):
        answers = {}
        for name in self.page_steps:
            if name == step:
                break
            answers.update(self.step_answers(name))
        return answers

    def step_answers(self, name):
        if name not in self._answers:
            data = self.storage.get_step_data(name)
            answers = {}
            if data is not None:
                form = self.get_form(
                    name, data=data, files=self.storage.get_step_files(name)
                )
                form.is_valid()
                answers = form.get_answers()
            self._answers[name] = answers
        return self._answers[name]

    def files_for(self, step):
        """Files uploaded on earlier visits of the step, then this POST's."""
        files = self.storage.get_step_files(step) or {}
        files = {**files, **self.request.FILES.dict()}
        return MultiValueDict({key: [upload] for key, upload in files.items()})

    def store_step(self, step, form):
        """Keep what was posted, valid or not: a failed step loses nothing."""
        data = {
            key: values
            for key, values in form.data.lists()
            if key.startswith(f"{step}-")
        }
        self.storage.set_step_data(step, data)
        uploads = {
            name: upload
            for name, upload in self.request.FILES.items()
            if name.startswith(f"{step}-")
            and name.removeprefix(f"{step}-") in form.fields
            and not form.errors.get(name.removeprefix(f"{step}-"))
        }
        self.storage.set_step_files(step, uploads)
        self._answers.clear()

    # Requests

    def get(self, request, *args, **kwargs):
        # A draft resumes where it was left; formtools would start again.
        if self.storage.current_step not in self.page_steps:
            self.storage.current_step = self.steps.first
        if not self.anonymous:
            self.preselect(request)
        return self.render(self.get_display_form(self.steps.current))

    def post(self, request, *args, **kwargs):
        self.storage.adopt_token(
            parse_token(request.POST.get(TOKEN_FIELD)),
            stored=self.token_submission is not None,
        )
        if DISCARD_FIELD in request.POST:
            self.storage.restart()
            self.storage.current_step = self.steps.first
            messages.info(request, _("Đã xóa bản nháp. Đồng chí có thể điền lại."))
            return redirect(self.page.get_url(request))

        management = ManagementForm(request.POST, prefix=self.prefix)
        step = (
            management.cleaned_data["current_step"] if management.is_valid() else None
        )
        if step not in self.page_steps:
            return self.render_tampered()
        self.storage.current_step = step
        form = self.get_form(step, data=request.POST, files=self.files_for(step))
        unit_form = self.get_unit_form(step, data=request.POST)
        valid = form.is_valid()
        unit_valid = unit_form is None or unit_form.is_valid()
        self.store_step(step, form)
        if unit_form is not None and unit_valid:
            self.keep_choice("unit", unit_form.cleaned_data["unit"].pk)
        # After the unit: the periods offered depend on what it has sent.
        # A POST without a period (an older page, a script) keeps the period
        # chosen before, or the default one; a period posted is checked.
        period_form = None
        if PeriodForm.field_name in request.POST:
            period_form = self.get_period_form(step, data=request.POST)
        if period_form is not None:
            if period_form.is_valid():
                self.keep_choice("period", period_form.cleaned_data["period"])
            else:
                unit_valid = False

        goto = request.POST.get(GOTO_FIELD)
        names = list(self.page_steps)
        if goto in names and names.index(goto) < names.index(step):
            # Back: what this step holds is kept (above), checked when sent on.
            self.storage.current_step = goto
            return self.render(self.get_display_form(goto))
        if not (valid and unit_valid):
            return self.render(form, unit_form=unit_form, period_form=period_form)
        if step == self.steps.last:
            return self.render_done(form)
        self.storage.current_step = self.steps.next
        return self.render(self.get_display_form(self.steps.current))

    def submission_for(self, token):
        """The submission made with `token`, if it is the requester's own."""
        return self.own(made_with(self.page.get_submission_class(), token))

    def own(self, submission):
        """`submission` if it is the requester's, else None."""
        if submission is None:
            return None
        user = self.request.user
        mine = user.is_authenticated and submission.submitted_by_id == user.pk
        remembered = submission.pk in self.request.session.get(RECEIPTS_SESSION_KEY, [])
        return submission if mine or remembered else None

    def render_tampered(self):
        step = self.storage.current_step
        if step not in self.page_steps:
            step = self.steps.first
            self.storage.current_step = step
        return self.render(
            self.get_display_form(step),
            status=400,
            form_error=_(
                "Dữ liệu gửi lên không khớp với biểu mẫu (có thể trang đã cũ hoặc "
                "bị sửa đổi). Chưa có gì được lưu; vui lòng kiểm tra và gửi lại "
                "bước này."
            ),
        )

    def render_done(self, form, **kwargs):
        """Check every step again, then store the submission."""
        answers = {}
        current = self.steps.current
        for name in self.page_steps:
            if name == current:
                step_form = form
            else:
                data = self.storage.get_step_data(name)
                step_form = self.get_form(
                    name, data=data, files=self.storage.get_step_files(name)
                )
            if not step_form.is_bound or not step_form.is_valid():
                self.storage.current_step = name
                return self.render(
                    step_form if step_form.is_bound else self.get_display_form(name),
                    form_error=_(
                        "Bước %(n)s chưa đầy đủ hoặc chưa hợp lệ; vui lòng kiểm tra "
                        "lại trước khi gửi."
                    )
                    % {"n": self.steps.index + 1},
                )
            answers.update(step_form.get_answers())

        unit = self.chosen_unit()
        if unit is None and not self.anonymous:
            # No unit chosen, or the chosen one is no longer the user's.
            extra = dict(self.storage.extra_data)
            extra.pop("unit", None)
            self.storage.extra_data = extra
            self.storage.current_step = self.steps.first
            return self.render(
                self.get_display_form(self.steps.first),
                form_error=_("Vui lòng chọn đơn vị gửi báo cáo."),
            )
        user = None if self.anonymous else self.request.user
        try:
            submission, _created = self.page.process_form_submission(
                answers=answers,
                unit=unit,
                user=user,
                token=self.storage.token,
                request=self.request,
                period=None if self.anonymous else self.chosen_period_key(),
            )
        except PeriodNotAccepted as refusal:
            # The period closed while the form was filled, or was forged: back
            # to the first step with the reason next to the period; the
            # answers stay in the draft.
            self.keep_choice("period", None)
            self.storage.current_step = self.steps.first
            period_form = self.get_period_form(self.steps.first)
            if period_form is not None:
                period_form.errors["period"] = period_form.error_class(
                    [refusal.message]
                )
            return self.render(
                self.get_display_form(self.steps.first),
                period_form=period_form,
                form_error=refusal.message,
            )
        except AlreadySubmitted as refusal:
            # A double click whose twin stored the form first: show its receipt.
            earlier = self.submission_for(
                parse_token(self.request.POST.get(TOKEN_FIELD))
            ) or self.submission_for(self.storage.token)
            if earlier is not None:
                self.storage.finish()
                remember_receipt(self.request, earlier)
                return redirect(receipt_url(earlier))
            existing = refusal.existing
            return self.render(
                form,
                form_error=format_html(
                    "{} <a href='{}'>{}</a>",
                    _(
                        "%(unit)s đã gửi báo cáo kỳ %(period)s; biểu mẫu này chỉ "
                        "nhận một báo cáo mỗi đơn vị trong một kỳ."
                    )
                    % {
                        "unit": existing.unit,
                        "period": existing.period_label or existing.period,
                    },
                    receipt_url(existing),
                    _("Xem báo cáo đã gửi"),
                ),
            )
        self.storage.finish()
        remember_receipt(self.request, submission)
        response = redirect(receipt_url(submission, just_sent=True))
        if self.anonymous:
            public_surveys.mark_answered(response, self.page)
        return response

    def chosen_unit(self):
        """The unit chosen on the first step, or the user's only one.

        A chosen unit that has reported meanwhile stays chosen: the user is told
        so, rather than their report going silently to another unit.
        """
        if self.anonymous:
            return None
        chosen = self.storage.extra_data.get("unit")
        if chosen is not None:
            return next((u for u in self.allowed_units if u.pk == chosen), None)
        return self.units[0] if len(self.units) == 1 else None

    # Rendering

    def get_template_names(self):
        return [self.page.get_template(self.request)]

    def progress(self):
        names = list(self.page_steps)
        current = names.index(self.steps.current)
        return [
            {
                "name": name,
                "number": index + 1,
                "title": step.title,
                "state": "done"
                if index < current
                else ("current" if index == current else "todo"),
            }
            for index, (name, step) in enumerate(self.page_steps.items())
        ]

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(self.page.get_context(self.request))
        unit_form = kwargs.get("unit_form") or self.get_unit_form(self.steps.current)
        period_form = kwargs.get("period_form") or self.get_period_form(
            self.steps.current
        )
        context.update(
            form=form,
            unit_form=unit_form,
            period_form=period_form,
            progress=self.progress(),
            step_number=self.steps.index + 1,
            step_count=self.steps.count,
            step_title=self.page_steps[self.steps.current].title,
            token=self.storage.token,
            token_field=TOKEN_FIELD,
            goto_field=GOTO_FIELD,
            discard_field=DISCARD_FIELD,
            draft_saved_at=self.storage.updated_at,
            prior_answers=json_safe(self.answers_before(self.steps.current)),
            sole_unit=self.units[0] if len(self.units) == 1 else None,
            honeypot_field=public_surveys.HONEYPOT_FIELD if self.anonymous else "",
        )
        return context

    def render(self, form=None, status=200, **kwargs):
        self.storage.save()
        form = form or self.get_display_form(self.steps.current)
        context = self.get_context_data(form=form, **kwargs)
        return TemplateResponse(
            self.request, self.get_template_names(), context, status=status
        )
