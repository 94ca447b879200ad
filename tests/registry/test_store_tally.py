"""The store tally the database keeps (migration 0007) always equals the live count.

Every shape of write is tried: single and bulk inserts, saves of stale objects, queryset
updates and deletes of stores, memberships and registrations, the services a clerk uses, and a
TRUNCATE. After each, the tally is compared with a count made from scratch, and the dashboard's
figures with the lists they link to.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import connection
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import services
from registry.choices import AffiliateStatus, CertificateType, DistrictStatus, StoreStatus
from registry.filters import StoreFilterSet
from registry.models import AffiliateRegistration, Membership, Store, StoreTally
from registry.selectors import (
    business_type_mix,
    district_figures,
    dong_figures,
    store_counts,
)
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
)

LIVE_TALLY = """
SELECT s.office_id, s.dong_id, m.district_id, s.ksic_code, s.business_type,
       EXISTS (SELECT FROM registry_affiliateregistration a
               WHERE a.store_id = s.id AND a.status = 'approved'
                 AND a.certificate_type IN ('card', 'mobile')),
       count(*)
FROM registry_store s
LEFT JOIN registry_membership m ON m.store_id = s.id AND m.left_on IS NULL
WHERE s.status = 'active'
GROUP BY 1, 2, 3, 4, 5, 6
"""


def live_tally() -> dict[tuple, int]:
    with connection.cursor() as cursor:
        cursor.execute(LIVE_TALLY)
        return {row[:-1]: row[-1] for row in cursor.fetchall()}


def kept_tally() -> dict[tuple, int]:
    rows = StoreTally.objects.exclude(stores=0).values_list(
        "office_id", "dong_id", "district_id", "ksic_code", "business_type", "digital", "stores"
    )
    return {row[:-1]: row[-1] for row in rows}


def assert_tally_is_live() -> None:
    assert kept_tally() == live_tally()
    assert not StoreTally.objects.filter(stores__lt=0).exists()


def listed(office, **filters) -> int:
    """The count of the store list the dashboard's store figures link to."""
    data = QueryDict(mutable=True)
    data.update({"status": "active", **filters})
    rows = Store.objects.filter(office=office)
    return StoreFilterSet(data, queryset=rows, request=SimpleNamespace(user=None)).qs.count()


def assert_figures_equal_lists(office) -> None:
    counts = store_counts(office)
    assert counts.active == listed(office)
    assert counts.members == listed(office, member="true")
    assert counts.digital == listed(office, digital_affiliate="true")
    stores = Store.objects.filter(office=office, status=StoreStatus.ACTIVE)
    digital = AffiliateRegistration.objects.filter(
        status=AffiliateStatus.APPROVED,
        certificate_type__in=[CertificateType.CARD, CertificateType.MOBILE],
    ).values("store_id")
    for dong in dong_figures(office):
        in_dong = stores.filter(dong_id=dong.dong_id)
        assert (dong.stores, dong.affiliates) == (
            in_dong.count(),
            in_dong.filter(pk__in=digital).count(),
        ), dong
    for district in district_figures(office.districts.all()):
        members = stores.filter(
            memberships__district_id=district.district_id, memberships__left_on__isnull=True
        )
        assert (district.stores, district.affiliates) == (
            members.count(),
            members.filter(pk__in=digital).count(),
        ), district
    mix = {row.ksic_code: row.stores for row in business_type_mix(office)}
    assert mix == {
        code: stores.filter(ksic_code=code).count()
        for code in stores.values_list("ksic_code", flat=True).distinct()
    }


@pytest.fixture
def town(db):
    """Two offices, each with two dongs, a designated and an applied district."""
    offices = []
    for code in ("29140", "29110"):
        office = OfficeFactory(code=code)
        dongs = [DongFactory(office=office), DongFactory(office=office)]
        districts = [
            DesignatedDistrictFactory(office=office),
            DistrictFactory(office=office, status=DistrictStatus.APPLIED),
        ]
        offices.append(SimpleNamespace(office=office, dongs=dongs, districts=districts))
    return offices


KSIC = [("56111", "한식 일반 음식점업"), ("47121", "슈퍼마켓"), ("47121", "동네 슈퍼")]

step = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 1), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("bulk_create"), st.integers(0, 1), st.integers(1, 4), st.integers(0, 2)),
    st.tuples(st.just("move"), st.integers(0, 99), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("close"), st.integers(0, 99), st.booleans(), st.just(0)),
    st.tuples(st.just("delete"), st.integers(0, 99), st.just(0), st.just(0)),
    st.tuples(st.just("join"), st.integers(0, 99), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("leave"), st.integers(0, 99), st.booleans(), st.just(0)),
    st.tuples(st.just("register"), st.integers(0, 99), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("registration"), st.integers(0, 99), st.integers(0, 3), st.just(0)),
    st.tuples(st.just("district"), st.integers(0, 3), st.booleans(), st.just(0)),
)


def _store(number: int) -> Store | None:
    stores = list(Store.objects.order_by("pk"))
    return stores[number % len(stores)] if stores else None


