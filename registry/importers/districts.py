"""Importing an office's already designated districts, matched on name (SPEC 2.6).

New names become designated districts with their designation number and date; known ones get
whatever differs, with their dongs. A district the office has not designated (applied, rejected,
revoked) is refused: that is a decision for the admin, not for a file.
"""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from core.services import lock
from registry.choices import DistrictStatus, ImportKind
from registry.models import District, Dong, Office

from .results import ImportRefused, ImportResult, RowError
from .rows import (
    Line,
    date_value,
    field_errors,
    file_lines,
    first_seen,
    list_value,
    phone_value,
    whole_number,
)
from .writing import BATCH_SIZE, Progress, assign, change_reason, import_log, progress_report

DISTRICT_COLUMNS = (
    "name",
    "designation_no",
    "designated_on",
    "dongs",
    "area_m2",
    "association",
    "representative",
    "phone",
)


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


def _district_rows(lines: list[Line], state: _DistrictState) -> list[_DistrictRow]:
    rows, names, numbers = [], {}, {}
    for line in lines:
        name = line.required("name")
        if name:
            first_seen(line, name, names, "duplicate_key", _("District"))
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
        if number and first_seen(
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
            "designated_on": date_value(line, "designated_on"),
            "area_m2": whole_number(line, "area_m2"),
            "association_name": line.text("association"),
            "representative": line.text("representative"),
            "association_phone": phone_value(line, "phone"),
        }
        if existing and existing.excluded_area_m2 > values["area_m2"]:
            line.fail(
                "invalid_number",
                _("area_m2: %(area)s is smaller than the %(excluded)s m² left out of the area.")
                % {"area": values["area_m2"], "excluded": existing.excluded_area_m2},
            )
        dong_ids = _dong_ids(line, state.dongs)
        field_errors(line, District, values, _DISTRICT_COLUMN_OF)
        if line.ok:
            rows.append(_DistrictRow(line.number, name, values, dong_ids))
    return rows


def _dong_ids(line: Line, dongs: dict[str, Dong]) -> frozenset[int]:
    ids = set()
    for name in list_value(line, "dongs"):
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
    lines = file_lines(source, DISTRICT_COLUMNS, errors)
    with transaction.atomic():
        lock(office)  # one import per office at a time
        state = _DistrictState.load(office)
        rows = _district_rows(lines, state)
        if errors:
            raise ImportRefused(errors)
        progress_report(progress, 0, len(rows))
        result = _districts_write(rows, state, office, user, change_reason(filename))
        progress_report(progress, len(rows), len(rows))
        import_log(user, District, filename, result)
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
        differs = assign(district, row.values)
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
