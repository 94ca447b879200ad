"""The demo's plan: an office's districts, stores, memberships and Onnuri registrations as plain
values, built without the database from two seeded random streams."""

import functools
import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.demo import DEFAULT_SEED
from core.numbers import brn_complete
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    StoreStatus,
    StrikeOffReason,
)
from registry.constants import DEFAULT_AFFILIATE_SALES_CAP, DEFAULT_RESTRICTED_BUSINESS_TYPES
from registry.demo.profile import (
    _BANK_WEIGHTS,
    _KIND_WEIGHTS,
    _SURNAME_WEIGHTS,
    ADJECTIVES,
    BANKS,
    BUSINESS_KINDS,
    CHAINS,
    DISTRICT_PATTERNS,
    GIVEN_FIRST,
    GIVEN_SECOND,
    SEOGU_PROFILE,
    STRIKE_OFF_NOTES,
    SURNAMES,
    WORDS,
    DongProfile,
    OfficeProfile,
)

MAX_COUNTED_AREA_M2 = 1_990  # within the default 2,000 m² limit
# Onnuri affiliation predates the districts; closures shown are the recent ones.
AFFILIATION_EPOCH = date(2015, 1, 1)
CLOSURES_FROM = date(2023, 3, 1)
RESTRICTED_CODES = frozenset(code for code, _name in DEFAULT_RESTRICTED_BUSINESS_TYPES)
_TYPE_DIGIT = {CertificateType.PAPER: "1", CertificateType.CARD: "2", CertificateType.MOBILE: "3"}


@dataclass
class DistrictPlan:
    name: str
    dongs: list[str]
    status: str
    applied_on: date
    required_stores: int
    members: int = 0
    designation_no: str | None = None
    designated_on: date | None = None
    certificate_days: int = 5
    decided_on: date | None = None
    rejection_reason: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class AffiliationPlan:
    certificate_type: str
    status: str
    applied_on: date
    approved_on: date | None = None
    affiliate_number: str | None = None
    settlement: tuple[str, str, str] = ("", "", "")
    revoked_on: date | None = None
    strike_off_reason: str = ""
    strike_off_note: str = ""
    rejection_reason: str = ""
    decided_on: date | None = None


@dataclass
class StorePlan:
    business_number: str
    trade_name: str
    representative: str
    phone: str
    road_address: str
    dong: str
    ksic_code: str
    business_type: str
    is_small_business: bool
    in_traditional_market: bool = False
    annual_sales: int | None = None
    opened_on: date | None = None
    status: str = StoreStatus.ACTIVE
    closed_on: date | None = None
    district: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    affiliations: list[AffiliationPlan] = field(default_factory=list)


@dataclass
class OfficePlan:
    profile: OfficeProfile
    districts: list[DistrictPlan]
    stores: list[StorePlan]


def office_plan(profile: OfficeProfile, *, seed: int = DEFAULT_SEED, today: date) -> OfficePlan:
    """The office's whole demo data as plain values; the same seed gives the same data.

    Names, numbers and who belongs where come from one random stream that never looks at
    `today`, so the natural keys stay the same whatever day the demo is built; dates and
    statuses come from a second stream.
    """
    ids = random.Random(f"golmok-demo:{seed}:{profile.code}:ids")
    facts = random.Random(f"golmok-demo:{seed}:{profile.code}:facts")
    districts = _plan_districts(profile, ids, facts, today)
    stores = _plan_stores(profile, districts, ids, facts, today)
    _plan_affiliations(profile, stores, facts, today)
    return OfficePlan(profile=profile, districts=districts, stores=stores)


def _plan_districts(profile, ids, facts, today) -> list[DistrictPlan]:
    taken: set[str] = set()
    plans = []
    for index, dong in enumerate(profile.dongs):
        for _n in range(dong.districts):
            dongs = [dong.name]
            if len(profile.dongs) > 1 and ids.random() < 0.15:
                dongs.append(profile.dongs[(index + ids.choice((-1, 1))) % len(profile.dongs)].name)
            designated_on = _designation_day(facts, today)
            required = 30 if designated_on < profile.relaxed_since else profile.min_stores
            district = DistrictPlan(
                name=_district_name(ids, dong, taken),
                dongs=dongs,
                status=DistrictStatus.DESIGNATED,
                applied_on=designated_on - timedelta(days=facts.randint(16, 75)),
                designated_on=designated_on,
                certificate_days=facts.randint(1, 12),
                required_stores=required,
                members=max(required + 6, min(160, round(ids.lognormvariate(math.log(58), 0.45)))),
            )
            plans.append(district)
    _number_designations(profile, plans)
    if profile.applications:
        plans.extend(_plan_applications(profile, ids, facts, today, taken))
    return plans


