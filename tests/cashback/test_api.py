from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cashback import services
from cashback.models import Campaign, LedgerEntry, Payment
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cashback/campaigns/"
PAYMENT = {
    "ref": "T-0001",
    "customer": "cust-77",
    "business_number": "220-81-62517",
    "amount": 57_300,
    "method": "mobile",
    "paid_at": "2026-01-09T12:30:00",
}
OUT_OF_RANGE = "날짜와 시각이 처리할 수 있는 범위를 벗어났습니다."


@pytest.fixture
def operator(office):
    user = UserFactory(username="operator-system", office=office, roles=["payment_operator"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def manager(office):
    client = APIClient()
    client.force_authenticate(UserFactory(office=office, roles=["cashback_manager"]))
    return client


def test_a_payment_is_recorded_and_decided(operator, alley_pay, eligible_store):
    response = operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "ref": "T-0001",
        "week": 1,
        "cashback": 2_865,
        "reason": "granted",
        "status": "recorded",
    }


def test_posting_the_same_payment_again_answers_200_with_the_same_body(
    operator, alley_pay, eligible_store
):
    first = operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    again = operator.post(
        f"{BASE}alleypay-2026/payments/",
        {**PAYMENT, "paid_at": "2026-01-09T03:30:00Z", "business_number": "2208162517"},
        format="json",
    )
    assert (again.status_code, again.json()) == (200, first.json())
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_the_same_ref_with_different_content_is_409(operator, alley_pay, eligible_store):
    operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    response = operator.post(
        f"{BASE}alleypay-2026/payments/", {**PAYMENT, "amount": 60_000}, format="json"
    )
    assert response.status_code == 409
    assert "T-0001" in response.json()["detail"]
    assert Payment.objects.get().amount == 57_300


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"method": "cash"}, "method"),
        ({"business_number": "220-81-62518"}, "business_number"),
        ({"paid_at": "soon"}, "paid_at"),
        ({"ref": ""}, "ref"),
        ({"extra": 1}, "extra"),
        ({"amount": 2**63}, "amount"),
        ({"paid_at": "0001-01-01T00:00:00"}, "paid_at"),
        ({"ref": "a\x00b"}, "ref"),
        ({"customer": "c\x00"}, "customer"),
    ],
)
def test_malformed_input_is_400_per_field_and_records_nothing(
    operator, alley_pay, eligible_store, changes, field
):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/", {**PAYMENT, **changes}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Payment.objects.exists()


def test_a_time_beyond_the_calendar_is_refused_in_korean(operator, alley_pay):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/",
        {**PAYMENT, "paid_at": "0001-01-01T00:00:00"},
        format="json",
    )
    assert response.json() == {"paid_at": [OUT_OF_RANGE]}


def test_an_invalid_business_number_is_refused_in_korean(operator, alley_pay):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/",
        {**PAYMENT, "business_number": "101-81-15122"},
        format="json",
    )
    assert "유효한 사업자등록번호가 아닙니다" in response.json()["business_number"][0]