def _apply(town, action, a, b, c) -> None:
    if action == "create":
        place = town[a]
        StoreFactory(office=place.office, dong=place.dongs[b], ksic_code=KSIC[c][0])
        return
    if action == "bulk_create":
        place = town[a]
        Store.objects.bulk_create(
            StoreFactory.build(office=place.office, dong=place.dongs[n % 2], ksic_code=KSIC[c][0])
            for n in range(b)
        )
        return
    if action == "district":
        # Designation and revocation change no store: only which districts count as members'.
        district = town[a // 2].districts[a % 2]
        district.designation_no = district.designation_no or f"서구-2026-{district.pk:03d}"
        district.designated_on = district.designated_on or date(2026, 1, 20)
        if b:
            district.status, district.revoked_on, district.revocation_ground = (
                DistrictStatus.DESIGNATED,
                None,
                "",
            )
        else:
            district.status, district.revoked_on, district.revocation_ground = (
                DistrictStatus.REVOKED,
                date(2026, 6, 1),
                "criteria_not_met",
            )
        district.save()
        return
    store = _store(a)
    if store is None:
        return
    place = next(p for p in town if p.office.pk == store.office_id)
    if action == "move":
        # A queryset update, and a save of the object as it was read (stale on purpose).
        Store.objects.filter(pk=store.pk).update(dong=place.dongs[b])
        store.ksic_code, store.business_type = KSIC[c]
        store.save()
    elif action == "close":
        if b:
            Store.objects.filter(pk=store.pk).update(
                status=StoreStatus.CLOSED, closed_on=date(2026, 3, 1)
            )
        else:
            Store.objects.filter(pk=store.pk).update(status=StoreStatus.ACTIVE, closed_on=None)
    elif action == "delete":
        store.affiliations.all().delete()
        store.memberships.all().delete()
        store.delete()
    elif action == "join":
        if not store.memberships.filter(left_on__isnull=True).exists():
            MembershipFactory(store=store, district=place.districts[b])
    elif action == "leave":
        current = store.memberships.filter(left_on__isnull=True)
        if b:
            current.update(left_on=date(2026, 6, 1))
        else:
            current.delete()
    elif action == "register":
        kind = [CertificateType.PAPER, CertificateType.CARD, CertificateType.MOBILE][b]
        if not store.affiliations.filter(certificate_type=kind).exists():
            factory = ApprovedAffiliateFactory if c else AffiliateRegistrationFactory
            factory(store=store, certificate_type=kind)
    elif action == "registration":
        registration = store.affiliations.order_by("pk").first()
        if registration is None:
            return
        if b == 0:
            registration.delete()
        elif b == 1:
            store.affiliations.filter(status=AffiliateStatus.APPROVED).update(
                status=AffiliateStatus.REVOKED,
                revoked_on=date(2026, 5, 1),
                strike_off_reason="store_closed",
            )
        elif b == 2:
            store.affiliations.filter(status=AffiliateStatus.REVOKED).update(
                status=AffiliateStatus.APPROVED, revoked_on=None, strike_off_reason=""
            )
        else:
            registration.certificate_type = CertificateType.PAPER
            registration.save()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(step, min_size=1, max_size=14))
def test_the_tally_equals_the_live_count_after_any_writes(town, steps):
    for action, a, b, c in steps:
        _apply(town, action, a, b, c)
        assert_tally_is_live()
    for place in town:
        assert_figures_equal_lists(place.office)


def test_the_services_keep_the_tally(office, dong, clerk):
    district = DesignatedDistrictFactory(office=office, dongs=[dong])
    store = services.store_register(
        office=office,
        user=clerk,
        business_number="1234567891",
        trade_name="골목식당",
        representative="홍길동",
        dong=dong,
        ksic_code="56111",
        business_type="한식 일반 음식점업",
    )
    assert_tally_is_live()
    services.membership_join(store=store, district=district, user=clerk)
    registration = AffiliateRegistrationFactory(store=store, certificate_type=CertificateType.CARD)
    services.affiliate_approve(
        registration=registration,
        user=clerk,
        affiliate_number="ON-00000001",
        settlement_bank="광주은행",
        settlement_account="123-456-789012",
        settlement_holder="홍길동",
    )
    assert_tally_is_live()
    assert store_counts(office).digital == 1 and store_counts(office).members == 1
    services.district_revoke(
        district=district, user=clerk, ground="criteria_not_met", revoked_on=date(2026, 6, 1)
    )
    assert_tally_is_live()
    assert_figures_equal_lists(office)
    services.store_close(store=Store.objects.get(pk=store.pk), user=clerk)
    assert_tally_is_live()
    assert store_counts(office).active == 0


def test_a_stale_save_of_a_store_keeps_what_the_database_knows(office, dong):
    store = StoreFactory(office=office, dong=dong)
    ApprovedAffiliateFactory(store=store, certificate_type=CertificateType.MOBILE)
    store.trade_name = "새 상호"
    store.save()  # the object was read before the registration
    assert store_counts(office).digital == 1
    assert_tally_is_live()


def test_truncating_the_stores_empties_the_tally(office, dong):
    MembershipFactory(store=StoreFactory(office=office, dong=dong))
    assert StoreTally.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key check left pending
        cursor.execute("TRUNCATE registry_store CASCADE")
    assert not StoreTally.objects.exists()
    assert Membership.objects.count() == 0