def _designation_day(facts: random.Random, today: date) -> date:
    year = facts.choices((2023, 2024, 2025), weights=(25, 38, 37))[0]
    start, end = date(year, 2, 1), min(date(year, 12, 20), today - timedelta(days=30))
    return start + timedelta(days=facts.randint(0, max((end - start).days, 0)))


def _number_designations(profile: OfficeProfile, plans: list[DistrictPlan]) -> None:
    """`서구-2024-001`…: numbered by designation date within each year."""
    prefix = profile.name.split()[-1]
    by_year: dict[int, int] = {}
    for plan in sorted(plans, key=lambda p: (p.designated_on, p.name)):
        serial = by_year[plan.designated_on.year] = by_year.get(plan.designated_on.year, 0) + 1
        plan.designation_no = f"{prefix}-{plan.designated_on.year}-{serial:03d}"


def _district_name(ids: random.Random, dong: DongProfile, taken: set[str]) -> str:
    for attempt in range(200):
        place = ids.choice(dong.places)
        pattern = ids.choice(DISTRICT_PATTERNS)
        if place.endswith("시장") and attempt % 2 == 0:
            pattern = "{p} 골목"
        name = pattern.format(p=place)
        if name not in taken:
            taken.add(name)
            return name
    name = f"{dong.name} 골목상점가 {len(taken) + 1}"
    taken.add(name)
    return name


