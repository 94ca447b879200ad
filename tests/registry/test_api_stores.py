from datetime import date

import pytest

from core.choices import AccessAction
from registry.choices import AffiliateStatus, CertificateType, StoreStatus
from registry.models import AccessLog, Membership, Store
from tests.registry.api_support import access_rows, api_for, ids, queries_for, staff
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/stores/"


def detail(store, suffix=""):
    return f"{URL}{store.pk}/{suffix}"


@pytest.fixture
def store(office, dong):
    return StoreFactory(
        office=office,
        dong=dong,
        business_number="2208162517",
        trade_name="치평 국밥",
        representative="홍길동",
        phone="01012345678",
    )


@pytest.fixture
def foreign_store(other_office):
    return StoreFactory(office=other_office, trade_name="동구 분식")


@pytest.fixture
def district(office, dong):
    return DesignatedDistrictFactory(office=office, name="상무골목", dongs=[dong])


def new_store_body(in_dong, **overrides):
    return {
        "business_number": "124-81-00998",
        "trade_name": "새 가게",
        "representative": "김영희",
        "phone": "010-9876-5432",
        "dong": in_dong.name,
        "ksic_code": "56111",
        **overrides,
    }


def nothing_written(before_stores: int, before_history: int, before_log: int) -> bool:
    return (
        Store.objects.count() == before_stores
        and Store.history.count() == before_history
        and AccessLog.objects.count() == before_log
    )


def counts() -> tuple[int, int, int]:
    return Store.objects.count(), Store.history.count(), AccessLog.objects.count()


# --- Authentication, roles and the office wall -----------------------------------------------


def test_anonymous_callers_are_asked_for_a_token():
    response = api_for().get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_user_without_a_registry_role_is_forbidden(office):
    response = api_for(staff(office)).get(URL)
    assert response.status_code == 403


def test_a_supervisor_may_read_but_not_register_or_close(office, dong, store):
    supervisor = staff(office, "supervisor")
    client = api_for(supervisor)
    assert client.get(URL).status_code == 200
    assert client.post(URL, new_store_body(dong), format="json").status_code == 403
    assert client.post(detail(store, "close/"), {}, format="json").status_code == 403
    assert client.patch(detail(store), {"trade_name": "x"}, format="json").status_code == 403
    assert Store.objects.get(pk=store.pk).status == StoreStatus.ACTIVE


def test_the_list_shows_only_the_users_office(clerk, store, foreign_store):
    response = api_for(clerk).get(URL)
    assert ids(response) == {store.pk}


def test_a_superuser_sees_every_office(superuser, store, foreign_store):
    assert ids(api_for(superuser).get(URL)) == {store.pk, foreign_store.pk}


def test_another_offices_store_is_not_found(clerk, foreign_store):
    client = api_for(clerk)
    assert client.get(detail(foreign_store)).status_code == 404
    assert (
        client.patch(detail(foreign_store), {"trade_name": "x"}, format="json").status_code == 404
    )
    assert client.post(detail(foreign_store, "close/"), {}, format="json").status_code == 404
    assert Store.objects.get(pk=foreign_store.pk).trade_name == "동구 분식"


def test_a_token_in_the_authorization_header_signs_in(clerk, store):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=clerk)
    client = api_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ids(client.get(URL)) == {store.pk}


# --- Presentation, masking and the access log ------------------------------------------------


def test_the_business_number_is_shown_formatted_and_as_digits(clerk, store):
    row = api_for(clerk).get(detail(store)).json()
    assert row["business_number"] == "220-81-62517"
    assert row["business_number_digits"] == "2208162517"


def test_contacts_are_masked_in_lists_without_the_contact_permission(office, store):
    response = api_for(staff(office, "supervisor")).get(URL)
    row = response.json()["results"][0]
    assert row["representative"] == "홍*동"
    assert row["phone"] == "010-****-5678"
    assert row["contacts_masked"] is True
    assert not AccessLog.objects.exists()


def test_contacts_are_masked_on_retrieve_without_the_contact_permission(office, store):
    row = api_for(staff(office, "supervisor")).get(detail(store)).json()
    assert (row["representative"], row["phone"]) == ("홍*동", "010-****-5678")
    # One record's view is logged as the admin's record pages are, saying it was masked.
    (entry,) = AccessLog.objects.all()
    assert (entry.object_pk, entry.detail) == (str(store.pk), "API, 개인정보 가림")


