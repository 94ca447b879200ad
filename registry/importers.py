"""Bulk import of an office's existing districts and stores (SPEC 2.6).

Offices moving onto the product bring their records as CSV (UTF-8, or the CP949/EUC-KR that Korean
office software still writes) or XLSX files. An import reads the whole file and checks every row
against the office's dongs, districts and stores first; if any row is bad it writes nothing and
reports each bad row's line number (the header is line 1) and reason. A good file is written in one
transaction with bulk statements, each change leaving a history row with the acting user, and only
what differs from the stored records is written, so importing the same file again changes nothing.

What an import never does, because each is a decision with a date and a reason that a file cannot
carry: reopen a closed store, end a membership because the district cell is empty (only a move to
another district ends one), strike off or re-approve an affiliate registration.
"""

import csv
import io
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import batched
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.audit import access_log
from core.choices import AccessAction
from core.clock import local_today
from core.numbers import brn_format, brn_normalize
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    ImportKind,
    ImportStatus,
    StoreStatus,
)
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    ImportJob,
    Membership,
    Office,
    Store,
)
from registry.services.stores import phone_normalize

logger = logging.getLogger(__name__)

DISTRICT_COLUMNS = (
    "name", "designation_no", "designated_on", "dongs", "area_m2", "association",
    "representative", "phone",
)  # fmt: skip
STORE_COLUMNS = (
    "business_number", "trade_name", "representative", "phone", "address", "dong", "ksic_code",
    "district", "affiliate_types",
)  # fmt: skip
LIST_SEPARATOR = "|"
BATCH_SIZE = 1000

Progress = Callable[[int, int], None]

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_DATE = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_AREA_UNIT = re.compile(r"\s*(㎡|m²|m2|제곱미터)$", re.IGNORECASE)


# --- Problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in the file: the line it is on (the header is line 1), a code, the reason."""

    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.message}

    def as_dict(self) -> dict:
        return {"line": self.line, "code": self.code, "message": self.message}


class ImportRefused(ValidationError):
    """The file was refused and nothing was written; `row_errors` names every bad line."""

    def __init__(self, errors: Iterable[RowError]):
        self.row_errors = sorted(errors, key=lambda e: e.line)
        super().__init__([str(e) for e in self.row_errors], code="import_refused")


@dataclass
class ImportResult:
    """What a committed import did, row by row and to memberships and affiliations."""

    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_opened: int = 0
    memberships_ended: int = 0
    affiliations_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        text = _(
            "%(total)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged."
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.kind == ImportKind.STORES:
            text += " " + _(
                "Memberships: %(opened)s opened, %(ended)s ended. Affiliations: %(added)s added."
            ) % {
                "opened": self.memberships_opened,
                "ended": self.memberships_ended,
                "added": self.affiliations_added,
            }
        return text


# --- Reading the file ----------------------------------------------------------------------


@dataclass
class _Line:
    """One data row of the file: its cells by column name, and the problems found in it."""

    number: int
    cells: dict[str, str]
    errors: list[RowError]
    ok: bool = True

    def text(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, code, message))
        self.ok = False

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.fail("required", _("%(column)s is empty.") % {"column": column})
        return value


