"""Every write of cashback: campaigns, payments, cancellations, payouts.

Money moves only inside the database under row locks taken in one fixed order — the payment,
then the customer's week, then the campaign week — and every movement writes a ledger entry in
the same transaction, so concurrent clients can never overspend a week or a customer's cap.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import rules
from cashback.choices import EntryKind, PaymentStatus, PayoutStatus
from cashback.constants import MAX_AMOUNT
from cashback.models import (
    Campaign,
    CampaignWeek,
    CustomerWeek,
    LedgerEntry,
    Payment,
    PayoutBatch,
)
from registry.choices import CertificateType
from registry.clock import as_aware, local_date, local_today, storable
from registry.models import Office
from registry.rules import brn_normalize
from registry.selectors import store_standings
from registry.services.common import field_error


class PaymentConflict(Exception):
    """The same reference was already recorded with different content (HTTP 409)."""


class WeekFrozen(Exception):
    """The payment's week has a confirmed payout and can no longer change (HTTP 409)."""


# --- Campaigns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekOverride:
    week: int
    budget: int | None = None
    cap: int | None = None


def campaign_weeks_plan(
    *, first_day: date, last_day: date, weekly_budget: int, weekly_cap: int,
    overrides: list[WeekOverride],
) -> list[CampaignWeek]:  # fmt: skip
    """The campaign's weeks with their budgets and caps (unsaved), overrides applied."""
    count = rules.week_count(first_day, last_day)
    by_week = {}
    for override in overrides:
        if not 1 <= override.week <= count:
            raise field_error(
                "week_overrides",
                _("Week %(week)s is not a week of this campaign (1 to %(count)s).")
                % {"week": override.week, "count": count},
                "unknown_week",
            )
        if override.week in by_week:
            raise field_error(
                "week_overrides",
                _("Week %(week)s is given twice.") % {"week": override.week},
                "duplicate_week",
            )
        by_week[override.week] = override
    weeks = []
    for number in range(1, count + 1):
        override = by_week.get(number, WeekOverride(number))
        starts_on = first_day + timedelta(days=7 * (number - 1))
        weeks.append(
            CampaignWeek(
                number=number,
                starts_on=starts_on,
                ends_on=min(starts_on + timedelta(days=6), last_day),
                budget=weekly_budget if override.budget is None else override.budget,
                cap=weekly_cap if override.cap is None else override.cap,
            )
        )
    return weeks


DEFAULT_TERMS = {
    "methods": [CertificateType.CARD.value, CertificateType.MOBILE.value],
    "minimum": 20_000,
    "rate_bp": 500,
    "weekly_cap": 10_000,
    "week_overrides": (),
    "rounding_unit": 1,
    "total_budget": None,
}
TERMS = {"first_day", "last_day", "weekly_budget", *DEFAULT_TERMS}


def _terms_apply(campaign: Campaign, terms: dict) -> list[CampaignWeek]:
    """Check the terms, set them on the campaign and plan its weeks (nothing saved).

    The total budget must equal the sum of the weeks' budgets: left out it is derived, given
    and different the campaign is refused.
    """
    methods = sorted(set(terms["methods"] or []))
    if not methods or any(m not in CertificateType.values for m in methods):
        raise field_error("methods", _("Choose one or more of paper, card and mobile."), "invalid")
    if terms["last_day"] < terms["first_day"]:
        raise field_error("last_day", _("The last day cannot be before the first day."), "invalid")
    weeks = campaign_weeks_plan(
        first_day=terms["first_day"], last_day=terms["last_day"],
        weekly_budget=terms["weekly_budget"], weekly_cap=terms["weekly_cap"],
        overrides=list(terms["week_overrides"]),
    )  # fmt: skip
    derived = sum(w.budget for w in weeks)
    total = terms["total_budget"]
    if total is not None and total != derived:
        raise field_error(
            "total_budget",
            _("The total budget %(total)s won does not equal the sum of the weeks' budgets, "
              "%(sum)s won.") % {"total": f"{total:,}", "sum": f"{derived:,}"},
            "total_mismatch",
        )  # fmt: skip
    for name in ("first_day", "last_day", "minimum", "rate_bp", "weekly_cap", "weekly_budget",
                 "rounding_unit"):  # fmt: skip
        setattr(campaign, name, terms[name])
    campaign.methods = methods
    campaign.total_budget = derived
    return weeks


