from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cashback import services
from cashback.models import Campaign, CampaignWeek, LedgerEntry, Payment
from cashback.selectors import campaign_week_figures, ledger_disagreements
from cashback.services import PaymentConflict, PaymentInput, WeekFrozen, WeekOverride
from tests.registry.factories import StoreFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
_refs = iter(range(1, 10**6))


def pay(
    campaign,
    *,
    customer="c-1",
    amount=20_000,
    method="card",
    business_number="2208162517",
    paid_at=datetime(2026, 1, 9, 12, 0, tzinfo=SEOUL),
    ref=None,
):
    data = PaymentInput.parse(
        ref=ref or f"p-{next(_refs)}",
        customer=customer,
        business_number=business_number,
        amount=amount,
        method=method,
        paid_at=paid_at,
    )
    payment, _created = services.payment_record(campaign=campaign, data=data)
    return payment


def week(campaign, number):
    return CampaignWeek.objects.get(campaign=campaign, number=number)


def test_the_reference_campaign_has_its_twelve_weeks_and_budgets(alley_pay):
    weeks = list(alley_pay.weeks.order_by("number"))
    assert len(weeks) == 12
    assert [w.budget for w in weeks] == [100_000_000] * 4 + [200_000_000] * 2 + [100_000_000] * 6
    assert (weeks[4].starts_on, weeks[5].ends_on) == (date(2026, 2, 6), date(2026, 2, 19))
    assert weeks[11].ends_on == date(2026, 4, 2)
    assert alley_pay.total_budget == 1_400_000_000
    assert alley_pay.methods == ["card", "mobile"]


def test_a_total_that_does_not_add_up_is_refused(office, clerk):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            office=office,
            user=clerk,
            code="x",
            name="x",
            first_day=date(2026, 1, 9),
            last_day=date(2026, 4, 2),
            weekly_budget=100_000_000,
            total_budget=1_400_000_000,
        )
    assert exc.value.error_dict["total_budget"][0].code == "total_mismatch"
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ([WeekOverride(13, budget=1)], "unknown_week"),
        ([WeekOverride(2, budget=1), WeekOverride(2, cap=5)], "duplicate_week"),
    ],
)
def test_overrides_must_name_weeks_of_the_campaign_once(office, clerk, overrides, code):
    with pytest.raises(ValidationError) as exc:
        services.campaign_create(
            office=office,
            user=clerk,
            code="x",
            name="x",
            first_day=date(2026, 1, 9),
            last_day=date(2026, 4, 2),
            weekly_budget=1_000,
            week_overrides=overrides,
        )
    assert exc.value.error_dict["week_overrides"][0].code == code


def test_a_full_grant_moves_the_counters_and_writes_the_ledger(alley_pay, eligible_store):
    payment = pay(alley_pay, amount=57_300)
    assert (payment.week.number, payment.cashback, payment.reason) == (1, 2_865, "granted")
    assert week(alley_pay, 1).granted == 2_865
    entry = LedgerEntry.objects.get()
    assert (entry.kind, entry.amount, entry.customer) == ("grant", 2_865, "c-1")
    assert ledger_disagreements(alley_pay) == []


def test_friday_midnight_in_seoul_starts_a_new_week(alley_pay, eligible_store):
    thursday_night = pay(alley_pay, paid_at=datetime(2026, 1, 15, 23, 59, 59, tzinfo=SEOUL))
    friday = pay(alley_pay, paid_at=datetime(2026, 1, 16, 0, 0, tzinfo=SEOUL))
    assert (thursday_night.week.number, friday.week.number) == (1, 2)


def test_a_utc_timestamp_is_placed_by_its_seoul_date(alley_pay, eligible_store):
    # 2026-01-15 15:00 UTC is Friday 2026-01-16 00:00 in Seoul.
    payment = pay(alley_pay, paid_at=datetime(2026, 1, 15, 15, 0, tzinfo=UTC))
    assert payment.week.number == 2