def table_read(source) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank data rows of a CSV or XLSX file, with their line numbers.

    `source` is a path, bytes or a binary file. The kind is told by content, not by name.
    """
    with _binary(source) as stream:
        magic = stream.read(4)
        stream.seek(0)
        if magic == _XLSX_MAGIC:
            rows = _xlsx_rows(stream)
        elif magic == _XLS_MAGIC:
            raise ImportRefused(
                [
                    RowError(
                        1,
                        "unreadable",
                        _("Old Excel files (.xls) cannot be read; save the file as .xlsx or CSV."),
                    )
                ]
            )
        else:
            rows = _csv_rows(stream.read())
    if not any(any(cells) for _number, cells in rows):
        raise ImportRefused([RowError(1, "empty_file", _("The file is empty."))])
    if not any(rows[0][1]):
        raise ImportRefused(
            [RowError(1, "columns", _("The first line must hold the column names."))]
        )
    (_first, header), data = rows[0], rows[1:]
    return [h.lstrip("\ufeff").strip().lower() for h in header], [
        (number, cells) for number, cells in data if any(cells)
    ]


@contextmanager
def _binary(source) -> Iterator[BinaryIO]:
    if isinstance(source, str | Path):
        with open(source, "rb") as stream:
            yield stream
    elif isinstance(source, bytes | bytearray):
        yield io.BytesIO(source)
    elif hasattr(source, "seekable") and source.seekable():
        source.seek(0)
        yield source
    else:
        yield io.BytesIO(source.read())


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(stream: BinaryIO) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some programs write a wrong sheet size; reading to the last row is the safe way.
            sheet.reset_dimensions()
            return [
                (number, [_cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)
            ]
        finally:
            workbook.close()
    # A damaged workbook fails in many ways (zip, XML, missing parts); each means the same here.
    except Exception as exc:
        raise ImportRefused(
            [RowError(1, "unreadable", _("The file could not be read as an Excel workbook."))]
        ) from exc


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            [
                RowError(
                    first_bad_line,
                    "bad_encoding",
                    _(
                        "The file is neither UTF-8 nor CP949 (EUC-KR) text; save it as CSV "
                        "UTF-8 or as .xlsx."
                    ),
                )
            ]
        ) from exc


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, last = [], 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row is numbered by the line it starts on.
            rows.append((last + 1, [c.strip() for c in cells]))
            last = reader.line_num
    except csv.Error as exc:
        raise ImportRefused(
            [
                RowError(
                    last + 1,
                    "unreadable",
                    _("This line cannot be read as CSV: %(why)s") % {"why": exc},
                )
            ]
        ) from exc
    return rows


def _lines(source, columns: tuple[str, ...], errors: list[RowError]) -> list[_Line]:
    """The file's rows keyed by column; refuses the file at once when the header is wrong."""
    header, rows = table_read(source)
    positions = _header_check(header, columns)
    if not rows:
        raise ImportRefused(
            [RowError(1, "empty_file", _("The file has no rows under its header."))]
        )
    lines = []
    for number, cells in rows:
        line = _Line(
            number, {c: cells[i] if i < len(cells) else "" for c, i in positions.items()}, errors
        )
        named = set(positions.values())
        if any(v for i, v in enumerate(cells) if i not in named):
            line.fail("extra_values", _("This row has values outside the named columns."))
        lines.append(line)
    return lines


def _header_check(header: list[str], columns: tuple[str, ...]) -> dict[str, int]:
    problems = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in seen:
            problems.append(_("Column %(column)s appears twice.") % {"column": name})
        seen.setdefault(name, index)
    missing = [c for c in columns if c not in seen]
    unknown = [c for c in seen if c not in columns]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if problems:
        problems.append(_("The columns are: %(columns)s.") % {"columns": ", ".join(columns)})
        raise ImportRefused([RowError(1, "columns", " ".join(problems))])
    return {c: seen[c] for c in columns}


# --- Reading values ------------------------------------------------------------------------


def _date_value(line: _Line, column: str) -> date | None:
    text = line.required(column)
    if not text:
        return None
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError(text)
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        line.fail(
            "invalid_date",
            _("%(column)s: %(value)s is not a date such as 2025-06-01.")
            % {"column": column, "value": text},
        )
        return None


def _whole_number(line: _Line, column: str) -> int:
    text = _AREA_UNIT.sub("", line.text(column)).replace(",", "").strip()
    if not text:
        return 0
    try:
        number = Decimal(text)
        if not number.is_finite() or number < 0:
            raise InvalidOperation(text)
    except InvalidOperation:
        line.fail(
            "invalid_number",
            _("%(column)s: %(value)s is not a number.")
            % {"column": column, "value": line.text(column)},
        )
        return 0
    return int(number.to_integral_value(rounding=ROUND_HALF_UP))


def _phone_value(line: _Line, column: str) -> str:
    text = line.text(column)
    digits = re.sub(r"\D", "", text)
    # A phone typed into a number cell of a spreadsheet loses its leading zero.
    if digits and not digits.startswith(("0", "82")) and 8 <= len(digits) <= 10:
        text = "0" + digits
    try:
        return phone_normalize(text)
    except ValidationError as exc:
        line.fail("invalid_phone", _about(column, exc.messages[0]))
        return ""


def _about(column: str, message: str) -> str:
    return _("%(column)s: %(message)s") % {"column": column, "message": message}


def _list_value(line: _Line, column: str) -> list[str]:
    return list(
        dict.fromkeys(p.strip() for p in line.text(column).split(LIST_SEPARATOR) if p.strip())
    )


