from datetime import datetime

import pytest

from core.clock import SEOUL
from hotline import services
from tests.registry.factories import (
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)


def seoul(*args) -> datetime:
    """An instant given in Seoul wall-clock time: seoul(2026, 2, 13, 16) is 16:00 KST."""
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def operator(office):
    return UserFactory(
        username="operator", first_name="이수민", office=office, roles=["hotline_operator"]
    )


@pytest.fixture
def supervisor(office):
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


@pytest.fixture
def store(office):
    """골목식당 in a designated district of the office."""
    store = StoreFactory(
        office=office, business_number="2208162517", trade_name="치평 골목식당", phone="0623334444"
    )
    MembershipFactory(
        store=store, district=DesignatedDistrictFactory(office=office, name="치평 먹자골목")
    )
    return store


def intake(office, user, *, at=None, **overrides):
    """A routine phone case received at `at` (Monday 2026-03-09 10:00 KST by default)."""
    at = at or seoul(2026, 3, 9, 10)
    data = {
        "channel": "phone",
        "caller_type": "merchant",
        "category": "cashback",
        "description": "캐시백이 적립되지 않았다는 문의",
        "priority": "normal",
        "received_at": at,
        "at": at,
        **overrides,
    }
    return services.case_intake(office=office, user=user, **data)
