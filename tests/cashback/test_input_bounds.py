"""Campaign days, spans and budgets at the edges: refused in Korean, never a server error."""

import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from cashback import rules, services
from cashback.models import Campaign, CampaignWeek
from tests.cashback.factories import CampaignFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cashback/campaigns/"


@pytest.fixture
def manager(office):
    client = APIClient()
    client.force_authenticate(UserFactory(office=office, roles=["cashback_manager"]))
    return client


def campaign_body(first_day: str, last_day: str, **terms) -> dict:
    return {
        "code": "edge",
        "name": "경계 시험",
        "office": "29140",
        "first_day": first_day,
        "last_day": last_day,
        "weekly_budget": 1_000_000,
        **terms,
    }


@pytest.mark.parametrize(
    ("first_day", "last_day", "field"),
    [
        ("9999-12-31", "9999-12-31", "first_day"),
        ("9999-12-25", "9999-12-31", "first_day"),
        ("2026-01-09", "9999-12-31", "last_day"),
        ("0001-01-01", "0001-01-07", "first_day"),
        ("1999-12-31", "2000-01-06", "first_day"),
    ],
)
def test_days_near_the_ends_of_the_calendar_are_refused_in_korean(
    manager, first_day, last_day, field
):
    response = manager.post(BASE, campaign_body(first_day, last_day), format="json")
    assert response.status_code == 400
    assert response.json()[field] == ["2000-01-01부터 2099-12-31 사이의 날짜를 고르십시오."]
    assert not Campaign.objects.exists()


def test_a_campaign_of_200_years_is_refused_at_once_naming_the_bound(manager):
    started = time.monotonic()
    response = manager.post(BASE, campaign_body("2026-01-01", "2226-01-01"), format="json")
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert response.json()["last_day"] == ["2000-01-01부터 2099-12-31 사이의 날짜를 고르십시오."]
    response = manager.post(BASE, campaign_body("2026-01-01", "2046-01-01"), format="json")
    [message] = response.json()["last_day"]
    assert "최대 104주(2년)" in message and "2027-12-29" in message and "1044주" in message
    assert not Campaign.objects.exists() and not CampaignWeek.objects.exists()


def test_a_campaign_of_exactly_104_weeks_is_accepted_and_one_day_more_is_not(manager):
    ok = manager.post(BASE, campaign_body("2026-01-01", "2027-12-29"), format="json")
    assert ok.status_code == 201, ok.content
    assert len(ok.json()["weeks"]) == rules.MAX_WEEKS
    longer = manager.post(
        BASE, {**campaign_body("2026-01-01", "2027-12-30"), "code": "edge-2"}, format="json"
    )
    assert longer.status_code == 400
    assert "최대 104주(2년)" in longer.json()["last_day"][0]


def test_the_database_refuses_a_campaign_longer_than_104_weeks(office):
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(office=office, first_day=date(2026, 1, 1), last_day=date(2028, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(office=office, first_day=date(1999, 1, 1), last_day=date(1999, 1, 7))


@pytest.mark.parametrize("budget", [2**63 - 1, 2**63, 10**30])
def test_a_budget_raise_beyond_a_bigint_is_refused_and_changes_nothing(manager, alley_pay, budget):
    url = f"{BASE}alleypay-2026/weeks/1/budget/"
    response = manager.post(url, {"budget": budget}, format="json")
    assert response.status_code == 400
    assert response.json()["budget"] == [
        "사업 총예산이 저장할 수 있는 가장 큰 금액(9,223,372,036,854,775,807원)을 넘게 됩니다."
    ]
    alley_pay.refresh_from_db()
    assert alley_pay.total_budget == 1_400_000_000
    assert alley_pay.weeks.get(number=1).budget == 100_000_000


def test_the_service_refuses_a_raise_that_would_pass_the_largest_total(alley_pay, clerk):
    with pytest.raises(ValidationError) as exc:
        services.campaign_budget_raise(
            campaign=alley_pay, user=clerk, week=1, budget=rules.MAX_WON - 1_000_000_000
        )
    assert exc.value.message_dict["budget"] == [
        "사업 총예산이 저장할 수 있는 가장 큰 금액(9,223,372,036,854,775,807원)을 넘게 됩니다."
    ]
    alley_pay.refresh_from_db()
    assert alley_pay.total_budget == 1_400_000_000
