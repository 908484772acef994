"""Submitting through the published form and acting through Wagtail's views."""

from django.urls import reverse

from forms_app.models import FormSubmission
from tests.forms_app.factories import step_post

# A one-step report: the standard blocks of Art. 6.3 and a summary.
REPORT_FIELDS = [
    {"type": "dlxh_summary", "value": {}},
    {"type": "dlxh_impact", "value": {}},
    {"type": "dlxh_trend", "value": {}},
    {"type": "dlxh_sensitivity", "value": {}},
    {"type": "dlxh_recommendations", "value": {}},
]
REPORT_ANSWERS = {
    "dlxh_summary": "Người dân phản ánh về giá bồi thường đất.",
    "dlxh_impact": "high",
    "dlxh_trend": "rising",
    "dlxh_sensitivity": "complex",
    "dlxh_recommendations": "Tổ chức đối thoại.",
}


class ReviewClientMixin:
    def submit(self, client, page, routed=True, **answers):
        """Fill the page's one-step form as the logged-in client; the submission.

        `routed`: the review starts as after a real commit (the routing job
        runs); otherwise the submission is left as the request left it.
        """
        response = client.get(page.url)
        token = response.context["token"]
        data = step_post("1", {**REPORT_ANSWERS, **answers}, token=token)
        if routed:
            with self.jobs_after_commit():
                response = client.post(page.url, data)
        else:
            response = client.post(page.url, data)
        self.assertEqual(response.status_code, 302, getattr(response, "content", ""))
        return FormSubmission.objects.filter(idempotency_key=token).get()

    def act(self, client, submission, action, **data):
        submission.refresh_from_db()
        task_state = submission.current_workflow_task_state
        url = reverse(
            "submissions:workflow_action", args=[submission.pk, action, task_state.pk]
        )
        return client.post(url, data)

    def screen(self, client, submission):
        return client.get(reverse("submissions:edit", args=[submission.pk]))
