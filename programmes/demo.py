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
from django.utils.translation import gettext_lazy as _

from core.clock import SEOUL
from core.demo import DemoContext, demo_step
from programmes import rules, services
from programmes.models import Application, Programme
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


def demo_clerk(office):
    """The office's first clerk, who runs the programmes of the demo."""
    user_model = get_user_model()
    return user_model.objects.filter(office=office, groups__name=CLERK).order_by("pk").first()


def _seoul(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SEOUL)


def _applicants(ctx: DemoContext, count: int, salt: int, exclude=()) -> list[Store]:
    stores = list(
        Store.objects.filter(office=ctx.office, status="active")
        .exclude(pk__in=[s.pk for s in exclude])
        .order_by("pk")
        .only("pk", "business_number", "trade_name", "enterprise_type")[:5_000]
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
    opens, closes = ctx.today - timedelta(days=150), ctx.today - timedelta(days=120)
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
    return added


def _social_apply(programme, store, rng, n, opens, closes) -> Application:
    title, items = PLANS[n % len(PLANS)]
    requested = rng.randrange(16, 41) * 500_000
    shares = [rng.randrange(2, 6) for _item in items]
    amounts = [requested * share // sum(shares) // 10_000 * 10_000 for share in shares]
    amounts[0] += requested - sum(amounts)
    day = opens + timedelta(days=(closes - opens).days * (n + 1) // (SOCIAL_APPLICATIONS + 1))
    data = services.application_input_parse(
        programme=programme,
        business_number=store.business_number,
        annual_sales=rng.randrange(80, 900) * 1_000_000,
        requested=requested,
        plan=f"{title}\n\n{store.trade_name}의 기존 역량을 바탕으로 {title} 사업을 추진합니다. "
        "사업 기간 동안 지역 주민 고용과 지역 내 구매를 늘리는 것을 목표로 합니다.",
        budget_lines=[
            {"item": item, "amount": amount} for item, amount in zip(items, amounts, strict=True)
        ],
        applicant=f"{store.trade_name} 대표",
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
                comment="사업계획이 구체적입니다."
                if strength > 0.75
                else "실행 계획 보완이 필요합니다.",
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
            for k, (item, amount) in enumerate(
                (("개발 용역비", paid // 2), ("장비 구입비", paid // 2 - (n * 1_000_000)))
            )
        ]
        for line in lines:
            services.expense_decide(line=line, accept=True, actor=clerk)
        grant = services.settlement_close(grant=grant, actor=clerk)
        if grant.refund_due:
            services.refund_record(grant=grant, amount=grant.refund_due, actor=clerk)


@demo_step("programme_relief", label=_("burden relief credit"), order=310)
def relief_step(ctx: DemoContext) -> int:
    """The entitlement programme: open now, the first five days by last digit, awards made
    through the service as applications arrive."""
    year = ctx.today.year
    code = f"relief-credit-{year}"
    if Programme.objects.filter(code=code).exists():
        return 0
    clerk = demo_clerk(ctx.office)
    opens, closes = ctx.today - timedelta(days=30), ctx.today + timedelta(days=60)
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
    for n, store in enumerate(stores):
        day = opens + timedelta(days=n * days // max(len(stores), 1))
        if day in digits and store.business_number[-1] not in digits[day]:
            day = opens + timedelta(days=5 + n % max(days - 5, 1))
        at = _seoul(day, 9 + n % 9, (n * 7) % 60)
        data = services.application_input_parse(
            programme=programme,
            business_number=store.business_number,
            annual_sales=rng.randrange(20, 300) * 1_000_000,
            applicant=f"{store.trade_name} 대표",
            submitted_at=at,
        )
        try:
            services.application_submit(programme=programme, data=data, actor=clerk)
        except Refusal:
            continue  # a restricted business type or a day not its own: refused, as in life
        added += 1
    return added
