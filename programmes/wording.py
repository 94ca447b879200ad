"""How the public pages put a programme into words: its window and dates in Seoul time, its
eligibility rules and the reasons of a refusal or a decision, in plain Korean (English when the
visitor chose it)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from core.clock import SEOUL, local_date
from programmes import rules
from programmes.models import Programme
from registry.choices import EnterpriseType
from registry.models import RestrictedBusinessType


def day_text(day: date) -> str:
    """2026-07-14 → "2026년 7월 14일(화)"."""
    return _("%(month)s/%(day)s/%(year)s (%(weekday)s)") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "weekday": WEEKDAYS_ABBR[day.weekday()],
    }


def moment_text(moment: datetime) -> str:
    """An instant as Seoul's clock shows it: "2026년 3월 25일(수) 18:00"."""
    local = moment.astimezone(SEOUL)
    return f"{day_text(local.date())} {local:%H:%M}"


def won_text(amount: int) -> str:
    return _("%(amount)s won") % {"amount": f"{amount:,}"}


@dataclass(frozen=True)
class WindowState:
    state: str  # "open", "not_yet" or "closed"
    opens: str
    closes: str

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def window_state(programme: Programme, now: datetime) -> WindowState:
    """Whether the programme takes applications at `now` (rules.window_open: from its opening
    moment until just before its closing one), with both moments in words."""
    if rules.window_open(programme.opens_at, programme.closes_at, now):
        state = "open"
    else:
        state = "not_yet" if now < programme.opens_at else "closed"
    return WindowState(state, moment_text(programme.opens_at), moment_text(programme.closes_at))


def eligibility_lines(programme: Programme) -> list[str]:
    """The programme's rules as sentences, in the order they are checked, after the two every
    programme has (the registry and trading)."""
    lines = [
        _("The business is in %(office)s's registry of businesses.")
        % {"office": programme.office.name},
        _("The business is trading (not closed or suspended)."),
    ]
    if programme.annual_sales_min_exclusive is not None:
        lines.append(
            _("Annual sales above %(amount)s.")
            % {"amount": won_text(programme.annual_sales_min_exclusive)}
        )
    if programme.annual_sales_max is not None:
        lines.append(
            _("Annual sales of at most %(amount)s.")
            % {"amount": won_text(programme.annual_sales_max)}
        )
    if programme.opened_before is not None:
        lines.append(_("Opened before %(date)s.") % {"date": day_text(programme.opened_before)})
    if programme.enterprise_types:
        labels = dict(EnterpriseType.choices)
        lines.append(
            _("A social-economy enterprise of these types: %(types)s.")
            % {"types": ", ".join(str(labels[t]) for t in programme.enterprise_types)}
        )
    dongs = [dong.name for dong in programme.dongs.all()]
    if dongs:
        lines.append(_("Located in: %(dongs)s.") % {"dongs": ", ".join(sorted(dongs))})
    restricted = list(
        RestrictedBusinessType.objects.filter(office_id=programme.office_id).values_list(
            "name", flat=True
        )
    )
    if restricted:
        lines.append(
            _("Not of a restricted business type (%(types)s).") % {"types": ", ".join(restricted)}
        )
    lines.append(_("One application per business."))
    return lines


def reason_text(reason: str, programme: Programme | None = None, at: datetime | None = None) -> str:
    """A refusal's or a decision's reason (SPEC 7's words) as a sentence naming the rule, with
    the programme's figure where there is one (the sales limit, today's digits)."""
    specific = _specific_text(reason, programme, at) if programme is not None else None
    return specific or _general_text(reason)


def _specific_text(reason: str, programme: Programme, at: datetime | None) -> str | None:
    if reason == rules.DIGIT_DAY and at is not None:
        today = local_date(at)
        digits = next((d.digits for d in programme.digit_days.all() if d.day == today), None)
        if digits:
            return _(
                "Today (%(date)s) only business numbers ending in %(digits)s may apply (5부제). "
                "Apply on your number's day, or after the digit days."
            ) % {"date": day_text(today), "digits": ", ".join(digits)}
    if (
        reason == rules.not_eligible(rules.RULE_SALES_MAX)
        and programme.annual_sales_max is not None
    ):
        return _(
            "Not eligible: the annual sales declared are above the programme's maximum of "
            "%(amount)s."
        ) % {"amount": won_text(programme.annual_sales_max)}
    if (
        reason == rules.not_eligible(rules.RULE_SALES_MIN)
        and programme.annual_sales_min_exclusive is not None
    ):
        return _("Not eligible: the annual sales declared must be above %(amount)s.") % {
            "amount": won_text(programme.annual_sales_min_exclusive)
        }
    if reason == rules.not_eligible(rules.RULE_OPENED_BEFORE) and programme.opened_before:
        return _("Not eligible: the business must have opened before %(date)s.") % {
            "date": day_text(programme.opened_before)
        }
    return None


def _general_text(reason: str) -> str:
    texts = {
        rules.OUTSIDE_WINDOW: _(
            "Applications are not being taken now: the application period has not started or "
            "has ended."
        ),
        rules.DIGIT_DAY: _(
            "Today only business numbers ending in certain digits may apply (5부제). Apply on "
            "your number's day, or after the digit days."
        ),
        rules.NOT_REGISTERED: _(
            "This business number is not in the office's registry of businesses. Contact the "
            "office to register the business first."
        ),
        rules.DUPLICATE: _("This business has already applied to this programme."),
        rules.BUDGET_EXHAUSTED: _(
            "The programme's budget has been spent; no more awards can be made."
        ),
        rules.BELOW_PASS_MARK: _("The review score was below the programme's pass mark."),
        rules.not_eligible(rules.RULE_ACTIVE): _(
            "Not eligible: the registry does not show the business as trading."
        ),
        rules.not_eligible(rules.RULE_SALES_MIN): _(
            "Not eligible: the annual sales declared must be above the programme's minimum."
        ),
        rules.not_eligible(rules.RULE_SALES_MAX): _(
            "Not eligible: the annual sales declared are above the programme's maximum."
        ),
        rules.not_eligible(rules.RULE_OPENED_BEFORE): _(
            "Not eligible: the business must have opened before the programme's date."
        ),
        rules.not_eligible(rules.RULE_ENTERPRISE_TYPES): _(
            "Not eligible: the programme is only for the social-economy enterprise types it names."
        ),
        rules.not_eligible(rules.RULE_DONGS): _(
            "Not eligible: the business is not located in one of the programme's dongs."
        ),
        rules.not_eligible(rules.RULE_RESTRICTED): _(
            "Not eligible: the business type is on the office's restricted list."
        ),
    }
    return texts.get(reason) or _("Reason: %(reason)s") % {"reason": reason}


def privacy_notice() -> dict:
    """What the consent covers: the items kept, why, for how long, and the right to refuse."""
    return {
        "items": _(
            "Business registration number, applicant's name, mobile phone, annual sales "
            "declared, and for competitive programmes the plan, budget and attachments."
        ),
        "purpose": _(
            "To check eligibility, review and decide the application, pay the support and "
            "contact you about it."
        ),
        "retention": _(
            "Kept for five years after the support ends, as the programme's records must be, "
            "then destroyed."
        ),
        "refusal": _(
            "You may refuse, but the office cannot then take your application online; you can "
            "still apply in person at the office."
        ),
    }
