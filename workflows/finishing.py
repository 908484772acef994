from wagtail.workflows import publish_workflow_state


def publish_approved(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: a submission approved through its workflow
    is published whoever gave the last approval (the workflow was the check);
    pages keep Wagtail's own rule, where the approver needs publish permission.
    """
    # Wagtail imports this module while its own models load: ours come later.
    from forms_app.models import FormSubmission  # noqa: PLC0415
    from forms_app.models.review import ReviewStatus  # noqa: PLC0415

    obj = workflow_state.content_object
    if not isinstance(obj, FormSubmission):
        return publish_workflow_state(workflow_state, user=user)
    obj.get_latest_revision().publish(user=user, skip_permission_checks=True)
    if obj.review_status in (ReviewStatus.PENDING, ReviewStatus.ESCALATED):
        resolved = ReviewStatus.ACKNOWLEDGED if obj.escalated else ReviewStatus.RESOLVED
        type(obj).objects.filter(pk=obj.pk).update(review_status=resolved)
