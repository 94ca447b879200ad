"""Applying, reviewing, selecting and the money after the award, through the services."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from core.services import Conflict
from programmes import services
from programmes.models import Application, Event, LedgerEntry, Programme, Review
from programmes.selectors import (
    application_find,
    ledger_disagreements,
    programme_figures,
    review_progress,
)
from registry.models import RestrictedBusinessType
from tests.programmes.conftest import apply, seoul
from tests.programmes.factories import DigitDayFactory, ReviewerFactory
from tests.registry.factories import (
    DongFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
AUGUST = seoul(2026, 8, 3, 10)


def refusal(programme, store, **kwargs) -> str:
    with pytest.raises(services.Refusal) as caught:
        apply(programme, store, **kwargs)
    return caught.value.reason


# Applying: every refusal names its rule and writes nothing.


def test_applying_before_the_window_or_at_its_closing_moment_is_outside_window(relief, business):
    assert refusal(relief, business, at=seoul(2026, 7, 14, 8, 59, 59)) == "outside_window"
    assert refusal(relief, business, at=seoul(2026, 12, 31, 18)) == "outside_window"
    assert apply(relief, business, at=seoul(2026, 12, 31, 17, 59, 59)).status == "awarded"


def test_on_a_digit_day_only_numbers_ending_in_its_digits_may_apply(relief, business):
    DigitDayFactory(programme=relief, day=date(2026, 7, 14), digits="16")
    DigitDayFactory(programme=relief, day=date(2026, 7, 15), digits="27")
    assert refusal(relief, business, at=seoul(2026, 7, 14, 10)) == "digit_day"
    assert apply(relief, business, at=seoul(2026, 7, 15, 10)).status == "awarded"


def test_a_business_not_in_the_offices_registry_is_not_registered(relief, other_office):
    elsewhere = StoreFactory(office=other_office)
    assert refusal(relief, elsewhere, at=AUGUST) == "not_registered"


@pytest.mark.parametrize(
    ("sales", "reason"),
    [
        (0, "not_eligible:annual_sales_min_exclusive"),
        (300_000_001, "not_eligible:annual_sales_max"),
    ],
)
def test_sales_outside_the_relief_range_are_not_eligible(relief, business, sales, reason):
    assert refusal(relief, business, at=AUGUST, annual_sales=sales) == reason
    assert not Application.objects.exists()


def test_sales_of_exactly_300_million_are_eligible(relief, business):
    assert apply(relief, business, at=AUGUST, annual_sales=300_000_000).award == 500_000


def test_a_closed_business_and_a_restricted_type_are_not_eligible(relief, business, office):
    business.status, business.closed_on = "closed", date(2026, 6, 30)
    business.save()
    assert refusal(relief, business, at=AUGUST) == "not_eligible:active"
    bar = StoreFactory(office=office, ksic_code="56211")
    RestrictedBusinessType.objects.create(office=office, ksic_code="56211", name="유흥주점업")
    assert refusal(relief, bar, at=AUGUST) == "not_eligible:restricted_business_type"


def test_the_programmes_dongs_and_opening_date_are_checked(relief, business, office):
    relief.dongs.set([DongFactory(office=office, name="풍암동")])
    assert refusal(relief, business, at=AUGUST) == "not_eligible:dongs"
    relief.dongs.clear()
    Programme.objects.filter(pk=relief.pk).update(opened_before=date(2026, 1, 1))
    relief.refresh_from_db()
    business.opened_on = date(2026, 1, 1)
    business.save()
    assert refusal(relief, business, at=AUGUST) == "not_eligible:opened_before"


def test_a_competitive_programme_takes_only_its_social_economy_types(growth, business, office):
    Programme.objects.filter(pk=growth.pk).update(enterprise_types=["social_enterprise"])
    growth.refresh_from_db()
    assert refusal(growth, business) == "not_eligible:enterprise_types"


def test_applying_twice_is_a_duplicate_but_after_withdrawing_one_may_apply_again(
    growth, business, clerk
):
    first = apply(growth, business)
    assert refusal(growth, business) == "duplicate"
    services.application_transition(application=first, to="withdrawn", note="취소", actor=clerk)
    assert apply(growth, business).status == "submitted"


def test_an_entitlement_budget_that_cannot_pay_a_whole_amount_refuses_and_writes_nothing(
    relief, office
):
    Programme.objects.filter(pk=relief.pk).update(budget=1_400_000)
    relief.refresh_from_db()
    stores = [StoreFactory(office=office) for _ in range(3)]
    apply(relief, stores[0], at=AUGUST)
    apply(relief, stores[1], at=AUGUST)
    assert refusal(relief, stores[2], at=AUGUST) == "budget_exhausted"
    relief.refresh_from_db()
    assert (relief.awarded, relief.remaining) == (1_000_000, 400_000)
    assert Application.objects.filter(store=stores[2]).count() == 0
    assert not Event.objects.filter(application__store=stores[2]).exists()


def test_the_database_refuses_awards_beyond_the_budget(relief):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=relief.pk).update(awarded=F("budget") + 1)


def test_the_database_refuses_a_second_live_application_of_one_business(growth, business):
    application = apply(growth, business)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            programme=growth,
            number="ABCDEFGHJKLM",
            store=business,
            business_number=business.business_number,
            annual_sales=1,
            status="submitted",
            submitted_at=application.submitted_at,
        )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"business_number": "220-81-62518"}, {"business_number"}),
        ({"annual_sales": "-5"}, {"annual_sales"}),
        ({"annual_sales": "많음"}, {"annual_sales"}),
        ({"requested": 0}, {"requested"}),
        ({"budget_lines": []}, {"budget_lines"}),
        ({"budget_lines": [{"item": "장비", "amount": 1}]}, {"budget_lines"}),
        ({"plan": "  "}, {"plan"}),
        ({"phone": "12"}, {"phone"}),
        (
            {"business_number": "1", "annual_sales": "x", "plan": "", "phone": "1"},
            {"business_number", "annual_sales", "plan", "phone"},
        ),
    ],
)
def test_bad_input_is_reported_field_by_field_in_korean(growth, fields, errors):
    given = {
        "business_number": "220-81-62517",
        "annual_sales": "120,000,000",
        "requested": 15_000_000,
        "plan": "계획",
        "budget_lines": [{"item": "개발", "amount": 15_000_000}],
    } | fields
    with pytest.raises(ValidationError) as caught:
        services.application_input_parse(programme=growth, **given)
    assert set(caught.value.message_dict) == errors
    assert all(
        any("\uac00" <= ch <= "\ud7a3" for ch in message)
        for messages in caught.value.message_dict.values()
        for message in messages
    )


def test_thousands_separators_are_accepted_in_amounts(growth):
    data = services.application_input_parse(
        programme=growth,
        business_number="220-81-62517",
        annual_sales="120,000,000",
        requested="15,000,000",
        plan="계획",
        budget_lines=[{"item": "개발", "amount": "15,000,000"}],
    )
    assert (data.annual_sales, data.requested) == (120_000_000, 15_000_000)


def test_the_applicant_finds_the_application_only_with_the_number_and_the_phones_last_four(
    relief, business
):
    application = apply(relief, business, at=AUGUST)
    assert application_find(application.number_display, "5678") == application
    assert application_find(application.number, "5679") is None
    assert application_find("ABCD-EFGH-JKLM", "5678") is None


# Review and selection.


def under_review(application, clerk):
    for to in ("screening", "under_review"):
        services.application_transition(application=application, to=to, actor=clerk)
    application.refresh_from_db()
    return application


def test_moves_outside_the_state_machine_are_refused_naming_the_allowed_ones(
    growth, business, clerk
):
    application = apply(growth, business)
    with pytest.raises(ValidationError) as caught:
        services.application_transition(application=application, to="under_review", actor=clerk)
    assert "심사 중" not in caught.value.messages[0] or "검토" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        services.application_transition(application=application, to="selected", actor=clerk)
    with pytest.raises(ValidationError):
        services.application_transition(application=application, to="withdrawn", actor=clerk)


def test_changes_requested_goes_back_to_screening(growth, business, clerk):
    application = apply(growth, business)
    for to in ("screening", "changes_requested", "screening", "under_review"):
        application = services.application_transition(application=application, to=to, actor=clerk)
    assert application.status == "under_review"
    assert list(
        Event.objects.filter(application=application, kind="status").values_list(
            "to_status", flat=True
        )
    ) == ["screening", "changes_requested", "screening", "under_review"]


def test_only_assigned_reviewers_review_once_each_with_points_in_range(
    growth, business, reviewers, clerk, office
):
    application = under_review(apply(growth, business), clerk)
    outsider = UserFactory(office=office, roles=["programme_reviewer"])
    with pytest.raises(PermissionDenied):
        services.review_submit(application=application, reviewer=outsider, scores={})
    with pytest.raises(ValidationError):
        services.review_submit(
            application=application, reviewer=reviewers[0], scores={"plan": 6, "impact": 1}
        )
    with pytest.raises(ValidationError):
        services.review_submit(application=application, reviewer=reviewers[0], scores={"plan": 1})
    services.review_submit(
        application=application, reviewer=reviewers[0], scores={"plan": 5, "impact": 10}
    )
    with pytest.raises(Conflict):
        services.review_submit(
            application=application, reviewer=reviewers[0], scores={"plan": 1, "impact": 1}
        )
    assert Review.objects.get().total == Decimal(20)


def test_a_conflict_of_interest_is_recorded_without_scores_and_not_counted(
    growth, business, reviewers, clerk
):
    application = under_review(apply(growth, business), clerk)
    services.review_submit(
        application=application, reviewer=reviewers[0], conflict=True, comment="대표자와 친족"
    )
    services.review_submit(
        application=application, reviewer=reviewers[1], scores={"plan": 4, "impact": 6}
    )
    progress = review_progress(growth)[0]
    assert (progress.conflicts, progress.reviewed, progress.waiting) == (
        [reviewers[0]],
        [reviewers[1]],
        [reviewers[2]],
    )
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    assert application.score == Decimal("14.00")


def test_the_trimmed_mean_drops_the_extremes_from_five_scoring_reviewers(
    growth, business, clerk, office
):
    Programme.objects.filter(pk=growth.pk).update(trimmed_mean=True)
    growth.refresh_from_db()
    application = under_review(apply(growth, business), clerk)
    for n, (plan, impact) in enumerate([(0, 0), (3, 4), (3, 5), (4, 5), (5, 10)]):
        user = UserFactory(office=office, username=f"r{n}", roles=["programme_reviewer"])
        ReviewerFactory(programme=growth, user=user)
        services.review_submit(
            application=application, reviewer=user, scores={"plan": plan, "impact": impact}
        )
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    assert application.score == Decimal("11.33")  # (10 + 11 + 13) / 3, not (0 + … + 20) / 5


def test_selection_runs_once_after_the_window_and_only_for_competitive_programmes(
    growth, relief, clerk
):
    Programme.objects.filter(pk=growth.pk).update(closes_at=seoul(2099, 1, 1))
    growth.refresh_from_db()
    with pytest.raises(ValidationError):
        services.programme_select(programme=growth, actor=clerk)
    with pytest.raises(ValidationError):
        services.programme_select(programme=relief, actor=clerk)


def scored(growth, clerk, reviewers, office, dong, plans_and_requests):
    applications = []
    for plan, requested in plans_and_requests:
        application = under_review(
            apply(growth, StoreFactory(office=office, dong=dong), requested=requested), clerk
        )
        for reviewer in reviewers:
            services.review_submit(
                application=application, reviewer=reviewer, scores={"plan": plan, "impact": 10}
            )
        applications.append(application)
    return applications


def test_selection_spends_the_budget_to_its_last_won_and_marks_the_rest_budget_exhausted(
    growth, clerk, reviewers, office, dong
):
    Programme.objects.filter(pk=growth.pk).update(budget=45_000_000)
    growth.refresh_from_db()
    applications = scored(
        growth,
        clerk,
        reviewers,
        office,
        dong,
        [(5, 25_000_000), (4, 15_000_000), (3, 20_000_000), (2, 5_000_000)],
    )
    services.programme_select(programme=growth, actor=clerk)
    rows = [
        Application.objects.values_list("rank", "award", "status", "reason").get(pk=a.pk)
        for a in applications
    ]
    assert rows == [
        (1, 20_000_000, "selected", ""),
        (2, 15_000_000, "selected", ""),
        (3, 10_000_000, "selected", ""),
        (4, 0, "not_selected", "budget_exhausted"),
    ]
    figures = programme_figures(growth)
    assert (figures.awarded, figures.remaining) == (45_000_000, 0)
    assert LedgerEntry.objects.filter(kind="award").count() == 3


def test_the_committee_may_lower_an_award_never_raise_it_and_the_difference_returns(
    growth, clerk, reviewers, office, dong
):
    (application,) = scored(growth, clerk, reviewers, office, dong, [(5, 15_000_000)])
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    for amount in (15_000_000, 16_000_000, 0):
        with pytest.raises(ValidationError):
            services.award_lower(application=application, amount=amount, reason="조정", actor=clerk)
    with pytest.raises(ValidationError):
        services.award_lower(application=application, amount=12_000_000, reason="", actor=clerk)
    services.award_lower(
        application=application, amount=12_000_000, reason="심사위원회 조정", actor=clerk
    )
    growth.refresh_from_db()
    assert growth.awarded == 12_000_000
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 12_000_000


# After the award.


def granted(growth, clerk, reviewers, office, dong):
    (application,) = scored(growth, clerk, reviewers, office, dong, [(5, 15_000_000)])
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    return services.grant_decide(
        application=application,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="치평 나눔협동조합",
        actor=clerk,
    )


def test_instalments_never_add_up_to_more_than_the_grant(growth, clerk, reviewers, office, dong):
    grant = granted(growth, clerk, reviewers, office, dong)
    services.disbursement_add(grant=grant, amount=10_000_000, actor=clerk)
    with pytest.raises(ValidationError):
        services.disbursement_add(grant=grant, amount=5_000_001, actor=clerk)
    last = services.disbursement_add(grant=grant, amount=5_000_000, actor=clerk)
    assert last.sequence == 2
    with pytest.raises(ValidationError):
        services.disbursement_mark_paid(disbursement=last, actor=clerk)


def test_a_grant_is_decided_once_and_only_for_an_award(growth, clerk, reviewers, office, dong):
    grant = granted(growth, clerk, reviewers, office, dong)
    with pytest.raises(ValidationError):
        services.grant_decide(
            application=grant.application,
            bank="광주은행",
            account_number="1107-020-123456",
            account_holder="x",
            actor=clerk,
        )
    assert grant.account_masked != grant.account_number


def test_paid_but_not_accepted_becomes_a_refund_due_and_no_more_can_be_returned(
    growth, clerk, reviewers, office, dong
):
    grant = granted(growth, clerk, reviewers, office, dong)
    instalment = services.disbursement_add(grant=grant, amount=15_000_000, actor=clerk)
    services.disbursements_export(programme=growth, actor=clerk)
    instalment.refresh_from_db()
    services.disbursement_mark_paid(disbursement=instalment, actor=clerk)
    kept = services.expense_add(
        grant=grant,
        item="장비",
        amount=9_000_000,
        spent_on=date(2026, 5, 1),
        evidence_note="세금계산서",
        actor=clerk,
    )
    refused = services.expense_add(
        grant=grant,
        item="회식",
        amount=2_000_000,
        spent_on=date(2026, 5, 2),
        evidence_note="영수증",
        actor=clerk,
    )
    with pytest.raises(ValidationError):
        services.settlement_close(grant=grant, actor=clerk)
    services.expense_decide(line=kept, accept=True, actor=clerk)
    with pytest.raises(ValidationError):
        services.expense_decide(line=refused, accept=False, actor=clerk)
    services.expense_decide(line=refused, accept=False, note="지원 대상 아님", actor=clerk)
    grant = services.settlement_close(grant=grant, actor=clerk)
    assert grant.refund_due == 6_000_000
    with pytest.raises(ValidationError):
        services.refund_record(grant=grant, amount=6_000_001, actor=clerk)
    services.refund_record(grant=grant, amount=6_000_000, actor=clerk)
    kinds = dict(LedgerEntry.objects.values_list("kind", "amount"))
    assert kinds == {
        "award": 15_000_000,
        "payment": 15_000_000,
        "refund_due": 6_000_000,
        "refund_returned": 6_000_000,
    }


def test_the_applicant_is_texted_on_the_award_and_the_timeline_says_so(
    relief, business, settings, django_capture_on_commit_callbacks
):
    from core.notify import MemorySmsSender

    settings.GOLMOK_SMS_SENDER = "core.notify.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(relief, business, at=AUGUST)
    (message,) = MemorySmsSender.outbox
    assert message["to"] == "01012345678"
    assert "500,000" in message["text"] and application.number_display in message["text"]
    assert Event.objects.filter(application=application, kind="notice").exists()


def test_after_a_whole_competitive_flow_the_counters_agree_with_the_ledger(
    growth, clerk, reviewers, office, dong
):
    grant = granted(growth, clerk, reviewers, office, dong)
    instalment = services.disbursement_add(grant=grant, amount=15_000_000, actor=clerk)
    services.disbursements_export(programme=growth, actor=clerk)
    instalment.refresh_from_db()
    services.disbursement_mark_paid(disbursement=instalment, actor=clerk)
    line = services.expense_add(
        grant=grant,
        item="장비",
        amount=14_000_000,
        spent_on=date(2026, 5, 1),
        evidence_note="세금계산서",
        actor=clerk,
    )
    services.expense_decide(line=line, accept=True, actor=clerk)
    grant = services.settlement_close(grant=grant, actor=clerk)
    services.refund_record(grant=grant, amount=400_000, actor=clerk)
    assert ledger_disagreements(growth) == []
    Programme.objects.filter(pk=growth.pk).update(awarded=F("awarded") - 1)
    assert ledger_disagreements(growth) == ["awarded 14999999 != ledger 15000000"]


def test_the_database_refuses_a_programme_without_the_terms_of_its_kind(office):
    for kind, terms in (
        ("competitive", {"max_award": None, "pass_mark": Decimal(60)}),
        ("entitlement", {"amount": None}),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Programme.objects.create(
                office=office,
                code=f"no-terms-{kind}",
                name="조건 없는 사업",
                kind=kind,
                opens_at=seoul(2026, 3, 2, 9),
                closes_at=seoul(2026, 3, 25, 18),
                budget=1_000_000,
                **terms,
            )


@pytest.mark.parametrize("code", ["status", "done", "check"])
def test_a_code_that_is_a_path_of_the_public_pages_is_refused(relief, code):
    relief.code = code
    with pytest.raises(ValidationError) as caught:
        relief.full_clean()
    assert "공개 페이지" in " ".join(caught.value.messages)


def test_nothing_more_is_paid_after_the_settlement_and_it_waits_for_open_instalments(
    growth, clerk, reviewers, office, dong
):
    grant = granted(growth, clerk, reviewers, office, dong)
    first = services.disbursement_add(grant=grant, amount=10_000_000, actor=clerk)
    with pytest.raises(ValidationError) as unpaid:
        services.settlement_close(grant=grant, actor=clerk)
    assert unpaid.value.code == "unpaid"
    services.disbursements_export(programme=growth, actor=clerk)
    services.disbursement_mark_paid(disbursement=first, actor=clerk)
    services.settlement_close(grant=grant, actor=clerk)
    with pytest.raises(ValidationError):
        services.disbursement_add(grant=grant, amount=1_000_000, actor=clerk)
    assert ledger_disagreements(growth) == []


def test_an_entitlement_grant_has_no_settlement(relief, business, clerk):
    application = apply(relief, business, at=AUGUST)
    grant = services.grant_decide(
        application=application,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="홍길동",
        actor=clerk,
    )
    with pytest.raises(ValidationError) as caught:
        services.settlement_close(grant=grant, actor=clerk)
    assert caught.value.code == "kind"


def test_a_business_that_applied_and_now_fails_a_rule_is_told_the_rule(growth, business):
    apply(growth, business)
    assert refusal(growth, business) == "duplicate"
    Programme.objects.filter(pk=growth.pk).update(annual_sales_max=100_000_000)
    growth.refresh_from_db()
    assert refusal(growth, business) == "not_eligible:annual_sales_max"


def test_the_amount_per_business_is_fixed_once_awards_are_made(relief, business, clerk):
    from programmes.services.editing import programme_update

    apply(relief, business, at=AUGUST)
    with pytest.raises(ValidationError) as caught:
        programme_update(programme=relief, changes={"amount": 600_000}, actor=clerk)
    assert "amount" in caught.value.message_dict


def test_a_submission_time_in_the_future_is_refused(growth):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationError) as caught:
        services.application_input_parse(
            programme=growth,
            business_number="220-81-62517",
            annual_sales=1,
            requested=1,
            plan="계획",
            budget_lines=[{"item": "개발", "amount": 1}],
            submitted_at=timezone.now() + timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"submitted_at"}


def test_receiving_an_application_and_deciding_a_grant_are_written_to_the_access_log(
    growth, clerk, reviewers, office, dong
):
    from registry.models import AccessLog

    grant = granted(growth, clerk, reviewers, office, dong)
    logged = set(AccessLog.objects.filter(action="add").values_list("model", "object_pk"))
    assert ("programmes.Application", str(grant.application_id)) in logged
    assert ("programmes.Grant", str(grant.pk)) in logged


def test_deciding_an_expense_line_is_written_to_the_timeline(
    growth, clerk, reviewers, office, dong
):
    grant = granted(growth, clerk, reviewers, office, dong)
    line = services.expense_add(
        grant=grant,
        item="장비",
        amount=1_000_000,
        spent_on=date(2026, 5, 1),
        evidence_note="세금계산서",
        actor=clerk,
    )
    services.expense_decide(line=line, accept=False, note="지원 대상 아님", actor=clerk)
    entry = Event.objects.filter(application=grant.application, kind="expense").last()
    assert entry.amount == 1_000_000 and "지원 대상 아님" in entry.note
