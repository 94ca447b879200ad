"""The export kit: lists people can take away, as XLSX or CSV (SPEC 5 for personal data).

Every list declares its columns once (`ExportSpec` of `Column`s, `columns`); the kit writes
the rows a list shows into a file (`files`), masks personal data by role and logs every exported
row that holds some (`writing`), and makes long lists in the background worker (`jobs`). The
admin's side, the buttons on each change list and the job pages, is core.admin.exports.
"""

from core.exports.columns import (
    FORMULA_STARTS,
    Column,
    ExportSpec,
    attribute,
    cell_value,
    every_row,
    export_header,
    export_row,
    field_column,
    neutralise,
)
from core.exports.files import CONTENT_TYPES, csv_lines, write_csv, write_xlsx
from core.exports.jobs import (
    ExportRefused,
    export_files_prune,
    export_job_check,
    export_job_create,
    export_job_model,
    export_job_run,
    export_rows_at_once,
)
from core.exports.writing import (
    ExportOutcome,
    export_detail,
    export_file_name,
    export_masked,
    export_write,
)

__all__ = [
    "CONTENT_TYPES",
    "FORMULA_STARTS",
    "Column",
    "ExportOutcome",
    "ExportRefused",
    "ExportSpec",
    "attribute",
    "cell_value",
    "csv_lines",
    "every_row",
    "export_detail",
    "export_file_name",
    "export_files_prune",
    "export_header",
    "export_job_check",
    "export_job_create",
    "export_job_model",
    "export_job_run",
    "export_masked",
    "export_row",
    "export_rows_at_once",
    "export_write",
    "field_column",
    "neutralise",
    "write_csv",
    "write_xlsx",
]
