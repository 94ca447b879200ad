"""Any stream of applications to an entitlement programme: first come, first served, whole
amounts only, one award per business, and the ledger agrees."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programmes import rules
from programmes.models import Application
from programmes.selectors import ledger_disagreements, programme_figures
from programmes.services import Refusal
from tests.programmes.conftest import apply, seoul
from tests.programmes.factories import EntitlementProgrammeFactory
from tests.registry.factories import StoreFactory

pytestmark = pytest.mark.django_db
_codes = itertools.count()


@pytest.fixture
def stores(office):
    return [StoreFactory(office=office) for _ in range(8)]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amount=st.integers(min_value=1, max_value=900_000),
    budget=st.integers(min_value=1, max_value=5_000_000),
    stream=st.lists(st.integers(min_value=0, max_value=7), max_size=14),
)
def test_a_stream_of_applications_is_served_in_order_until_no_whole_amount_is_left(
    office, stores, amount, budget, stream
):
    programme = EntitlementProgrammeFactory(
        office=office, code=f"stream-{next(_codes)}", amount=amount, budget=budget
    )
    expected_left, seen, outcomes, expected = budget, set(), [], []
    for index in stream:
        try:
            apply(programme, stores[index], at=seoul(2026, 8, 3, 10))
            outcomes.append("awarded")
        except Refusal as refusal:
            outcomes.append(refusal.reason)
        if index in seen:
            expected.append(rules.DUPLICATE)
        elif expected_left >= amount:
            expected_left -= amount
            seen.add(index)
            expected.append("awarded")
        else:
            expected.append(rules.BUDGET_EXHAUSTED)
    assert outcomes == expected
    figures = programme_figures(programme)
    assert figures.remaining == expected_left
    assert Application.objects.filter(programme=programme).count() == len(seen)
    assert ledger_disagreements(programme) == []
