"""Three months of Alley Economy 119 calls for `seed_demo`: a believable history of cases.

Merchants and residents call, text, visit, write on the web and speak up at the mayor's field
office about Onnuri registration, stores refusing certificates, the cashback, designations and
proposals. Each case's life is scripted as it would have happened, at the working times it
would have happened: logged by the operator, assigned, worked on, sometimes referred to a
department, sometimes waiting for the caller or reopened, resolved with a reply and closed.
Recent cases are still open, and a few stalled ones are overdue. The same seed gives the same
calls; running the demo again adds nothing once the office has cases.

The script (`demo_calls`) names each step as the services would be asked to take it. The cases
are then written in bulk with what those services would have written: the same numbers,
deadlines (from `hotline.rules`), statuses and timeline entries, moves checked against the same
state machine; the tests play the same script through the services and compare. Played through
the services one by one, the 180 cases took a quarter of the whole demo's time.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import SEOUL, local_date, local_today
from core.demo import DemoContext, demo_step
from core.numbers import phone_digits
from hotline import rules
from hotline.choices import EntryKind
from hotline.models import Case, CaseCounter, HotlineSettings, TimelineEntry
from hotline.selectors import assignable_users, hotline_settings_for, work_calendar
from hotline.services.moves import move_effects
from registry.choices import StoreStatus
from registry.models import Membership, Office, Store, User

CASES = 180
DAYS = 90

CHANNELS = (("phone", 55), ("text", 14), ("visit", 10), ("online", 16), ("field", 5))
PRIORITIES = (("urgent", 5), ("high", 15), ("normal", 65), ("low", 15))
DEPARTMENTS = ("지역경제과", "일자리경제과", "세무1과", "건축과", "도로과", "소상공인지원센터")
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = (
    "민준",
    "서연",
    "지훈",
    "수빈",
    "영수",
    "정희",
    "상철",
    "미경",
    "동현",
    "은주",
    "성호",
    "혜진",
    "재원",
    "순자",
    "광수",
)

# category: (share, caller type weights merchant/resident/other, needs a store, what they say)
CATEGORIES = {
    "payment_refused": (
        20,
        (10, 85, 5),
        True,
        (
            "{store}에서 온누리 모바일 상품권 결제를 거부했다는 신고입니다.",
            "{store}이(가) 온누리 카드 결제 시 추가 요금을 요구했다고 합니다.",
            "{store} 가맹점 스티커는 붙어 있는데 종이 상품권을 받지 않는다는 민원입니다.",
        ),
    ),
    "cashback": (
        24,
        (35, 60, 5),
        True,
        (
            "{store}에서 결제했는데 골목페이 캐시백이 적립되지 않았다는 문의입니다.",
            "캐시백 주간 한도가 언제 초기화되는지 문의합니다.",
            "{store} 결제 건 캐시백이 일부만 지급된 이유를 알고 싶어 합니다.",
            "이번 주 캐시백 예산이 소진되었다는 안내를 받았는데 다음 주 예산을 문의합니다.",
        ),
    ),
    "onnuri_registration": (
        16,
        (90, 5, 5),
        True,
        (
            "{store} 대표가 온누리 모바일 가맹 신청 방법을 문의합니다.",
            "{store} 온누리 가맹 신청 후 진행 상황을 확인하고 싶어 합니다.",
            "업종이 제한 업종에 해당하는지 가맹 가능 여부를 문의합니다.",
        ),
    ),
    "designation": (
        6,
        (80, 10, 10),
        False,
        (
            "{district} 상인회에서 골목형상점가 지정 신청 서류를 문의합니다.",
            "우리 골목도 골목형상점가로 지정받을 수 있는지 점포 수 기준을 묻습니다.",
        ),
    ),
    "policy_proposal": (
        10,
        (40, 55, 5),
        False,
        (
            "{district} 입구에 공영주차장 안내 표지판 설치를 제안합니다.",
            "골목 축제 기간에 캐시백 비율을 높여 달라는 제안입니다.",
            "전통시장과 골목형상점가 공동 할인 행사를 제안합니다.",
        ),
    ),
    "consulting": (
        9,
        (85, 10, 5),
        True,
        (
            "{store} 대표가 소상공인 경영 컨설팅 신청을 원합니다.",
            "점포 간판 개선 지원 사업 신청 자격을 문의합니다.",
        ),
    ),
    "complaint": (
        10,
        (20, 75, 5),
        False,
        (
            "{district} 야간 소음과 쓰레기 무단 투기 민원입니다.",
            "상가 앞 불법 주정차로 보행이 어렵다는 민원입니다.",
            "{district} 가로등 고장으로 밤길이 어둡다는 신고입니다.",
        ),
    ),
    "other": (
        5,
        (30, 60, 10),
        False,
        (
            "골목경제 119 운영 시간을 문의합니다.",
            "지난 민원 처리 결과를 다시 안내받고 싶어 합니다.",
        ),
    ),
}
REPLIES = (
    "해당 가맹점에 안내 및 시정 요청을 하였고 결과를 민원인께 유선으로 회신했습니다.",
    "결제 내역을 확인하여 누락분을 정정 요청했고 처리 결과를 문자로 안내했습니다.",
    "신청 절차와 구비 서류를 안내하고 담당 부서 연락처를 전달했습니다.",
    "담당 부서 검토 결과를 민원인께 회신했습니다.",
    "현장 확인 후 조치 완료하였음을 안내했습니다.",
)
NOTES = (
    "민원인과 통화하여 상세 내용을 확인함.",
    "가맹점 대표와 통화함. 직원 교육이 부족했다고 함.",
    "결제 대행사에 거래 내역 확인을 요청함.",
    "상인회장에게 내용을 공유함.",
)


@dataclass
class Step:
    """One thing done to a logged case, as a service would be asked to do it: a move along the
    state machine (`case_transition`), a note (`case_note`) or a referral (`case_refer`)."""

    kind: str
    at: datetime
    user: User
    to: str = ""
    note: str = ""
    assignee: User | None = None
    reason: str = ""
    department: str = ""


@dataclass
class Call:
    """A call as `services.case_intake` would be asked to log it, and the steps that follow."""

    intake: dict
    steps: list[Step] = field(default_factory=list)


def _pick(rng: random.Random, weighted) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _received_at(rng: random.Random, day, channel: str) -> datetime:
    """Calls come in office hours; texts and the web form also at night and on weekends."""
    if channel in ("text", "online") and rng.random() < 0.35:
        hour = rng.choice((7, 8, 19, 20, 21, 22))
    else:
        hour = rng.choices(range(9, 18), weights=(6, 9, 8, 3, 6, 8, 8, 6, 4))[0]
    return datetime.combine(day, time(hour, rng.randrange(60)), SEOUL)


@demo_step("hotline_cases", label=_("hotline cases"), order=110)
def cases_step(ctx: DemoContext) -> int:
    if Case.objects.filter(office=ctx.office).exists():
        return 0
    return cases_write(ctx.office, demo_calls(ctx))


def demo_calls(ctx: DemoContext) -> list[Call]:
    """The office's calls of the last three months and what became of them until now."""
    office = ctx.office
    staff = list(assignable_users(office))
    if not staff:
        return []
    operator = next((u for u in staff if u.username == "operator"), staff[0])
    rng = random.Random(ctx.seed + 11)
    ids = list(
        Store.objects.filter(office=office, status=StoreStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stores = list(
        Store.objects.filter(pk__in=rng.sample(ids, min(150, len(ids))))
        .select_related("dong")
        .order_by("pk")
    )
    calendar = work_calendar(office)
    now = (
        timezone.now()
        if ctx.today >= local_today()
        else (datetime.combine(ctx.today, time(17, 30), SEOUL))
    )
    first_day = ctx.today - timedelta(days=DAYS)
    calls = []
    for _n in range(CASES):
        day = first_day + timedelta(days=rng.randrange(DAYS + 1))
        if day.weekday() >= 5 and rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)  # most calls come on weekdays
        call = _call(rng, office, operator, staff, stores, calendar, now, day)
        if call is not None:
            calls.append(call)
    return calls


def _call(rng, office, operator, staff, stores, calendar, now, day) -> Call | None:
    """One call and its life until `now`; None if it has not come yet."""
    channel = _pick(rng, CHANNELS)
    received = _received_at(rng, day, channel)
    if received > now:
        return None
    category = _pick(rng, [(c, v[0]) for c, v in CATEGORIES.items()])
    _share, caller_weights, needs_store, lines = CATEGORIES[category]
    caller_type = _pick(rng, zip(("merchant", "resident", "other"), caller_weights, strict=True))
    store = rng.choice(stores) if stores and (needs_store or rng.random() < 0.3) else None
    anonymous = rng.random() < (0.25 if caller_type == "resident" else 0.08)
    call = Call(
        intake={
            "office": office,
            "user": operator,
            "channel": channel,
            "caller_type": caller_type,
            "category": category,
            "priority": _pick(rng, PRIORITIES),
            "description": rng.choice(lines).format(
                store=store.trade_name if store else "골목 상점",
                district=(store.dong.name if store else rng.choice(("양동", "치평동", "풍암동")))
                + " 골목",
            ),
            "caller_name": "" if anonymous else rng.choice(SURNAMES) + rng.choice(GIVEN),
            "caller_phone": "" if anonymous else f"010{rng.randrange(10**8):08d}",
            "store": store,
            "received_at": received,
            "at": received,
        }
    )
    clock = {"t": received}

    def later(low: int, high: int) -> datetime | None:
        """The next step's time, in working minutes after the last; None if not yet come."""
        moment = rules.add_working_time(clock["t"], rng.randint(low, high), calendar)
        if moment > now:
            return None
        clock["t"] = moment
        return moment

    def move(to: str, at: datetime, user: User = operator, **extra) -> None:
        call.steps.append(Step("move", at, user, to=to, **extra))

    if rng.random() < 0.05 and (at := later(10, 120)):
        move("closed", at, reason=rng.choice(("duplicate", "withdrawn")))
        return call
    assignee = rng.choice(staff)
    if not (at := later(5, 150)):
        return call
    move("assigned", at, assignee=assignee)
    stalled = rng.random() < 0.06  # forgotten: these are the overdue ones on the list
    if stalled or not (at := later(10, 360)):
        return call
    move("in_progress", at, user=assignee)
    if rng.random() < 0.4 and (at := later(5, 90)):
        call.steps.append(Step("note", at, assignee, note=rng.choice(NOTES)))
    if rng.random() < 0.15 and (at := later(10, 120)):
        call.steps.append(
            Step(
                "referral",
                at,
                assignee,
                department=rng.choice(DEPARTMENTS),
                note="담당 부서 검토 요청",
            )
        )
    if rng.random() < 0.12 and (at := later(10, 240)):
        move("waiting_caller", at, user=assignee, note="증빙 자료(영수증 사진)를 요청함")
        if not (at := later(60, 1200)):
            return call
        move("in_progress", at, user=assignee, note="민원인이 자료를 보내옴")
    if stalled or not (at := later(60, 840)):
        return call
    move("resolved", at, user=assignee, note=rng.choice(REPLIES))
    if rng.random() < 0.04 and (at := later(60, 600)):
        move("in_progress", at, user=assignee, note="민원인이 추가 문의함 (재개)")
        if not (at := later(60, 600)):
            return call
        move("resolved", at, user=assignee, note=rng.choice(REPLIES))
    if at := later(120, 1600):
        reason = "unreachable" if rng.random() < 0.03 else ""
        move("closed", at, user=assignee, reason=reason)
    return call


# --- Writing: what the services would have written, in bulk -------------------------------------


def cases_write(office: Office, calls: list[Call]) -> int:
    """Log the calls and take their steps as `hotline.services` would, in a few statements.

    Numbers continue the office's counters, which are locked until the demo's transaction ends.
    """
    settings = hotline_settings_for(office)
    calendar = work_calendar(office, settings)
    store_ids = {call.intake["store"].pk for call in calls if call.intake["store"]}
    districts = dict(
        Membership.objects.filter(store_id__in=store_ids, left_on__isnull=True).values_list(
            "store_id", "district_id"
        )
    )
    counters = dict(
        CaseCounter.objects.select_for_update()
        .filter(office=office)
        .values_list("year", "last_serial")
    )
    cases, entries = [], []
    for call in calls:
        case = _logged(office, call.intake, settings, calendar, districts, counters)
        entries.append(
            _entry(
                case, call.intake["user"], case.received_at, EntryKind.INTAKE, to_status=case.status
            )
        )
        for step in call.steps:
            entries.append(_taken(case, step, settings, calendar))
        cases.append(case)
    Case.objects.bulk_create(cases)
    TimelineEntry.objects.bulk_create(entries)
    CaseCounter.objects.bulk_create(
        [CaseCounter(office=office, year=y, last_serial=n) for y, n in sorted(counters.items())],
        update_conflicts=True,
        unique_fields=["office", "year"],
        update_fields=["last_serial"],
    )
    return len(cases)


def _logged(office, intake, settings, calendar, districts, counters) -> Case:
    """`services.case_intake` for a call the demo knows to be valid."""
    store, received, priority = intake["store"], intake["received_at"], intake["priority"]
    response_hours, resolution_hours = settings.hours(priority)
    year = local_date(received).year
    serial = counters[year] = counters.get(year, 0) + 1
    return Case(
        office=office,
        number=rules.case_number(year, serial),
        year=year,
        serial=serial,
        channel=intake["channel"],
        caller_type=intake["caller_type"],
        caller_name=intake["caller_name"].strip(),
        caller_phone=phone_digits(intake["caller_phone"]),
        business_number=store.business_number if store else "",
        store=store,
        district_id=districts.get(store.pk) if store else None,
        category=intake["category"],
        priority=priority,
        description=intake["description"].strip(),
        received_at=received,
        response_due=rules.deadline(received, response_hours, calendar),
        resolution_due=rules.deadline(received, resolution_hours, calendar),
        created_by=intake["user"],
    )


def _taken(case: Case, step: Step, settings: HotlineSettings, calendar) -> TimelineEntry:
    """`case_transition`, `case_note` or `case_refer` on the case in memory; the entry."""
    note = step.note.strip()
    if step.kind == "note":
        return _entry(case, step.user, step.at, EntryKind.NOTE, text=note)
    if step.kind == "referral":
        case.referred_department = step.department
        return _entry(
            case, step.user, step.at, EntryKind.REFERRAL, department=step.department, text=note
        )
    current, to, now = case.status, step.to, step.at
    rules.move_check(
        current,
        to,
        assignee_given=step.assignee is not None,
        note=note,
        reason=step.reason,
        reply_recorded=bool(case.reply),
    )
    move_effects(
        case,
        to,
        now=now,
        note=note,
        assignee=step.assignee,
        reason=step.reason,
        settings=settings,
        calendar=calendar,
    )
    return _entry(
        case,
        step.user,
        now,
        EntryKind.STATUS,
        from_status=current,
        to_status=to,
        text=note,
        assignee=step.assignee,
        reason=case.close_reason if to == rules.CLOSED else "",
    )


def _entry(case: Case, user: User, at: datetime, kind: str, **fields) -> TimelineEntry:
    return TimelineEntry(case=case, at=at, user=user, username=user.username, kind=kind, **fields)
