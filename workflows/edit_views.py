"""The unit corrects its own submission: before review starts, or once returned.

Every step's questions on one page (the unit already knows the form), cleaned
in page order with the same StepForm as the published form, so conditions hold
the same way. Saving stores a new revision, keeping the earlier version in the
history, and a returned submission goes back to its reviewer.
"""

import uuid

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from forms_app import audit
from forms_app.access import can_edit, get_submission_for_user, is_unit_member
from forms_app.blocks import FileBlock
from forms_app.choice_blocks import LikertMatrixBlock
from forms_app.models.review import FollowUpStage, ReviewStatus
from forms_app.protected_answers import identifying_keys, seal, unsealed
from forms_app.submitting import create_submission, store_file
from forms_app.templatetags.dlxh_forms import error_summary


def initial_for(step, answers):
    # The unit edits what it wrote itself, identifying answers included.
    answers = unsealed(answers)
    initial = {}
    for item in step.input_items:
        answer = answers.get(item.key)
        if answer is None or isinstance(item.block, FileBlock):
            continue
        if isinstance(item.block, LikertMatrixBlock):
            for statement in item.value["statements"]:
                score = (answer or {}).get(statement["key"])
                if score is not None:
                    initial[item.block.sub_name(item.value, statement)] = str(score)
        else:
            initial[item.key] = answer
    return initial


def build_forms(page, answers, data=None, files=None):
    """(step, form) for every step; bound forms see the answers of earlier steps."""
    forms, prior = [], {}
    for step in page.get_steps():
        form = page.get_step_form(
            step,
            data,
            files,
            prefix=f"buoc{step.index}",
            initial=initial_for(step, answers),
            prior_answers=prior,
        )
        if data is not None and form.is_valid():
            prior.update(form.get_answers())
        forms.append(form)
    return forms


def edit_answers(request, pk):
    submission = get_submission_for_user(request.user, pk)
    if not can_edit(request.user, submission):
        raise PermissionDenied(
            _("Chỉ đơn vị gửi báo cáo được sửa, khi chưa thẩm định hoặc bị trả lại.")
        )
    page = submission.page.specific
    if request.method == "POST":
        forms = build_forms(page, submission.answers, request.POST, request.FILES)
        if all(form.is_valid() for form in forms):
            save_answers(request, submission, page, forms)
            messages.success(request, _("Đã lưu và gửi lại báo cáo để thẩm định."))
            return redirect(reverse("submissions:edit", args=[submission.pk]))
    else:
        forms = build_forms(page, submission.answers)
    return TemplateResponse(
        request,
        "workflows/edit_answers.html",
        {
            "submission": submission,
            "page": page,
            "forms": forms,
            "errors": error_summary(*forms),
        },
    )


@transaction.atomic
def save_answers(request, submission, page, forms):
    answers, saved = {}, []
    for form in forms:
        for key, answer in form.get_answers().items():
            if hasattr(answer, "read"):  # a new upload replaces the old file
                answer = store_file(page, answer, saved)
            answers[key] = answer
    # An attachment not uploaded again is kept as it was.
    for key, old in submission.answers.items():
        if isinstance(old, dict) and "path" in old and key not in answers:
            visible = {item.key for form in forms for item in form.step.input_items}
            if key in visible and not any(key in f.hidden_keys for f in forms):
                answers[key] = old
    before = submission.answers
    answers = seal(answers, identifying_keys(page.input_items()))
    submission.answers = answers
    submission.save()
    submission.save_revision(user=request.user)
    audit.record(
        submission,
        request.user,
        "answers_edited",
        changes={"answers": [str(len(before)), str(len(answers))]},
    )
    state = submission.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        submission.set_review_status(ReviewStatus.PENDING)
        state.resume(user=request.user)


class FollowUpForm(django_forms.Form):
    stage = django_forms.ChoiceField(
        label=_("Giai đoạn"),
        choices=FollowUpStage.choices,
        initial=FollowUpStage.DURING,
    )
    token = django_forms.UUIDField(widget=django_forms.HiddenInput)


def add_follow_up(request, pk):
    """A follow-up report on an earlier submission (Art. 7.3.2): the same form,
    filled from the latest answers, linked to the first report of the thread."""
    original = get_submission_for_user(request.user, pk)
    if not is_unit_member(request.user, original.unit_id):
        raise PermissionDenied(
            _("Chỉ đơn vị đã gửi báo cáo được báo cáo theo dõi tiếp.")
        )
    root = original.follows or original
    page = original.page.specific
    if request.method == "POST":
        stage_form = FollowUpForm(request.POST)
        forms = build_forms(page, original.answers, request.POST, request.FILES)
        if stage_form.is_valid() and all(form.is_valid() for form in forms):
            answers = {}
            for form in forms:
                answers.update(form.get_answers())
            submission, _created = create_submission(
                page,
                answers=answers,
                unit=original.unit,
                user=request.user,
                token=stage_form.cleaned_data["token"],
                request=request,
                follows=root,
                follow_up_stage=stage_form.cleaned_data["stage"],
            )
            messages.success(request, _("Đã gửi báo cáo theo dõi tiếp."))
            return redirect(reverse("submissions:edit", args=[submission.pk]))
    else:
        stage_form = FollowUpForm(initial={"token": uuid.uuid4()})
        forms = build_forms(page, original.answers)
    return TemplateResponse(
        request,
        "workflows/edit_answers.html",
        {
            "submission": original,
            "page": page,
            "forms": forms,
            "stage_form": stage_form,
            "title": _("Báo cáo theo dõi tiếp"),
            "errors": error_summary(stage_form, *forms),
        },
    )
