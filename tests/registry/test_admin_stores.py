"""The store admin: masked contacts, logged access, fast search and counts, service-only writes."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.admin.mixins import EstimatedCountPaginator
from core.choices import AccessAction
from registry.choices import AffiliateStatus, CertificateType, StoreStatus
from registry.models import AccessLog, Membership, Store
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_store_changelist")
ADD = reverse("admin:registry_store_add")


@pytest.fixture
def supervisor(office):
    """Reads the registry but has no need of unmasked contacts."""
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


@pytest.fixture
def store(office, dong):
    return StoreFactory(
        office=office,
        dong=dong,
        trade_name="치평 국밥",
        representative="홍길동",
        phone="01012345678",
        business_number="2208162517",
    )


def change_url(store):
    return reverse("admin:registry_store_change", args=[store.pk])


def listed(response):
    return list(response.context["cl"].result_list)


NEW_STORE = {
    "business_number": "124-81-00998",
    "trade_name": "상무 분식",
    "representative": "김영희",
    "phone": "010-9876-5432",
    "road_address": "광주광역시 서구 상무대로 2",
    "ksic_code": "56194",
    "business_type": "분식 및 김밥 전문점",
    "is_small_business": "on",
    "annual_sales": "120000000",
}


def inline_management():
    data = {}
    for prefix in ("memberships", "affiliations"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


# --- masking and the access log -----------------------------------------------------------


def test_without_the_contact_permission_names_and_phones_are_masked(client, supervisor, store):
    client.force_login(supervisor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "홍*동" in response.text and "010-****-5678" in response.text
    assert "홍길동" not in response.text and "1234-5678" not in response.text


def test_with_the_contact_permission_they_are_shown_and_the_viewing_is_logged(client, clerk, store):
    client.force_login(clerk)
    response = client.get(CHANGELIST)
    assert "홍길동" in response.text and "010-1234-5678" in response.text
    log = AccessLog.objects.get(object_pk=str(store.pk))
    assert (log.user, log.action, log.model) == (clerk, AccessAction.VIEW, "registry.Store")


def test_opening_a_store_writes_a_view_row_to_the_access_log(client, clerk, store):
    client.force_login(clerk)
    response = client.get(change_url(store))
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        user=clerk, action=AccessAction.VIEW, object_pk=str(store.pk), office=store.office
    ).exists()


def test_the_change_page_masks_contacts_for_readers_without_the_permission(
    client, supervisor, store
):
    client.force_login(supervisor)
    response = client.get(change_url(store))
    assert response.status_code == 200
    assert "홍*동" in response.text and "홍길동" not in response.text
    assert "01012345678" not in response.text


def test_the_list_shows_number_district_and_affiliate_types(client, clerk, office, store):
    district = DesignatedDistrictFactory(office=office, name="국밥골목")
    MembershipFactory(store=store, district=district)
    ApprovedAffiliateFactory(store=store, certificate_type="paper")
    ApprovedAffiliateFactory(store=store, certificate_type="card")
    client.force_login(clerk)
    response = client.get(CHANGELIST)
    assert "220-81-62517" in response.text
    admin = response.context["cl"].model_admin
    row = listed(response)[0]
    assert admin.current_district(row) == "국밥골목"
    held = admin.affiliate_types(row)
    assert str(CertificateType.CARD.label) in held and str(CertificateType.PAPER.label) in held


# --- search, filters, counts --------------------------------------------------------------


@pytest.mark.parametrize("term", ["국밥", "220-81-62517", "2208162517", "81-625", "12345678"])
def test_search_finds_a_store_by_name_number_or_phone(client, clerk, office, store, term):
    StoreFactory(office=office, trade_name="양동 통닭", phone="0629998888")
    client.force_login(clerk)
    response = client.get(CHANGELIST, {"q": term})
    assert [s.trade_name for s in listed(response)] == ["치평 국밥"]


def test_filters_by_current_district_and_affiliate_type(client, clerk, office, store):
    district = DesignatedDistrictFactory(office=office)
    MembershipFactory(store=store, district=district)
    other = StoreFactory(office=office, dong=store.dong)
    ApprovedAffiliateFactory(store=other, certificate_type="mobile")
    client.force_login(clerk)
    by_district = client.get(CHANGELIST, {"district": str(district.pk)})
    assert listed(by_district) == [store]
    outside = client.get(CHANGELIST, {"district": "none"})
    assert listed(outside) == [other]
    mobile = client.get(CHANGELIST, {"affiliate": "mobile"})
    assert listed(mobile) == [other]
    by_code = client.get(CHANGELIST, {"ksic": "56111"})
    assert set(listed(by_code)) == {store, other}


def test_the_store_list_runs_the_same_queries_for_5_or_50_rows(
    client, clerk, office, dong, django_assert_max_num_queries
):
    district = DesignatedDistrictFactory(office=office)

    def build(count):
        for _ in range(count):
            store = StoreFactory(office=office, dong=dong)
            MembershipFactory(store=store, district=district)
            ApprovedAffiliateFactory(store=store)

    client.force_login(clerk)
    build(5)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    build(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(CHANGELIST)
    assert len(listed(response)) == 50


def test_an_unfiltered_list_takes_the_planners_estimate_instead_of_counting(
    superuser, office, dong, monkeypatch
):
    StoreFactory.create_batch(30, office=office, dong=dong)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_store")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_below", 10)
    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Store.objects.order_by("pk"), 20).count
    assert count == 30
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    filtered = EstimatedCountPaginator(Store.objects.filter(office=office).order_by("pk"), 20)
    with CaptureQueriesContext(connection) as queries:
        assert filtered.count == 30
    assert any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_the_list_does_not_show_a_full_count(client, superuser, store):
    client.force_login(superuser)
    response = client.get(CHANGELIST, {"q": "국밥"})
    assert response.context["cl"].show_full_result_count is False
    assert response.context["cl"].full_result_count is None


# --- add and change through the services --------------------------------------------------


def test_an_invalid_business_number_is_refused_with_the_shared_message(client, clerk, dong):
    client.force_login(clerk)
    data = {**NEW_STORE, "business_number": "220-81-62518", "dong": dong.pk, **inline_management()}
    response = client.post(ADD, data, headers={"accept-language": "en"})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["business_number"]
    assert "not a valid business registration number" in errors[0]
    assert not Store.objects.filter(trade_name="상무 분식").exists()


def test_a_store_is_registered_through_the_service(client, clerk, office, dong):
    client.force_login(clerk)
    response = client.post(ADD, {**NEW_STORE, "dong": dong.pk, **inline_management()})
    assert response.status_code == 302, response.context["adminform"].form.errors
    store = Store.objects.get(trade_name="상무 분식")
    assert store.office == office
    assert store.business_number == "1248100998"
    assert store.phone == "01098765432"
    assert store.history.first().history_user == clerk
    assert AccessLog.objects.filter(action=AccessAction.ADD, object_pk=str(store.pk)).exists()


def test_a_number_already_registered_in_the_office_is_refused_under_its_field(
    client, clerk, dong, store
):
    client.force_login(clerk)
    data = {**NEW_STORE, "business_number": "220-81-62517", "dong": dong.pk, **inline_management()}
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "business_number" in response.context["adminform"].form.errors
    assert Store.objects.filter(business_number="2208162517").count() == 1
    # What the clerk typed is kept on the form shown again.
    assert response.context["adminform"].form.data["trade_name"] == "상무 분식"


def test_editing_a_store_goes_through_the_service_and_is_logged(client, clerk, dong, store):
    client.force_login(clerk)
    data = {
        **NEW_STORE,
        "trade_name": "치평 순대국밥",
        "representative": "홍길동",
        "phone": "010-1234-5678",
        "dong": dong.pk,
        **inline_management(),
    }
    data.pop("business_number")
    response = client.post(change_url(store), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    store.refresh_from_db()
    assert store.trade_name == "치평 순대국밥"
    assert store.business_number == "2208162517"
    assert "trade_name" in store.history.first().history_change_reason
    change = AccessLog.objects.get(action=AccessAction.CHANGE, object_pk=str(store.pk))
    assert "trade_name" in change.detail


# --- actions ------------------------------------------------------------------------------


def action(client, name, stores, **extra):
    return client.post(
        CHANGELIST, {"action": name, "_selected_action": [s.pk for s in stores], **extra}
    )


def test_closing_stores_asks_for_the_date_then_closes_through_the_service(
    client, clerk, office, store
):
    registration = ApprovedAffiliateFactory(store=store)
    client.force_login(clerk)
    assert action(client, "close_selected", [store]).status_code == 200
    response = action(client, "close_selected", [store], apply="1", closed_on="2026-01-30")
    assert response.status_code == 302
    store.refresh_from_db()
    registration.refresh_from_db()
    assert store.status == StoreStatus.CLOSED and store.closed_on == date(2026, 1, 30)
    assert registration.status == AffiliateStatus.REVOKED


def test_joining_a_district_offers_only_designated_districts_of_the_office(
    client, clerk, office, other_office, store
):
    designated = DesignatedDistrictFactory(office=office, name="지정 골목")
    DistrictFactory(office=office, name="신청 골목")
    DesignatedDistrictFactory(office=other_office, name="남의 골목")
    client.force_login(clerk)
    page = action(client, "join_district", [store])
    offered = {d.name for d in page.context["form"].fields["district"].queryset}
    assert offered == {"지정 골목"}
    response = action(
        client, "join_district", [store], apply="1", district=designated.pk, joined_on="2026-01-10"
    )
    assert response.status_code == 302
    membership = Membership.objects.get(store=store, left_on__isnull=True)
    assert membership.district == designated
    assert membership.joined_on == date(2026, 1, 10)


def test_a_closed_store_is_named_when_it_cannot_join(client, clerk, office, store):
    designated = DesignatedDistrictFactory(office=office)
    closed = StoreFactory(
        office=office,
        dong=store.dong,
        trade_name="닫은 가게",
        status=StoreStatus.CLOSED,
        closed_on=date(2025, 12, 31),
    )
    client.force_login(clerk)
    response = action(client, "join_district", [store, closed], apply="1", district=designated.pk)
    assert response.status_code == 302
    assert Membership.objects.filter(store=store).exists()
    assert not Membership.objects.filter(store=closed).exists()
    messages = [str(m) for m in client.get(CHANGELIST).context["messages"]]
    assert any("닫은 가게" in m for m in messages)


def test_exporting_stores_streams_a_csv_and_logs_each_store(client, supervisor, store):
    client.force_login(supervisor)
    response = action(client, "export_csv", [store])
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "치평 국밥" in body and "홍*동" in body and "홍길동" not in body
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, object_pk=str(store.pk)).exists()


def test_stores_are_never_deleted_from_the_admin(client, superuser, store):
    client.force_login(superuser)
    response = client.get(reverse("admin:registry_store_delete", args=[store.pk]))
    assert response.status_code == 403


def test_the_membership_list_is_read_only_and_filters_current_members(client, clerk, office):
    district = DesignatedDistrictFactory(office=office)
    current = MembershipFactory(store__office=office, district=district)
    MembershipFactory(store__office=office, district=district, left_on=date(2025, 12, 1))
    client.force_login(clerk)
    response = client.get(reverse("admin:registry_membership_changelist"), {"current": "yes"})
    assert listed(response) == [current]
    assert client.get(reverse("admin:registry_membership_add")).status_code == 403
