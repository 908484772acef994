"""Admin views: start an export, follow it, download it; submission attachments.

Who may do what, and which jobs each person sees, is decided first, in
exports.access. Every download and attachment opened is in the access audit
(security.audit), with the client's address.

Files are streamed from their storage (this machine's disk or the bucket)
through these views, never handed out as a signed URL of the bucket: a signed
URL works for whoever holds it until it expires (forwarded, logged by a proxy,
left in a browser's history), and fetches through it are seen neither by the
access policy nor by the audit log. Streaming keeps both in every download.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from forms_app.access import clearance_of, get_submission_for_user
from security import audit
from security.audit import Refused

from . import runs
from .access import get_job_for_user, jobs_visible_to, may_follow_exports
from .exporters import get_exporter
from .models import ExportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Long enough for real filters, short enough to keep a crafted query string out.
MAX_PARAM_VALUES = 200


def params_from_query(query):
    """A QueryDict as plain JSON values: a list per name, repeated names kept."""
    ignored = {"p", "ordering", "q", "csrfmiddlewaretoken", "next"}
    params = {}
    for name in query:
        if name in ignored:
            continue
        values = query.getlist(name)[:MAX_PARAM_VALUES]
        params[name] = [value[:200] for value in values]
    return params


def eta_text(seconds):
    if seconds is None:
        return ""
    if seconds < 60:
        return _("khoảng %(n)s giây") % {"n": max(1, seconds)}
    return _("khoảng %(m)s phút %(s)s giây") % {"m": seconds // 60, "s": seconds % 60}


def rows_text(job):
    """The row count of a job in words: a bare "41 / 0" says nothing."""
    done, total = job.rows_done, job.rows_total
    if job.status == ExportJob.Status.DONE:
        n = job.row_count if job.row_count is not None else done
        return _("%(n)s dòng dữ liệu") % {"n": n}
    if job.status == ExportJob.Status.FAILED:
        return _("Đã ghi %(n)s dòng trước khi dừng") % {"n": done}
    if job.status == ExportJob.Status.RUNNING:
        if total and total >= done:
            return _("Đã ghi %(done)s / khoảng %(total)s dòng") % {
                "done": done,
                "total": total,
            }
        return _("Đã ghi %(done)s dòng") % {"done": done}
    if total:
        return _("Khoảng %(total)s dòng") % {"total": total}
    return ""


def describe(job):
    """The state of a job as the list and its JSON endpoint show it."""
    eta = None
    if job.status == ExportJob.Status.RUNNING and job.started_at and job.rows_total:
        elapsed = (timezone.now() - job.started_at).total_seconds()
        if job.rows_done and elapsed > 0:
            rate = job.rows_done / elapsed
            eta = max(0, round((job.rows_total - job.rows_done) / rate))
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "progress": job.progress,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "rows_text": rows_text(job),
        "eta_seconds": eta,
        "eta_text": eta_text(eta),
        "error": job.error,
        "finished": job.is_finished,
        "download_url": reverse("exports:download", args=[job.pk])
        if job.has_file
        else None,
        "retry_url": reverse("exports:retry", args=[job.pk]) if job.can_retry else None,
        "expired": job.status == ExportJob.Status.DONE and not job.has_file,
    }


class ExportAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not may_follow_exports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class JobListView(ExportAdminView):
    """ "Tệp xuất Excel": one's own exports (all of them for the Board)."""

    template_name = "exports/job_list.html"
    page_title = gettext_lazy("Tệp xuất Excel")

    def get_context_data(self, **kwargs):
        visible = jobs_visible_to(self.request.user).order_by("-created_at", "-pk")
        jobs_shown = list(visible[:100])
        return super().get_context_data(
            jobs=[(job, describe(job)) for job in jobs_shown],
            show_requester=any(
                job.requested_by_id != self.request.user.pk for job in jobs_shown
            ),
            status_url=reverse("exports:status"),
            highlight=self.request.GET.get("moi"),
            **kwargs,
        )


class StartExportView(ExportAdminView):
    """GET: what will be exported (and how many rows); POST: start it."""

    template_name = "exports/start.html"
    page_title = gettext_lazy("Xuất Excel")

    @cached_property
    def exporter(self):
        try:
            exporter_class = get_exporter(self.kwargs["kind"])
        except KeyError as exc:
            raise Http404 from exc
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        try:
            exporter = exporter_class(
                user=self.request.user, params=params_from_query(data)
            )
        except ValidationError:
            return None
        if not exporter.has_permission():
            raise PermissionDenied
        return exporter

    def hidden_fields(self):
        """The cleaned parameters as form fields, for the POST that starts it."""
        fields = []
        for name, values in (self.exporter.params if self.exporter else {}).items():
            for value in values if isinstance(values, list) else [values]:
                # As text: the template would localise 0.5 as "0,5".
                fields.append((name, str(value)))
        return fields

    def get_context_data(self, **kwargs):
        exporter = self.exporter
        return super().get_context_data(
            exporter=exporter,
            hidden_fields=self.hidden_fields(),
            title=exporter.get_title() if exporter else "",
            row_count=exporter.count() if exporter else 0,
            back_url=self.request.headers.get("referer", ""),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.exporter is None:
            messages.error(request, _("Điều kiện lọc không hợp lệ."))
            return redirect("exports:list")
        job = runs.start_export(request.user, self.kwargs["kind"], self.exporter.params)
        messages.success(
            request,
            _("Đã bắt đầu xuất “%(title)s”. Tệp sẽ có ở đây khi xong.")
            % {"title": job.title},
        )
        return redirect(f"{reverse('exports:list')}?moi={job.pk}")


@login_required
def job_status(request):
    """Progress of the listed jobs, polled by the job list every second."""
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()][:100]
    found = jobs_visible_to(request.user).filter(pk__in=ids)
    return JsonResponse({"jobs": [describe(job) for job in found]})


@login_required
def download(request, pk):
    job = get_job_for_user(request.user, pk)
    requester = job.requested_by
    if not job.has_file or not may_follow_exports(requester):
        raise Http404
    # The requester too: a file marked above one's present clearance stays shut.
    if job.classification > clearance_of(request.user) and not (
        request.user.is_superuser
    ):
        raise Refused
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record(request, audit.Kind.DOWNLOAD, job)
    return FileResponse(
        handle, as_attachment=True, filename=job.file_name, content_type=XLSX_TYPE
    )


@require_POST
@login_required
def retry(request, pk):
    job = get_job_for_user(request.user, pk)
    if job.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    if not may_follow_exports(request.user):
        raise PermissionDenied
    if runs.retry(job):
        messages.success(request, _("Đã xếp lại yêu cầu xuất vào hàng đợi."))
    else:
        messages.warning(request, _("Yêu cầu xuất này không thể chạy lại."))
    return redirect(f"{reverse('exports:list')}?moi={job.pk}")


@login_required
def attachment(request, submission_id, key):
    """A submission's uploaded file, to those the access policy lets read it."""
    submission = get_submission_for_user(request.user, submission_id)
    answer = (submission.answers or {}).get(key)
    if not isinstance(answer, dict) or not answer.get("path"):
        raise Http404
    path = str(answer["path"])
    # Only what the submission code stored for this form, never another path.
    if not path.startswith(f"submissions/{submission.page_id}/") or ".." in path:
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit.record(request, audit.Kind.ATTACHMENT, submission, reason=key)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=answer.get("name") or key,
        content_type=answer.get("content_type") or "application/octet-stream",
    )