def _field_errors(line: _Line, model: type[models.Model], values: dict, columns: dict) -> None:
    """Report what the model's own field checks say (lengths, formats), named by column."""
    given = {f: v for f, v in values.items() if v not in ("", None)}
    instance = model(**given)
    try:
        instance.clean_fields(exclude=[f.name for f in model._meta.fields if f.name not in given])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                line.fail("invalid_value", _about(columns.get(name, name), message))


def _first_seen(line: _Line, key: str, seen: dict[str, int], code: str, label: str) -> bool:
    """Whether `key` is new in the file; a repeat is reported on the later line."""
    if key in seen:
        line.fail(
            code,
            _("%(label)s %(key)s appears twice in the file (first on line %(first)s).")
            % {"label": label, "key": key, "first": seen[key]},
        )
        return False
    seen[key] = line.number
    return True


# --- Districts -----------------------------------------------------------------------------


@dataclass
class _DistrictRow:
    line: int
    name: str
    values: dict
    dong_ids: frozenset[int]


@dataclass
class _DistrictState:
    dongs: dict[str, Dong]
    by_name: dict[str, District]
    by_number: dict[str, District]
    dongs_of: dict[int, set[int]]

    @classmethod
    def load(cls, office: Office) -> "_DistrictState":
        districts = list(District.objects.filter(office=office))
        dongs_of: dict[int, set[int]] = {d.pk: set() for d in districts}
        through = District.dongs.through.objects.filter(district__office=office)
        for district_id, dong_id in through.values_list("district_id", "dong_id"):
            dongs_of[district_id].add(dong_id)
        return cls(
            dongs={d.name: d for d in Dong.objects.filter(office=office)},
            by_name={d.name: d for d in districts},
            by_number={d.designation_no: d for d in districts if d.designation_no},
            dongs_of=dongs_of,
        )


_DISTRICT_COLUMN_OF = {
    "name": "name",
    "designation_no": "designation_no",
    "designated_on": "designated_on",
    "area_m2": "area_m2",
    "association_name": "association",
    "representative": "representative",
    "association_phone": "phone",
}


def _district_rows(lines: list[_Line], state: _DistrictState) -> list[_DistrictRow]:
    rows, names, numbers = [], {}, {}
    for line in lines:
        name = line.required("name")
        if name:
            _first_seen(line, name, names, "duplicate_key", _("District"))
        existing = state.by_name.get(name)
        if existing and existing.status != DistrictStatus.DESIGNATED:
            line.fail(
                "not_designated",
                _(
                    "District %(name)s is %(status)s here; the import only brings designated "
                    "districts, so decide it in the admin."
                )
                % {"name": name, "status": existing.get_status_display()},
            )
        number = line.required("designation_no")
        if number and _first_seen(
            line, number, numbers, "duplicate_designation_no", _("Designation number")
        ):
            holder = state.by_number.get(number)
            if holder and holder.name != name:
                line.fail(
                    "designation_no_clash",
                    _("Designation number %(no)s already belongs to district %(other)s.")
                    % {"no": number, "other": holder.name},
                )
        values = {
            "name": name,
            "designation_no": number,
            "designated_on": _date_value(line, "designated_on"),
            "area_m2": _whole_number(line, "area_m2"),
            "association_name": line.text("association"),
            "representative": line.text("representative"),
            "association_phone": _phone_value(line, "phone"),
        }
        if existing and existing.excluded_area_m2 > values["area_m2"]:
            line.fail(
                "invalid_number",
                _("area_m2: %(area)s is smaller than the %(excluded)s m² left out of the area.")
                % {"area": values["area_m2"], "excluded": existing.excluded_area_m2},
            )
        dong_ids = _dong_ids(line, state.dongs)
        _field_errors(line, District, values, _DISTRICT_COLUMN_OF)
        if line.ok:
            rows.append(_DistrictRow(line.number, name, values, dong_ids))
    return rows


def _dong_ids(line: _Line, dongs: dict[str, Dong]) -> frozenset[int]:
    ids = set()
    for name in _list_value(line, "dongs"):
        if name in dongs:
            ids.add(dongs[name].pk)
        else:
            line.fail(
                "unknown_dong",
                _("%(dong)s is not a dong of this office.") % {"dong": name},
            )
    return frozenset(ids)


