"""Bulk import of an office's existing districts and stores (SPEC 2.6).

Offices moving onto the product bring their records as CSV (UTF-8, or the CP949/EUC-KR that Korean
office software still writes) or XLSX files. An import reads the whole file and checks every row
against the office's dongs, districts and stores first; if any row is bad it writes nothing and
reports each bad row's line number (the header is line 1) and reason. A good file is written in one
transaction with bulk statements, each change leaving a history row with the acting user, and only
what differs from the stored records is written, so importing the same file again changes nothing.

carry: reopen a closed store, end a membership because the district cell is empty (only a move to
another district ends one), strike off or re-approve an affiliate registration.

Read top down: `files` reads a CSV or XLSX file, `rows` turns its cells into checked values,
`districts` and `stores` are the two imports (sharing `writing`), `results` holds what they report,
and `jobs` runs an import for the admin.
"""

from .districts import DISTRICT_COLUMNS, import_districts
from .files import table_read
from .jobs import IMPORTERS, import_job_check, import_job_run, import_job_start
from .results import ImportRefused, ImportResult, RowError
from .stores import STORE_COLUMNS, import_stores

__all__ = [
    "DISTRICT_COLUMNS",
    "IMPORTERS",
    "STORE_COLUMNS",
    "ImportRefused",
    "ImportResult",
    "RowError",
    "import_districts",
    "import_job_check",
    "import_job_run",
    "import_job_start",
    "import_stores",
    "table_read",
]
