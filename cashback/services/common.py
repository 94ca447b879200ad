"""What the cashback services share: the campaign's payment gate, one row-lock helper per model,
and the frozen-week refusal.

Every lock of cashback is taken here and nowhere else, so the order is one rule. First the
campaign's payment gate: live payments and cancellations pass it together (shared), while a
file's settlement and a change of terms hold it alone (exclusive), before any row lock; a
budget raise passes it too. Then the rows: the campaign, the payment, the customer's week, the
campaign week, the payout list, and last the week's tally slot; rows of one table in primary-key
order (a budget raise, which holds the gate shared, adds to the campaign's total after its week:
no change of terms can be waiting for that row meanwhile). Two transactions then never wait on
each other in a circle. The one lock taken elsewhere is the grant's: its conditional UPDATE of
the week (services/payments.py) holds the week's row from that statement to COMMIT, after the
customer's week, as the order says.

A tally slot is taken by the last write of its transaction, one slot a transaction, but COMMIT
can still wait after it: PostgreSQL checks the foreign keys of the rows written (a payment's
week) at COMMIT, locking the week's row in KEY SHARE mode, which waits while another
transaction's UPDATE of that row is not committed. So whoever holds the campaign week's row
must never wait for a slot that such a transaction holds: the transactions holding the week's
row (a grant, a cancellation that gives cashback back) count in slot 0, one at a time as the
week's row lets them, and the others in slots 1 to 15 (`tally_slot`). A settlement and a
rebuild of the tallies, which count in slot 0 for several weeks, hold the payment gate alone.

Without the gate a settlement, which locks every week and then the customers' weeks of its file,
and a live payment, which locks its customer's week and then the campaign week, could each hold
what the other waits for; PostgreSQL would then refuse one of them as a deadlock.
"""

from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cashback.constants import TALLY_SLOTS
from cashback.models import Campaign, CampaignWeek, Payment, PayoutBatch
from core.services import Conflict, lock


class WeekFrozen(Conflict):
    """The payment's week has a confirmed payout and can no longer change (HTTP 409)."""


def refuse_if_frozen(week: CampaignWeek) -> None:
    """Refuse any change to a week whose payout is confirmed; read under the week's lock, the
    answer cannot go stale, since confirming takes that lock too."""
    if week.frozen_at is not None:
        raise WeekFrozen(_("Week %(week)s is confirmed and frozen.") % {"week": week.number})


# The advisory-lock namespace of the payment gate; the campaign's id is the second key.
PAYMENT_GATE = 0x43420001


def payments_gate_pass(campaign: Campaign) -> None:
    """Pass the campaign's payment gate with other live payments, until the transaction ends;
    wait while a settlement or a change of terms holds it."""
    _gate("pg_advisory_xact_lock_shared", campaign)


def payments_gate_hold(campaign: Campaign) -> None:
    """Hold the campaign's payment gate alone until the transaction ends: wait for the live
    payments in flight to end, and keep new ones waiting."""
    _gate("pg_advisory_xact_lock", campaign)


def _gate(function: str, campaign: Campaign) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [PAYMENT_GATE, campaign.pk])


def campaign_lock(campaign: Campaign) -> Campaign:
    """The campaign re-read under its row lock, for a change of its terms."""
    return lock(campaign)


def _weeks_for_update() -> QuerySet[CampaignWeek]:
    return CampaignWeek.objects.order_by("pk").select_for_update()


def campaign_week_lock(
    *, week_id: int | None = None, campaign: Campaign | None = None, number: int | None = None
) -> CampaignWeek:
    """One campaign week under its row lock, found by its id or by its campaign and number.

    The week's row is the one every spend, cancellation, budget raise and payout confirmation
    of the week takes, so whoever holds it reads the budget, the grants and the freeze current.
    """
    if week_id is not None:
        return _weeks_for_update().get(pk=week_id)
    return _weeks_for_update().get(campaign=campaign, number=number)


def campaign_weeks_lock(campaign: Campaign) -> list[CampaignWeek]:
    """Every week of the campaign under its row lock, in primary-key order (a file's
    settlement, which no live payment may interleave)."""
    return list(_weeks_for_update().filter(campaign=campaign))


class Holding(NamedTuple):
    """A customer's week as its lock found it: the row's id, the room left under the cap and
    what the customer held."""

    id: int
    room: int
    held: int


def customer_week_lock(*, week_id: int, customer: str) -> Holding:
    """Lock the customer's row for the week, creating it if new. One statement; the lock lasts
    until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cashback_customerweek (week_id, customer, held, cap) "
            "SELECT id, %s, 0, cap FROM cashback_campaignweek WHERE id = %s "
            "ON CONFLICT (week_id, customer) DO UPDATE SET held = cashback_customerweek.held "
            "RETURNING id, cap - held, held",
            [customer, week_id],
        )
        return Holding(*cursor.fetchone())


def payment_lock(*, campaign: Campaign, ref: str) -> Payment:
    """The campaign's payment `ref` under its row lock; Payment.DoesNotExist if unknown."""
    return Payment.objects.select_for_update().get(campaign=campaign, ref=ref)


def payout_lock(batch: PayoutBatch) -> PayoutBatch:
    """The payout list re-read under its row lock, for a move along draft → exported →
    confirmed."""
    return lock(batch)


# The tally slot of the transactions that hold the campaign week's row.
WEEK_HOLDER_SLOT = 0


def tally_slot(key: int) -> int:
    """The tally slot of a transaction that does not hold the campaign week's row, from a row
    id of its own: concurrent payments spread over slots 1 to 15."""
    return 1 + key % (TALLY_SLOTS - 1)


def week_tally_add(
    *,
    week_id: int,
    slot: int,
    payments: int = 0,
    eligible_payments: int = 0,
    purchase_total: int = 0,
    beneficiaries: int = 0,
) -> None:
    """Add to a week's running figures in one of its tally slots (negative to take away),
    creating the slot's row if new.

    One statement, sent as the last write of its transaction: it locks the slot's row until
    COMMIT, after every other row lock of the transaction, so a live payment queues on a slot
    only behind transactions that are about to end. The slot is WEEK_HOLDER_SLOT when the
    transaction holds the campaign week's row, else `tally_slot` (see the module's docstring).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cashback_weektally "
            "(week_id, slot, payments, eligible_payments, purchase_total, beneficiaries) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (week_id, slot) DO UPDATE SET "
            "payments = cashback_weektally.payments + EXCLUDED.payments, "
            "eligible_payments = cashback_weektally.eligible_payments "
            "+ EXCLUDED.eligible_payments, "
            "purchase_total = cashback_weektally.purchase_total + EXCLUDED.purchase_total, "
            "beneficiaries = cashback_weektally.beneficiaries + EXCLUDED.beneficiaries",
            [week_id, slot, payments, eligible_payments, purchase_total, beneficiaries],
        )