@pytest.mark.parametrize(
    ("changes", "body"),
    [
        ({"ref": ""}, {"ref": ["이 항목은 비워 둘 수 없습니다."]}),
        ({"ref": " "}, {"ref": ["이 항목은 비워 둘 수 없습니다."]}),
        ({"ref": "r" * 65}, {"ref": ["64자 이하로 입력하십시오."]}),
        ({"ref": "a\x00b"}, {"ref": ["null 문자는 사용할 수 없습니다."]}),
        ({"ref": ["a"]}, {"ref": ["유효한 문자열이 아닙니다."]}),
        ({"customer": "c" * 65}, {"customer": ["64자 이하로 입력하십시오."]}),
        ({"customer": "c\x00"}, {"customer": ["null 문자는 사용할 수 없습니다."]}),
        (
            {"business_number": " 220-81-62518 "},
            {"business_number": ["220-81-62518은(는) 유효한 사업자등록번호가 아닙니다."]},
        ),
        (
            {"business_number": "2-2-0-8-1-6-2-5-1-7-----"},
            {"business_number": ["20자 이하로 입력하십시오."]},
        ),
        ({"amount": 0}, {"amount": ["1 이상의 값을 입력하십시오."]}),
        ({"amount": "lots"}, {"amount": ["정수를 입력하십시오."]}),
        ({"amount": True}, {"amount": ["정수를 입력하십시오."]}),
        ({"amount": 2**63}, {"amount": ["금액이 너무 큽니다."]}),
        ({"method": "Card"}, {"method": ['"Card"은(는) 고를 수 있는 값이 아닙니다.']}),
        ({"method": " card"}, {"method": ['" card"은(는) 고를 수 있는 값이 아닙니다.']}),
        ({"paid_at": "9999-12-31T23:00:00-09:00"}, {"paid_at": [OUT_OF_RANGE]}),
    ],
)
def test_each_malformed_field_is_answered_with_its_own_message(
    operator, alley_pay, eligible_store, changes, body
):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/", {**PAYMENT, **changes}, format="json"
    )
    assert (response.status_code, response.json()) == (400, body)


@pytest.mark.parametrize(
    "changes",
    [
        {"ref": " T-0001 "},
        {"business_number": 2208162517},
        {"business_number": "220 81\t62517"},
        {"amount": "57300"},
        {"amount": 57_300.0},
        {"amount": "+57300"},
        {"paid_at": "2026-01-09T03:30:00Z"},
        {"paid_at": "2026-01-09T12:30:00+0900"},
        {"paid_at": "2026-01-09 12:30"},
    ],
)
def test_json_may_give_the_fields_in_these_forms(operator, alley_pay, eligible_store, changes):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/", {**PAYMENT, **changes}, format="json"
    )
    assert response.status_code == 201, response.json()
    payment = Payment.objects.get()
    assert (payment.ref, payment.business_number, payment.amount) == (
        "T-0001",
        "2208162517",
        57_300,
    )


