"""Importing an office's stores with their district and Onnuri types, matched on business number.

A store joins the district named in its row, or moves to it from another; each type listed becomes
an approved Onnuri registration. The rows are written in chunks of BATCH_SIZE, so that a long file
shows its progress, all inside one transaction.
"""

from dataclasses import dataclass, field
from itertools import batched

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.clock import local_today
from core.numbers import brn_format, brn_normalize
from core.services import lock
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    EnterpriseType,
    ImportKind,
    StoreStatus,
)
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    Membership,
    Office,
    Store,
)

from .results import ImportRefused, ImportResult, RowError
from .rows import Line, field_errors, file_lines, first_seen, list_value, phone_value
from .writing import BATCH_SIZE, Progress, assign, change_reason, import_log, progress_report

STORE_COLUMNS = (
    "business_number",
    "trade_name",
    "representative",
    "phone",
    "address",
    "dong",
    "ksic_code",
    "district",
    "affiliate_types",
)
# Columns a file may add; one left out changes nothing in the stores already registered.
STORE_OPTIONAL_COLUMNS = ("enterprise_type",)


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


def _store_rows(lines: list[Line], state: _StoreState) -> list[_StoreRow]:
    rows, seen = [], {}
    for line in lines:
        number = _business_number(line)
        if number:
            first_seen(line, brn_format(number), seen, "duplicate_key", _("Business number"))
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
            "phone": phone_value(line, "phone"),
            "road_address": line.text("address"),
            "dong_id": getattr(_store_dong(line, state.dongs), "pk", None),
            "ksic_code": ksic.zfill(5) if ksic.isdigit() else ksic,
        }
        if "enterprise_type" in line.cells:
            values["enterprise_type"] = _enterprise_type(line)
        district = _store_district(line, state.districts)
        types = _affiliate_types(line, existing, state)
        field_errors(
            line,
            Store,
            {k: v for k, v in values.items() if k != "dong_id"},
            _STORE_COLUMN_OF,
        )
        if line.ok:
            rows.append(_StoreRow(line.number, number, values, district, types))
    return rows


def _business_number(line: Line) -> str:
    text = line.required("business_number")
    if not text:
        return ""
    try:
        return brn_normalize(text)
    except ValidationError as exc:
        line.fail(exc.code or "invalid_business_number", exc.messages[0])
        return ""


def _enterprise_type(line: Line) -> str:
    """A social-economy type by its code; an empty cell means none."""
    value = line.text("enterprise_type").strip()
    if value and value not in EnterpriseType.values:
        line.fail(
            "unknown_enterprise_type",
            _("%(value)s is not a social-economy type; use one of %(types)s, or leave it empty.")
            % {"value": value, "types": ", ".join(EnterpriseType.values)},
        )
        return ""
    return value


def _store_dong(line: Line, dongs: dict[str, Dong]) -> Dong | None:
    name = line.required("dong")
    if name and name not in dongs:
        line.fail("unknown_dong", _("%(dong)s is not a dong of this office.") % {"dong": name})
    return dongs.get(name)


def _store_district(line: Line, districts: dict[str, District]) -> District | None:
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


def _affiliate_types(line: Line, store: Store | None, state: _StoreState) -> list[str]:
    types = []
    for value in list_value(line, "affiliate_types"):
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

    An optional `enterprise_type` column sets each store's social-economy type (an empty cell
    clears it); without the column the types already recorded are kept. A store joins the
    district named in its row; a store already in another district moves
    (the old membership ends today). Memberships and registrations the import opens carry no
    dates of their own: they count from the district's designation date. Raises ImportRefused,
    having written nothing, when any row is bad.
    """
    errors: list[RowError] = []
    lines = file_lines(source, STORE_COLUMNS, errors, STORE_OPTIONAL_COLUMNS)
    with transaction.atomic():
        lock(office)  # one import per office at a time
        state = _StoreState.load(office)
        rows = _store_rows(lines, state)
        if errors:
            raise ImportRefused(errors)
        result = ImportResult(kind=ImportKind.STORES, total=len(rows))
        writer = _StoreWriter(office, user, change_reason(filename), state, result)
        progress_report(progress, 0, len(rows))
        done = 0
        for chunk in batched(rows, BATCH_SIZE):
            writer.write(chunk)
            done += len(chunk)
            progress_report(progress, done, len(rows))
        import_log(user, Store, filename, result)
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
                differs = assign(store, row.values)
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
