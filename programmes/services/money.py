"""After the award (SPEC 7): the grant decision, instalments through the finance system, the
expense report and refunds. Each counter moves inside the database under the grant's lock with
a constraint behind it, and each movement of money writes a ledger row in the same transaction.
"""

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor
from core.audit import change_log
from core.documents import document_check, document_name, original_name
from core.exports.columns import neutralise
from programmes import rules
from programmes.choices import DisbursementStatus, EntryKind, EventKind, ExpenseStatus
from programmes.models import Application, Disbursement, ExpenseLine, Grant, Programme
from programmes.services.common import (
    actor_or_none,
    application_lock,
    event_add,
    grant_lock,
    ledger_add,
)


def _required(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: ValidationError(message, code="required")})
    return value


@transaction.atomic
def grant_decide(
    *,
    application: Application,
    bank: str,
    account_number: str,
    account_holder: str,
    actor: Actor | None,
) -> Grant:
    """Decide the grant (교부결정) of an awarded or selected application for its award, with
    the account the money goes to. Once only."""
    application = application_lock(application)
    if application.status not in rules.AWARD_STATUSES or not application.award:
        raise ValidationError(
            _("Only a selected or awarded application can have a grant decision."), code="status"
        )
    if Grant.objects.filter(application=application).exists():
        raise ValidationError(_("The grant has already been decided."), code="duplicate")
    digits = "".join(ch for ch in (account_number or "") if ch.isdigit())
    if not 8 <= len(digits) <= 20:
        raise ValidationError(
            {"account_number": ValidationError(_("Enter the account number."), code="invalid")}
        )
    grant = Grant.objects.create(
        application=application,
        amount=application.award,
        bank=_required("bank", bank, _("Choose the bank.")),
        account_number=(account_number or "").strip(),
        account_holder=_required("account_holder", account_holder, _("Enter the account holder.")),
        decided_at=timezone.now(),
        decided_by=actor_or_none(actor),
    )
    event_add(application, EventKind.GRANT, actor=actor, amount=grant.amount)
    change_log(user=actor, obj=grant, reason=_("Grant decided"), added=True)
    return grant


def _refuse_if_settled(grant: Grant) -> None:
    """Once the settlement is closed the refund due is fixed: nothing more is paid."""
    if grant.settled_at:
        raise ValidationError(
            _("The settlement is closed; no more instalments can be paid."), code="settled"
        )


@transaction.atomic
def disbursement_add(*, grant: Grant, amount: int, actor: Actor | None) -> Disbursement:
    """Plan one more instalment of the grant; the instalments never add up to more than it."""
    grant = grant_lock(grant)
    _refuse_if_settled(grant)
    left = grant.amount - grant.scheduled
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= left:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("Enter 1 to %(left)s won: the part of the grant not yet in instalments.")
                    % {"left": f"{left:,}"},
                    code="over_grant",
                )
            }
        )
    Grant.objects.filter(pk=grant.pk).update(scheduled=F("scheduled") + amount)
    sequence = (grant.disbursements.aggregate(last=Max("sequence"))["last"] or 0) + 1
    return Disbursement.objects.create(grant=grant, sequence=sequence, amount=amount)


DISBURSEMENT_COLUMNS = (
    "programme",
    "tracking_number",
    "instalment",
    "business_number",
    "trade_name",
    "bank",
    "account_number",
    "account_holder",
    "amount",
)


@transaction.atomic
def disbursements_export(*, programme: Programme, actor: Actor | None) -> tuple[str, int]:
    """Write the programme's draft instalments as CSV for the finance system and mark them
    exported; returns the file's text and how many rows it holds. The file carries the full
    account number the finance system pays to (the admin logs who took it)."""
    rows = list(
        Disbursement.objects.select_for_update(of=("self",))
        .filter(grant__application__programme=programme, status=DisbursementStatus.DRAFT)
        .select_related("grant__application__store")
        .order_by("grant__application__submitted_at", "grant_id", "sequence")
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(DISBURSEMENT_COLUMNS)
    for row in rows:
        grant, application = row.grant, row.grant.application
        writer.writerow(
            (
                programme.code,
                application.number,
                row.sequence,
                application.business_number,
                neutralise(application.store.trade_name),
                neutralise(grant.bank),
                grant.account_number,
                neutralise(grant.account_holder),
                row.amount,
            )
        )
    now = timezone.now()
    Disbursement.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=DisbursementStatus.EXPORTED, exported_at=now
    )
    return out.getvalue(), len(rows)


@transaction.atomic
def disbursement_mark_paid(*, disbursement: Disbursement, actor: Actor | None) -> Disbursement:
    """Record that the finance system paid an exported instalment: a ledger row of payment."""
    grant = grant_lock(disbursement.grant)
    _refuse_if_settled(grant)
    disbursement = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if disbursement.status != DisbursementStatus.EXPORTED:
        raise ValidationError(
            _("Only an exported instalment can be marked paid."), code="not_exported"
        )
    disbursement.status, disbursement.paid_at = DisbursementStatus.PAID, timezone.now()
    disbursement.save(update_fields=["status", "paid_at"])
    application = grant.application
    ledger_add(
        application,
        EntryKind.PAYMENT,
        disbursement.amount,
        actor=actor,
        note=_("Instalment %(n)d") % {"n": disbursement.sequence},
    )
    event_add(application, EventKind.PAYMENT, actor=actor, amount=disbursement.amount)
    return disbursement