def _weeks_save(campaign: Campaign, weeks: list[CampaignWeek]) -> None:
    for week in weeks:
        week.campaign = campaign
        week.full_clean(exclude=["campaign"])
    CampaignWeek.objects.bulk_create(weeks)


@transaction.atomic
def campaign_create(
    *, office: Office, user, code: str, name: str, first_day: date, last_day: date,
    weekly_budget: int, **terms,
) -> Campaign:  # fmt: skip
    """Create a campaign and its weeks (SPEC 3.1); omitted terms take the spec's defaults:
    card and mobile, 20,000 won minimum, 5%, 10,000 won weekly cap, rounding to 1 won."""
    unknown = set(terms) - set(DEFAULT_TERMS)
    if unknown:
        raise TypeError(f"unknown campaign terms: {sorted(unknown)}")
    campaign = Campaign(office=office, code=code, name=name)
    weeks = _terms_apply(
        campaign,
        {**DEFAULT_TERMS, **terms, "first_day": first_day, "last_day": last_day,
         "weekly_budget": weekly_budget},
    )  # fmt: skip
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    _weeks_save(campaign, weeks)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, user, **changes) -> Campaign:
    """Change a campaign's name, or its terms while no payment has arrived.

    Once payments exist the terms are frozen: budgets can then only be raised, week by week,
    with `campaign_budget_raise`. New terms rebuild the weeks; overrides not given again are
    kept when the days stay the same.
    """
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    unknown = set(changes) - TERMS - {"name"}
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))},
            code="not_changeable",
        )
    campaign.name = changes.pop("name", campaign.name)
    if changes:
        if campaign_has_payments(campaign):
            raise ValidationError(
                _("Payments have arrived, so the terms are frozen; budgets can still be raised "
                  "week by week."),
                code="terms_frozen",
            )  # fmt: skip
        current = {name: getattr(campaign, name) for name in TERMS - {"week_overrides"}}
        current["total_budget"] = None
        # Weeks that differ from the defaults stay overridden unless the days move.
        same_days = not {"first_day", "last_day"} & set(changes)
        current["week_overrides"] = [
            WeekOverride(
                w.number,
                budget=w.budget if w.budget != campaign.weekly_budget else None,
                cap=w.cap if w.cap != campaign.weekly_cap else None,
            )
            for w in campaign.weeks.all()
            if same_days and (w.budget != campaign.weekly_budget or w.cap != campaign.weekly_cap)
        ]
        weeks = _terms_apply(campaign, {**current, **changes})
        campaign.weeks.all().delete()
        _weeks_save(campaign, weeks)
    campaign._history_user = user
    campaign.full_clean()
    campaign.save()
    return campaign


@transaction.atomic
def campaign_budget_raise(*, campaign: Campaign, user, week: int, budget: int) -> CampaignWeek:
    """Raise one week's budget; the only change allowed once payments have arrived."""
    row = CampaignWeek.objects.select_for_update().get(campaign=campaign, number=week)
    if budget < row.budget:
        raise field_error("budget", _("A week's budget can only be raised."), "not_raised")
    _refuse_if_confirmed(row)
    raised = budget - row.budget
    row.budget = budget
    row.save(update_fields=["budget"])
    Campaign.objects.filter(pk=campaign.pk).update(total_budget=F("total_budget") + raised)
    return row


def campaign_has_payments(campaign: Campaign) -> bool:
    return Payment.objects.filter(campaign=campaign).exists()


# --- Payments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentInput:
    """A payment as the operator reports it, already parsed and checked for shape."""

    ref: str
    customer: str
    business_number: str  # ten digits
    amount: int
    method: str
    paid_at: datetime  # aware

    @classmethod
    def parse(cls, *, ref, customer, business_number, amount, method, paid_at) -> "PaymentInput":
        """Check every field at once and return the payment, or raise with all that is wrong."""
        errors = {}
        if not isinstance(ref, str) or not ref.strip() or len(ref) > 64:
            errors["ref"] = _("Give a reference of 1 to 64 characters.")
        if not isinstance(customer, str) or not customer.strip() or len(customer) > 64:
            errors["customer"] = _("Give the customer's id of 1 to 64 characters.")
        try:
            business_number = brn_normalize(business_number)
        except ValidationError as exc:
            errors["business_number"] = exc.messages[0]
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            errors["amount"] = _("The amount is a whole number of won greater than 0.")
        elif amount > MAX_AMOUNT:
            errors["amount"] = _("The amount is too large.")
        if method not in CertificateType.values:
            errors["method"] = _("Choose paper, card or mobile.")
        if not isinstance(paid_at, datetime) or not storable(as_aware(paid_at)):
            errors["paid_at"] = _("Give the time of payment.")
        if errors:
            raise ValidationError(errors)
        return cls(ref.strip(), customer.strip(), business_number, amount, method,
                   as_aware(paid_at))  # fmt: skip

    def matches(self, payment: Payment) -> bool:
        return (
            payment.customer == self.customer
            and payment.business_number == self.business_number
            and payment.amount == self.amount
            and payment.method == self.method
            and payment.paid_at == self.paid_at
        )


