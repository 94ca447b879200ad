"""A store's cashback payments in the admin: the panel on the store's page, shown only to those
who may see payments, and the payment list filtered by store that it links to."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cashback import services
from cashback.models import Payment
from cashback.services import PaymentInput
from tests.cashback.factories import CampaignFactory
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
PAYMENTS = reverse("admin:cashback_payment_changelist")


def store_page(store) -> str:
    return reverse("admin:registry_store_change", args=[store.pk])


def panel(response, key: str):
    return next((p for p in response.context["related_panels"] if p.key == key), None)


def record(campaign, ref, business_number, day=10, amount=57_300):
    data = PaymentInput.parse(
        ref=ref,
        customer=f"c-{ref}",
        business_number=business_number,
        amount=amount,
        method="card",
        paid_at=datetime(2026, 1, day, 12, tzinfo=SEOUL),
    )
    return services.payment_record(campaign=campaign, data=data)[0]


@pytest.fixture
def store_payments(alley_pay, eligible_store, office):
    """Six payments at the eligible store on six days, and two at another store."""
    mine = [
        record(alley_pay, f"T-{day}", eligible_store.business_number, day=day)
        for day in range(10, 16)
    ]
    other = StoreFactory(office=office)
    for n in range(2):
        record(alley_pay, f"O-{n}", other.business_number)
    return mine


@pytest.fixture
def manager(office):
    return UserFactory(username="manager", office=office, roles=["cashback_manager"])


def test_a_stores_page_counts_its_payments_as_the_payment_list_it_links_to(
    client, manager, store_payments, eligible_store
):
    client.force_login(manager)
    payments = panel(client.get(store_page(eligible_store)), "payments")
    assert payments.title == "캐시백 결제"
    assert (payments.count, payments.count_text) == (6, "모두 6건")
    assert payments.list_url == f"{PAYMENTS}?store={eligible_store.pk}"

    listing = client.get(payments.list_url)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == payments.count
    assert {p.ref for p in listing.context["cl"].result_list} == {p.ref for p in store_payments}


def test_the_panel_shows_the_latest_payments_linked_to_their_pages(
    client, manager, store_payments, eligible_store
):
    client.force_login(manager)
    rows = panel(client.get(store_page(eligible_store)), "payments").rows
    latest = ["T-15", "T-14", "T-13", "T-12", "T-11"]
    by_ref = {p.ref: p for p in store_payments}
    assert [row.url for row in rows] == [
        reverse("admin:cashback_payment_change", args=[by_ref[ref].pk]) for ref in latest
    ]
    assert rows[0].text == "T-15 · 2026-01-15 · 57,300원, 캐시백 2,865원"


def test_a_cancelled_payment_says_so_in_the_panel(client, manager, alley_pay, eligible_store):
    record(alley_pay, "T-1", eligible_store.business_number)
    services.payment_cancel(campaign=alley_pay, ref="T-1")
    client.force_login(manager)
    rows = panel(client.get(store_page(eligible_store)), "payments").rows
    assert rows[0].text == "T-1 · 2026-01-10 · 57,300원, 캐시백 2,865원 · 취소"


@pytest.mark.parametrize("role", ["clerk", "hotline_operator"])
def test_roles_that_may_not_view_payments_see_no_payments_panel(
    client, office, store_payments, eligible_store, role
):
    user = UserFactory(office=office, roles=[role])
    assert not user.has_perm("cashback.view_payment")
    client.force_login(user)
    response = client.get(store_page(eligible_store))
    assert response.status_code == 200
    assert panel(response, "payments") is None
    html = response.content.decode()
    assert "캐시백 결제" not in html and PAYMENTS not in html


def test_every_role_holding_the_payment_permission_sees_the_panel(
    client, office, store_payments, eligible_store
):
    for role in ("cashback_manager", "supervisor", "auditor"):
        user = UserFactory(office=office, roles=[role])
        assert user.has_perm("cashback.view_payment")
        client.force_login(user)
        assert panel(client.get(store_page(eligible_store)), "payments").count == 6


def test_the_panel_never_counts_another_offices_payments(
    client, manager, store_payments, eligible_store, other_office, superuser
):
    theirs = CampaignFactory(office=other_office, code="their-2026")
    foreign = Payment.objects.create(
        campaign=theirs,
        ref="F-1",
        customer="c-f",
        business_number=eligible_store.business_number,
        store=eligible_store,
        amount=30_000,
        method="card",
        paid_at=datetime(2026, 1, 12, 12, tzinfo=SEOUL),
        reason="store_not_registered",
    )
    client.force_login(manager)
    payments = panel(client.get(store_page(eligible_store)), "payments")
    assert payments.count == 6
    assert not any(row.text.startswith(foreign.ref) for row in payments.rows)
    assert client.get(payments.list_url).context["cl"].result_count == 6

    client.force_login(superuser)
    everything = panel(client.get(store_page(eligible_store)), "payments")
    assert everything.count == 7
    assert client.get(everything.list_url).context["cl"].result_count == 7


def test_the_payment_list_filtered_by_a_bad_store_id_lists_nothing(client, manager, store_payments):
    client.force_login(manager)
    for value in ("x", "0", "12345678901234567890"):
        response = client.get(PAYMENTS, {"store": value})
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0
