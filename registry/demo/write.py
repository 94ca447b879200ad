"""Writing a plan: bulk inserts of the rows an office does not have yet.

Rows are inserted without history rows (demo data has no past to keep); the stores, memberships
and registrations go in by COPY on PostgreSQL (`core.demo.rows_insert`). Each row is keyed on a
natural key (district name, business number, store and certificate type), so writing the same
plan again adds only what is missing; other offices' rows are never touched.
"""

from datetime import date, datetime, time, timedelta

from core.clock import SEOUL
from core.demo import rows_insert
from registry.choices import DistrictStatus
from registry.demo.plan import AffiliationPlan, DistrictPlan, OfficePlan
from registry.models import AffiliateRegistration, District, Dong, Membership, Office, Store, User

BATCH = 2000


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SEOUL)


def office_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> dict:
    """Write the plan's rows that the office does not have yet; return how many were added."""
    return {
        "districts": districts_write(office, plan, clerk=clerk),
        "stores": stores_write(office, plan),
        "memberships": memberships_write(office, plan),
        "affiliations": affiliations_write(office, plan, clerk=clerk),
    }


def districts_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> int:
    existing = District.objects.filter(office=office)
    names = set(existing.values_list("name", flat=True))
    numbers = set(existing.exclude(designation_no=None).values_list("designation_no", flat=True))
    new = [d for d in plan.districts if d.name not in names and d.designation_no not in numbers]
    District.objects.bulk_create([_district(office, d, clerk) for d in new], batch_size=BATCH)
    ids = dict(existing.filter(name__in=[d.name for d in new]).values_list("name", "id"))
    dongs = dict(Dong.objects.filter(office=office).values_list("name", "id"))
    through = District.dongs.through
    through.objects.bulk_create(
        [through(district_id=ids[d.name], dong_id=dongs[n]) for d in new for n in d.dongs],
        batch_size=BATCH,
    )
    return len(new)


def _district(office: Office, plan: DistrictPlan, clerk: User | None) -> District:
    district = District(
        office=office,
        name=plan.name,
        status=plan.status,
        applied_on=plan.applied_on,
        designation_no=plan.designation_no,
        designated_on=plan.designated_on,
        rejection_reason=plan.rejection_reason,
        **plan.details,
    )
    decided_on = plan.designated_on or plan.decided_on
    if decided_on:
        district.decided_by = clerk
        district.decided_at = _at(decided_on)
    if plan.designated_on:
        issued = plan.designated_on + timedelta(days=plan.certificate_days)
        district.certificate_issued_at = _at(issued, 15)
    return district


def stores_write(office: Office, plan: OfficePlan) -> int:
    existing = set(Store.objects.filter(office=office).values_list("business_number", flat=True))
    dongs = dict(Dong.objects.filter(office=office).values_list("name", "id"))
    return rows_insert(
        Store,
        (
            {
                "office_id": office.pk,
                "business_number": s.business_number,
                "trade_name": s.trade_name,
                "representative": s.representative,
                "phone": s.phone,
                "road_address": s.road_address,
                "dong_id": dongs[s.dong],
                "ksic_code": s.ksic_code,
                "business_type": s.business_type,
                "is_small_business": s.is_small_business,
                "in_traditional_market": s.in_traditional_market,
                "annual_sales": s.annual_sales,
                "opened_on": s.opened_on,
                "status": s.status,
                "closed_on": s.closed_on,
            }
            for s in plan.stores
            if s.business_number not in existing
        ),
    )


def _store_ids(office: Office) -> dict[str, int]:
    return dict(Store.objects.filter(office=office).values_list("business_number", "id"))


def memberships_write(office: Office, plan: OfficePlan) -> int:
    stores = _store_ids(office)
    districts = dict(
        District.objects.filter(office=office, status=DistrictStatus.DESIGNATED).values_list(
            "name", "id"
        )
    )
    members = set(
        Membership.objects.filter(store__office=office).values_list("store_id", flat=True)
    )
    return rows_insert(
        Membership,
        (
            {
                "store_id": stores[s.business_number],
                "district_id": districts[s.district],
                "joined_on": s.joined_on,
                "left_on": s.left_on,
            }
            for s in plan.stores
            if s.district in districts
            and s.business_number in stores
            and stores[s.business_number] not in members
        ),
    )


def affiliations_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> int:
    stores = _store_ids(office)
    registrations = AffiliateRegistration.objects.filter(store__office=office)
    have = set(registrations.values_list("store_id", "certificate_type"))
    numbers = set(
        AffiliateRegistration.objects.filter(affiliate_number__startswith=office.code).values_list(
            "certificate_type", "affiliate_number"
        )
    )
    return rows_insert(
        AffiliateRegistration,
        (
            _registration(stores[s.business_number], a, clerk)
            for s in plan.stores
            if s.business_number in stores
            for a in s.affiliations
            if (stores[s.business_number], a.certificate_type) not in have
            and (a.certificate_type, a.affiliate_number) not in numbers
        ),
    )


def _registration(store_id: int, plan: AffiliationPlan, clerk: User | None) -> dict:
    bank, account, holder = plan.settlement
    return {
        "store_id": store_id,
        "certificate_type": plan.certificate_type,
        "status": plan.status,
        "applied_on": plan.applied_on,
        "affiliate_number": plan.affiliate_number,
        "approved_on": plan.approved_on,
        "settlement_bank": bank,
        "settlement_account": account,
        "settlement_holder": holder,
        "decided_by_id": clerk.pk if clerk and plan.decided_on else None,
        "decided_at": _at(plan.decided_on, 11) if plan.decided_on else None,
        "rejection_reason": plan.rejection_reason,
        "revoked_on": plan.revoked_on,
        "strike_off_reason": plan.strike_off_reason,
        "strike_off_note": plan.strike_off_note,
    }
