from datetime import date

import pytest

from cashback import services
from cashback.services import WeekOverride
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
)


@pytest.fixture
def alley_pay(office, clerk):
    """Seo-gu's 2026 Alley Pay: the reference campaign of SPEC 3.1."""
    return services.campaign_create(
        office=office,
        user=clerk,
        code="alleypay-2026",
        name="2026 골목페이 캐시백",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 4, 2),
        weekly_budget=100_000_000,
        week_overrides=[WeekOverride(5, budget=200_000_000), WeekOverride(6, budget=200_000_000)],
        total_budget=1_400_000_000,
    )


@pytest.fixture
def eligible_store(office):
    """A store in a designated district, an approved card and mobile affiliate (imported)."""
    store = StoreFactory(office=office, business_number="2208162517")
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    MembershipFactory(store=store, district=district, joined_on=None)
    for kind in ("card", "mobile"):
        ApprovedAffiliateFactory(store=store, certificate_type=kind, approved_on=None)
    return store


@pytest.fixture
def three_stores(office):
    """Three card and mobile affiliates: two in a designated district, one not a member."""
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    stores = []
    for index in range(3):
        store = StoreFactory(office=office)
        if index < 2:
            MembershipFactory(store=store, district=district, joined_on=None)
        for kind in ("card", "mobile"):
            ApprovedAffiliateFactory(store=store, certificate_type=kind, approved_on=None)
        stores.append(store)
    return stores