def payment_assess(campaign: Campaign, data: PaymentInput, standing) -> rules.Assessment:
    """Steps 1–6 for one payment, given the store's standing (None when unknown)."""
    paid_on = local_date(data.paid_at)
    return rules.assess(
        campaign.terms(),
        paid_on=paid_on,
        method=data.method,
        store_known=standing is not None,
        store_eligible=standing is not None and standing.eligible_on(data.method, paid_on),
        amount=data.amount,
    )


def payment_record(*, campaign: Campaign, data: PaymentInput) -> tuple[Payment, bool]:
    """Record and decide one payment, first come first served (SPEC 3.2, 3.3).

    Returns the payment and whether it was new. The same reference with the same content
    returns the recorded payment unchanged; with different content it raises PaymentConflict.
    A new reference is simply inserted: the unique constraint on (campaign, ref) finds the
    rare repeat, so the common case does not pay for a lookup first.
    """
    standing = store_standings(campaign.office_id, [data.business_number]).get(data.business_number)
    assessment = payment_assess(campaign, data, standing)
    week = (
        CampaignWeek.objects.only("number", "cap", "frozen_at").get(
            campaign=campaign, number=assessment.week
        )
        if assessment.week
        else None
    )
    try:
        with transaction.atomic():
            return _record(campaign, data, standing, assessment, week), True
    except IntegrityError:
        # The reference is recorded already, perhaps by a concurrent request just now.
        existing = Payment.objects.filter(campaign=campaign, ref=data.ref).first()
        if existing is None:
            raise
        return _same_or_conflict(existing, data), False


def _same_or_conflict(existing: Payment, data: PaymentInput) -> Payment:
    if not data.matches(existing):
        raise PaymentConflict(
            _("Reference %(ref)s is already recorded with different content.") % {"ref": data.ref}
        )
    return existing


def _record(
    campaign, data: PaymentInput, standing, assessment: rules.Assessment, week: CampaignWeek | None
) -> Payment:
    """Insert the payment, then spend: the customer's week is locked, and the campaign week last.

    The week's row is the one every client of the campaign queues for, so it is locked as late
    as possible and, on PostgreSQL, for a single statement before COMMIT.
    """
    payment = Payment.objects.create(
        campaign=campaign, ref=data.ref, customer=data.customer,
        business_number=data.business_number, store_id=standing.store_id if standing else None,
        amount=data.amount, method=data.method, paid_at=data.paid_at, week=week,
        cashback=0, reason=assessment.reason or rules.WEEKLY_CAP_REACHED,
    )  # fmt: skip
    if week is None:
        return payment
    if assessment.reason is None:
        holding, room = customer_week_hold(week_id=week.pk, customer=data.customer)
        if min(assessment.raw, room) > 0:
            payment.cashback, payment.reason = _week_spend(
                week, holding, payment, raw=assessment.raw, room=room
            )
            return payment
    # Nothing to spend: the week's row is not locked, only its freeze is respected.
    _refuse_if_confirmed(week)
    return payment


