"""XLSForm (KoboToolbox / ODK) in and out of the form builder.

- reader: an uploaded .xlsx → the blocks of a draft SurveyPage, with every row
  that could not be mapped listed by its sheet row;
- writer: any form page → an .xlsx that imports back to the same blocks;
- drafts: the draft page itself, and who may create one where.

Mapping (import ⇄ export):

    text                       short_text; `multiline` → long_text; our email
                               and phone regex constraints → email, phone
    integer / decimal          number with 0 / 2 decimal places
    range                      rating when 1..5 or 1..7 step 1, else number
    date, dateTime             date, datetime
    select_one LIST            single_choice (`minimal` → dropdown); a list of
                               exactly yes/no → yes_no; `likert` on a 1..N list
                               → rating; list `dlxh_communes` → locality; a
                               list (or question) named after a standard key
                               (`dlxh_impact`…) → that standard block
    select_multiple LIST       multiple_choice
    note                       instructions
    file, image                file (`body::accept` → allowed extensions)
    begin group                heading with the group's `relevant`; `field-list`
                               → page break; `table-list` of likert rows on one
                               list → likert_matrix
    start, end, calculate…     skipped (warning)
    anything else              not imported (warning)

Errors (the workbook is unusable: nothing is created) and warnings (a row or
an expression could not be carried over: the draft is created, and each one
is listed for the editor to check) are kept apart in the Report.
"""

from .drafts import can_import_into, create_draft, import_targets
from .reader import read_xlsform
from .workbook import Report
from .writer import workbook_for

__all__ = [
    "Report",
    "can_import_into",
    "create_draft",
    "import_targets",
    "read_xlsform",
    "workbook_for",
]
