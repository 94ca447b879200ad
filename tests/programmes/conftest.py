from datetime import datetime
from decimal import Decimal

import pytest

from core.clock import SEOUL
from programmes import services
from tests.programmes.factories import (
    CompetitiveProgrammeFactory,
    CriterionFactory,
    EntitlementProgrammeFactory,
    ReviewerFactory,
)
from tests.registry.factories import StoreFactory, UserFactory


def seoul(*args) -> datetime:
    """An instant in Seoul wall-clock time: seoul(2026, 3, 25, 18) is 18:00 KST."""
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture
def relief(office):
    """The Burden Relief Credit of the office: 500,000 won each, 10,000,000 won in all."""
    return EntitlementProgrammeFactory(office=office, code="relief-2026")


@pytest.fixture
def growth(office):
    """A competitive programme with two criteria (plan ×2 out of 5, impact ×1 out of 10): the
    best total is 20, the pass mark 12."""
    programme = CompetitiveProgrammeFactory(
        office=office, code="growth-2026", pass_mark=Decimal("12")
    )
    CriterionFactory(programme=programme, key="plan", name="사업계획", weight=Decimal(2))
    CriterionFactory(programme=programme, key="impact", name="사회적 가치", max_points=10)
    return programme


@pytest.fixture
def business(office, dong):
    return StoreFactory(
        office=office,
        dong=dong,
        business_number="2208162517",
        trade_name="치평 나눔협동조합",
        enterprise_type="social_cooperative",
        phone="01012345678",
    )


@pytest.fixture
def reviewers(office, growth):
    """Three reviewers of the office assigned to `growth`."""
    users = [
        UserFactory(username=f"reviewer{n}", office=office, roles=["programme_reviewer"])
        for n in range(1, 4)
    ]
    for user in users:
        ReviewerFactory(programme=growth, user=user)
    return users


def apply(programme, store, *, at=None, annual_sales=120_000_000, requested=None, **extra):
    """Apply for `store` through the service, as the API and the public page do."""
    fields = {"business_number": store.business_number, "annual_sales": annual_sales}
    if programme.kind == "competitive":
        requested = requested or 15_000_000
        fields |= {
            "requested": requested,
            "plan": "지역 식재료 공동구매 플랫폼 구축",
            "budget_lines": [{"item": "플랫폼 개발", "amount": requested}],
        }
    fields |= extra
    data = services.application_input_parse(programme=programme, **fields)
    at = at or programme.opens_at
    return services.application_submit(
        programme=programme, data=services.ApplicationInput(**{**data.__dict__, "submitted_at": at})
    )
