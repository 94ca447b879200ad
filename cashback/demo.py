"""Seo-gu's 2026 Alley Pay campaign for `seed_demo`: the reference campaign of SPEC 3.1 with a
believable stream of payments, settled through `settle_payments` like a real operator's file.

Launch week is busy enough to run out of budget; the Lunar New Year weeks (5 and 6) are busier
than the rest; a few payments are cancelled; weeks 1–10 are paid out and confirmed, week 11 is
exported and week 12 waits as a draft.
"""

import io
import itertools
import random
from bisect import bisect
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from cashback import services
from cashback.choices import PaymentStatus, PayoutStatus
from cashback.models import Campaign, CampaignWeek, Payment
from cashback.settlement import settle_payments
from core.demo import DemoContext, demo_step
from registry.models import User
from registry.selectors import store_standings

CODE = "alleypay-2026"
FIRST_DAY, LAST_DAY = date(2026, 1, 9), date(2026, 4, 2)
# Payments per week: a rush at launch, a lift over the Lunar New Year, a steady tail.
WEEKLY_PAYMENTS = (
    30_000,
    9_000,
    7_000,
    6_500,
    9_500,
    9_000,
    6_000,
    5_500,
    5_500,
    5_000,
    5_000,
    4_500,
)
CUSTOMERS = 24_000
CANCELLED = 60
# Lunch and evening peaks, 09:00 to 22:00.
HOUR_WEIGHTS = (2, 3, 6, 8, 5, 3, 3, 4, 7, 9, 8, 5, 3, 1)
# How customers pay at a store that takes no digital certificate.
METHOD_WEIGHTS = (("mobile", 50), ("card", 30), ("paper", 20))


@demo_step("cashback_campaign", label=_("cashback campaign"), order=100)
def campaign_step(ctx: DemoContext) -> int:
    office = ctx.office
    campaign = Campaign.objects.filter(code=CODE).first()
    added = 0
    if campaign is None:
        campaign = services.campaign_create(
            office=office,
            user=None,
            code=CODE,
            name="2026 서구 골목페이 캐시백",
            first_day=FIRST_DAY,
            last_day=LAST_DAY,
            weekly_budget=100_000_000,
            week_overrides=[
                services.WeekOverride(5, budget=200_000_000),
                services.WeekOverride(6, budget=200_000_000),
            ],
            total_budget=1_400_000_000,
        )
        added += 1
    if Payment.objects.filter(campaign=campaign).exists():
        return added
    result = settle_payments(campaign=campaign, stream=io.StringIO(_payment_file(ctx, campaign)))
    added += result.recorded
    _cancel_some(campaign, random.Random(ctx.seed + 7))
    manager = User.objects.filter(office=office, username="cashback").first()
    added += _pay_out(campaign, ctx.today, manager)
    return added


def _payment_file(ctx: DemoContext, campaign: Campaign) -> str:
    rng = random.Random(ctx.seed + 3)
    standings = store_standings(campaign.office_id)
    numbers = sorted(standings)
    digital = {
        n: [m for m in ("mobile", "card") if standings[n].eligible_on(m, FIRST_DAY)]
        for n in numbers
    }
    eligible = [n for n in numbers if digital[n]]
    others = [n for n in numbers if not digital[n]]
    # The draws of `rng.choices(values, weights)` without its per-call set-up: the same numbers.
    hours, hour_weights = _cumulative(zip(range(9, 23), HOUR_WEIGHTS, strict=True))
    methods, method_weights = _cumulative(METHOD_WEIGHTS)
    draw, pick, below = rng.random, rng.choice, rng.randrange
    lines = ["ref,customer,business_number,amount,method,paid_at"]
    serial = 0
    for week, count in enumerate(WEEKLY_PAYMENTS):
        days = [
            min(FIRST_DAY + timedelta(days=week * 7 + n), LAST_DAY).isoformat() for n in range(7)
        ]
        # Launch week brings bigger baskets; small purchases stay below the minimum.
        median = 11.5 if week == 0 else 10.9
        for _payment in range(count):
            serial += 1
            day = days[below(7)]
            hour = hours[bisect(hour_weights, draw() * hour_weights[-1], 0, len(hours) - 1)]
            minute, second = below(60), below(60)
            number = (
                pick(eligible)
                if eligible and draw() < 0.97
                else (pick(others) if others else pick(numbers))
            )
            if digital.get(number) and draw() < 0.95:
                method = pick(digital[number])
            else:
                method = methods[bisect(method_weights, draw() * method_weights[-1], 0, 2)]
            amount = (
                pick((8_000, 12_000, 15_000))
                if draw() < 0.08
                else (round(rng.lognormvariate(median, 0.55), -2))
            )
            customer = f"C{below(CUSTOMERS):06d}"
            # Seoul has kept +09:00 all year since 1988.
            lines.append(
                f"AP26-{serial:07d},{customer},{number},{max(int(amount), 1_000)},"
                f"{method},{day}T{hour:02d}:{minute:02d}:{second:02d}+09:00"
            )
    return "\n".join(lines) + "\n"


def _cumulative(weighted) -> tuple[tuple, list[float]]:
    values, weights = zip(*weighted, strict=True)
    return values, list(itertools.accumulate(weights))


def _cancel_some(campaign: Campaign, rng: random.Random) -> None:
    refs = list(
        Payment.objects.filter(
            campaign=campaign, status=PaymentStatus.RECORDED, cashback__gt=0, week__number__gt=1
        ).values_list("ref", flat=True)[:5_000]
    )
    for ref in rng.sample(refs, min(CANCELLED, len(refs))):
        services.payment_cancel(campaign=campaign, ref=ref)


def _pay_out(campaign: Campaign, today: date, manager: User | None) -> int:
    if manager is None:  # the demo's cashback manager is someone else's username here
        return 0
    made = 0
    for week in CampaignWeek.objects.filter(campaign=campaign, ends_on__lt=today):
        batch = services.payout_prepare(week=week, user=manager, today=today)
        made += 1
        if week.number <= 11:
            batch = services.payout_export(batch=batch, user=manager)
        if week.number <= 10 and batch.status == PayoutStatus.EXPORTED:
            services.payout_confirm(batch=batch, user=manager)
    return made
