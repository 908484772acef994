"""Existing reports get the facts the reporting calendar counts.

- A periodic report keeps the period it was filed under (the one containing the
  moment it was sent: what its receipt showed the unit); its deadline is that
  period's by the template's rule (no holiday nor moved deadline existed yet),
  and it is late if it came after it. Under the old rule a report sent after
  its deadline was filed under the next period; which reports those were cannot
  be told from the data, so none is moved.
- Quick and ad hoc reports were filed under the day they were sent; they are
  for no period now (the day stays in submitted_at), and their templates are
  never limited to one report per period.
- Follow-up reports (Art. 7.3.2) take their report's period and are never late.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import migrations
from django.db.models import Case, OuterRef, Subquery, Value, When

SCHEDULED = ("weekly", "monthly", "quarterly", "yearly")
UNSCHEDULED = ("ad_hoc", "quick")


def rule_deadline(page, key):
    """The template rule of forms_app.periods.deadline_for, frozen here."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    try:
        if page.period_type == "weekly":
            year, week = key.split("-W")
            start = dt.date.fromisocalendar(int(year), int(week), 1)
            day = start + dt.timedelta(days=page.deadline_weekday)
        else:
            if page.period_type == "monthly":
                year, month = (int(x) for x in key.split("-"))
            elif page.period_type == "quarterly":
                year, quarter = key.split("-Q")
                year, month = int(year), 3 * int(quarter)
            else:
                year, month = int(key), 12
            first = dt.date(year, month, 1)
            last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            last_day = (last - dt.timedelta(days=1)).day
            day = first.replace(day=min(page.deadline_day, last_day))
    except (ValueError, TypeError):
        return None
    return dt.datetime.combine(day, page.deadline_time, tzinfo=zone)


def stamp(apps, schema_editor):
    Submission = apps.get_model("forms_app", "FormSubmission")
    for model_name in ("ReportTemplatePage", "SurveyPage"):
        Page = apps.get_model("forms_app", model_name)
        Page.objects.filter(period_type__in=UNSCHEDULED).update(
            one_per_unit_per_period=False
        )
        for page in Page.objects.filter(period_type__in=UNSCHEDULED):
            Submission.objects.filter(page_id=page.pk).update(period="")
        for page in Page.objects.filter(period_type__in=SCHEDULED):
            reports = Submission.objects.filter(page_id=page.pk, follows__isnull=True)
            keys = reports.order_by().values_list("period", flat=True).distinct()
            for key in list(keys):
                due = rule_deadline(page, key)
                if due is None:
                    continue
                reports.filter(period=key).update(
                    deadline=due,
                    is_late=Case(
                        When(submitted_at__gt=due, then=Value(True)), default=False
                    ),
                )
    follow_ups = Submission.objects.filter(follows__isnull=False)
    follow_ups.update(
        period=Subquery(
            Submission.objects.filter(pk=OuterRef("follows_id")).values("period")[:1]
        ),
        deadline=None,
        is_late=False,
    )


class Migration(migrations.Migration):
    dependencies = [("forms_app", "0007_reporting_calendar")]

    operations = [migrations.RunPython(stamp, migrations.RunPython.noop)]