def import_districts(
    *, office: Office, source, user=None, progress: Progress | None = None, filename: str = ""
) -> ImportResult:
    """Import already designated districts, matched on name within the office (SPEC 2.6).

    New names become designated districts with their designation number and date; known ones
    get whatever differs. Raises ImportRefused, having written nothing, when any row is bad.
    """
    errors: list[RowError] = []
    lines = _lines(source, DISTRICT_COLUMNS, errors)
    with transaction.atomic():
        Office.objects.select_for_update().get(pk=office.pk)
        state = _DistrictState.load(office)
        rows = _district_rows(lines, state)
        if errors:
            raise ImportRefused(errors)
        _report(progress, 0, len(rows))
        result = _districts_write(rows, state, office, user, _reason(filename))
        _report(progress, len(rows), len(rows))
        _log_import(user, District, filename, result)
    return result


def _districts_write(rows, state: _DistrictState, office, user, reason: str) -> ImportResult:
    result = ImportResult(kind=ImportKind.DISTRICTS, total=len(rows))
    created, changed, fields = [], [], set()
    dong_adds: list[tuple[District, int]] = []
    dong_drops: list[tuple[int, int]] = []
    for row in rows:
        district = state.by_name.get(row.name)
        if district is None:
            district = District(office=office, status=DistrictStatus.DESIGNATED, **row.values)
            created.append(district)
            dong_adds += [(district, dong_id) for dong_id in sorted(row.dong_ids)]
            continue
        differs = _assign(district, row.values)
        current = state.dongs_of.get(district.pk, set())
        dong_adds += [(district, dong_id) for dong_id in sorted(row.dong_ids - current)]
        dong_drops += [(district.pk, dong_id) for dong_id in current - row.dong_ids]
        if differs or row.dong_ids != current:
            changed.append(district)
            fields.update(differs)
        else:
            result.unchanged += 1
    District.objects.bulk_create(created, batch_size=BATCH_SIZE)
    if fields:
        District.objects.bulk_update(changed, sorted(fields), batch_size=BATCH_SIZE)
    _district_dongs_write(dong_adds, dong_drops)
    history = District.history.bulk_history_create(
        created, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
    ) + District.history.bulk_history_create(
        changed,
        batch_size=BATCH_SIZE,
        update=True,
        default_user=user,
        default_change_reason=reason,
    )
    _district_dongs_history(history)
    result.created, result.updated = len(created), len(changed)
    return result


def _district_dongs_write(adds: list[tuple[District, int]], drops: list[tuple[int, int]]) -> None:
    through = District.dongs.through
    if drops:
        condition = models.Q()
        for district_id, dong_id in drops:
            condition |= models.Q(district_id=district_id, dong_id=dong_id)
        through.objects.filter(condition).delete()
    through.objects.bulk_create(
        [through(district_id=d.pk, dong_id=dong_id) for d, dong_id in adds],
        batch_size=BATCH_SIZE,
    )


def _district_dongs_history(history: list) -> None:
    """Each district history row carries its dongs, as simple_history does on a single save."""
    m2m_history = District.history.model.dongs.model
    through = District.dongs.through
    by_district: dict[int, list] = {}
    for row in through.objects.filter(district_id__in=[h.id for h in history]):
        by_district.setdefault(row.district_id, []).append(row)
    m2m_history.objects.bulk_create(
        [
            m2m_history(history=h, id=t.id, district_id=t.district_id, dong_id=t.dong_id)
            for h in history
            for t in by_district.get(h.id, [])
        ],
        batch_size=BATCH_SIZE,
    )


# --- Stores --------------------------------------------------------------------------------


@dataclass
class _StoreRow:
    line: int
    business_number: str
    values: dict
    district: District | None
    types: list[str]


@dataclass
class _StoreState:
    dongs: dict[str, Dong]
    districts: dict[str, District]
    stores: dict[str, Store]
    open_memberships: dict[int, Membership] = field(default_factory=dict)
    ever_member: set[int] = field(default_factory=set)
    affiliations: dict[tuple[int, str], list[AffiliateRegistration]] = field(default_factory=dict)

    @classmethod
    def load(cls, office: Office) -> "_StoreState":
        state = cls(
            dongs={d.name: d for d in Dong.objects.filter(office=office)},
            districts={d.name: d for d in District.objects.filter(office=office)},
            stores={s.business_number: s for s in Store.objects.filter(office=office)},
        )
        for membership in Membership.objects.filter(store__office=office):
            state.ever_member.add(membership.store_id)
            if membership.left_on is None:
                state.open_memberships[membership.store_id] = membership
        for registration in AffiliateRegistration.objects.filter(store__office=office):
            key = (registration.store_id, registration.certificate_type)
            state.affiliations.setdefault(key, []).append(registration)
        return state


