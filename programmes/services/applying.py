"""Applying to a programme (SPEC 7): the checks in the spec's order, and for entitlement
programmes the award at once, spent from the budget by one conditional statement.

A refusal raises `Refusal` naming its rule and writes nothing. The same business applying twice
at once is stopped by the unique constraint on (programme, business): the second insert waits
for the first transaction and then fails, and is refused as `duplicate`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor
from core.audit import change_log
from core.clock import as_aware, local_date
from core.documents import document_check, document_name, original_name
from core.numbers import brn_normalize, digits_ascii_check, phone_digits, phone_valid
from programmes import rules
from programmes.choices import EntryKind, EventKind
from programmes.models import Application, Attachment, BudgetLine, Programme
from programmes.services.common import Refusal, actor_or_none, budget_spend, event_add, ledger_add
from programmes.services.notices import application_notify
from registry.models import RestrictedBusinessType, Store
from registry.services.applications import tracking_number_new

MAX_BUDGET_LINES = 30
MAX_ATTACHMENTS = 5


@dataclass(frozen=True)
class BudgetLineInput:
    item: str
    amount: int


@dataclass(frozen=True)
class ApplicationInput:
    """An application as the applicant or a clerk gave it, every field checked."""

    business_number: str  # ten digits
    annual_sales: int
    requested: int | None = None
    plan: str = ""
    budget_lines: tuple[BudgetLineInput, ...] = ()
    applicant: str = ""
    phone: str = ""  # digits
    submitted_at: datetime | None = None
    attachments: tuple = field(default=(), compare=False)


def _whole_won(value, *, minimum: int) -> int:
    if isinstance(value, str):
        digits_ascii_check(value.replace(",", ""))
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            if isinstance(value, str) and value.strip().replace(",", "").isdigit():
                value = int(value.strip().replace(",", ""))
            else:
                raise ValueError
        except ValueError:
            raise ValidationError(
                _("Enter a whole number of won, e.g. 12000000."), code="invalid"
            ) from None
    if value < minimum:
        raise ValidationError(
            _("Enter at least %(minimum)s won.") % {"minimum": f"{minimum:,}"}, code="min_value"
        )
    if value > 10**15:
        raise ValidationError(_("This amount is too large."), code="max_value")
    return value


def application_input_parse(
    *,
    programme: Programme,
    business_number,
    annual_sales,
    requested=None,
    plan="",
    budget_lines=(),
    applicant="",
    phone="",
    submitted_at=None,
    attachments=(),
) -> ApplicationInput:
    """Check each field for the programme's kind; raise with everything wrong, keyed by field.

    A competitive application needs the amount requested and budget lines adding up to it;
    an entitlement application has neither (the amount is the programme's).
    """
    errors: dict[str, ValidationError] = {}
    values: dict = {}
    try:
        values["business_number"] = brn_normalize(str(business_number or ""))
    except ValidationError as error:
        errors["business_number"] = error
    try:
        values["annual_sales"] = _whole_won(annual_sales, minimum=0)
    except ValidationError as error:
        errors["annual_sales"] = error
    if programme.is_competitive:
        _parse_request(requested, budget_lines, values, errors)
        if not str(plan or "").strip():
            errors["plan"] = ValidationError(_("Describe the plan."), code="required")
    values["plan"] = str(plan or "").strip()
    values["applicant"] = str(applicant or "").strip()[:50]
    if phone:
        digits = phone_digits(str(phone))
        if not phone_valid(digits):
            errors["phone"] = ValidationError(
                _("Enter a phone number such as 010-1234-5678."), code="invalid"
            )
        values["phone"] = digits
    if submitted_at is not None:
        values["submitted_at"] = as_aware(submitted_at)
        if values["submitted_at"] > timezone.now():
            errors["submitted_at"] = ValidationError(
                _("The time of submission cannot be in the future."), code="future"
            )
    if len(attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = ValidationError(
            _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}, code="too_many"
        )
    else:
        for upload in attachments:
            try:
                document_check(upload)
            except ValidationError as error:
                errors["attachments"] = error
                break
    if errors:
        raise ValidationError(errors)
    return ApplicationInput(**values, attachments=tuple(attachments))


def _parse_request(requested, budget_lines, values: dict, errors: dict) -> None:
    try:
        values["requested"] = _whole_won(requested, minimum=1)
    except ValidationError as error:
        errors["requested"] = error
    lines = []
    if not budget_lines:
        errors["budget_lines"] = ValidationError(
            _("Give at least one budget line."), code="required"
        )
        return
    if len(budget_lines) > MAX_BUDGET_LINES:
        errors["budget_lines"] = ValidationError(
            _("Give at most %(count)d budget lines.") % {"count": MAX_BUDGET_LINES},
            code="too_many",
        )
        return
    for number, line in enumerate(budget_lines, start=1):
        item = str((line or {}).get("item", "") if isinstance(line, dict) else "").strip()
        try:
            amount = _whole_won(line.get("amount") if isinstance(line, dict) else None, minimum=1)
        except ValidationError as error:
            errors["budget_lines"] = ValidationError(
                _("Line %(number)d: %(problem)s")
                % {"number": number, "problem": error.messages[0]},
                code="invalid",
            )
            return
        if not item or len(item) > 100:
            errors["budget_lines"] = ValidationError(
                _("Line %(number)d: name the item in at most 100 characters.") % {"number": number},
                code="invalid",
            )
            return
        lines.append(BudgetLineInput(item, amount))
    values["budget_lines"] = tuple(lines)
    total = sum(line.amount for line in lines)
    if "requested" in values and total != values["requested"]:
        errors["budget_lines"] = ValidationError(
            _("The budget lines add up to %(total)s won, not the %(requested)s won requested.")
            % {"total": f"{total:,}", "requested": f"{values['requested']:,}"},
            code="budget_lines_total",
        )


def _business(programme: Programme, data: ApplicationInput) -> Store:
    store = Store.objects.filter(
        office_id=programme.office_id, business_number=data.business_number
    ).first()
    if store is None:
        raise Refusal(
            rules.NOT_REGISTERED,
            _("This business is not in the office's registry of businesses."),
        )
    return store


def programme_eligibility(programme: Programme) -> rules.Eligibility:
    """The programme's rules as the office set them, with the office's restricted types."""
    return rules.Eligibility(
        annual_sales_min_exclusive=programme.annual_sales_min_exclusive,
        annual_sales_max=programme.annual_sales_max,
        opened_before=programme.opened_before,
        enterprise_types=frozenset(programme.enterprise_types),
        dongs=frozenset(programme.dongs.values_list("pk", flat=True)),
        restricted_ksic=frozenset(
            RestrictedBusinessType.objects.filter(office_id=programme.office_id).values_list(
                "ksic_code", flat=True
            )
        ),
    )


def eligibility_refusal(rule: str) -> Refusal:
    from programmes.choices import EligibilityRule

    return Refusal(
        rules.not_eligible(rule),
        _("This business does not meet the programme's rule: %(rule)s.")
        % {"rule": EligibilityRule(rule).label},
    )


def application_check(programme: Programme, data: ApplicationInput, at: datetime) -> Store:
    """The refusals of SPEC 7 in order: window, digit day, registry, duplicate, eligibility.
    Returns the business when none applies."""
    if not rules.window_open(programme.opens_at, programme.closes_at, at):
        raise Refusal(rules.OUTSIDE_WINDOW, _("Applications are not being taken at this time."))
    digit_days = dict(programme.digit_days.values_list("day", "digits"))
    if not rules.digit_day_allows(digit_days, local_date(at), data.business_number):
        raise Refusal(
            rules.DIGIT_DAY,
            _("Today only business numbers ending in %(digits)s may apply.")
            % {"digits": ", ".join(digit_days[local_date(at)])},
        )
    store = _business(programme, data)
    failing = rules.failing_rule(
        programme_eligibility(programme),
        rules.Business(
            active=store.status == "active",
            annual_sales=data.annual_sales,
            opened_on=store.opened_on,
            enterprise_type=store.enterprise_type,
            dong_id=store.dong_id,
            ksic_code=store.ksic_code,
        ),
    )
    if failing:
        raise eligibility_refusal(failing)
    if _already_applied(programme, store):
        raise Refusal(rules.DUPLICATE, _("This business has already applied to the programme."))
    return store


def _already_applied(programme: Programme, store: Store) -> bool:
    return (
        Application.objects.filter(programme=programme, store=store)
        .exclude(status=rules.WITHDRAWN)
        .exists()
    )


def _unused_number() -> str:
    # 2^60 numbers make a clash all but impossible; checking costs one indexed query.
    while True:
        number = tracking_number_new()
        if not Application.objects.filter(number=number).exists():
            return number


def application_submit(
    *,
    programme: Programme,
    data: ApplicationInput,
    actor: Actor | None = None,
    consent: bool = True,
) -> Application:
    """Record an application, or refuse it naming the rule (SPEC 7).

    A competitive application is `submitted` and waits for screening. An entitlement
    application is decided at once: the programme's amount is spent from the budget by one
    conditional statement and the application is `awarded`, or, when the budget cannot pay a
    whole amount, refused as `budget_exhausted` with nothing written. `actor` is the clerk
    entering it, None for the applicant on the public page.
    """
    at = data.submitted_at or timezone.now()
    store = application_check(programme, data, at)
    try:
        with transaction.atomic():
            application = _insert(programme, store, data, at, actor, consent)
            if not programme.is_competitive:
                _award_at_once(programme, application, actor, at)
            # Files are stored last: a refusal above leaves none behind.
            _attachments_save(application, data.attachments)
            change_log(user=actor, obj=application, reason=_("Application received"), added=True)
            application_notify(application)
    except IntegrityError:
        if _already_applied(programme, store):
            raise Refusal(
                rules.DUPLICATE, _("This business has already applied to the programme.")
            ) from None
        raise
    return application


def _insert(programme, store, data, at, actor, consent) -> Application:
    application = Application.objects.create(
        programme=programme,
        number=_unused_number(),
        store=store,
        business_number=data.business_number,
        applicant=data.applicant or store.representative,
        phone=data.phone or store.phone,
        annual_sales=data.annual_sales,
        requested=data.requested if programme.is_competitive else None,
        plan=data.plan,
        status=rules.SUBMITTED if programme.is_competitive else rules.AWARDED,
        award=None if programme.is_competitive else programme.amount,
        submitted_at=at,
        consent_at=timezone.now() if consent else None,
        entered_by=actor_or_none(actor),
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, item=line.item, amount=line.amount, position=index)
        for index, line in enumerate(data.budget_lines)
    )
    event_add(application, EventKind.SUBMITTED, actor=actor, at=at, to_status=rules.SUBMITTED)
    return application


def _attachments_save(application: Application, uploads) -> None:
    for upload in uploads:
        content_type = document_check(upload)
        attachment = Attachment(
            application=application,
            content_type=content_type,
            size=upload.size,
            original_name=original_name(upload),
        )
        attachment.file.save(document_name(content_type), upload, save=False)
        attachment.save()


def _award_at_once(programme: Programme, application: Application, actor, at) -> None:
    """Spend the amount for the application just inserted as awarded; when the budget cannot
    pay it, the refusal rolls the insert back."""
    if not budget_spend(programme.pk, programme.amount):
        raise Refusal(
            rules.BUDGET_EXHAUSTED,
            _("The programme's budget has been spent; no more awards can be made."),
        )
    event_add(
        application,
        EventKind.AWARD,
        actor=actor,
        from_status=rules.SUBMITTED,
        to_status=rules.AWARDED,
        amount=programme.amount,
        at=at,
    )
    ledger_add(application, EntryKind.AWARD, programme.amount, actor=actor, at=at)