def test_a_timestamp_without_offset_is_seoul_local_time(alley_pay, eligible_store):
    payment = pay(alley_pay, paid_at=datetime(2026, 1, 8, 23, 59))
    assert (payment.reason, payment.week) == ("outside_campaign", None)
    assert payment.paid_at == datetime(2026, 1, 8, 23, 59, tzinfo=SEOUL)


def test_the_last_day_counts_until_midnight(alley_pay, eligible_store):
    assert pay(alley_pay, paid_at=datetime(2026, 4, 2, 23, 59, tzinfo=SEOUL)).week.number == 12
    assert pay(alley_pay, paid_at=datetime(2026, 4, 3, 0, 0, tzinfo=SEOUL)).reason == (
        "outside_campaign"
    )


def test_reasons_for_payments_that_earn_nothing(alley_pay, eligible_store, office):
    assert pay(alley_pay, method="paper").reason == "method_not_eligible"
    assert pay(alley_pay, business_number="1248100998").reason == "store_not_registered"
    outsider = StoreFactory(office=office)
    assert pay(alley_pay, business_number=outsider.business_number).reason == "store_not_eligible"
    assert pay(alley_pay, amount=19_999).reason == "below_minimum"
    assert LedgerEntry.objects.count() == 0
    assert week(alley_pay, 1).granted == 0


def test_a_store_of_another_office_is_not_registered_for_this_campaign(
    alley_pay, eligible_store, other_office
):
    stranger = StoreFactory(office=other_office)
    assert pay(alley_pay, business_number=stranger.business_number).reason == (
        "store_not_registered"
    )


def test_the_weekly_cap_is_filled_across_several_stores(alley_pay, eligible_store, office):
    other = StoreFactory(office=office)
    other.memberships.create(district=eligible_store.memberships.get().district)
    other.affiliations.create(certificate_type="mobile", status="approved")
    first = pay(alley_pay, amount=150_000)  # 7,500
    second = pay(alley_pay, amount=100_000, method="mobile", business_number=other.business_number)
    third = pay(alley_pay, amount=100_000)
    assert [(p.cashback, p.reason) for p in (first, second, third)] == [
        (7_500, "granted"),
        (2_500, "partial"),
        (0, "weekly_cap_reached"),
    ]
    # The cap is per week: next Friday the customer has room again.
    assert pay(alley_pay, paid_at=datetime(2026, 1, 16, 9, tzinfo=SEOUL)).cashback == 1_000


def test_the_last_won_of_a_week_goes_to_the_first_payment(office, clerk, eligible_store):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="tiny",
        name="tiny",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_500,
    )
    first = pay(campaign, customer="a", paid_at=datetime(2026, 1, 10, 10, tzinfo=SEOUL))
    second = pay(campaign, customer="b", paid_at=datetime(2026, 1, 10, 11, tzinfo=SEOUL))
    third = pay(campaign, customer="c")
    assert [(p.cashback, p.reason) for p in (first, second, third)] == [
        (1_000, "granted"),
        (500, "partial"),
        (0, "budget_exhausted"),
    ]
    assert week(campaign, 1).exhausted_at == datetime(2026, 1, 10, 11, tzinfo=SEOUL)


def test_per_week_overrides_raise_budget_and_cap(office, clerk, eligible_store):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="seollal",
        name="설 특별",
        first_day=date(2026, 2, 6),
        last_day=date(2026, 2, 19),
        weekly_budget=1_000_000,
        week_overrides=[WeekOverride(2, budget=2_000_000, cap=30_000)],
    )
    first_week = pay(campaign, amount=1_000_000, paid_at=datetime(2026, 2, 6, 10, tzinfo=SEOUL))
    second_week = pay(campaign, amount=1_000_000, paid_at=datetime(2026, 2, 13, 10, tzinfo=SEOUL))
    assert (first_week.cashback, second_week.cashback) == (10_000, 30_000)


def test_a_rounding_unit_rounds_cashback_down(office, clerk, eligible_store):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="national",
        name="동행축제",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_000_000,
        rounding_unit=1_000,
    )
    assert pay(campaign, amount=59_999).cashback == 2_000