_STORE_COLUMN_OF = {
    "business_number": "business_number",
    "trade_name": "trade_name",
    "representative": "representative",
    "phone": "phone",
    "road_address": "address",
    "ksic_code": "ksic_code",
}


def _store_rows(lines: list[_Line], state: _StoreState) -> list[_StoreRow]:
    rows, seen = [], {}
    for line in lines:
        number = _business_number(line)
        if number:
            _first_seen(line, brn_format(number), seen, "duplicate_key", _("Business number"))
        existing = state.stores.get(number)
        if existing and existing.status != StoreStatus.ACTIVE:
            line.fail(
                "store_closed",
                _("The store %(number)s is closed here; an import does not reopen stores.")
                % {"number": brn_format(number)},
            )
        ksic = line.required("ksic_code")
        values = {
            "trade_name": line.required("trade_name"),
            "representative": line.required("representative"),
            "phone": _phone_value(line, "phone"),
            "road_address": line.text("address"),
            "dong_id": getattr(_store_dong(line, state.dongs), "pk", None),
            "ksic_code": ksic.zfill(5) if ksic.isdigit() else ksic,
        }
        district = _store_district(line, state.districts)
        types = _affiliate_types(line, existing, state)
        _field_errors(
            line,
            Store,
            {k: v for k, v in values.items() if k != "dong_id"},
            _STORE_COLUMN_OF,
        )
        if line.ok:
            rows.append(_StoreRow(line.number, number, values, district, types))
    return rows


def _business_number(line: _Line) -> str:
    text = line.required("business_number")
    if not text:
        return ""
    try:
        return brn_normalize(text)
    except ValidationError as exc:
        line.fail(exc.code or "invalid_business_number", exc.messages[0])
        return ""


def _store_dong(line: _Line, dongs: dict[str, Dong]) -> Dong | None:
    name = line.required("dong")
    if name and name not in dongs:
        line.fail("unknown_dong", _("%(dong)s is not a dong of this office.") % {"dong": name})
    return dongs.get(name)


def _store_district(line: _Line, districts: dict[str, District]) -> District | None:
    name = line.text("district")
    if not name:
        return None
    district = districts.get(name)
    if district is None:
        line.fail(
            "unknown_district",
            _("%(district)s is not a district of this office.") % {"district": name},
        )
    elif district.status != DistrictStatus.DESIGNATED:
        line.fail(
            "district_not_designated",
            _("District %(district)s is %(status)s; only a designated district takes members.")
            % {"district": name, "status": district.get_status_display()},
        )
    return district


def _affiliate_types(line: _Line, store: Store | None, state: _StoreState) -> list[str]:
    types = []
    for value in _list_value(line, "affiliate_types"):
        kind = value.lower()
        if kind not in CertificateType.values:
            line.fail(
                "unknown_affiliate_type",
                _("%(value)s is not an affiliate type; use paper, card or mobile.")
                % {"value": value},
            )
            continue
        types.append(kind)
        registrations = state.affiliations.get((store.pk, kind), []) if store else []
        live = [r for r in registrations if r.status in _LIVE]
        struck = [r for r in registrations if r.status == AffiliateStatus.REVOKED]
        if struck and not live:
            line.fail(
                "struck_off",
                _(
                    "The store's %(type)s registration was struck off on %(day)s; an import "
                    "does not register it again."
                )
                % {"type": kind, "day": max(r.revoked_on for r in struck).isoformat()},
            )
    return types


_LIVE = (AffiliateStatus.APPLIED, AffiliateStatus.APPROVED)


