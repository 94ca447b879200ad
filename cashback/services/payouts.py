"""Payout lists (SPEC 3.5): each ended week's customers and totals, `draft → exported →
confirmed`; confirming freezes the week."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cashback.choices import PayoutStatus
from cashback.models import CampaignWeek, CustomerWeek, PayoutBatch
from cashback.services.common import campaign_week_lock, payout_lock
from core.clock import local_today
from registry.models import User


@transaction.atomic
def payout_prepare(*, week: CampaignWeek, user: User, today: date | None = None) -> PayoutBatch:
    """Build the week's payout list from what each customer holds (SPEC 3.5).

    Only a week that has ended can be paid out. Preparing again rebuilds a draft or exported
    list from the current holdings; a confirmed week is final.
    """
    week = campaign_week_lock(week_id=week.pk)
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
def payout_export(*, batch: PayoutBatch, user: User) -> PayoutBatch:
    """Mark the list as handed to the operator; the CSV is `selectors.payout_csv_lines`."""
    batch = payout_lock(batch)
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
def payout_confirm(*, batch: PayoutBatch, user: User) -> PayoutBatch:
    """Confirm that the operator credited the list: the week is frozen from now on.

    Refused when the week's grants changed after the list was made (a late payment or a
    cancellation): the list must be prepared and exported again.
    """
    week = campaign_week_lock(week_id=batch.week_id)
    batch = payout_lock(batch)
    if batch.status != PayoutStatus.EXPORTED:
        raise ValidationError(
            _("Only an exported payout can be confirmed; this one is %(status)s.")
            % {"status": batch.get_status_display()},
            code="invalid_transition",
        )
    if batch.total != week.granted:
        raise ValidationError(
            _(
                "Week %(week)s changed after the list was made (%(list)s won listed, %(now)s won "
                "granted now). Prepare and export it again."
            )
            % {"week": week.number, "list": f"{batch.total:,}", "now": f"{week.granted:,}"},
            code="stale",
        )
    batch.status = PayoutStatus.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.confirmed_by = user
    batch.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    # On the week's own row, which every spend locks, so no spend can miss the freeze.
    week.frozen_at = batch.confirmed_at
    week.save(update_fields=["frozen_at"])
    return batch
