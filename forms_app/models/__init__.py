from .calendar import DeadlineOverride, Excusal, Holiday  # noqa: F401
from .pages import FormsIndexPage, ReportTemplatePage, SurveyPage  # noqa: F401
from .sectors import Sector  # noqa: F401
from .sharing import SharingRule  # noqa: F401
from .submissions import (  # noqa: F401
    FormSubmission,
    SubmissionDraft,
    SubmissionLogEntry,
)
