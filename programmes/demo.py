"""Seo-gu's support programmes for `seed_demo` (SPEC 7), one of each kind, run through the
services as the office would run them.

- "사회적경제기업 사업개발비 지원" (competitive): social-economy enterprises apply in a window
  that closed some months ago; the five demo reviewers (reviewer1…reviewer5) score them, one
  declares a conflict of interest; the selection has run; the selected ones have their grant
  decisions, a first instalment paid, and two have settled their expenses, one with a refund.
- "소상공인 부담경감 크레딧" (entitlement): 500,000 won each for businesses with sales up to
  300,000,000 won, the first days open by business numbers' last digit (5부제); open now, its
  budget partly spent.

Each programme is added only when its code is missing, so running the demo again adds nothing;
applications fall inside their windows, reviews after the window closed.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import SEOUL
from core.demo import DemoContext, demo_step
from programmes import rules, services
from programmes.models import (
    Application,
    Disbursement,
    Event,
    ExpenseLine,
    Grant,
    LedgerEntry,
    Programme,
    Review,
)
from programmes.services import CriterionInput, DigitDayInput, Refusal
from registry.choices import EnterpriseType
from registry.models import Store
from registry.roles import CLERK

# How many applications each programme gets (the tests make them smaller).
SOCIAL_APPLICATIONS = 12
RELIEF_APPLICATIONS = 200
REVIEWERS = ("reviewer1", "reviewer2", "reviewer3", "reviewer4", "reviewer5")

CRITERIA = (
    CriterionInput("feasibility", "사업계획의 타당성", Decimal("1"), 40),
    CriterionInput("social_value", "사회적 가치 창출", Decimal("1"), 30),
    CriterionInput("capacity", "수행 역량과 지속 가능성", Decimal("1"), 30),
)
PLANS = (
    ("지역 농산물 꾸러미 정기배송 플랫폼 구축", ("플랫폼 개발 용역", "포장재 제작", "홍보물 제작")),
    ("발달장애인 바리스타 교육장 조성", ("교육장 인테리어", "커피머신 구입", "강사료")),
    ("골목상권 공동 배달 서비스 시범 운영", ("배달 앱 연동 개발", "전기 이륜차 임차", "홍보비")),
    ("폐현수막 업사이클링 제품 개발", ("시제품 디자인", "재봉 설비 구입", "판로 개척 박람회 참가")),
    ("마을 반찬가게 공유주방 확장", ("주방 설비 구입", "위생 교육", "온라인 판매 페이지 제작")),
    (
        "어르신 돌봄 방문 서비스 예약 시스템 개발",
        ("예약 시스템 개발", "태블릿 구입", "종사자 교육"),
    ),
)


STRONG = (
    "사업계획이 구체적이고 예산이 현실적입니다.",
    "지역 주민 고용 효과가 분명합니다.",
    "기존 사업 실적이 있어 수행 가능성이 높습니다.",
    "판로 계획이 구체적입니다.",
)
WEAK = (
    "실행 일정이 촉박해 보완이 필요합니다.",
    "예산 항목 중 장비 구입비 비중이 높습니다.",
    "사회적 가치 측정 방법이 제시되지 않았습니다.",
    "지속 가능성 계획을 보완하기 바랍니다.",
)


def demo_clerk(office):
    """The office's first clerk, who runs the programmes of the demo."""
    user_model = get_user_model()
    return user_model.objects.filter(office=office, groups__name=CLERK).order_by("pk").first()