def test_an_unmasked_list_writes_one_access_log_row_per_record_shown(office, dong, store):
    other = StoreFactory(office=office, dong=dong)
    auditor = staff(office, "auditor")
    response = api_for(auditor).get(URL)
    assert {r["representative"] for r in response.json()["results"]} == {"홍길동"}
    rows = access_rows(action=AccessAction.VIEW)
    assert {r.object_pk for r in rows} == {str(store.pk), str(other.pk)}
    assert {(r.user_id, r.model, r.office_id) for r in rows} == {
        (auditor.pk, "registry.Store", office.pk)
    }


def test_an_unmasked_retrieve_is_written_to_the_access_log(clerk, store):
    row = api_for(clerk).get(detail(store)).json()
    assert (row["representative"], row["phone"]) == ("홍길동", "01012345678")
    assert row["contacts_masked"] is False
    [log] = access_rows()
    assert (log.user_id, log.action, log.object_pk) == (clerk.pk, "view", str(store.pk))


def test_an_empty_unmasked_list_writes_no_access_log(clerk):
    assert api_for(clerk).get(URL).json()["count"] == 0
    assert not AccessLog.objects.exists()


def test_the_store_shows_its_current_district_and_live_registrations(clerk, store, district):
    MembershipFactory(store=store, district=district, joined_on=date(2025, 7, 1))
    ApprovedAffiliateFactory(store=store, certificate_type=CertificateType.CARD)
    AffiliateRegistrationFactory(store=store, certificate_type=CertificateType.PAPER)
    row = api_for(clerk).get(detail(store)).json()
    assert row["membership"] == {
        "district": district.pk,
        "district_name": "상무골목",
        "joined_on": "2025-07-01",
    }
    assert {(a["certificate_type"], a["status"]) for a in row["affiliations"]} == {
        ("card", "approved"),
        ("paper", "applied"),
    }


# --- Filters ---------------------------------------------------------------------------------


def test_filter_by_business_number_accepts_hyphens(clerk, office, dong, store):
    StoreFactory(office=office, dong=dong)
    client = api_for(clerk)
    assert ids(client.get(URL, {"business_number": "220-81-62517"})) == {store.pk}
    assert ids(client.get(URL, {"business_number": "2208162517"})) == {store.pk}
    assert ids(client.get(URL, {"business_number": "220-81-62518"})) == set()


def test_filter_by_dong_takes_an_id_or_a_name(clerk, office, store):
    elsewhere = StoreFactory(office=office, dong=DongFactory(office=office, name="풍암동"))
    client = api_for(clerk)
    assert ids(client.get(URL, {"dong": str(store.dong_id)})) == {store.pk}
    assert ids(client.get(URL, {"dong": "풍암동"})) == {elsewhere.pk}


def test_filter_by_district_counts_current_members_only(clerk, office, dong, store, district):
    MembershipFactory(store=store, district=district)
    former = StoreFactory(office=office, dong=dong)
    MembershipFactory(
        store=former, district=district, joined_on=date(2025, 7, 1), left_on=date(2025, 9, 1)
    )
    client = api_for(clerk)
    assert ids(client.get(URL, {"district": str(district.pk)})) == {store.pk}
    assert ids(client.get(URL, {"district": "상무골목"})) == {store.pk}


def test_filter_by_status(clerk, office, dong, store):
    closed = StoreFactory(
        office=office, dong=dong, status=StoreStatus.CLOSED, closed_on=date(2026, 1, 1)
    )
    client = api_for(clerk)
    assert ids(client.get(URL, {"status": "closed"})) == {closed.pk}
    assert ids(client.get(URL, {"status": "active"})) == {store.pk}


def test_filter_by_affiliate_type_needs_an_approved_registration(clerk, office, dong, store):
    ApprovedAffiliateFactory(store=store, certificate_type=CertificateType.CARD)
    applied = StoreFactory(office=office, dong=dong)
    AffiliateRegistrationFactory(store=applied, certificate_type=CertificateType.CARD)
    paper = StoreFactory(office=office, dong=dong)
    ApprovedAffiliateFactory(store=paper, certificate_type=CertificateType.PAPER)
    client = api_for(clerk)
    assert ids(client.get(URL, {"affiliate_type": "card"})) == {store.pk}
    assert ids(client.get(URL, {"affiliate_type": "paper"})) == {paper.pk}


def test_filter_by_ksic_code_and_small_business(clerk, office, dong, store):
    cafe = StoreFactory(office=office, dong=dong, ksic_code="56221", is_small_business=False)
    client = api_for(clerk)
    assert ids(client.get(URL, {"ksic_code": "56221"})) == {cafe.pk}
    assert ids(client.get(URL, {"small_business": "false"})) == {cafe.pk}
    assert ids(client.get(URL, {"small_business": "true"})) == {store.pk}