def import_stores(
    *, office: Office, source, user=None, progress: Progress | None = None, filename: str = ""
) -> ImportResult:
    """Import stores with their district and approved Onnuri types, matched on business number.

    A store joins the district named in its row; a store already in another district moves
    (the old membership ends today). Memberships and registrations the import opens carry no
    dates of their own: they count from the district's designation date. Raises ImportRefused,
    having written nothing, when any row is bad.
    """
    errors: list[RowError] = []
    lines = _lines(source, STORE_COLUMNS, errors)
    with transaction.atomic():
        Office.objects.select_for_update().get(pk=office.pk)
        state = _StoreState.load(office)
        rows = _store_rows(lines, state)
        if errors:
            raise ImportRefused(errors)
        result = ImportResult(kind=ImportKind.STORES, total=len(rows))
        writer = _StoreWriter(office, user, _reason(filename), state, result)
        _report(progress, 0, len(rows))
        done = 0
        for chunk in batched(rows, BATCH_SIZE):
            writer.write(chunk)
            done += len(chunk)
            _report(progress, done, len(rows))
        _log_import(user, Store, filename, result)
    return result


class _StoreWriter:
    """Writes one chunk of checked store rows: stores, then memberships, then affiliations."""

    def __init__(self, office, user, reason: str, state: _StoreState, result: ImportResult):
        self.office, self.user, self.reason = office, user, reason
        self.state, self.result = state, result
        self.today = local_today()

    def write(self, rows: tuple[_StoreRow, ...]) -> None:
        stores, created, touched = self._stores(rows)
        touched |= self._memberships(rows, stores)
        touched |= self._affiliations(rows, stores)
        for store in stores:
            if store.pk in created:
                self.result.created += 1
            elif store.pk in touched:
                self.result.updated += 1
            else:
                self.result.unchanged += 1

    def _history(self) -> dict:
        return {
            "batch_size": BATCH_SIZE,
            "default_user": self.user,
            "default_change_reason": self.reason,
        }

    def _stores(self, rows) -> tuple[list[Store], set[int], set[int]]:
        stores, new, changed, fields = [], [], [], set()
        for row in rows:
            store = self.state.stores.get(row.business_number)
            if store is None:
                store = Store(office=self.office, business_number=row.business_number, **row.values)
                new.append(store)
                self.state.stores[row.business_number] = store
            else:
                differs = _assign(store, row.values)
                if differs:
                    changed.append(store)
                    fields.update(differs)
            stores.append(store)
        bulk_create_with_history(new, Store, **self._history())
        if changed:
            bulk_update_with_history(changed, Store, sorted(fields), **self._history())
        return stores, {s.pk for s in new}, {s.pk for s in changed}

    def _memberships(self, rows, stores: list[Store]) -> set[int]:
        ended, opened = [], []
        for row, store in zip(rows, stores, strict=True):
            current = self.state.open_memberships.get(store.pk)
            if row.district is None or (current and current.district_id == row.district.pk):
                continue
            joined_on = None
            if current:
                current.left_on = max(self.today, current.joined_on or self.today)
                ended.append(current)
                joined_on = current.left_on
            elif store.pk in self.state.ever_member:
                # It was a member before and left: its new membership cannot reach back.
                joined_on = self.today
            membership = Membership(store=store, district=row.district, joined_on=joined_on)
            opened.append(membership)
            self.state.open_memberships[store.pk] = membership
            self.state.ever_member.add(store.pk)
        if ended:
            bulk_update_with_history(ended, Membership, ["left_on"], **self._history())
        bulk_create_with_history(opened, Membership, **self._history())
        self.result.memberships_ended += len(ended)
        self.result.memberships_opened += len(opened)
        return {m.store_id for m in opened}

    def _affiliations(self, rows, stores: list[Store]) -> set[int]:
        approved, created = [], []
        for row, store in zip(rows, stores, strict=True):
            for kind in row.types:
                registrations = self.state.affiliations.setdefault((store.pk, kind), [])
                live = next((r for r in registrations if r.status in _LIVE), None)
                if live is None:
                    registration = AffiliateRegistration(
                        store=store, certificate_type=kind, status=AffiliateStatus.APPROVED
                    )
                    created.append(registration)
                    registrations.append(registration)
                elif live.status == AffiliateStatus.APPLIED:
                    # The office's records say it was approved already: the file wins.
                    live.status = AffiliateStatus.APPROVED
                    approved.append(live)
        if approved:
            bulk_update_with_history(approved, AffiliateRegistration, ["status"], **self._history())
        bulk_create_with_history(created, AffiliateRegistration, **self._history())
        self.result.affiliations_added += len(approved) + len(created)
        return {r.store_id for r in approved + created}


