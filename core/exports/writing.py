"""Writing one export: a list's rows, in its order, into a file, and the access log of what left.

Personal data is masked as the lists mask it unless the user's role may see it
(core.personal), and every exported row holding personal data is written to the
access log (SPEC 5), with the format and whether it was masked. The rows are read in chunks, so a
list of a hundred thousand rows is written without holding it in memory; the log rows of a
chunk are written before its rows, all in one transaction with the file's writing, so an export
that fails leaves no log of data that never left.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import batched
from typing import BinaryIO

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.actors import Actor
from core.audit import access_log_many
from core.choices import AccessAction, ExportFormat
from core.clock import SEOUL
from core.exports.columns import ExportSpec, export_header, export_row
from core.exports.files import WRITERS
from core.personal import may_see_personal

CHUNK_ROWS = 2000
# Characters that file systems or browsers refuse in a file's name.
_FILE_NAME_REFUSED = str.maketrans(dict.fromkeys('\\/:*?"<>|', "_"))


@dataclass(frozen=True)
class ExportOutcome:
    rows: int
    masked: bool


def export_masked(user: Actor) -> bool:
    """Whether the user's exports mask personal data: unless their role may see it unmasked."""
    return not may_see_personal(user)


def export_detail(file_format: str, *, masked: bool) -> str:
    """The access log's words for an export: its format and whether it was masked."""
    label = ExportFormat(file_format).label
    if masked:
        return gettext("%(format)s export, personal data masked") % {"format": label}
    return gettext("%(format)s export, personal data unmasked") % {"format": label}


def export_file_name(title: str, file_format: str, at: datetime | None = None) -> str:
    """The name the file is downloaded under: the list's name and the Seoul time it was made."""
    local = (at or timezone.now()).astimezone(SEOUL)
    stem = str(title).translate(_FILE_NAME_REFUSED).strip() or "export"
    return f"{stem}-{local:%Y%m%d-%H%M}.{ExportFormat(file_format).value}"


def export_write(
    *,
    spec: ExportSpec,
    queryset: QuerySet,
    user: Actor,
    file_format: str,
    stream: BinaryIO,
    title: str,
    progress: Callable[[int], None] | None = None,
) -> ExportOutcome:
    """Write the rows of `queryset`, in its order, as `file_format` into `stream`.

    `queryset` is the list as its page shows it (filters, search, ordering); its own prefetches
    serve the page's columns and are replaced by the spec's. `progress` hears how many rows are
    written after each chunk.
    """
    masked = export_masked(user)
    detail = export_detail(file_format, masked=masked)
    written = 0

    def rows():
        nonlocal written
        records = spec.prepared(queryset.prefetch_related(None)).iterator(chunk_size=CHUNK_ROWS)
        for chunk in batched(records, CHUNK_ROWS):
            if spec.personal is not None:
                holding = [obj for obj in chunk if spec.personal(obj)]
                if holding:
                    access_log_many(
                        user=user, action=AccessAction.EXPORT, objects=holding, detail=detail
                    )
            for obj in chunk:
                yield export_row(spec, obj, masked=masked)
            written += len(chunk)
            if progress is not None:
                progress(written)

    with transaction.atomic():
        WRITERS[ExportFormat(file_format)](stream, export_header(spec), rows(), title=str(title))
    return ExportOutcome(rows=written, masked=masked)
