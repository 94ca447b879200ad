"""Many applicants at once, on real PostgreSQL transactions: the entitlement budget is never
overspent and no business is awarded twice."""

import pytest

from programmes import rules
from programmes.models import Application, LedgerEntry, Programme
from programmes.selectors import ledger_disagreements
from programmes.services import Refusal
from tests.programmes.conftest import apply, seoul
from tests.programmes.factories import EntitlementProgrammeFactory
from tests.registry.factories import OfficeFactory, StoreFactory
from tests.support import race

pytestmark = pytest.mark.django_db(transaction=True)
AT = seoul(2026, 8, 3, 10)


def outcome(result):
    if isinstance(result, Application):
        return "awarded"
    assert isinstance(result, Refusal), result
    return result.reason


def test_many_applicants_racing_for_the_last_whole_amounts_get_exactly_what_the_budget_pays():
    office = OfficeFactory(code="29140")
    # 1,700,000 won pays three awards of 500,000 and leaves 200,000 no applicant can take.
    relief = EntitlementProgrammeFactory(office=office, budget=1_700_000)
    stores = [StoreFactory(office=office) for _ in range(8)]
    results = race([lambda store=store: apply(relief, store, at=AT) for store in stores])
    outcomes = sorted(outcome(r) for r in results)
    assert outcomes == ["awarded"] * 3 + [rules.BUDGET_EXHAUSTED] * 5
    relief.refresh_from_db()
    assert relief.awarded == 1_500_000
    assert Application.objects.filter(programme=relief).count() == 3
    assert sum(LedgerEntry.objects.filter(programme=relief).values_list("amount", flat=True)) == (
        1_500_000
    )
    assert ledger_disagreements(relief) == []


def test_the_same_business_applying_twice_at_once_is_awarded_once():
    office = OfficeFactory(code="29140")
    relief = EntitlementProgrammeFactory(office=office, budget=10_000_000)
    store = StoreFactory(office=office)
    results = race([lambda: apply(relief, store, at=AT) for _ in range(4)])
    assert sorted(outcome(r) for r in results) == ["awarded"] + [rules.DUPLICATE] * 3
    assert Programme.objects.get(pk=relief.pk).awarded == 500_000
    assert LedgerEntry.objects.filter(programme=relief).count() == 1
    assert ledger_disagreements(relief) == []