def _district_details(profile, dong, district, ids, facts) -> dict:
    """Area, organisation and consent figures that meet the criteria for `district.members`."""
    counted = facts.randint(900, MAX_COUNTED_AREA_M2)
    excluded = facts.randint(counted * 12 // 100, counted * 40 // 100)
    merchants = district.members + facts.randint(0, 8)
    owners = facts.randint(10, 45)
    road = ids.choice(dong.roads)
    first = facts.randint(1, 120)
    representative = _person(ids)
    return {
        "location": f"{profile.name} {road} {first}~{first + facts.randint(20, 90)} 일원",
        "area_m2": counted + excluded,
        "excluded_area_m2": excluded,
        "in_commercial_zone": dong.commercial and facts.random() < 0.7,
        "association_name": f"{district.name} 상인회",
        "representative": representative,
        "association_phone": f"062-{facts.choice('36')}{facts.randint(0, 99):02d}-"
        f"{facts.randint(0, 9999):04d}",
        "applied_by_representative": True,
        "merchant_count": merchants,
        "consenting_merchants": math.ceil(merchants * facts.uniform(0.56, 0.95)),
        "owner_count": owners,
        "consenting_owners": facts.randint(owners // 3, owners),
    }


def _plan_applications(profile, ids, facts, today, taken) -> list[DistrictPlan]:
    """Six open applications (three past their 14-day due date, two failing a criterion) and
    one rejected, so the clerk's queue and the overdue flag have something to show."""
    plans = []
    days_ago = (2, 6, 11, 19, 27, 41, 95)
    for n, ago in enumerate(days_ago):
        dong = profile.dongs[-1 - (n * 5) % len(profile.dongs)]
        rejected = n == len(days_ago) - 1
        plan = DistrictPlan(
            name=_district_name(ids, dong, taken),
            dongs=[dong.name],
            status=DistrictStatus.REJECTED if rejected else DistrictStatus.APPLIED,
            applied_on=today - timedelta(days=ago),
            required_stores=profile.min_stores,
            members=facts.randint(profile.min_stores + 2, 45),
        )
        plan.details = _district_details(profile, dong, plan, ids, facts)
        small = plan.members - facts.randint(0, 2)
        if n == 2:  # too few small businesses
            small = profile.min_stores - 3
        plan.details |= {"store_count": plan.members, "small_business_store_count": small}
        if n == 4:  # not enough merchants consent
            plan.details["consenting_merchants"] = plan.details["merchant_count"] * 2 // 5
        if rejected:
            plan.decided_on = plan.applied_on + timedelta(days=12)
            plan.rejection_reason = "상인 동의서 중 다수가 동일 필적으로 확인되어 재확인이 필요함"
        plans.append(plan)
    return plans


def _plan_stores(profile, districts, ids, facts, today) -> list[StorePlan]:
    designated = [d for d in districts if d.status == DistrictStatus.DESIGNATED]
    wanted_members = profile.stores * 72 // 100
    scale = wanted_members / max(sum(d.members for d in designated), 1)
    for d in designated:
        d.members = max(d.required_stores + 4, round(d.members * scale))
    dongs = {d.name: d for d in profile.dongs}
    used: set[str] = set()
    stores: list[StorePlan] = []
    for district in designated:
        district.details = _district_details(
            profile, dongs[district.dongs[0]], district, ids, facts
        )
        for n in range(district.members):
            dong = dongs[district.dongs[0] if ids.random() < 0.85 else ids.choice(district.dongs)]
            store = _store(profile, dong, ids, facts, today, used)
            store.is_small_business = store.is_small_business or n < district.required_stores + 3
            _join(store, district, facts, today)
            stores.append(store)
        district.details |= {
            "store_count": district.members,
            "small_business_store_count": sum(
                1 for s in stores[-district.members :] if s.is_small_business
            ),
        }
    weights = [d.districts + 3 for d in profile.dongs]
    for _n in range(max(profile.stores - len(stores), 0)):
        dong = ids.choices(profile.dongs, weights=weights)[0]
        store = _store(profile, dong, ids, facts, today, used)
        store.in_traditional_market = bool(dong.market) and ids.random() < 0.5
        stores.append(store)
    for store in stores:
        _maybe_close(store, facts, today)
    return stores


def _store(profile, dong, ids, facts, today, used: set[str]) -> StorePlan:
    code, kind_name, _w, patterns = ids.choices(BUSINESS_KINDS, weights=_KIND_WEIGHTS)[0]
    representative = _person(ids)
    local = _trade_places(dong) or _ALL_PLACES
    place = ids.choice(local) if ids.random() < 0.7 else ids.choice(_ALL_PLACES)
    name = ids.choice(patterns).format(
        p=place,
        a=ids.choice(ADJECTIVES),
        s=representative[0],
        w=ids.choice(WORDS),
        c=ids.choice(CHAINS),
        n=ids.randint(1, 3),
    )
    corporate = ids.random() < 0.04
    if corporate and code in {"47121", "56221", "56191"}:
        name = f"(주){name}"
    address = f"{profile.name} {ids.choice(dong.roads)} {ids.randint(1, 320)}"
    if ids.random() < 0.3:
        address += f"-{ids.randint(1, 30)}"
    if ids.random() < 0.25:
        address += f", {ids.randint(1, 4)}층"
    return StorePlan(
        business_number=_business_number(profile, ids, used, corporate),
        trade_name=name,
        representative=representative,
        phone=f"010{ids.randint(2000, 9999)}{ids.randint(0, 9999):04d}",
        road_address=address,
        dong=dong.name,
        ksic_code=code,
        business_type=kind_name,
        is_small_business=ids.random() < 0.95,
        annual_sales=_annual_sales(code, facts),
        opened_on=today - timedelta(days=20 + min(int(facts.expovariate(1 / 2500)), 12_000)),
    )


@functools.cache
def _trade_places(dong: DongProfile) -> tuple[str, ...]:
    """Place names a shop would carry: 치평동 → 치평; none with a number (양3동, 농성2동)."""
    return tuple(
        p.removesuffix("동") if len(p) > 2 and p.endswith("동") else p
        for p in dong.places
        if not any(c.isdigit() for c in p)
    )


_ALL_PLACES = tuple(p for d in SEOGU_PROFILE.dongs for p in _trade_places(d)[:2])


def _business_number(profile, ids, used: set[str], corporate: bool) -> str:
    """A valid ten-digit number: tax office, kind (01-79 individual, 81/86/87 corporate), serial
    (never 0000, SPEC 2.1)."""
    while True:
        middle = ids.choice((81, 86, 87)) if corporate else ids.randint(1, 79)
        first_nine = f"{ids.choice(profile.tax_offices)}{middle:02d}{ids.randint(1, 9999):04d}"
        number = brn_complete(first_nine)
        if number not in used:
            used.add(number)
            return number


def _annual_sales(code: str, facts: random.Random) -> int | None:
    if facts.random() < 0.1:
        return None
    if code == "47121" and facts.random() < 0.12:
        return facts.randint(3_100, 4_800) * 1_000_000  # above the affiliate cap
    sales = facts.lognormvariate(math.log(180_000_000), 0.75)
    return min(int(sales) // 10_000 * 10_000, 2_900_000_000)


def _person(ids: random.Random) -> str:
    surname = ids.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0][0]
    return surname + ids.choice(GIVEN_FIRST) + ids.choice(GIVEN_SECOND)


def _join(store: StorePlan, district: DistrictPlan, facts: random.Random, today: date) -> None:
    start = max(store.opened_on, district.designated_on)
    store.district = district.name
    store.joined_on = min(start + timedelta(days=facts.randint(0, 45)), today)


def _maybe_close(store: StorePlan, facts: random.Random, today: date) -> None:
    if facts.random() >= 0.03:
        return
    start = max(store.opened_on, store.joined_on or store.opened_on) + timedelta(days=30)
    start = max(start, CLOSURES_FROM)
    if start >= today - timedelta(days=1):
        return
    store.status = StoreStatus.CLOSED
    store.closed_on = start + timedelta(days=facts.randint(0, (today - start).days - 1))
    if store.district:
        store.left_on = store.closed_on


def _plan_affiliations(profile, stores, facts, today) -> None:
    """About 60% of stores become approved affiliates; a few applications wait, fail, or were
    struck off, so every state of SPEC 2.4 appears."""
    serials = dict.fromkeys(CertificateType.values, 0)
    for store in stores:
        restricted = store.ksic_code in RESTRICTED_CODES
        sales_ok = store.annual_sales is None or store.annual_sales <= DEFAULT_AFFILIATE_SALES_CAP
        zone_ok = bool(store.district) or store.in_traditional_market
        active = store.status == StoreStatus.ACTIVE
        if zone_ok and sales_ok and not restricted and facts.random() < 0.85:
            for kind in _certificate_types(facts):
                serials[kind] += 1
                store.affiliations.append(
                    _approved(profile, store, kind, serials[kind], facts, today)
                )
            struck = active and _maybe_strike_off(store, facts, today)
            missing = [t for t in CertificateType.values if t not in _types(store)]
            if active and not struck and missing and store.district and facts.random() < 0.05:
                store.affiliations.append(_applied(facts.choice(missing), facts, today))
        elif active and restricted and facts.random() < 0.06:
            plan = _applied(CertificateType.PAPER, facts, today, days=(60, 400))
            plan.status = AffiliateStatus.REJECTED
            plan.decided_on = plan.applied_on + timedelta(days=facts.randint(3, 14))
            plan.rejection_reason = f"제한 업종({store.business_type})은 가맹 대상이 아님"
            store.affiliations.append(plan)
        elif active and not zone_ok and facts.random() < 0.02:
            store.affiliations.append(_applied(CertificateType.PAPER, facts, today))


def _types(store: StorePlan) -> set[str]:
    return {a.certificate_type for a in store.affiliations}


def _certificate_types(facts: random.Random) -> list[str]:
    kinds = [
        kind
        for kind, chance in (
            (CertificateType.PAPER, 0.82),
            (CertificateType.CARD, 0.5),
            (CertificateType.MOBILE, 0.68),
        )
        if facts.random() < chance
    ]
    return kinds or [CertificateType.PAPER]


def _approved(profile, store, kind, serial, facts, today) -> AffiliationPlan:
    start = max(store.joined_on or store.opened_on, store.opened_on, AFFILIATION_EPOCH)
    end = (store.closed_on or today) - timedelta(days=1)
    approved_on = min(start + timedelta(days=facts.randint(7, 240)), end)
    approved_on = max(approved_on, start)
    bank, _weight, pattern = facts.choices(BANKS, weights=_BANK_WEIGHTS)[0]
    account = "".join(str(facts.randint(0, 9)) if c == "#" else c for c in pattern)
    plan = AffiliationPlan(
        certificate_type=kind,
        status=AffiliateStatus.APPROVED,
        applied_on=approved_on - timedelta(days=facts.randint(3, 21)),
        approved_on=approved_on,
        affiliate_number=f"{profile.code}{_TYPE_DIGIT[kind]}{serial:06d}",
        settlement=(bank, account, store.representative),
        decided_on=approved_on,
    )
    if store.status == StoreStatus.CLOSED:
        plan.status = AffiliateStatus.REVOKED
        plan.revoked_on = store.closed_on
        plan.strike_off_reason = StrikeOffReason.STORE_CLOSED
    return plan


def _maybe_strike_off(store: StorePlan, facts: random.Random, today: date) -> bool:
    """Strike a few affiliates off, every type at once, as an office does on misuse."""
    last = max(a.approved_on for a in store.affiliations)
    if facts.random() >= 0.005 or (today - last).days <= 40:
        return False
    revoked_on = last + timedelta(days=facts.randint(30, (today - last).days))
    reason, note = facts.choice(STRIKE_OFF_NOTES)
    for plan in store.affiliations:
        plan.status = AffiliateStatus.REVOKED
        plan.revoked_on = revoked_on
        plan.strike_off_reason, plan.strike_off_note = reason, note
    return True


def _applied(kind: str, facts: random.Random, today: date, days=(0, 40)) -> AffiliationPlan:
    return AffiliationPlan(
        certificate_type=kind,
        status=AffiliateStatus.APPLIED,
        applied_on=today - timedelta(days=facts.randint(*days)),
    )
