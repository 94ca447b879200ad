"""The API answers in plain Korean: no English words left in DRF's messages, and a record not
found is named in Korean, not by its model's English class name."""

import re

import pytest

from tests.cashback.factories import CampaignFactory
from tests.hotline.conftest import intake
from tests.registry.api_support import api_for
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
LATIN_WORD = re.compile(r"\b(?!JSON\b|null\b|true\b|false\b|Authorization\b)[A-Za-z]{3,}\b")


@pytest.fixture
def staff(office):
    return UserFactory(
        office=office,
        roles=["clerk", "hotline_operator", "cashback_manager", "payment_operator"],
    )


@pytest.fixture
def alley_pay(office):
    return CampaignFactory(office=office, code="alleypay-2026")


def only_korean(message: str) -> bool:
    """No English word outside the format examples and the words of JSON itself."""
    return not LATIN_WORD.search(re.sub(r"YYYY.*$|:\s*\S*$", "", message))


def test_a_malformed_time_is_refused_in_korean(staff, alley_pay):
    response = api_for(staff).post(
        "/api/v1/cashback/campaigns/alleypay-2026/payments/",
        {
            "ref": "T-1",
            "customer": "c-1",
            "business_number": "220-81-62517",
            "amount": 30_000,
            "method": "card",
            "paid_at": "어제 저녁",
        },
        format="json",
    )
    assert response.status_code == 400
    [message] = response.json()["paid_at"]
    assert message.startswith("날짜와 시각의 형식이 올바르지 않습니다.")
    assert "Datetime" not in message


def test_a_malformed_date_blank_and_null_are_refused_in_korean(staff):
    response = api_for(staff).post(
        "/api/v1/cashback/campaigns/",
        {"code": "x", "name": "", "office": None, "first_day": "1월 1일", "last_day": "2026"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 400
    assert body["name"] == ["이 항목은 비워 둘 수 없습니다."]
    assert body["office"] == ["이 항목에는 값을 넣어야 합니다(null은 받지 않습니다)."]
    assert body["first_day"][0].startswith("날짜 형식이 올바르지 않습니다.")
    assert body["weekly_budget"] == ["필수 항목입니다."]
    assert all(only_korean(m) for messages in body.values() for m in messages), body


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/v1/cashback/campaigns/nope/", "조회할 수 있는 지자체에 없는 캐시백 사업입니다."),
        ("/api/v1/stores/999999/", "조회할 수 있는 지자체에 없는 점포입니다."),
        ("/api/v1/hotline/cases/119-2026-999999/", "조회할 수 있는 지자체에 없는 민원입니다."),
    ],
)
def test_a_record_not_found_is_named_in_korean(staff, url, message):
    response = api_for(staff).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_a_week_or_payment_not_found_says_which(staff, alley_pay):
    client = api_for(staff)
    base = "/api/v1/cashback/campaigns/alleypay-2026"
    week = client.post(f"{base}/weeks/99/budget/", {"budget": 1}, format="json")
    payment = client.post(f"{base}/payments/nope/cancel/")
    assert week.json() == {"detail": "이 캐시백 사업에 해당 주차가 없습니다."}
    assert payment.json() == {"detail": "이 캐시백 사업에 해당 결제가 없습니다."}


def test_a_page_past_the_end_and_a_missing_token_are_told_in_korean(staff, office):
    intake(office, staff)
    past = api_for(staff).get("/api/v1/hotline/cases/", {"page": 9})
    anonymous = api_for().get("/api/v1/hotline/cases/")
    assert past.json() == {"detail": "없는 페이지입니다."}
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("인증 정보가 없습니다.")