def test_every_malformed_field_is_named_at_once(operator, alley_pay, eligible_store):
    response = operator.post(
        f"{BASE}alleypay-2026/payments/",
        {**PAYMENT, "amount": 0, "business_number": "220-81-62518", "paid_at": "soon"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["business_number", "amount", "paid_at"]


def test_missing_fields_and_broken_json_are_400(operator, alley_pay):
    response = operator.post(f"{BASE}alleypay-2026/payments/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(PAYMENT)
    broken = operator.post(
        f"{BASE}alleypay-2026/payments/", "{not json", content_type="application/json"
    )
    assert broken.status_code == 400


def test_cancelling_returns_the_cashback_and_is_repeatable(operator, alley_pay, eligible_store):
    operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    url = f"{BASE}alleypay-2026/payments/T-0001/cancel/"
    first = operator.post(url)
    again = operator.post(url)
    expected = {"ref": "T-0001", "status": "cancelled", "returned": 2_865}
    assert (first.status_code, first.json()) == (200, expected)
    assert (again.status_code, again.json()) == (200, expected)
    assert alley_pay.weeks.get(number=1).granted == 0


def test_cancelling_an_unknown_ref_is_404(operator, alley_pay):
    assert operator.post(f"{BASE}alleypay-2026/payments/nope/cancel/").status_code == 404


def test_weeks_show_the_contract_fields(operator, manager, alley_pay, eligible_store):
    operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    response = manager.get(f"{BASE}alleypay-2026/weeks/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 12
    assert rows[0] == {
        "week": 1,
        "starts_on": "2026-01-09",
        "ends_on": "2026-01-15",
        "budget": 100_000_000,
        "granted": 2_865,
        "remaining": 99_997_135,
        "payments": 1,
        "eligible_payments": 1,
        "beneficiaries": 1,
        "purchase_total": 57_300,
        "exhausted_at": None,
    }
    assert rows[4]["budget"] == 200_000_000


def test_a_campaign_is_created_with_the_spec_defaults(manager, office):
    response = manager.post(
        BASE,
        {
            "code": "alleypay-2027",
            "name": "2027 골목페이",
            "office": office.code,
            "first_day": "2027-01-08",
            "last_day": "2027-04-01",
            "weekly_budget": 100_000_000,
            "week_overrides": [{"week": 5, "budget": 200_000_000, "cap": 20_000}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["methods"], body["minimum"], body["rate_bp"]) == (["card", "mobile"], 20_000, 500)
    assert (body["weekly_cap"], body["rounding_unit"]) == (10_000, 1)
    assert body["total_budget"] == 1_300_000_000
    assert body["weeks"][4] == {
        "week": 5,
        "starts_on": "2027-02-05",
        "ends_on": "2027-02-11",
        "budget": 200_000_000,
        "cap": 20_000,
    }


def test_a_total_that_does_not_add_up_is_400(manager, office):
    response = manager.post(
        BASE,
        {
            "code": "x",
            "name": "x",
            "office": office.code,
            "first_day": "2026-01-09",
            "last_day": "2026-04-02",
            "weekly_budget": 100_000_000,
            "total_budget": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "total_budget" in response.json()
    assert not Campaign.objects.exists()


def test_a_campaign_for_another_office_is_refused(manager, other_office):
    response = manager.post(
        BASE,
        {
            "code": "x",
            "name": "x",
            "office": other_office.code,
            "first_day": "2026-01-09",
            "last_day": "2026-01-15",
            "weekly_budget": 1_000,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "office" in response.json()


def test_another_offices_campaign_is_not_found(other_office, operator):
    services.campaign_create(
        office=other_office,
        user=None,
        code="dong-gu",
        name="동구",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_000,
    )
    assert operator.post(f"{BASE}dong-gu/payments/", PAYMENT, format="json").status_code == 404


def test_anonymous_callers_are_refused(alley_pay):
    response = APIClient().post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    assert response.status_code == 401


def test_roles_without_the_permission_are_refused(alley_pay, office):
    client = APIClient()
    client.force_authenticate(UserFactory(office=office, roles=["supervisor"]))
    assert client.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json").status_code == 403
    assert client.post(BASE, {}, format="json").status_code == 403


def test_recording_a_payment_takes_a_bounded_number_of_queries(
    operator, alley_pay, eligible_store, django_assert_max_num_queries
):
    # Two of them keep a settlement or a change of terms from racing the payment: the campaign's
    # payment gate and the terms read again behind it (cashback.services.common); one counts the
    # payment in its week's tally (cashback.services.common.week_tally_add); one asks whether the
    # caller's address is locked out before the token is read (SPEC 8).
    with django_assert_max_num_queries(14):
        response = operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    assert response.status_code == 201


def test_terms_change_by_patch_until_payments_arrive(manager, operator, alley_pay, eligible_store):
    url = f"{BASE}alleypay-2026/"
    response = manager.patch(url, {"rate_bp": 1_000}, format="json")
    assert (response.status_code, response.json()["rate_bp"]) == (200, 1_000)
    operator.post(f"{BASE}alleypay-2026/payments/", PAYMENT, format="json")
    frozen = manager.patch(url, {"rate_bp": 500}, format="json")
    assert frozen.status_code == 400
    assert frozen.json()["code"] == "terms_frozen"


def test_a_weeks_budget_can_be_raised_but_not_lowered(manager, alley_pay):
    url = f"{BASE}alleypay-2026/weeks/3/budget/"
    raised = manager.post(url, {"budget": 150_000_000}, format="json")
    assert (raised.status_code, raised.json()["budget"]) == (200, 150_000_000)
    assert manager.post(url, {"budget": 1}, format="json").status_code == 400
    assert (
        manager.post(
            f"{BASE}alleypay-2026/weeks/13/budget/", {"budget": 1}, format="json"
        ).status_code
        == 404
    )
    alley_pay.refresh_from_db()
    assert alley_pay.total_budget == 1_450_000_000