def test_a_store_that_joined_mid_campaign_earns_only_from_joining(alley_pay, office):
    from tests.registry.factories import (
        ApprovedAffiliateFactory,
        DesignatedDistrictFactory,
        MembershipFactory,
    )

    store = StoreFactory(office=office)
    MembershipFactory(
        store=store,
        district=DesignatedDistrictFactory(office=office),
        joined_on=date(2026, 2, 1),
    )
    ApprovedAffiliateFactory(store=store, approved_on=date(2026, 2, 10))
    number = store.business_number
    reasons = [
        pay(alley_pay, business_number=number, paid_at=datetime(2026, 2, day, tzinfo=SEOUL)).reason
        for day in (5, 9, 10)
    ]
    # Joined on 1 February, approved on 10 February: both are needed.
    assert reasons == ["store_not_eligible", "store_not_eligible", "granted"]


def test_the_same_ref_and_content_returns_the_same_payment(alley_pay, eligible_store):
    first = pay(alley_pay, ref="r-1")
    data = PaymentInput.parse(
        ref="r-1",
        customer="c-1",
        business_number="220-81-62517",
        amount=20_000,
        method="card",
        paid_at=datetime(2026, 1, 9, 3, 0, tzinfo=UTC),  # the same instant, another offset
    )
    again, created = services.payment_record(campaign=alley_pay, data=data)
    assert (again.pk, created) == (first.pk, False)
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 1


def test_the_same_ref_with_other_content_is_a_conflict(alley_pay, eligible_store):
    pay(alley_pay, ref="r-1")
    with pytest.raises(PaymentConflict):
        pay(alley_pay, ref="r-1", amount=30_000)
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ref", ""),
        ("customer", " "),
        ("business_number", "220-81-62518"),
        ("amount", 0),
        ("amount", -5),
        ("amount", 20000.5),
        ("amount", "20000"),
        ("amount", True),
        ("method", "cash"),
        ("paid_at", "yesterday"),
        ("ref", "a\x00b"),
        ("customer", "c" * 65),
    ],
)
def test_malformed_input_names_the_field_and_records_nothing(alley_pay, field, value):
    fields = {
        "ref": "r",
        "customer": "c",
        "business_number": "2208162517",
        "amount": 20_000,
        "method": "card",
        "paid_at": datetime(2026, 1, 9, tzinfo=SEOUL),
    }
    with pytest.raises(ValidationError) as exc:
        PaymentInput.parse(**{**fields, field: value})
    assert set(exc.value.error_dict) == {field}
    assert not Payment.objects.exists()


def test_cancelling_returns_the_grant_to_the_week_and_the_customer(alley_pay, eligible_store):
    payment = pay(alley_pay, amount=200_000)  # 10,000: the whole cap
    assert pay(alley_pay, amount=20_000).reason == "weekly_cap_reached"
    cancelled, changed = services.payment_cancel(campaign=alley_pay, ref=payment.ref)
    assert (cancelled.status, changed) == ("cancelled", True)
    assert week(alley_pay, 1).granted == 0
    assert pay(alley_pay, amount=20_000).cashback == 1_000
    assert LedgerEntry.objects.filter(kind="cancel").get().amount == -10_000
    assert ledger_disagreements(alley_pay) == []


def test_cancelling_again_changes_nothing(alley_pay, eligible_store):
    payment = pay(alley_pay)
    services.payment_cancel(campaign=alley_pay, ref=payment.ref)
    again, changed = services.payment_cancel(campaign=alley_pay, ref=payment.ref)
    assert (again.status, again.cashback, changed) == ("cancelled", 1_000, False)
    assert LedgerEntry.objects.count() == 2


def test_cancelling_an_unknown_ref_is_not_found(alley_pay):
    with pytest.raises(Payment.DoesNotExist):
        services.payment_cancel(campaign=alley_pay, ref="nope")