def grant_paid(grant: Grant) -> int:
    return sum(
        grant.disbursements.filter(status=DisbursementStatus.PAID).values_list("amount", flat=True)
    )


@transaction.atomic
def expense_add(
    *,
    grant: Grant,
    item: str,
    amount: int,
    spent_on: date,
    evidence=None,
    evidence_note: str = "",
    actor: Actor | None,
) -> ExpenseLine:
    """Add a line to a competitive grant's expense report, with its evidence (a receipt as
    PDF, JPEG or PNG, checked by content) or a note of where the evidence is kept."""
    grant = grant_lock(grant)
    if not grant.application.programme.is_competitive:
        raise ValidationError(_("Entitlement awards have no expense report."), code="kind")
    if grant.settled_at:
        raise ValidationError(_("The settlement is closed."), code="settled")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValidationError(
            {"amount": ValidationError(_("Enter an amount of at least 1 won."), code="invalid")}
        )
    line = ExpenseLine(
        grant=grant,
        item=_required("item", item, _("Name the expense.")),
        amount=amount,
        spent_on=spent_on,
        evidence_note=(evidence_note or "").strip(),
    )
    if evidence is not None:
        content_type = document_check(evidence)
        line.evidence.save(document_name(content_type), evidence, save=False)
        line.evidence_note = line.evidence_note or original_name(evidence)
    elif not line.evidence_note:
        raise ValidationError(
            {
                "evidence": ValidationError(
                    _("Attach the evidence or say where it is kept."), code="required"
                )
            }
        )
    line.save()
    event_add(grant.application, EventKind.EXPENSE, actor=actor, amount=amount, note=line.item)
    return line


@transaction.atomic
def expense_decide(
    *, line: ExpenseLine, accept: bool, note: str = "", actor: Actor | None
) -> ExpenseLine:
    """Accept or reject an expense line; accepted lines never add up to more than the grant.
    A rejection needs its reason."""
    grant = grant_lock(line.grant)
    line = ExpenseLine.objects.select_for_update().get(pk=line.pk)
    if grant.settled_at:
        raise ValidationError(_("The settlement is closed."), code="settled")
    if line.status != ExpenseStatus.PENDING:
        raise ValidationError(_("This expense has already been decided."), code="decided")
    if not accept and not note.strip():
        raise ValidationError(
            {"note": ValidationError(_("Say why the expense is rejected."), code="required")}
        )
    if accept:
        if grant.accepted + line.amount > grant.amount:
            raise ValidationError(
                _("Accepting this line would accept more than the grant."), code="over_grant"
            )
        Grant.objects.filter(pk=grant.pk).update(accepted=F("accepted") + line.amount)
    line.status = ExpenseStatus.ACCEPTED if accept else ExpenseStatus.REJECTED
    line.decided_at, line.decided_by = timezone.now(), actor_or_none(actor)
    line.decision_note = note.strip()
    line.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    event_add(
        grant.application,
        EventKind.EXPENSE,
        actor=actor,
        amount=line.amount,
        note=f"{line.item}: {line.get_status_display()}"
        + (f" ({line.decision_note})" if line.decision_note else ""),
    )
    return line


@transaction.atomic
def settlement_close(*, grant: Grant, actor: Actor | None) -> Grant:
    """Close the expense report: what was paid and not accepted falls due as a refund (반납),
    written to the ledger. Lines still waiting for a decision must be decided first."""
    grant = grant_lock(grant)
    if not grant.application.programme.is_competitive:
        raise ValidationError(_("Entitlement awards have no expense report."), code="kind")
    if grant.settled_at:
        raise ValidationError(_("The settlement is already closed."), code="settled")
    if grant.disbursements.exclude(status=DisbursementStatus.PAID).exists():
        raise ValidationError(
            _("Pay or finish every instalment before closing the settlement."), code="unpaid"
        )
    if grant.expenses.filter(status=ExpenseStatus.PENDING).exists():
        raise ValidationError(
            _("Decide every expense line before closing the settlement."), code="pending"
        )
    refund = max(0, grant_paid(grant) - grant.accepted)
    grant.settled_at, grant.refund_due = timezone.now(), refund
    grant.save(update_fields=["settled_at", "refund_due"])
    application = grant.application
    if refund:
        ledger_add(application, EntryKind.REFUND_DUE, refund, actor=actor)
    event_add(application, EventKind.SETTLEMENT, actor=actor, amount=refund)
    return grant


@transaction.atomic
def refund_record(*, grant: Grant, amount: int, actor: Actor | None) -> Grant:
    """Record money returned against the refund due; never more than is outstanding."""
    grant = grant_lock(grant)
    outstanding = grant.refund_due - grant.refund_returned
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= outstanding:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("Enter 1 to %(left)s won: the refund still outstanding.")
                    % {"left": f"{outstanding:,}"},
                    code="over_due",
                )
            }
        )
    Grant.objects.filter(pk=grant.pk).update(
        refund_returned=F("refund_returned") + amount, refund_returned_at=timezone.now()
    )
    ledger_add(grant.application, EntryKind.REFUND_RETURNED, amount, actor=actor)
    event_add(grant.application, EventKind.REFUND, actor=actor, amount=amount)
    grant.refresh_from_db()
    return grant