def _seoul(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


# An event's application's submission time, for updates of its timeline.
_SUBMITTED_AT = Subquery(
    Application.objects.filter(pk=OuterRef("application_id")).values("submitted_at")[:1]
)


def _monday(day):
    """The Monday of `day`'s week: offices open calls on a working day."""
    return day - timedelta(days=day.weekday())


def _weekday(day):
    """`day`, or the Monday after it when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _applicants(ctx: DemoContext, count: int, salt: int, exclude=()) -> list[Store]:
    stores = list(
        Store.objects.filter(office=ctx.office, status="active")
        .exclude(pk__in=[s.pk for s in exclude])
        .order_by("pk")
        .only(
            "pk",
            "business_number",
            "trade_name",
            "representative",
            "phone",
            "annual_sales",
            "enterprise_type",
            "ksic_code",
            "dong_id",
            "status",
            "opened_on",
        )[:5_000]
    )
    rng = random.Random(ctx.seed + salt)
    return rng.sample(stores, min(count, len(stores)))


@demo_step("programme_social", label=_("social-economy development programme"), order=300)
def social_step(ctx: DemoContext) -> int:
    """The competitive programme, from its call to the refunds of its settled grants."""
    year = ctx.today.year
    code = f"se-devfund-{year}"
    if Programme.objects.filter(code=code).exists():
        return 0
    clerk = demo_clerk(ctx.office)
    opens = _monday(ctx.today - timedelta(days=150))
    closes = opens + timedelta(days=25)  # a Friday, four weeks on
    programme = services.programme_create(
        office=ctx.office,
        fields={
            "code": code,
            "name": "사회적경제기업 사업개발비 지원",
            "kind": rules.COMPETITIVE,
            "description": (
                "서구에 소재한 사회적경제기업의 신규 사업 개발을 지원합니다. "
                "기업당 최대 2천만 원, 심사위원회 평가 후 예산 범위에서 선정합니다."
            ),
            "opens_at": _seoul(opens, 9),
            "closes_at": _seoul(closes, 18),
            "budget": 100_000_000,
            "max_award": 20_000_000,
            "pass_mark": Decimal("70"),
            "trimmed_mean": True,
            "enterprise_types": list(EnterpriseType.values),
        },
        criteria=list(CRITERIA),
        actor=clerk,
    )
    added = 1
    user_model = get_user_model()
    for username in REVIEWERS:
        if user_model.objects.filter(username=username, office=ctx.office).exists():
            services.reviewer_assign(programme=programme, username=username, actor=clerk)
    rng = random.Random(ctx.seed + 71)
    types = list(EnterpriseType.values)
    applications = []
    for n, store in enumerate(_applicants(ctx, SOCIAL_APPLICATIONS, 70)):
        if not store.enterprise_type:
            store.enterprise_type = types[n % len(types)]
            Store.objects.filter(pk=store.pk).update(enterprise_type=store.enterprise_type)
        try:
            applications.append(_social_apply(programme, store, rng, n, opens, closes))
        except Refusal:
            continue  # a restricted business type: refused, as it would be in life
    added += len(applications)
    _review(programme, applications, clerk, rng)
    services.programme_select(programme=programme, actor=clerk)
    _after_award(programme, clerk, ctx, rng)
    _chronology(programme, closes, ctx.today)
    return added


def _social_apply(programme, store, rng, n, opens, closes) -> Application:
    title, items = PLANS[n % len(PLANS)]
    requested = rng.randrange(16, 41) * 500_000
    shares = [rng.randrange(2, 6) for _item in items]
    amounts = [requested * share // sum(shares) // 10_000 * 10_000 for share in shares]
    amounts[0] += requested - sum(amounts)
    day = _weekday(
        opens + timedelta(days=(closes - opens).days * (n + 1) // (SOCIAL_APPLICATIONS + 1))
    )
    data = services.application_input_parse(
        programme=programme,
        business_number=store.business_number,
        annual_sales=store.annual_sales or rng.randrange(80, 900) * 1_000_000,
        requested=requested,
        plan=f"{title}\n\n{store.trade_name}의 기존 역량을 바탕으로 {title} 사업을 추진합니다. "
        "사업 기간 동안 지역 주민 고용과 지역 내 구매를 늘리는 것을 목표로 합니다.",
        budget_lines=[
            {"item": item, "amount": amount} for item, amount in zip(items, amounts, strict=True)
        ],
        submitted_at=_seoul(day, 10 + n % 7, (n * 13) % 60),
    )
    return services.application_submit(programme=programme, data=data)


def _review(programme, applications, clerk, rng) -> None:
    """Screening, then every assigned reviewer's review; reviewer1 knows the first applicant."""
    reviewers = [r.user for r in programme.reviewers.select_related("user").order_by("pk")]
    for application in applications:
        for to in (rules.SCREENING, rules.UNDER_REVIEW):
            services.application_transition(application=application, to=to, actor=clerk)
    for n, application in enumerate(applications):
        strength = rng.uniform(0.55, 0.95)
        for m, reviewer in enumerate(reviewers):
            if n == 0 and m == 0:
                services.review_submit(
                    application=application,
                    reviewer=reviewer,
                    conflict=True,
                    comment="신청 기업의 대표가 본인의 친족이어서 평가에서 빠집니다.",
                )
                continue
            scores = {
                c.key: max(0, min(c.max_points, round(c.max_points * rng.gauss(strength, 0.07))))
                for c in CRITERIA
            }
            services.review_submit(
                application=application,
                reviewer=reviewer,
                scores=scores,
                comment=rng.choice(STRONG if strength > 0.75 else WEAK),
            )


def _after_award(programme, clerk, ctx, rng) -> None:
    """Grant decisions, a first instalment each (exported and paid), and two settlements."""
    selected = list(
        Application.objects.filter(programme=programme, status=rules.SELECTED)
        .select_related("store")
        .order_by("rank")
    )
    grants = []
    for application in selected:
        grant = services.grant_decide(
            application=application,
            bank=rng.choice(("광주은행", "농협은행", "국민은행", "신한은행")),
            account_number=f"{rng.randrange(100, 999)}-{rng.randrange(10, 99)}-"
            f"{rng.randrange(100000, 999999)}",
            account_holder=application.store.trade_name,
            actor=clerk,
        )
        services.disbursement_add(grant=grant, amount=grant.amount * 7 // 10, actor=clerk)
        grants.append(grant)
    services.disbursements_export(programme=programme, actor=clerk)
    for grant in grants:
        for instalment in grant.disbursements.all():
            services.disbursement_mark_paid(disbursement=instalment, actor=clerk)
    spent_on = ctx.today - timedelta(days=40)
    for n, grant in enumerate(grants[:2]):
        paid = grant.amount * 7 // 10
        lines = [
            services.expense_add(
                grant=grant,
                item=item,
                amount=amount,
                spent_on=spent_on + timedelta(days=k),
                evidence_note=f"세금계산서 {spent_on:%Y%m}-{n + 1}{k}",
                actor=clerk,
            )
            for k, (item, amount) in enumerate(_spent(grant, paid, short=n * 1_000_000))
        ]
        for line in lines:
            services.expense_decide(line=line, accept=True, actor=clerk)
        grant = services.settlement_close(grant=grant, actor=clerk)
        if grant.refund_due:
            services.refund_record(grant=grant, amount=grant.refund_due, actor=clerk)


def _spent(grant, paid: int, short: int) -> list[tuple[str, int]]:
    """What the grantee spent of `paid`, line by line along its own budget lines, `short` won
    less than paid (which then falls due as a refund)."""
    lines = list(grant.application.budget_lines.order_by("position"))
    total = sum(line.amount for line in lines)
    spent = [(line.item, (paid - short) * line.amount // total) for line in lines]
    spent[0] = (spent[0][0], spent[0][1] + (paid - short) - sum(a for _i, a in spent))
    return spent


def _chronology(programme, closes, today) -> None:
    """Give the steps after the applications the days an office would have taken them on:
    screening the day after each application, review after the close, the selection two weeks
    on, grants and the first instalment within the month, the settlement weeks before today.
    The services stamp what they write with the moment they run; the demo runs in one go."""
    close = _seoul(closes, 18)
    review_opens = close + timedelta(days=3, hours=-2)
    selected_at = _seoul(closes + timedelta(days=14), 15)
    granted_at = _seoul(closes + timedelta(days=21), 11)
    paid_at = _seoul(closes + timedelta(days=25), 14)
    settled_at = _seoul(today - timedelta(days=15), 16)
    returned_at = _seoul(today - timedelta(days=10), 11)
    events = Event.objects.filter(application__programme=programme)
    events.filter(kind="status", to_status=rules.SCREENING).update(
        at=_SUBMITTED_AT + timedelta(days=1)
    )
    events.filter(kind="status", to_status=rules.UNDER_REVIEW).update(at=review_opens)
    programme.reviewers.update(assigned_at=review_opens - timedelta(days=1))
    for n, review in enumerate(Review.objects.filter(application__programme=programme)):
        at = review_opens + timedelta(days=1 + n % 7, hours=n % 5)
        Review.objects.filter(pk=review.pk).update(submitted_at=at)
        events.filter(
            application=review.application_id,
            actor=review.reviewer_id,
            kind__in=("review", "conflict"),
        ).update(at=at)
    decided = (rules.SELECTED, rules.NOT_SELECTED)
    events.filter(kind="status", to_status__in=decided).update(at=selected_at)
    Programme.objects.filter(pk=programme.pk).update(selected_at=selected_at)
    events.filter(kind="grant").update(at=granted_at)
    grants = Grant.objects.filter(application__programme=programme)
    grants.update(decided_at=granted_at)
    Disbursement.objects.filter(grant__in=grants).update(
        created_at=granted_at, exported_at=paid_at - timedelta(days=1), paid_at=paid_at
    )
    events.filter(kind="payment").update(at=paid_at)
    events.filter(kind="expense").update(at=settled_at - timedelta(days=5))
    ExpenseLine.objects.filter(grant__in=grants).update(decided_at=settled_at - timedelta(days=1))
    events.filter(kind="settlement").update(at=settled_at)
    grants.filter(settled_at__isnull=False).update(settled_at=settled_at)
    events.filter(kind="refund").update(at=returned_at)
    grants.filter(refund_returned_at__isnull=False).update(refund_returned_at=returned_at)
    ledger = LedgerEntry.objects.filter(programme=programme)
    for kind, at in (
        ("award", selected_at),
        ("payment", paid_at),
        ("refund_due", settled_at),
        ("refund_returned", returned_at),
    ):
        ledger.filter(kind=kind).update(at=at)
    # Each notice goes out with the step it tells of: receipt, then the decision.
    events.filter(kind="notice", note__contains="접수").update(at=_SUBMITTED_AT)
    events.filter(kind="notice").exclude(note__contains="접수").update(at=selected_at)


@demo_step("programme_relief", label=_("burden relief credit"), order=310)
def relief_step(ctx: DemoContext) -> int:
    """The entitlement programme: open now, the first five days by last digit, awards made
    through the service as applications arrive."""
    year = ctx.today.year
    code = f"relief-credit-{year}"
    if Programme.objects.filter(code=code).exists():
        return 0
    clerk = demo_clerk(ctx.office)
    opens = _monday(ctx.today - timedelta(days=30))
    closes = opens + timedelta(days=88)  # a Friday
    digit_days = [
        DigitDayInput(opens + timedelta(days=n), f"{n + 1}{(n + 6) % 10}") for n in range(5)
    ]
    programme = services.programme_create(
        office=ctx.office,
        fields={
            "code": code,
            "name": "소상공인 부담경감 크레딧",
            "kind": rules.ENTITLEMENT,
            "description": (
                "연 매출 3억 원 이하 소상공인에게 공과금·보험료 등에 쓸 수 있는 크레딧 "
                "50만 원을 선착순으로 지원합니다. 첫 5일은 사업자등록번호 끝자리별로 신청합니다."
            ),
            "opens_at": _seoul(opens, 9),
            "closes_at": _seoul(closes, 18),
            "budget": 150_000_000,
            "amount": 500_000,
            "annual_sales_min_exclusive": 0,
            "annual_sales_max": 300_000_000,
        },
        digit_days=digit_days,
        actor=clerk,
    )
    digits = {d.day: d.digits for d in digit_days}
    rng = random.Random(ctx.seed + 91)
    social = Application.objects.filter(programme__office=ctx.office).values("store")
    stores = _applicants(ctx, RELIEF_APPLICATIONS, 90, exclude=Store.objects.filter(pk__in=social))
    days = (ctx.today - opens).days
    added = 1
    own_day = {digit: day for day, ds in digits.items() for digit in ds}
    rush = len(stores) * 2 // 5  # two in five apply on their own digit day
    for n, store in enumerate(sorted(stores, key=lambda s: s.pk)):
        if n < rush:
            day = own_day[store.business_number[-1]]
        else:
            day = _weekday(opens + timedelta(days=5 + n % max(days - 7, 1)))
        at = _seoul(day, 9 + n % 9, (n * 7) % 60)
        if at > timezone.now():
            continue
        data = services.application_input_parse(
            programme=programme,
            business_number=store.business_number,
            annual_sales=store.annual_sales or rng.randrange(20, 300) * 1_000_000,
            submitted_at=at,
        )
        try:
            services.application_submit(programme=programme, data=data)
        except Refusal:
            continue  # a restricted business type or a day not its own: refused, as in life
        added += 1
    # The text message of each award went out as it was made, not when the demo ran.
    Event.objects.filter(application__programme=programme, kind="notice").update(at=_SUBMITTED_AT)
    return added