def test_a_week_that_ran_out_keeps_its_exhaustion_time_after_a_cancellation(
    office, clerk, eligible_store
):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="t",
        name="t",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_000,
    )
    payment = pay(campaign, paid_at=datetime(2026, 1, 9, 10, tzinfo=SEOUL))
    services.payment_cancel(campaign=campaign, ref=payment.ref)
    assert week(campaign, 1).exhausted_at == datetime(2026, 1, 9, 10, tzinfo=SEOUL)
    assert week(campaign, 1).granted == 0


def test_weekly_figures_count_recorded_payments_and_their_holders(alley_pay, eligible_store):
    pay(alley_pay, customer="a", amount=40_000)
    pay(alley_pay, customer="a", amount=20_000)
    pay(alley_pay, customer="b", amount=10_000)  # below minimum: counted, not eligible
    cancelled = pay(alley_pay, customer="c", amount=30_000)
    services.payment_cancel(campaign=alley_pay, ref=cancelled.ref)
    first = campaign_week_figures(alley_pay)[0]
    assert (first.payments, first.eligible_payments, first.beneficiaries) == (3, 2, 1)
    assert (first.purchase_total, first.granted, first.remaining) == (60_000, 3_000, 99_997_000)
    assert first.exhausted_at is None


def test_budgets_can_only_be_raised(alley_pay):
    services.campaign_budget_raise(campaign=alley_pay, user=None, week=3, budget=150_000_000)
    alley_pay.refresh_from_db()
    assert alley_pay.total_budget == 1_450_000_000
    with pytest.raises(ValidationError):
        services.campaign_budget_raise(campaign=alley_pay, user=None, week=3, budget=1)


def test_nothing_changes_in_a_confirmed_week(alley_pay, eligible_store, clerk):
    payment = pay(alley_pay)
    batch = services.payout_prepare(week=week(alley_pay, 1), user=clerk, today=date(2026, 1, 20))
    services.payout_export(batch=batch, user=clerk)
    services.payout_confirm(batch=batch, user=clerk)
    assert week(alley_pay, 1).frozen_at is not None
    with pytest.raises(WeekFrozen):
        pay(alley_pay)
    with pytest.raises(WeekFrozen):
        pay(alley_pay, amount=5_000)  # refused by the minimum, and still not recorded
    with pytest.raises(WeekFrozen):
        services.payment_cancel(campaign=alley_pay, ref=payment.ref)
    assert Payment.objects.count() == 1
    assert week(alley_pay, 1).granted == 1_000
    # The payment already recorded is still answered as recorded.
    assert pay(alley_pay, ref=payment.ref).pk == payment.pk


def test_terms_can_change_until_the_first_payment(alley_pay, clerk, eligible_store):
    campaign = services.campaign_update(
        campaign=alley_pay, user=clerk, weekly_budget=50_000_000, rate_bp=1_000
    )
    weeks = list(campaign.weeks.order_by("number").values_list("budget", flat=True))
    # Weeks 5 and 6 keep their raised budgets; the others take the new default.
    assert weeks == [50_000_000] * 4 + [200_000_000] * 2 + [50_000_000] * 6
    assert (campaign.total_budget, campaign.rate_bp) == (900_000_000, 1_000)
    pay(campaign)
    with pytest.raises(ValidationError) as exc:
        services.campaign_update(campaign=campaign, user=clerk, rate_bp=500)
    assert exc.value.code == "terms_frozen"
    services.campaign_update(campaign=campaign, user=clerk, name="새 이름")
    campaign.refresh_from_db()
    assert (campaign.name, campaign.rate_bp) == ("새 이름", 1_000)


def test_moving_the_days_rebuilds_the_weeks(alley_pay, clerk):
    campaign = services.campaign_update(
        campaign=alley_pay, user=clerk, first_day=date(2026, 1, 2), last_day=date(2026, 1, 15)
    )
    assert list(campaign.weeks.values_list("number", "budget")) == [
        (1, 100_000_000),
        (2, 100_000_000),
    ]
    assert campaign.total_budget == 200_000_000


def test_unknown_fields_cannot_be_changed(alley_pay, clerk):
    with pytest.raises(ValidationError):
        services.campaign_update(campaign=alley_pay, user=clerk, office=None)
