"""Who owed a report for a period, and whether it came on time (Art. 6.3, 8.2),
as the exports read it: the reporting calendar of forms_app.obligations, within
what the requester oversees.

The Board and leadership viewers see every unit; anyone else their own units
and the units they review. Whether a unit sent its report is a fact of the
calendar, not the report's content: it is counted whatever the report's
classification (the report itself stays behind the access policy).
"""

from forms_app import periods
from forms_app.obligations import (  # noqa: F401
    COUNTED,
    SYMBOLS,
    Obligation,
    ReportingCalendar,
    State,
    candidate_templates,
    count_states,
    on_time_rate,
    tally,
)
from forms_app.periods import (  # noqa: F401
    SCHEDULED_TYPES,
    period_from_key,
    period_label,
    periods_of_year,
)
from workflows.oversight import compliance_scope

# The digest and the annual report name states "statuses".
Status = State
count_statuses = count_states


# None (every unit) for the Board and leadership viewers, else own and reviewed.
units_in_scope = compliance_scope


class Ledger:
    """Obligations over many periods for one requester, sharing the look-ups."""

    def __init__(self, user, now=None):
        self.user = user
        self.calendar = ReportingCalendar(units_in_scope(user), now)
        self.now = self.calendar.now

    def obligations(self, period_type, period_list, pages=None):
        pages = pages if pages is not None else candidate_templates(period_type)
        return self.calendar.obligations(pages, {period_type: list(period_list)})


def obligations(user, period_type, period, now=None):
    """Every (template, unit) owed for `period`, with its state, in report order."""
    return Ledger(user, now).obligations(period_type, [period])


def previous(period_type, period):
    return periods.previous_period(period_type, period)
