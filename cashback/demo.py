"""Seo-gu's 2026 Alley Pay campaign for `seed_demo`: the reference campaign of SPEC 3.1 with a
believable stream of payments, settled through `settle_payments` like a real operator's file.

Launch week is busy enough to run out of budget; the Lunar New Year weeks (5 and 6) are busier
than the rest; a few payments are cancelled; weeks 1–10 are paid out and confirmed, week 11 is
exported and week 12 waits as a draft.
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from cashback import services
from cashback.choices import PaymentStatus, PayoutStatus
from cashback.models import Campaign, CampaignWeek, Payment
from cashback.settlement import settle_payments
from core.demo import DemoContext, demo_step
from registry.clock import SEOUL
from registry.models import User
from registry.selectors import store_standings

CODE = "alleypay-2026"
FIRST_DAY, LAST_DAY = date(2026, 1, 9), date(2026, 4, 2)
# Payments per week: a rush at launch, a lift over the Lunar New Year, a steady tail.
WEEKLY_PAYMENTS = (30_000, 9_000, 7_000, 6_500, 9_500, 9_000, 6_000, 5_500, 5_500, 5_000, 5_000,
                   4_500)  # fmt: skip
CUSTOMERS = 24_000
CANCELLED = 60


@demo_step("cashback_campaign", label=_("cashback campaign"), order=100)
def campaign_step(ctx: DemoContext) -> int:
    office = ctx.office
    campaign = Campaign.objects.filter(code=CODE).first()
    added = 0
    if campaign is None:
        campaign = services.campaign_create(
            office=office, user=None, code=CODE, name="2026 서구 골목페이 캐시백",
            first_day=FIRST_DAY, last_day=LAST_DAY, weekly_budget=100_000_000,
            week_overrides=[services.WeekOverride(5, budget=200_000_000),
                            services.WeekOverride(6, budget=200_000_000)],
            total_budget=1_400_000_000,
        )  # fmt: skip
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
    lines = ["ref,customer,business_number,amount,method,paid_at"]
    serial = 0
    for week, count in enumerate(WEEKLY_PAYMENTS):
        for _payment in range(count):
            serial += 1
            day = FIRST_DAY + timedelta(days=week * 7 + rng.randrange(7))
            if day > LAST_DAY:
                day = LAST_DAY
            # Lunch and evening peaks.
            hour = rng.choices(range(9, 23), weights=(2, 3, 6, 8, 5, 3, 3, 4, 7, 9, 8, 5, 3, 1))[0]
            paid_at = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)),
                                       tzinfo=SEOUL)  # fmt: skip
            number = rng.choice(eligible) if eligible and rng.random() < 0.97 else (
                rng.choice(others) if others else rng.choice(numbers)
            )  # fmt: skip
            if digital.get(number) and rng.random() < 0.95:
                method = rng.choice(digital[number])
            else:
                method = rng.choices(("mobile", "card", "paper"), weights=(50, 30, 20))[0]
            # Launch week brings bigger baskets; small purchases stay below the minimum.
            median = 11.5 if week == 0 else 10.9
            amount = rng.choice((8_000, 12_000, 15_000)) if rng.random() < 0.08 else (
                round(rng.lognormvariate(median, 0.55), -2)
            )  # fmt: skip
            customer = f"C{rng.randrange(CUSTOMERS):06d}"
            lines.append(f"AP26-{serial:07d},{customer},{number},{max(int(amount), 1_000)},"
                         f"{method},{paid_at.isoformat()}")  # fmt: skip
    return "\n".join(lines) + "\n"


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