# --- Shared --------------------------------------------------------------------------------


def _assign(instance: models.Model, values: dict) -> list[str]:
    """Set the values that differ from the instance's; return the names of those fields."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _reason(filename: str) -> str:
    if filename:
        return _("Imported from %(file)s") % {"file": Path(filename).name}
    return _("Imported")


def _log_import(user, model: type[models.Model], filename: str, result: ImportResult) -> None:
    """Imported rows hold names and phone numbers: the change goes to the access log (SPEC 5)."""
    if result.changed:
        access_log(
            user=user,
            action=AccessAction.CHANGE,
            model=model._meta.label,
            detail=_("Import of %(file)s: %(summary)s")
            % {"file": Path(filename).name or "-", "summary": result.summary()},
        )


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


IMPORTERS = {ImportKind.DISTRICTS: import_districts, ImportKind.STORES: import_stores}


# --- Import jobs started from the admin ----------------------------------------------------


_JOB_VERDICT_FIELDS = ("status", "errors", "summary", "total_rows", "processed_rows", "finished_at")


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Save a new import job and run it: in a background thread, or at once in tests.

    With settings.GOLMOK_IMPORT_IN_BACKGROUND the thread starts once the job row is committed,
    so the admin can answer at once and show the job's progress while it runs.
    """
    job.status = ImportStatus.PENDING
    job.processed_rows = job.total_rows = 0
    job.errors = []
    job.save()
    if not settings.GOLMOK_IMPORT_IN_BACKGROUND:
        return import_job_run(job=job)
    language = translation.get_language()
    transaction.on_commit(
        lambda: threading.Thread(
            target=_run_in_background,
            args=(job.pk, language),
            name=f"import-job-{job.pk}",
            daemon=True,
        ).start()
    )
    return job


def _run_in_background(job_id: int, language: str) -> None:
    try:
        with translation.override(language):
            job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
            # SQLite lets one writer in at a time: progress from a second connection would wait
            # for the import itself, so there the job shows its progress only at the end.
            import_job_run(job=job, progress_apart=connection.vendor != "sqlite")
    finally:
        connections.close_all()


def import_job_run(*, job: ImportJob, progress_apart: bool = False) -> ImportJob:
    """Run the job's importer and record its progress, verdict, errors and summary.

    Bad files and unexpected failures end as a failed job, never as an exception. With
    `progress_apart` the progress is written through a connection of its own, so that others
    see it while the import's transaction is still open.
    """
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    job.status = ImportStatus.RUNNING

    def progress(done: int, total: int) -> None:
        update = _progress_update(job.pk, done, total)
        if progress_apart:
            _on_own_connection(update)
        else:
            update()

    try:
        with job.file.open("rb") as stream:
            result = IMPORTERS[job.kind](
                office=job.office,
                source=stream,
                user=job.created_by,
                progress=progress,
                filename=job.file.name,
            )
    except ImportRefused as exc:
        job.status, job.errors = ImportStatus.FAILED, [e.as_dict() for e in exc.row_errors]
        job.summary = _("The file was refused: %(count)s problem(s). Nothing was written.") % {
            "count": len(exc.row_errors)
        }
    # The job is the boundary: whatever went wrong, the clerk sees a failed job, not a crash.
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status, job.errors = ImportStatus.FAILED, []
        job.summary = _(
            "The import stopped because of an unexpected error; nothing was written. The error "
            "has been logged."
        )
    else:
        job.status, job.summary = ImportStatus.DONE, result.summary()[:300]
        job.total_rows = job.processed_rows = result.total
    job.finished_at = timezone.now()
    if job.status == ImportStatus.FAILED:
        job.processed_rows = job.total_rows = 0
    job.save(update_fields=[*_JOB_VERDICT_FIELDS])
    return job


def _progress_update(job_id: int, done: int, total: int) -> Callable[[], None]:
    def update() -> None:
        ImportJob.objects.filter(pk=job_id).update(
            total_rows=total, processed_rows=min(done, total)
        )

    return update


def _on_own_connection(work: Callable[[], None]) -> None:
    """Run `work` on a fresh connection (Django's are per thread) and wait for it."""

    def run() -> None:
        try:
            work()
        except DatabaseError:
            # Progress is a courtesy to the watching clerk; it must never stop the import.
            logger.warning("could not record import progress", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="import-progress")
    thread.start()
    thread.join()
