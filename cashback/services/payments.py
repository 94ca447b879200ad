"""Payments, decided one by one as they are recorded, and their cancellations (SPEC 3.2, 3.3).

Money moves only inside the database under locks taken in one fixed order — the campaign's
payment gate, the payment, the customer's week, the campaign week, then the week's tally slot —
and every movement writes a ledger entry in the same transaction, so concurrent clients can
never overspend a week or a customer's cap, and a file settled meanwhile waits its turn instead
of deadlocking. Every payment of a week, granted or not, and every cancellation adds to the
week's tally (`models.WeekTally`) by the last statement of its transaction.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback import parsing, rules
from cashback.choices import EntryKind, PaymentStatus
from cashback.models import Campaign, CampaignWeek, LedgerEntry, Payment
from cashback.services.common import (
    WEEK_HOLDER_SLOT,
    campaign_week_lock,
    customer_week_lock,
    payment_lock,
    payments_gate_pass,
    refuse_if_frozen,
    tally_slot,
    week_tally_add,
)
from core.clock import local_date
from core.services import Conflict
from registry.rules import StoreStanding
from registry.selectors import store_standings


class PaymentConflict(Conflict):
    """The same reference was already recorded with different content (HTTP 409)."""


@dataclass(frozen=True)
class PaymentInput:
    """A payment as the operator reports it, each field parsed and checked."""

    ref: str
    customer: str
    business_number: str  # ten digits
    amount: int
    method: str
    paid_at: datetime  # aware

    @classmethod
    def parse(cls, *, ref, customer, business_number, amount, method, paid_at) -> "PaymentInput":
        """Check every field with `cashback.parsing`, the parsers the file settlement shares,
        and return the payment, or raise with all that is wrong, keyed by field."""
        values, errors = {}, {}
        for name, parse, value in (
            ("ref", parsing.ref, ref),
            ("customer", parsing.customer, customer),
            ("business_number", parsing.business_number, business_number),
            ("amount", parsing.amount, amount),
            ("method", parsing.method, method),
            ("paid_at", parsing.paid_at, paid_at),
        ):
            try:
                values[name] = parse(value)
            except ValidationError as error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    def matches(self, payment: Payment) -> bool:
        return (
            payment.customer == self.customer
            and payment.business_number == self.business_number
            and payment.amount == self.amount
            and payment.method == self.method
            and payment.paid_at == self.paid_at
        )


def payment_assess(
    *, campaign: Campaign, data: PaymentInput, standing: StoreStanding | None
) -> rules.Assessment:
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

    The campaign's terms are read again once through its payment gate: a change of terms that
    held the gate while this payment waited is then the one it is decided by.
    """
    standing = store_standings(campaign.office_id, [data.business_number]).get(data.business_number)
    try:
        with transaction.atomic():
            payments_gate_pass(campaign)
            campaign = Campaign.objects.get(pk=campaign.pk)
            assessment = payment_assess(campaign=campaign, data=data, standing=standing)
            week = (
                CampaignWeek.objects.only("number", "cap", "frozen_at").get(
                    campaign=campaign, number=assessment.week
                )
                if assessment.week
                else None
            )
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
    campaign: Campaign,
    data: PaymentInput,
    standing: StoreStanding | None,
    assessment: rules.Assessment,
    week: CampaignWeek | None,
) -> Payment:
    """Insert the payment, then spend: the customer's week is locked, then the campaign week,
    and the payment is counted in the week's tally last.

    The week's row is the one every client of the campaign queues for, so it is locked as late
    as possible, and only by a payment that may earn; the tally, which every payment of the week
    adds to, is spread over slots, and its slot is locked by the last statement before COMMIT:
    slot 0 if the week's row is held, else another (services/common.py says why).
    """
    payment = Payment.objects.create(
        campaign=campaign,
        ref=data.ref,
        customer=data.customer,
        business_number=data.business_number,
        store_id=standing.store_id if standing else None,
        amount=data.amount,
        method=data.method,
        paid_at=data.paid_at,
        week=week,
        cashback=0,
        reason=assessment.reason or rules.WEEKLY_CAP_REACHED,
    )
    if week is None:
        return payment
    holding = None
    if assessment.reason is None:
        holding = customer_week_lock(week_id=week.pk, customer=data.customer)
    if holding is not None and min(assessment.raw, holding.room) > 0:
        # Granted or not, the week's row is held from here on.
        payment.cashback, payment.reason = _week_spend(
            week, holding.id, payment, raw=assessment.raw, room=holding.room
        )
        slot = WEEK_HOLDER_SLOT
    else:
        # Nothing to spend: the week's row is not locked, only its freeze is respected.
        refuse_if_frozen(week)
        slot = tally_slot(payment.pk)
    _count(
        week.pk,
        slot,
        payment,
        sign=1,
        beneficiary=payment.cashback > 0 and holding.held == 0,
    )
    return payment