def test_search_finds_name_number_and_phone_pieces(clerk, office, dong, store):
    StoreFactory(office=office, dong=dong, trade_name="풍암 카페", phone="0629998888")
    client = api_for(clerk)
    assert ids(client.get(URL, {"q": "국밥"})) == {store.pk}
    assert ids(client.get(URL, {"q": "81-625"})) == {store.pk}
    assert ids(client.get(URL, {"q": "1234-56"})) == {store.pk}


def test_an_unknown_filter_choice_is_a_400(clerk):
    response = api_for(clerk).get(URL, {"status": "bankrupt"})
    assert response.status_code == 400
    assert "status" in response.json()


# --- Register --------------------------------------------------------------------------------


def test_a_clerk_registers_a_store_in_their_office(clerk, office, dong):
    response = api_for(clerk).post(URL, new_store_body(dong), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["business_number"] == "124-81-00998"
    assert body["office"] == office.code
    store = Store.objects.get(pk=body["id"])
    assert (store.office_id, store.dong_id, store.phone) == (office.pk, dong.pk, "01098765432")
    [log] = access_rows()
    assert (log.action, log.object_pk) == ("add", str(store.pk))


def test_an_invalid_business_number_is_refused_with_a_field_message(clerk, dong):
    before = counts()
    response = api_for(clerk).post(
        URL,
        new_store_body(dong, business_number="220-81-62518"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "not a valid business registration number" in response.json()["business_number"][0]
    assert nothing_written(*before)


def test_a_duplicate_business_number_is_refused(clerk, dong, store):
    before = counts()
    response = api_for(clerk).post(
        URL,
        new_store_body(dong, business_number="2208162517"),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "already registered" in response.json()["business_number"][0]
    assert nothing_written(*before)


def test_staff_cannot_register_into_another_office(clerk, other_office, dong):
    DongFactory(office=other_office, name=dong.name)
    before = counts()
    response = api_for(clerk).post(
        URL, new_store_body(dong, office=other_office.code), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["office"]
    assert nothing_written(*before)


def test_a_dong_of_another_office_is_refused(clerk, other_office, dong):
    foreign = DongFactory(office=other_office, name="산수동")
    response = api_for(clerk).post(URL, new_store_body(dong, dong=str(foreign.pk)), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["dong"]
    assert not Store.objects.exists()


def test_a_superuser_names_the_office_by_code(superuser, other_office):
    dong = DongFactory(office=other_office, name="산수동")
    client = api_for(superuser)
    missing = client.post(URL, new_store_body(dong), format="json")
    assert missing.status_code == 400
    assert list(missing.json()) == ["office"]
    response = client.post(URL, new_store_body(dong, office=other_office.code), format="json")
    assert response.status_code == 201
    assert Store.objects.get().office_id == other_office.pk


def test_missing_fields_and_a_bad_ksic_code_are_named(clerk, dong):
    response = api_for(clerk).post(
        URL,
        {"business_number": "124-81-00998", "dong": dong.name, "ksic_code": "5611"},
        format="json",
    )
    assert response.status_code == 400
    assert {"trade_name", "representative", "ksic_code"} <= set(response.json())
    assert not Store.objects.exists()


def test_an_invalid_phone_is_refused(clerk, dong):
    response = api_for(clerk).post(URL, new_store_body(dong, phone="12345"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["phone"]
    assert not Store.objects.exists()


def test_malformed_json_is_a_400_and_writes_nothing(clerk):
    response = api_for(clerk).post(URL, '{"trade_name": ', content_type="application/json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Store.objects.exists()


def test_a_field_the_endpoint_does_not_take_is_refused(clerk, dong):
    response = api_for(clerk).post(URL, new_store_body(dong, status="closed"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert not Store.objects.exists()


# --- Correct ---------------------------------------------------------------------------------


def test_patch_changes_only_the_given_details(clerk, store):
    response = api_for(clerk).patch(
        detail(store), {"phone": "062 123 4567", "annual_sales": 500_000_000}, format="json"
    )
    assert response.status_code == 200, response.content
    store.refresh_from_db()
    assert (store.phone, store.annual_sales, store.trade_name) == (
        "0621234567",
        500_000_000,
        "치평 국밥",
    )
    assert [r.action for r in access_rows()] == ["change"]


def test_patch_cannot_change_the_business_number(clerk, store):
    response = api_for(clerk).patch(detail(store), {"business_number": "1248100998"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["business_number"]
    assert Store.objects.get(pk=store.pk).business_number == "2208162517"


def test_patch_moves_a_store_to_another_dong_of_its_office_by_name(clerk, office, store):
    DongFactory(office=office, name="풍암동")
    response = api_for(clerk).patch(detail(store), {"dong": "풍암동"}, format="json")
    assert response.status_code == 200
    assert response.json()["dong"]["name"] == "풍암동"


def test_patch_refuses_an_unknown_dong(clerk, store):
    before = counts()
    response = api_for(clerk).patch(detail(store), {"dong": "없는동"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["dong"]
    assert nothing_written(*before)


# --- Actions ---------------------------------------------------------------------------------


def test_closing_a_store_ends_its_membership_and_strikes_off_its_affiliations(
    clerk, store, district
):
    MembershipFactory(store=store, district=district, joined_on=date(2025, 7, 1))
    card = ApprovedAffiliateFactory(store=store)
    response = api_for(clerk).post(
        detail(store, "close/"), {"closed_on": "2026-02-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed"
    assert response.json()["membership"] is None
    card.refresh_from_db()
    assert card.status == AffiliateStatus.REVOKED
    assert Membership.objects.get(store=store).left_on == date(2026, 2, 1)
    # Every record holding personal data that the closing changed is logged, each once.
    assert [(r.action, r.model, r.object_pk) for r in access_rows()] == [
        ("change", "registry.Store", str(store.pk)),
        ("change", "registry.AffiliateRegistration", str(card.pk)),
    ]


def test_closing_a_closed_store_is_refused_and_changes_nothing(clerk, office, dong):
    closed = StoreFactory(
        office=office, dong=dong, status=StoreStatus.CLOSED, closed_on=date(2026, 1, 1)
    )
    before = counts()
    response = api_for(clerk).post(detail(closed, "close/"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "already_closed"
    assert nothing_written(*before)


def test_closing_with_a_malformed_date_is_refused(clerk, store):
    response = api_for(clerk).post(
        detail(store, "close/"), {"closed_on": "yesterday"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["closed_on"]
    assert Store.objects.get(pk=store.pk).status == StoreStatus.ACTIVE


def test_a_store_joins_a_designated_district(clerk, store, district):
    response = api_for(clerk).post(
        detail(store, "join/"), {"district": district.pk, "joined_on": "2026-01-10"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["membership"]["district"] == district.pk
    assert Membership.objects.get(store=store).joined_on == date(2026, 1, 10)


def test_joining_an_undesignated_district_is_refused(clerk, office, store):
    applied = DistrictFactory(office=office)
    response = api_for(clerk).post(detail(store, "join/"), {"district": applied.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["district"]
    assert not Membership.objects.exists()


def test_joining_another_offices_district_is_refused(clerk, other_office, store):
    foreign = DesignatedDistrictFactory(office=other_office)
    response = api_for(clerk).post(detail(store, "join/"), {"district": foreign.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["district"]
    assert not Membership.objects.exists()


def test_a_store_leaves_its_district(clerk, store, district):
    MembershipFactory(store=store, district=district, joined_on=date(2025, 7, 1))
    response = api_for(clerk).post(
        detail(store, "leave/"), {"left_on": "2026-01-31"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["membership"] is None
    assert Membership.objects.get(store=store).left_on == date(2026, 1, 31)


def test_leaving_before_joining_is_refused(clerk, store, district):
    MembershipFactory(store=store, district=district, joined_on=date(2025, 7, 1))
    response = api_for(clerk).post(
        detail(store, "leave/"), {"left_on": "2025-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["left_on"]
    assert Membership.objects.get(store=store).left_on is None


def test_leaving_without_a_membership_is_refused(clerk, store):
    response = api_for(clerk).post(detail(store, "leave/"), {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_membership"


def test_joining_needs_the_membership_permission(office, store, district):
    hotline = staff(office, "hotline_operator")
    response = api_for(hotline).post(
        detail(store, "join/"), {"district": district.pk}, format="json"
    )
    assert response.status_code == 403
    assert not Membership.objects.exists()


# --- Query counts ----------------------------------------------------------------------------


def _populate(office, dong, district, n):
    for _ in range(n):
        store = StoreFactory(office=office, dong=dong)
        MembershipFactory(store=store, district=district)
        ApprovedAffiliateFactory(store=store)
        AffiliateRegistrationFactory(store=store, certificate_type=CertificateType.PAPER)


@pytest.mark.parametrize("role", ["clerk", "supervisor"])
def test_the_list_takes_the_same_queries_for_3_or_30_stores(
    office, dong, district, role, django_assert_max_num_queries
):
    client = api_for(staff(office, role))
    _populate(office, dong, district, 3)
    client.get(URL)  # the first request loads the user's permissions
    few, _ = queries_for(client, URL)
    _populate(office, dong, district, 27)
    many, response = queries_for(client, URL)
    assert response.json()["count"] == 30
    assert many == few
    with django_assert_max_num_queries(7):
        client.get(URL, {"district": str(district.pk), "affiliate_type": "card", "q": "골목"})
