"""Creating a programme with its criteria and digit days (SPEC 7), as the API and the admin do."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import Actor
from core.clock import local_date
from core.services import attribute, save_checked
from programmes import rules
from programmes.models import Criterion, DigitDay, Programme
from registry.models import Dong, Office


@dataclass(frozen=True)
class CriterionInput:
    key: str
    name: str
    weight: object  # Decimal
    max_points: int


@dataclass(frozen=True)
class DigitDayInput:
    day: date
    digits: str  # e.g. "16"


def _criteria_check(kind: str, criteria: list[CriterionInput]) -> None:
    if kind == rules.COMPETITIVE and not criteria:
        raise ValidationError(
            {"criteria": ValidationError(_("Give at least one review criterion."), code="required")}
        )
    if kind == rules.ENTITLEMENT and criteria:
        raise ValidationError(
            {
                "criteria": ValidationError(
                    _("Entitlement programmes are not reviewed: leave the criteria empty."),
                    code="kind",
                )
            }
        )
    keys = [c.key for c in criteria]
    if len(keys) != len(set(keys)):
        raise ValidationError(
            {"criteria": ValidationError(_("Each criterion needs its own key."), code="duplicate")}
        )


@transaction.atomic
def programme_create(
    *,
    office: Office,
    fields: dict,
    criteria: list[CriterionInput] = (),
    digit_days: list[DigitDayInput] = (),
    dong_names: list[str] = (),
    actor: Actor | None,
) -> Programme:
    """Create a programme of the office with its review criteria (competitive), digit days
    (entitlement) and the dongs it is limited to, every rule checked with its message."""
    kind = fields.get("kind")
    _criteria_check(kind, list(criteria))
    if kind == rules.COMPETITIVE and digit_days:
        raise ValidationError(
            {
                "digit_days": ValidationError(
                    _("Digit days are for entitlement programmes."), code="kind"
                )
            }
        )
    dongs = list(Dong.objects.filter(office=office, name__in=dong_names))
    unknown = sorted(set(dong_names) - {d.name for d in dongs})
    if unknown:
        raise ValidationError(
            {
                "dongs": ValidationError(
                    _("These are not dongs of the office: %(names)s")
                    % {"names": ", ".join(unknown)},
                    code="unknown_dong",
                )
            }
        )
    programme = Programme(office=office, **fields)
    attribute(programme, actor, _("Programme created"))
    save_checked(programme)
    programme.dongs.set(dongs)
    for position, c in enumerate(criteria):
        save_checked(
            Criterion(
                programme=programme,
                key=c.key,
                name=c.name,
                weight=c.weight,
                max_points=c.max_points,
                position=position,
            )
        )
    for d in digit_days:
        if not local_date(programme.opens_at) <= d.day <= local_date(programme.closes_at):
            raise ValidationError(
                {
                    "digit_days": ValidationError(
                        _("A digit day must fall within the application window."), code="range"
                    )
                }
            )
        save_checked(DigitDay(programme=programme, day=d.day, digits=d.digits))
    return programme