def _count(week_id: int, slot: int, payment: Payment, *, sign: int, beneficiary: bool) -> None:
    """Count the payment in its week's figures (`sign` 1) or take it back out (-1): a payment,
    and if it holds cashback an eligible one with its purchase; `beneficiary` when its customer
    starts or stops holding cashback in the week with it."""
    earned = payment.cashback > 0
    week_tally_add(
        week_id=week_id,
        slot=slot,
        payments=sign,
        eligible_payments=sign * earned,
        purchase_total=sign * payment.amount * earned,
        beneficiaries=sign * beneficiary,
    )


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


def _week_spend(
    week: CampaignWeek, holding: int, payment: Payment, *, raw: int, room: int
) -> tuple[int, str]:
    """Spend what the customer may still receive from the week's budget: (granted, reason).

    Most payments find the week able to pay them in full, and are spent by one conditional
    statement, so the week's row — which every client of the campaign queues for — is held
    only for that statement and the COMMIT. Otherwise (the budget's last won, or a frozen
    week) the row is locked and read first, and `rules.allot` decides from what is left.
    """
    in_full = rules.allot(raw, customer_room=room, week_remaining=raw)
    if _grant(week.pk, holding, payment, *in_full):
        return in_full
    week = campaign_week_lock(week_id=week.pk)
    refuse_if_frozen(week)
    granted, reason = rules.allot(raw, customer_room=room, week_remaining=week.remaining)
    if not granted:
        Payment.objects.filter(pk=payment.pk).update(reason=reason)
    elif not _grant(week.pk, holding, payment, granted, reason):
        raise AssertionError(f"week {week.pk} refused {granted} won under its own lock")
    return granted, reason


def _grant(week_id: int, holding: int, payment: Payment, amount: int, reason: str) -> bool:
    """Spend `amount` if the week is open and can afford it; whether it was spent."""
    with connection.cursor() as cursor:
        cursor.execute(
            _GRANT,
            {
                "week": week_id,
                "holding": holding,
                "payment": payment.pk,
                "customer": payment.customer,
                "kind": EntryKind.GRANT,
                "amount": amount,
                "reason": reason,
                "paid_at": payment.paid_at,
                "now": timezone.now(),
            },
        )
        return cursor.rowcount == 1


def _give_back(week: CampaignWeek, holding: int, payment: Payment) -> int:
    """Return a cancelled payment's cashback: both counters inside the database, and the
    ledger row beside them. Returns what the customer still holds in the week."""
    amount = payment.cashback
    CampaignWeek.objects.filter(pk=week.pk).update(granted=F("granted") - amount)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cashback_customerweek SET held = held - %s WHERE id = %s RETURNING held",
            [amount, holding],
        )
        (held,) = cursor.fetchone()
    LedgerEntry.objects.create(
        week=week,
        payment=payment,
        customer=payment.customer,
        kind=EntryKind.CANCEL,
        amount=-amount,
    )
    return held


@transaction.atomic
def payment_cancel(*, campaign: Campaign, ref: str) -> tuple[Payment, bool]:
    """Cancel a payment: its grant returns to the week's budget and the customer's room.

    Cancelling again changes nothing. Returns the payment and whether it changed now; a payment
    of a week leaves the week's figures, last. Raises Payment.DoesNotExist for an unknown
    reference.
    """
    payments_gate_pass(campaign)
    payment = payment_lock(campaign=campaign, ref=ref)
    if payment.status == PaymentStatus.CANCELLED:
        return payment, False
    slot, emptied = tally_slot(payment.pk), False
    if payment.cashback:
        holding = customer_week_lock(week_id=payment.week_id, customer=payment.customer)
        week = campaign_week_lock(week_id=payment.week_id)
        refuse_if_frozen(week)
        emptied = _give_back(week, holding.id, payment) == 0
        slot = WEEK_HOLDER_SLOT
    elif payment.week_id:
        refuse_if_frozen(payment.week)
    payment.status = PaymentStatus.CANCELLED
    payment.cancelled_at = timezone.now()
    payment.save(update_fields=["status", "cancelled_at"])
    if payment.week_id:
        _count(payment.week_id, slot, payment, sign=-1, beneficiary=emptied)
    return payment, True