def customer_week_hold(*, week_id: int, customer: str) -> tuple[int, int]:
    """Lock the customer's row for the week, creating it if new: (row id, room left under the
    cap). One statement; the lock lasts until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
            "SELECT id, %s, 0, cap FROM cashback_campaignweek WHERE id = %s "
            "ON CONFLICT (week_id, customer) DO UPDATE SET held = cashback_customerweek.held "
            "RETURNING id, cap - held",
            [customer, week_id],
        )
        return cursor.fetchone()


# Every write of a grant in one statement: the week's counter, the customer's holding, the
# ledger entry and the payment's decision. The week's UPDATE is conditional (not frozen, and
# the amount fits the budget); when it changes nothing, neither does the rest.
_GRANT = """
WITH spent AS (
    UPDATE cashback_campaignweek SET granted = granted + %(amount)s,
        exhausted_at = CASE WHEN granted + %(amount)s = budget
                            THEN COALESCE(exhausted_at, %(paid_at)s) ELSE exhausted_at END
    WHERE id = %(week)s AND frozen_at IS NULL AND granted + %(amount)s <= budget
    RETURNING id
), held AS (
    UPDATE cashback_customerweek SET held = held + %(amount)s
    WHERE id = %(holding)s AND EXISTS (SELECT FROM spent)
), entry AS (
    INSERT INTO cashback_ledgerentry (week_id, payment_id, customer, kind, amount, created_at)
    SELECT id, %(payment)s, %(customer)s, %(kind)s, %(amount)s, %(now)s FROM spent
)
UPDATE cashback_payment SET cashback = %(amount)s, reason = %(reason)s
WHERE id = %(payment)s AND EXISTS (SELECT FROM spent)
"""

# Vendors that spend with the single statement above; elsewhere (the SQLite demo) the same
# writes go one by one under the week's lock, which the database's single writer serialises.
ONE_STATEMENT_VENDORS = frozenset({"postgresql"})


def _week_spend(week: CampaignWeek, holding: int, payment: Payment, *, raw: int, room: int):
    """Spend what the customer may still receive from the week's budget: (granted, reason).

    Most payments find the week able to pay them in full, and are spent by one conditional
    statement, so the week's row — which every client of the campaign queues for — is held
    only for that statement and the COMMIT. Otherwise (the budget's last won, or a frozen
    week) the row is locked and read first, and `rules.allot` decides from what is left.
    """
    one_statement = connection.vendor in ONE_STATEMENT_VENDORS
    if one_statement:
        in_full = rules.allot(raw, customer_room=room, week_remaining=raw)
        if _grant(week.pk, holding, payment, *in_full):
            return in_full
    week = CampaignWeek.objects.select_for_update().get(pk=week.pk)
    _refuse_if_confirmed(week)  # read under the week's lock, which confirmation also takes
    granted, reason = rules.allot(raw, customer_room=room, week_remaining=week.remaining)
    if not granted:
        Payment.objects.filter(pk=payment.pk).update(reason=reason)
    elif one_statement:
        if not _grant(week.pk, holding, payment, granted, reason):
            raise AssertionError(f"week {week.pk} refused {granted} won under its own lock")
    else:
        Payment.objects.filter(pk=payment.pk).update(cashback=granted, reason=reason)
        _move(week, holding, payment, granted, EntryKind.GRANT)
        if week.granted + granted == week.budget and week.exhausted_at is None:
            CampaignWeek.objects.filter(pk=week.pk).update(exhausted_at=payment.paid_at)
    return granted, reason


def _grant(week_id: int, holding: int, payment: Payment, amount: int, reason: str) -> bool:
    """Spend `amount` if the week is open and can afford it; whether it was spent."""
    with connection.cursor() as cursor:
        cursor.execute(
            _GRANT,
            {
                "week": week_id, "holding": holding, "payment": payment.pk,
                "customer": payment.customer, "kind": EntryKind.GRANT, "amount": amount,
                "reason": reason, "paid_at": payment.paid_at, "now": timezone.now(),
            },
        )  # fmt: skip
        return cursor.rowcount == 1


def _move(week, holding: int, payment, amount: int, kind: str) -> None:
    """Move money: both counters inside the database, and the ledger row beside them."""
    signed = amount if kind == EntryKind.GRANT else -amount
    CampaignWeek.objects.filter(pk=week.pk).update(granted=F("granted") + signed)
    CustomerWeek.objects.filter(pk=holding).update(held=F("held") + signed)
    LedgerEntry.objects.create(
        week=week, payment=payment, customer=payment.customer, kind=kind, amount=signed
    )


def _refuse_if_confirmed(week: CampaignWeek) -> None:
    if week.frozen_at is not None:
        raise WeekFrozen(_("Week %(week)s is confirmed and frozen.") % {"week": week.number})


@transaction.atomic
def payment_cancel(*, campaign: Campaign, ref: str) -> tuple[Payment, bool]:
    """Cancel a payment: its grant returns to the week's budget and the customer's room.

    Cancelling again changes nothing. Returns the payment and whether it changed now.
    Raises Payment.DoesNotExist for an unknown reference.
    """
    payment = Payment.objects.select_for_update().get(campaign=campaign, ref=ref)
    if payment.status == PaymentStatus.CANCELLED:
        return payment, False
    if payment.cashback:
        holding, _room = customer_week_hold(week_id=payment.week_id, customer=payment.customer)
        week = CampaignWeek.objects.select_for_update().get(pk=payment.week_id)
        _refuse_if_confirmed(week)
        _move(week, holding, payment, payment.cashback, EntryKind.CANCEL)
    elif payment.week_id:
        _refuse_if_confirmed(payment.week)
    payment.status = PaymentStatus.CANCELLED
    payment.cancelled_at = timezone.now()
    payment.save(update_fields=["status", "cancelled_at"])
    return payment, True


# --- Payouts -------------------------------------------------------------------------------


@transaction.atomic
def payout_prepare(*, week: CampaignWeek, user, today: date | None = None) -> PayoutBatch:
    """Build the week's payout list from what each customer holds (SPEC 3.5).

    Only a week that has ended can be paid out. Preparing again rebuilds a draft or exported
    list from the current holdings; a confirmed week is final.
    """
    week = CampaignWeek.objects.select_for_update().get(pk=week.pk)
    if week.ends_on >= (today or local_today()):
        raise ValidationError(
            _("Week %(week)s ends on %(day)s; its payout can be prepared from the next day.")
            % {"week": week.number, "day": week.ends_on.isoformat()},
            code="week_not_ended",
        )
    batch = PayoutBatch.objects.filter(week=week).first()
    if batch and batch.status == PayoutStatus.CONFIRMED:
        raise ValidationError(
            _("Week %(week)s is confirmed and frozen.") % {"week": week.number}, code="confirmed"
        )
    if batch is None:
        batch = PayoutBatch(week=week, created_by=user)
    holdings = CustomerWeek.objects.filter(week=week, held__gt=0)
    figures = holdings.aggregate(total=Sum("held", default=0), customers=Count("pk"))
    batch.status = PayoutStatus.DRAFT
    batch.total, batch.customers = figures["total"], figures["customers"]
    batch.exported_at = None
    batch.save()
    batch.lines.all().delete()
    # Tens of thousands of lines a week, copied inside the database in customer order.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cashback_payoutline (batch_id, customer, amount) "
            "SELECT %s, customer, held FROM cashback_customerweek "
            "WHERE week_id = %s AND held > 0 ORDER BY customer",
            [batch.pk, week.pk],
        )
    return batch


@transaction.atomic
def payout_export(*, batch: PayoutBatch, user) -> PayoutBatch:
    """Mark the list as handed to the operator; the CSV is `selectors.payout_csv_lines`."""
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == PayoutStatus.CONFIRMED:
        raise ValidationError(
            _("This payout is confirmed; it can still be downloaded but not exported again."),
            code="confirmed",
        )
    if batch.status == PayoutStatus.DRAFT:
        batch.status = PayoutStatus.EXPORTED
        batch.exported_at = timezone.now()
        batch.save(update_fields=["status", "exported_at"])
    return batch


@transaction.atomic
def payout_confirm(*, batch: PayoutBatch, user) -> PayoutBatch:
    """Confirm that the operator credited the list: the week is frozen from now on.

    Refused when the week's grants changed after the list was made (a late payment or a
    cancellation): the list must be prepared and exported again.
    """
    week = CampaignWeek.objects.select_for_update().get(pk=batch.week_id)
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != PayoutStatus.EXPORTED:
        raise ValidationError(
            _("Only an exported payout can be confirmed; this one is %(status)s.")
            % {"status": batch.get_status_display()},
            code="invalid_transition",
        )
    if batch.total != week.granted:
        raise ValidationError(
            _("Week %(week)s changed after the list was made (%(list)s won listed, %(now)s won "
              "granted now). Prepare and export it again.")
            % {"week": week.number, "list": f"{batch.total:,}", "now": f"{week.granted:,}"},
            code="stale",
        )  # fmt: skip
    batch.status = PayoutStatus.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.confirmed_by = user
    batch.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    # On the week's own row, which every spend locks, so no spend can miss the freeze.
    week.frozen_at = batch.confirmed_at
    week.save(update_fields=["frozen_at"])
    return batch
