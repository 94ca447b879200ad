import pytest

from core.services import Conflict
from programmes import rules, services
from programmes.models import LedgerEntry
from programmes.selectors import programme_figures
from tests.programmes.conftest import apply, seoul
from tests.registry.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_an_entitlement_application_is_awarded_at_once_and_written_to_the_ledger(relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 10))
    relief.refresh_from_db()
    assert (application.status, application.award, relief.awarded) == ("awarded", 500_000, 500_000)
    assert list(LedgerEntry.objects.values_list("kind", "amount")) == [("award", 500_000)]


def test_a_competitive_programme_runs_from_application_to_refund(
    growth, business, reviewers, clerk, office, dong
):
    first = apply(growth, business, requested=15_000_000)
    second = apply(growth, StoreFactory(office=office, dong=dong), requested=30_000_000)
    for application in (first, second):
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
    for reviewer, (plan, impact) in zip(reviewers, [(5, 10), (4, 8), (3, 6)], strict=True):
        services.review_submit(
            application=first, reviewer=reviewer, scores={"plan": plan, "impact": impact}
        )
        services.review_submit(
            application=second, reviewer=reviewer, scores={"plan": 3, "impact": 5}
        )
    outcomes = services.programme_select(programme=growth, actor=clerk)
    assert [(o.outcome.rank, o.outcome.award) for o in outcomes] == [
        (1, 15_000_000),
        (None, 0),
    ]
    with pytest.raises(Conflict):
        services.programme_select(programme=growth, actor=clerk)
    first.refresh_from_db()
    assert (first.status, str(first.score)) == ("selected", "16.00")
    grant = services.grant_decide(
        application=first,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="치평 나눔협동조합",
        actor=clerk,
    )
    instalment = services.disbursement_add(grant=grant, amount=10_000_000, actor=clerk)
    text, rows = services.disbursements_export(programme=growth, actor=clerk)
    assert rows == 1 and "1107-020-123456" in text
    instalment.refresh_from_db()
    services.disbursement_mark_paid(disbursement=instalment, actor=clerk)
    line = services.expense_add(
        grant=grant,
        item="플랫폼 개발 용역",
        amount=8_000_000,
        spent_on=seoul(2026, 5, 1).date(),
        evidence_note="세금계산서 2026-0501",
        actor=clerk,
    )
    services.expense_decide(line=line, accept=True, actor=clerk)
    grant = services.settlement_close(grant=grant, actor=clerk)
    assert grant.refund_due == 2_000_000
    services.refund_record(grant=grant, amount=2_000_000, actor=clerk)
    figures = programme_figures(growth)
    assert (figures.awarded, figures.paid, figures.accepted) == (15_000_000, 10_000_000, 8_000_000)
    assert (figures.refunds_due, figures.refunds_returned) == (2_000_000, 2_000_000)
    assert figures.remaining == 85_000_000
    assert second.__class__.objects.get(pk=second.pk).reason == rules.BELOW_PASS_MARK
