"""Links between registry records in the admin: a district's current stores, a store's
memberships and registrations, and the panels the apps above add to a store's page, in a
bounded number of queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cashback import services as cashback_services
from cashback.services import PaymentInput
from registry.models import Membership
from tests.cashback.factories import CampaignFactory
from tests.hotline.conftest import intake, seoul
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STORES = reverse("admin:registry_store_changelist")


def district_page(district) -> str:
    return reverse("admin:registry_district_change", args=[district.pk])


def store_page(store) -> str:
    return reverse("admin:registry_store_change", args=[store.pk])


def panel(response, key: str):
    return next((p for p in response.context["related_panels"] if p.key == key), None)


@pytest.fixture
def district(office):
    """A district with twelve current members and two that left; one store of another district."""
    district = DesignatedDistrictFactory(office=office, name="치평 먹자골목")
    for n in range(12):
        MembershipFactory(
            store=StoreFactory(office=office, trade_name=f"가게 {n:02d}"), district=district
        )
    for n in range(2):
        MembershipFactory(
            store=StoreFactory(office=office, trade_name=f"떠난 가게 {n}"),
            district=district,
            left_on=date(2025, 12, 31),
        )
    MembershipFactory(
        store=StoreFactory(office=office), district=DesignatedDistrictFactory(office=office)
    )
    return district


def test_a_districts_page_counts_its_current_stores_as_the_store_list_it_links_to(
    client, clerk, district
):
    client.force_login(clerk)
    stores = panel(client.get(district_page(district)), "stores")
    assert stores.title == "현재 소속 점포"
    assert (stores.count, stores.count_text) == (12, "모두 12곳")
    assert stores.list_url == f"{STORES}?district={district.pk}"

    listing = client.get(stores.list_url)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == stores.count
    current = Membership.objects.filter(district=district, left_on__isnull=True)
    assert {s.pk for s in listing.context["cl"].result_list} == set(
        current.values_list("store_id", flat=True)
    )


def test_the_district_panel_links_its_first_ten_stores_by_name(client, clerk, district):
    client.force_login(clerk)
    response = client.get(district_page(district))
    rows = panel(response, "stores").rows
    assert [row.text.split(" (")[0] for row in rows] == [f"가게 {n:02d}" for n in range(10)]
    first = district.memberships.get(store__trade_name="가게 00").store
    assert rows[0].url == store_page(first)
    html = response.content.decode()
    assert "현재 소속 점포" in html and "모두 12곳" in html
    assert f'href="{STORES}?district={district.pk}"' in html


def test_the_district_panel_agrees_with_the_district_lists_member_count(client, clerk, district):
    client.force_login(clerk)
    listing = client.get(reverse("admin:registry_district_changelist"))
    shown = {d.pk: d.current_members for d in listing.context["cl"].result_list}
    assert shown[district.pk] == panel(client.get(district_page(district)), "stores").count


def test_the_district_panel_never_counts_another_offices_stores(
    client, clerk, district, other_office
):
    # A store of another office recorded in this district: the wall keeps it out.
    MembershipFactory(store=StoreFactory(office=other_office), district=district)
    client.force_login(clerk)
    stores = panel(client.get(district_page(district)), "stores")
    assert stores.count == 12
    assert client.get(stores.list_url).context["cl"].result_count == 12


def test_the_store_list_filtered_by_a_bad_district_id_lists_nothing(client, clerk, district):
    client.force_login(clerk)
    response = client.get(STORES, {"district": "abc"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_a_stores_page_links_its_memberships_and_registrations(client, clerk, office):
    store = StoreFactory(office=office)
    district = DesignatedDistrictFactory(office=office)
    membership = MembershipFactory(store=store, district=district)
    affiliation = ApprovedAffiliateFactory(store=store)
    client.force_login(clerk)
    html = client.get(store_page(store)).content.decode()
    assert reverse("admin:registry_membership_change", args=[membership.pk]) in html
    assert f'href="{district_page(district)}"' in html
    assert reverse("admin:registry_affiliateregistration_change", args=[affiliation.pk]) in html


SEOUL = ZoneInfo("Asia/Seoul")


def _fill(store, *, cases: int, payments: int, memberships: int, affiliations: int, user):
    office = store.office
    districts = [DesignatedDistrictFactory(office=office) for _ in range(memberships)]
    for n, district in enumerate(districts):
        last = n == len(districts) - 1
        MembershipFactory(
            store=store,
            district=district,
            joined_on=date(2020 + n, 1, 1),
            left_on=None if last else date(2020 + n, 12, 31),
        )
    for kind in ("paper", "card", "mobile")[:affiliations]:
        ApprovedAffiliateFactory(store=store, certificate_type=kind)
    for n in range(cases):
        intake(office, user, store=store, at=seoul(2026, 3, 2 + n % 5, 10))
    campaign = CampaignFactory(office=office)
    for n in range(payments):
        data = PaymentInput.parse(
            ref=f"{store.pk}-{n}",
            customer=f"c-{n}",
            business_number=store.business_number,
            amount=30_000,
            method="card",
            paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
        )
        cashback_services.payment_record(campaign=campaign, data=data)


def test_a_stores_page_takes_the_same_few_queries_whatever_it_links_to(
    client, office, django_assert_max_num_queries
):
    reader = UserFactory(office=office, roles=["clerk", "supervisor", "cashback_manager"])
    operator = UserFactory(office=office, roles=["hotline_operator"])
    small, large = StoreFactory(office=office), StoreFactory(office=office)
    _fill(small, cases=1, payments=1, memberships=1, affiliations=1, user=operator)
    _fill(large, cases=30, payments=25, memberships=4, affiliations=3, user=operator)
    client.force_login(reader)
    client.get(store_page(small))

    with CaptureQueriesContext(connection) as few:
        response = client.get(store_page(small))
    assert {p.key: p.count for p in response.context["related_panels"]} == {
        "cases": 1,
        "payments": 1,
        "programmes": 0,
    }
    with django_assert_max_num_queries(len(few)):
        response = client.get(store_page(large))
    assert {p.key: p.count for p in response.context["related_panels"]} == {
        "cases": 30,
        "payments": 25,
        "programmes": 0,
    }
    with django_assert_max_num_queries(20):
        client.get(store_page(large))
