"""Believable demo data: Seo-gu, Gwangju, as SPEC 2.7 describes it.

`seed_demo()` fills the database with the office (29140 광주광역시 서구, its 18 dongs, its
ordinance), 119 designated districts across all the dongs, about 11,000 stores with valid
business numbers, their memberships and Onnuri registrations, pending and overdue applications,
and one staff user per role. Everything comes from seeded random generators, so every run
produces the same names and numbers. Rows are bulk-inserted without history rows (demo data has
no past to keep), which makes the whole demo take seconds. Each row is keyed on a natural key
(dong and district names, business number, store and certificate type, username), so running
it again adds only what is missing and never duplicates anything; other offices' rows are
never touched.

Other apps add their own demo data (the 2026 cashback campaign with its payments, hotline cases)
through a `demo` module of their own, which `seed_demo` discovers and runs in the same
transaction after the registry's steps (orders 10-60)::

    # cashback/demo.py
    from registry.demo import DemoContext, demo_step

    @demo_step("cashback_campaign", label=_("cashback campaign"), order=100)
    def campaign(ctx: DemoContext) -> int:
        ...  # add what is missing for ctx.office; return how many rows were added

`office_plan()` and `office_write()` build and write any office's data from an
`OfficeProfile`; the benchmark uses them to build offices at scale.
"""

import functools
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from core.clock import SEOUL, local_today
from core.numbers import brn_complete
from registry import roles
from registry.choices import (
    AffiliateStatus,
    CertificateType,
    DistrictStatus,
    StoreStatus,
    StrikeOffReason,
)
from registry.constants import (
    DEFAULT_AFFILIATE_SALES_CAP,
    DEFAULT_RESTRICTED_BUSINESS_TYPES,
    SEOGU_CODE,
    SEOGU_DONGS,
    SEOGU_NAME,
)
from registry.models import AffiliateRegistration, District, Dong, Membership, Office, Store, User
from registry.services import office_create_or_update

DEFAULT_SEED = 2026
MAX_COUNTED_AREA_M2 = 1_990  # within the default 2,000 m² limit
# Onnuri affiliation predates the districts; closures shown are the recent ones.
AFFILIATION_EPOCH = date(2015, 1, 1)
CLOSURES_FROM = date(2023, 3, 1)
DEMO_PASSWORD = "golmok-demo-2026"  # demo only: printed by demo_login, never for production
BATCH = 2000

# --- Seo-gu ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DongProfile:
    """One dong as the generator sees it: place names, roads, how many districts it has."""

    name: str
    places: tuple[str, ...]
    roads: tuple[str, ...]
    districts: int
    market: str = (
        ""  # a traditional market: stores around it are Onnuri-eligible without a district
    )
    commercial: bool = False  # districts here lie in a commercial zone


@dataclass(frozen=True)
class OfficeProfile:
    """An office to generate: its dongs, how many stores, and its ordinance's store minimum."""

    code: str
    name: str
    dongs: tuple[DongProfile, ...]
    stores: int
    min_stores: int = 15
    # Designations before this day were made under the law's default of 30 stores.
    relaxed_since: date = date(2024, 1, 1)
    applications: bool = True  # add pending, overdue and rejected district applications
    tax_offices: tuple[str, ...] = ("410", "408", "409", "412")


SEOGU_PROFILE = OfficeProfile(
    code=SEOGU_CODE,
    name=SEOGU_NAME,
    stores=11_000,
    dongs=(
        DongProfile(
            "양동",
            ("양동", "양동시장", "닭전머리", "복개상가"),
            ("천변좌로", "경열로", "죽봉대로", "양동시장길"),
            8,
            market="양동시장",
        ),
        DongProfile("양3동", ("양3동", "발산", "발산마을"), ("군분로", "천변좌로", "발산로"), 4),
        DongProfile(
            "농성1동",
            ("농성", "농성시장", "농성역"),
            ("죽봉대로", "경열로", "농성로", "화정로"),
            7,
            market="농성시장",
        ),
        DongProfile(
            "농성2동", ("농성2동", "한전", "농성광장"), ("상무대로", "죽봉대로", "농성로"), 5
        ),
        DongProfile(
            "광천동",
            ("광천", "광천터미널", "광천시장"),
            ("무진대로", "죽봉대로", "상무대로", "광천로"),
            7,
            commercial=True,
        ),
        DongProfile("유덕동", ("유덕", "유촌", "덕흥"), ("유덕로", "유촌로", "천변좌로"), 4),
        DongProfile(
            "치평동",
            ("치평동", "상무지구", "치평", "시청앞", "김대중센터"),
            ("상무중앙로", "상무자유로", "상무누리로", "시청로", "치평로", "상무평화로"),
            14,
            commercial=True,
        ),
        DongProfile(
            "상무1동",
            ("상무", "쌍촌", "운천"),
            ("상무대로", "운천로", "상무민주로", "상무연하로"),
            9,
            commercial=True,
        ),
        DongProfile(
            "상무2동",
            ("상무2동", "운천저수지", "상무역"),
            ("상무번영로", "운천로", "상무시민로", "치평로"),
            8,
            commercial=True,
        ),
        DongProfile("화정1동", ("화정", "화정역", "염주"), ("화정로", "내방로", "화운로"), 7),
        DongProfile(
            "화정2동", ("화정2동", "서부시장", "중앙공원"), ("화정로", "월드컵4강로", "내방로"), 6
        ),
        DongProfile(
            "화정3동", ("화정3동", "염주체육관", "화정중앙"), ("염화로", "화운로", "월드컵4강로"), 5
        ),
        DongProfile("화정4동", ("화정4동", "쌍촌역", "우산"), ("내방로", "상일로", "화정로"), 6),
        DongProfile("서창동", ("서창", "세하", "마륵", "매월"), ("서창로", "마륵로", "매월로"), 3),
        DongProfile(
            "금호1동",
            ("금호", "금호시장", "금호지구"),
            ("금화로", "금호로", "월드컵4강로"),
            8,
            market="금호시장",
        ),
        DongProfile("금호2동", ("금호2동", "금부", "운천호수"), ("금화로", "풍금로", "금호로"), 6),
        DongProfile(
            "풍암동",
            ("풍암", "풍암호수", "풍암지구"),
            ("풍암순환로", "풍금로", "풍암신흥로", "월드컵4강로"),
            9,
        ),
        DongProfile("동천동", ("동천", "동천뜰", "광주천"), ("천변좌로", "동천로", "유촌로"), 3),
    ),
)
DISTRICT_PATTERNS = (
    "{p} 먹자골목", "{p} 카페거리", "{p} 맛집거리", "{p} 상점가", "{p} 먹거리골목",
    "{p} 음식문화거리", "{p} 젊음의거리", "{p} 상가거리", "{p} 골목상권", "{p} 1번가",
    "{p} 특화거리", "{p} 문화의거리", "{p} 골목", "{p} 맛길", "{p} 로데오거리",
)  # fmt: skip

# Business kinds: KSIC (10th revision) code, its Korean name, weight in an alley, name patterns.
# {p} a place, {a} an adjective, {s} a surname, {w} a word, {c} a convenience-store chain.
BUSINESS_KINDS = (
    (
        "56111",
        "한식 일반 음식점업",
        11,
        (
            "{p}식당",
            "{a} 밥상",
            "{s}씨네 식당",
            "{p} 백반",
            "엄마손 밥집",
            "{p} 한정식",
            "{a} 집밥",
            "{s}가네 밥상",
        ),
    ),
    (
        "56111",
        "한식 일반 음식점업",
        5,
        (
            "할매국밥",
            "{p}국밥",
            "{s}씨네 돼지국밥",
            "{a} 순대국밥",
            "{p} 콩나물국밥",
            "{p} 국밥집",
            "{a} 곰탕",
            "{p} 해장국",
        ),
    ),
    (
        "56112",
        "한식 면 요리 전문점",
        3,
        ("{p}칼국수", "{a} 냉면", "{s}가네 손칼국수", "{p} 국수집", "{p} 메밀", "{a} 팥칼국수"),
    ),
    (
        "56113",
        "한식 육류 요리 전문점",
        6,
        (
            "{p}숯불갈비",
            "{a} 삼겹살",
            "{p} 한우",
            "{s}가네 정육식당",
            "{p} 오리탕",
            "{p} 돼지갈비",
            "{a} 닭갈비",
            "{p} 애호박찌개",
        ),
    ),
    (
        "56114",
        "한식 해산물 요리 전문점",
        3,
        ("{p} 횟집", "{p} 아구찜", "{a} 조개구이", "{p} 낙지", "{s}씨네 홍어", "{p} 꽃게장"),
    ),
    ("56121", "중식 음식점업", 3, ("{p}반점", "{a} 중화요리", "{w}각", "{p} 짬뽕", "{w} 차이나")),
    ("56122", "일식 음식점업", 2, ("{p} 스시", "{w} 돈까스", "{p} 우동", "{a} 초밥", "{w} 라멘")),
    ("56123", "서양식 음식점업", 2, ("{p} 파스타", "{w} 키친", "{p} 브런치", "{w} 비스트로")),
    ("56129", "기타 외국식 음식점업", 1, ("{p} 쌀국수", "{w} 타이", "{p} 인도커리", "{w} 타코")),
    ("56191", "제과점업", 3, ("{p} 베이커리", "{a} 빵집", "{w} 제과", "{p} 빵공방")),
    (
        "56192",
        "피자, 햄버거, 샌드위치 및 유사 음식점업",
        2,
        ("{p} 피자", "{w} 버거", "{p} 수제버거", "{w} 샌드위치"),
    ),
    (
        "56193",
        "치킨 전문점",
        4,
        ("{p} 치킨", "{s}가네 통닭", "{a} 닭강정", "{p} 옛날통닭", "{w} 치킨"),
    ),
    (
        "56194",
        "분식 및 김밥 전문점",
        5,
        ("{p}분식", "{a} 김밥", "{s}가네 떡볶이", "{p} 김밥", "{a} 떡볶이", "{p} 튀김"),
    ),
    ("56213", "생맥주 전문점", 3, ("{p} 호프", "{w} 비어", "{p} 생맥주", "{w} 펍")),
    ("56219", "기타 주점업", 2, ("{p} 포차", "{a} 실내포장마차", "{w} 이자카야", "{p} 막걸리")),
    (
        "56221",
        "커피 전문점",
        8,
        ("{p} 커피", "카페 {w}", "{w} 로스터스", "{a} 카페", "{w} 커피", "{p} 다방", "{w} 커피랩"),
    ),
    ("56229", "기타 비알코올 음료점업", 2, ("{p} 빙수", "{w} 주스", "{p} 찻집", "{w} 티하우스")),
    ("47121", "슈퍼마켓", 3, ("{p} 마트", "{a} 슈퍼", "{p} 할인마트", "{s}씨네 슈퍼")),
    ("47122", "체인화 편의점", 2, ("{c} {p}점", "{c} {p}{n}호점")),
    ("47212", "육류 소매업", 1.5, ("{p} 정육점", "{a} 한우정육", "{s}가네 정육")),
    ("47214", "신선, 냉동 및 기타 수산물 소매업", 1, ("{p} 수산", "{a} 생선가게", "{p} 활어")),
    ("47215", "채소, 과실 및 뿌리작물 소매업", 1.5, ("{p} 청과", "{a} 과일가게", "{p} 야채")),
    (
        "47218",
        "조리 반찬류 소매업",
        1.5,
        ("{a} 반찬가게", "{p} 반찬", "엄마손 반찬", "{s}씨네 반찬"),
    ),
    ("10711", "떡류 제조업", 1, ("{p} 떡집", "{a} 떡방앗간", "{p} 방앗간")),
    ("47312", "통신기기 소매업", 1.5, ("{p} 휴대폰", "{w} 모바일", "{p} 폰마트")),
    ("47411", "남자용 겉옷 소매업", 1, ("{p} 남성복", "{w} 맨즈")),
    ("47412", "여자용 겉옷 소매업", 3, ("{w} 부티크", "{p} 여성의류", "{w} 패션", "{a} 옷집")),
    ("47417", "유아용 의류 소매업", 0.7, ("{w} 키즈", "{p} 아동복")),
    ("47422", "의복 액세서리 및 모조 장신구 소매업", 0.7, ("{w} 액세서리", "{p} 잡화")),
    ("47813", "화장품, 비누 및 방향제 소매업", 1.5, ("{w} 코스메틱", "{p} 화장품")),
    ("47511", "철물 및 난방용구 소매업", 1, ("{p} 철물", "{a} 철물점", "{p} 공구")),
    ("47612", "문구용품 소매업", 1, ("{p} 문구", "{a} 문방구")),
    ("47611", "서적, 신문 및 잡지류 소매업", 0.5, ("{p} 서점", "{w} 책방")),
    ("47851", "화초 및 산식물 소매업", 1, ("{p} 꽃집", "{w} 플라워", "{a} 꽃방")),
    ("96111", "이용업", 1, ("{p} 이용원", "{a} 이발소")),
    (
        "96112",
        "두발 미용업",
        6,
        ("{a} 미용실", "{w} 헤어", "헤어 {w}", "{s}원장 헤어살롱", "{p} 미용실"),
    ),
    ("96113", "피부 미용업", 1.5, ("{w} 피부관리", "{p} 에스테틱")),
    ("96119", "기타 미용업", 1.5, ("{w} 네일", "{p} 네일아트", "{w} 속눈썹")),
    ("96912", "가정용 세탁업", 1.5, ("{p} 세탁소", "{a} 세탁", "{p} 빨래방")),
    ("95211", "자동차 종합 수리업", 1, ("{p} 카센터", "{p} 자동차공업사")),
    ("95391", "의복 및 기타 가정용 직물제품 수리업", 1, ("{p} 옷수선", "{a} 수선집")),
    ("91223", "노래연습장 운영업", 1, ("{p} 노래연습장", "{w} 코인노래방")),
    ("91222", "컴퓨터 게임방 운영업", 1, ("{w} PC방", "{p} PC카페")),
    ("85501", "일반 교과 학원", 1.5, ("{p} 수학학원", "{w} 영어학원", "{p} 보습학원")),
    ("85611", "태권도 및 무술 교육기관", 0.8, ("{p} 태권도", "{w} 합기도")),
    ("85621", "음악학원", 0.5, ("{p} 피아노학원", "{w} 음악학원")),
    ("86201", "일반 의원", 0.8, ("{p} 내과의원", "{w} 가정의학과의원", "{p} 정형외과의원")),
    ("86202", "치과 의원", 0.5, ("{p} 치과의원", "{w} 치과")),
    ("86203", "한의원", 0.6, ("{p} 한의원", "{w} 한의원")),
    ("68221", "부동산 자문 및 중개업", 1.5, ("{p} 공인중개사사무소", "{a} 부동산")),
)
_KIND_WEIGHTS = tuple(k[2] for k in BUSINESS_KINDS)
RESTRICTED_CODES = frozenset(code for code, _name in DEFAULT_RESTRICTED_BUSINESS_TYPES)

ADJECTIVES = (
    "정다운", "행복한", "맛있는", "소문난", "착한", "푸른", "해뜨는", "옛날", "원조", "으뜸",
    "좋은", "참", "고향", "우리", "한마음", "늘푸른", "햇살", "다정한", "따뜻한", "싱싱",
    "알뜰", "빛고을", "무등", "새봄", "명품",
)  # fmt: skip
WORDS = (
    "빛고을", "무등", "다온", "하늘", "바다", "별빛", "봄날", "가온", "온유", "라온", "미소",
    "소담", "담소", "아리", "마루", "청춘", "나린", "모아", "오늘", "하루", "초록", "달빛",
    "숲", "온새미로", "한빛", "도담", "해온", "윤슬", "꽃길", "보늬",
)  # fmt: skip
CHAINS = ("CU", "GS25", "세븐일레븐", "이마트24")
SURNAMES = (
    ("김", 21), ("이", 15), ("박", 8), ("최", 5), ("정", 4), ("강", 2.3), ("조", 2.1),
    ("윤", 2), ("장", 2), ("임", 1.7), ("한", 1.5), ("오", 1.5), ("서", 1.4), ("신", 1.4),
    ("권", 1.4), ("황", 1.3), ("안", 1.3), ("송", 1.2), ("전", 1.1), ("홍", 1), ("유", 1),
    ("고", 0.9), ("문", 0.9), ("양", 0.9), ("손", 0.9), ("배", 0.8), ("백", 0.8), ("허", 0.6),
    ("노", 0.6), ("남", 0.5), ("나", 0.5), ("기", 0.3), ("국", 0.2), ("범", 0.1),
)  # fmt: skip
_SURNAME_WEIGHTS = tuple(w for _s, w in SURNAMES)
GIVEN_FIRST = tuple("민서지현준영수정은성상동경미혜진재승윤하태광명옥순희종용선연예도시")
GIVEN_SECOND = tuple("수호희진민영숙철우자아연주경식석훈빈은란덕기남례원혁아윤서")
BANKS = (
    ("광주은행", 30, "###-###-######"), ("농협은행", 22, "###-####-####-##"),
    ("국민은행", 12, "######-##-######"), ("신한은행", 9, "###-###-######"),
    ("우리은행", 6, "####-###-######"), ("하나은행", 5, "###-######-#####"),
    ("IBK기업은행", 5, "###-######-##-###"), ("새마을금고", 6, "####-##-######-#"),
    ("우체국", 5, "######-##-######"),
)  # fmt: skip
_BANK_WEIGHTS = tuple(b[1] for b in BANKS)
_TYPE_DIGIT = {CertificateType.PAPER: "1", CertificateType.CARD: "2", CertificateType.MOBILE: "3"}

# --- The plan: plain values, built without the database ------------------------------------


@dataclass
class DistrictPlan:
    name: str
    dongs: list[str]
    status: str
    applied_on: date
    required_stores: int
    members: int = 0
    designation_no: str | None = None
    designated_on: date | None = None
    certificate_days: int = 5
    decided_on: date | None = None
    rejection_reason: str = ""
    details: dict = field(default_factory=dict)


@dataclass
class AffiliationPlan:
    certificate_type: str
    status: str
    applied_on: date
    approved_on: date | None = None
    affiliate_number: str | None = None
    settlement: tuple[str, str, str] = ("", "", "")
    revoked_on: date | None = None
    strike_off_reason: str = ""
    strike_off_note: str = ""
    rejection_reason: str = ""
    decided_on: date | None = None


@dataclass
class StorePlan:
    business_number: str
    trade_name: str
    representative: str
    phone: str
    road_address: str
    dong: str
    ksic_code: str
    business_type: str
    is_small_business: bool
    in_traditional_market: bool = False
    annual_sales: int | None = None
    opened_on: date | None = None
    status: str = StoreStatus.ACTIVE
    closed_on: date | None = None
    district: str | None = None
    joined_on: date | None = None
    left_on: date | None = None
    affiliations: list[AffiliationPlan] = field(default_factory=list)


@dataclass
class OfficePlan:
    profile: OfficeProfile
    districts: list[DistrictPlan]
    stores: list[StorePlan]


def office_plan(profile: OfficeProfile, *, seed: int = DEFAULT_SEED, today: date) -> OfficePlan:
    """The office's whole demo data as plain values; the same seed gives the same data.

    Names, numbers and who belongs where come from one random stream that never looks at
    `today`, so the natural keys stay the same whatever day the demo is built; dates and
    statuses come from a second stream.
    """
    ids = random.Random(f"golmok-demo:{seed}:{profile.code}:ids")
    facts = random.Random(f"golmok-demo:{seed}:{profile.code}:facts")
    districts = _plan_districts(profile, ids, facts, today)
    stores = _plan_stores(profile, districts, ids, facts, today)
    _plan_affiliations(profile, stores, facts, today)
    return OfficePlan(profile=profile, districts=districts, stores=stores)


def _plan_districts(profile, ids, facts, today) -> list[DistrictPlan]:
    taken: set[str] = set()
    plans = []
    for index, dong in enumerate(profile.dongs):
        for _n in range(dong.districts):
            dongs = [dong.name]
            if len(profile.dongs) > 1 and ids.random() < 0.15:
                dongs.append(profile.dongs[(index + ids.choice((-1, 1))) % len(profile.dongs)].name)
            designated_on = _designation_day(facts, today)
            required = 30 if designated_on < profile.relaxed_since else profile.min_stores
            district = DistrictPlan(
                name=_district_name(ids, dong, taken),
                dongs=dongs,
                status=DistrictStatus.DESIGNATED,
                applied_on=designated_on - timedelta(days=facts.randint(16, 75)),
                designated_on=designated_on,
                certificate_days=facts.randint(1, 12),
                required_stores=required,
                members=max(required + 6, min(160, round(ids.lognormvariate(math.log(58), 0.45)))),
            )
            plans.append(district)
    _number_designations(profile, plans)
    if profile.applications:
        plans.extend(_plan_applications(profile, ids, facts, today, taken))
    return plans


def _designation_day(facts: random.Random, today: date) -> date:
    year = facts.choices((2023, 2024, 2025), weights=(25, 38, 37))[0]
    start, end = date(year, 2, 1), min(date(year, 12, 20), today - timedelta(days=30))
    return start + timedelta(days=facts.randint(0, max((end - start).days, 0)))


def _number_designations(profile: OfficeProfile, plans: list[DistrictPlan]) -> None:
    """`서구-2024-001`…: numbered by designation date within each year."""
    prefix = profile.name.split()[-1]
    by_year: dict[int, int] = {}
    for plan in sorted(plans, key=lambda p: (p.designated_on, p.name)):
        serial = by_year[plan.designated_on.year] = by_year.get(plan.designated_on.year, 0) + 1
        plan.designation_no = f"{prefix}-{plan.designated_on.year}-{serial:03d}"


def _district_name(ids: random.Random, dong: DongProfile, taken: set[str]) -> str:
    for attempt in range(200):
        place = ids.choice(dong.places)
        pattern = ids.choice(DISTRICT_PATTERNS)
        if place.endswith("시장") and attempt % 2 == 0:
            pattern = "{p} 골목"
        name = pattern.format(p=place)
        if name not in taken:
            taken.add(name)
            return name
    name = f"{dong.name} 골목상점가 {len(taken) + 1}"
    taken.add(name)
    return name


def _district_details(profile, dong, district, ids, facts) -> dict:
    """Area, organisation and consent figures that meet the criteria for `district.members`."""
    counted = facts.randint(900, MAX_COUNTED_AREA_M2)
    excluded = facts.randint(counted * 12 // 100, counted * 40 // 100)
    merchants = district.members + facts.randint(0, 8)
    owners = facts.randint(10, 45)
    road = ids.choice(dong.roads)
    first = facts.randint(1, 120)
    representative = _person(ids)
    return {
        "location": f"{profile.name} {road} {first}~{first + facts.randint(20, 90)} 일원",
        "area_m2": counted + excluded,
        "excluded_area_m2": excluded,
        "in_commercial_zone": dong.commercial and facts.random() < 0.7,
        "association_name": f"{district.name} 상인회",
        "representative": representative,
        "association_phone": f"062-{facts.choice('36')}{facts.randint(0, 99):02d}-"
        f"{facts.randint(0, 9999):04d}",
        "applied_by_representative": True,
        "merchant_count": merchants,
        "consenting_merchants": math.ceil(merchants * facts.uniform(0.56, 0.95)),
        "owner_count": owners,
        "consenting_owners": facts.randint(owners // 3, owners),
    }


def _plan_applications(profile, ids, facts, today, taken) -> list[DistrictPlan]:
    """Six open applications (three past their 14-day due date, two failing a criterion) and
    one rejected, so the clerk's queue and the overdue flag have something to show."""
    plans = []
    days_ago = (2, 6, 11, 19, 27, 41, 95)
    for n, ago in enumerate(days_ago):
        dong = profile.dongs[-1 - (n * 5) % len(profile.dongs)]
        rejected = n == len(days_ago) - 1
        plan = DistrictPlan(
            name=_district_name(ids, dong, taken),
            dongs=[dong.name],
            status=DistrictStatus.REJECTED if rejected else DistrictStatus.APPLIED,
            applied_on=today - timedelta(days=ago),
            required_stores=profile.min_stores,
            members=facts.randint(profile.min_stores + 2, 45),
        )
        plan.details = _district_details(profile, dong, plan, ids, facts)
        small = plan.members - facts.randint(0, 2)
        if n == 2:  # too few small businesses
            small = profile.min_stores - 3
        plan.details |= {"store_count": plan.members, "small_business_store_count": small}
        if n == 4:  # not enough merchants consent
            plan.details["consenting_merchants"] = plan.details["merchant_count"] * 2 // 5
        if rejected:
            plan.decided_on = plan.applied_on + timedelta(days=12)
            plan.rejection_reason = "상인 동의서 중 다수가 동일 필적으로 확인되어 재확인이 필요함"
        plans.append(plan)
    return plans


def _plan_stores(profile, districts, ids, facts, today) -> list[StorePlan]:
    designated = [d for d in districts if d.status == DistrictStatus.DESIGNATED]
    wanted_members = profile.stores * 72 // 100
    scale = wanted_members / max(sum(d.members for d in designated), 1)
    for d in designated:
        d.members = max(d.required_stores + 4, round(d.members * scale))
    dongs = {d.name: d for d in profile.dongs}
    used: set[str] = set()
    stores: list[StorePlan] = []
    for district in designated:
        district.details = _district_details(
            profile, dongs[district.dongs[0]], district, ids, facts
        )
        for n in range(district.members):
            dong = dongs[district.dongs[0] if ids.random() < 0.85 else ids.choice(district.dongs)]
            store = _store(profile, dong, ids, facts, today, used)
            store.is_small_business = store.is_small_business or n < district.required_stores + 3
            _join(store, district, facts, today)
            stores.append(store)
        district.details |= {
            "store_count": district.members,
            "small_business_store_count": sum(
                1 for s in stores[-district.members :] if s.is_small_business
            ),
        }
    weights = [d.districts + 3 for d in profile.dongs]
    for _n in range(max(profile.stores - len(stores), 0)):
        dong = ids.choices(profile.dongs, weights=weights)[0]
        store = _store(profile, dong, ids, facts, today, used)
        store.in_traditional_market = bool(dong.market) and ids.random() < 0.5
        stores.append(store)
    for store in stores:
        _maybe_close(store, facts, today)
    return stores


def _store(profile, dong, ids, facts, today, used: set[str]) -> StorePlan:
    code, kind_name, _w, patterns = ids.choices(BUSINESS_KINDS, weights=_KIND_WEIGHTS)[0]
    representative = _person(ids)
    local = _trade_places(dong) or _ALL_PLACES
    place = ids.choice(local) if ids.random() < 0.7 else ids.choice(_ALL_PLACES)
    name = ids.choice(patterns).format(
        p=place,
        a=ids.choice(ADJECTIVES),
        s=representative[0],
        w=ids.choice(WORDS),
        c=ids.choice(CHAINS),
        n=ids.randint(1, 3),
    )
    corporate = ids.random() < 0.04
    if corporate and code in {"47121", "56221", "56191"}:
        name = f"(주){name}"
    address = f"{profile.name} {ids.choice(dong.roads)} {ids.randint(1, 320)}"
    if ids.random() < 0.3:
        address += f"-{ids.randint(1, 30)}"
    if ids.random() < 0.25:
        address += f", {ids.randint(1, 4)}층"
    return StorePlan(
        business_number=_business_number(profile, ids, used, corporate),
        trade_name=name,
        representative=representative,
        phone=f"010{ids.randint(2000, 9999)}{ids.randint(0, 9999):04d}",
        road_address=address,
        dong=dong.name,
        ksic_code=code,
        business_type=kind_name,
        is_small_business=ids.random() < 0.95,
        annual_sales=_annual_sales(code, facts),
        opened_on=today - timedelta(days=20 + min(int(facts.expovariate(1 / 2500)), 12_000)),
    )


@functools.cache
def _trade_places(dong: DongProfile) -> tuple[str, ...]:
    """Place names a shop would carry: 치평동 → 치평; none with a number (양3동, 농성2동)."""
    return tuple(
        p.removesuffix("동") if len(p) > 2 and p.endswith("동") else p
        for p in dong.places
        if not any(c.isdigit() for c in p)
    )


_ALL_PLACES = tuple(p for d in SEOGU_PROFILE.dongs for p in _trade_places(d)[:2])


def _business_number(profile, ids, used: set[str], corporate: bool) -> str:
    """A valid ten-digit number: tax office, kind (01-79 individual, 81/86/87 corporate), serial."""
    while True:
        middle = ids.choice((81, 86, 87)) if corporate else ids.randint(1, 79)
        first_nine = f"{ids.choice(profile.tax_offices)}{middle:02d}{ids.randint(0, 9999):04d}"
        number = brn_complete(first_nine)
        if number not in used:
            used.add(number)
            return number


def _annual_sales(code: str, facts: random.Random) -> int | None:
    if facts.random() < 0.1:
        return None
    if code == "47121" and facts.random() < 0.12:
        return facts.randint(3_100, 4_800) * 1_000_000  # above the affiliate cap
    sales = facts.lognormvariate(math.log(180_000_000), 0.75)
    return min(int(sales) // 10_000 * 10_000, 2_900_000_000)


def _person(ids: random.Random) -> str:
    surname = ids.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0][0]
    return surname + ids.choice(GIVEN_FIRST) + ids.choice(GIVEN_SECOND)


def _join(store: StorePlan, district: DistrictPlan, facts: random.Random, today: date) -> None:
    start = max(store.opened_on, district.designated_on)
    store.district = district.name
    store.joined_on = min(start + timedelta(days=facts.randint(0, 45)), today)


def _maybe_close(store: StorePlan, facts: random.Random, today: date) -> None:
    if facts.random() >= 0.03:
        return
    start = max(store.opened_on, store.joined_on or store.opened_on) + timedelta(days=30)
    start = max(start, CLOSURES_FROM)
    if start >= today - timedelta(days=1):
        return
    store.status = StoreStatus.CLOSED
    store.closed_on = start + timedelta(days=facts.randint(0, (today - start).days - 1))
    if store.district:
        store.left_on = store.closed_on


def _plan_affiliations(profile, stores, facts, today) -> None:
    """About 60% of stores become approved affiliates; a few applications wait, fail, or were
    struck off, so every state of SPEC 2.4 appears."""
    serials = dict.fromkeys(CertificateType.values, 0)
    for store in stores:
        restricted = store.ksic_code in RESTRICTED_CODES
        sales_ok = store.annual_sales is None or store.annual_sales <= DEFAULT_AFFILIATE_SALES_CAP
        zone_ok = bool(store.district) or store.in_traditional_market
        active = store.status == StoreStatus.ACTIVE
        if zone_ok and sales_ok and not restricted and facts.random() < 0.85:
            for kind in _certificate_types(facts):
                serials[kind] += 1
                store.affiliations.append(
                    _approved(profile, store, kind, serials[kind], facts, today)
                )
            struck = active and _maybe_strike_off(store, facts, today)
            missing = [t for t in CertificateType.values if t not in _types(store)]
            if active and not struck and missing and store.district and facts.random() < 0.05:
                store.affiliations.append(_applied(facts.choice(missing), facts, today))
        elif active and restricted and facts.random() < 0.06:
            plan = _applied(CertificateType.PAPER, facts, today, days=(60, 400))
            plan.status = AffiliateStatus.REJECTED
            plan.decided_on = plan.applied_on + timedelta(days=facts.randint(3, 14))
            plan.rejection_reason = f"제한 업종({store.business_type})은 가맹 대상이 아님"
            store.affiliations.append(plan)
        elif active and not zone_ok and facts.random() < 0.02:
            store.affiliations.append(_applied(CertificateType.PAPER, facts, today))


def _types(store: StorePlan) -> set[str]:
    return {a.certificate_type for a in store.affiliations}


def _certificate_types(facts: random.Random) -> list[str]:
    kinds = [
        kind
        for kind, chance in (
            (CertificateType.PAPER, 0.82),
            (CertificateType.CARD, 0.5),
            (CertificateType.MOBILE, 0.68),
        )
        if facts.random() < chance
    ]
    return kinds or [CertificateType.PAPER]


def _approved(profile, store, kind, serial, facts, today) -> AffiliationPlan:
    start = max(store.joined_on or store.opened_on, store.opened_on, AFFILIATION_EPOCH)
    end = (store.closed_on or today) - timedelta(days=1)
    approved_on = min(start + timedelta(days=facts.randint(7, 240)), end)
    approved_on = max(approved_on, start)
    bank, _weight, pattern = facts.choices(BANKS, weights=_BANK_WEIGHTS)[0]
    account = "".join(str(facts.randint(0, 9)) if c == "#" else c for c in pattern)
    plan = AffiliationPlan(
        certificate_type=kind,
        status=AffiliateStatus.APPROVED,
        applied_on=approved_on - timedelta(days=facts.randint(3, 21)),
        approved_on=approved_on,
        affiliate_number=f"{profile.code}{_TYPE_DIGIT[kind]}{serial:06d}",
        settlement=(bank, account, store.representative),
        decided_on=approved_on,
    )
    if store.status == StoreStatus.CLOSED:
        plan.status = AffiliateStatus.REVOKED
        plan.revoked_on = store.closed_on
        plan.strike_off_reason = StrikeOffReason.STORE_CLOSED
    return plan


STRIKE_OFF_NOTES = (
    (StrikeOffReason.MISUSE, "상품권 부당 환전(일명 깡) 적발, 지방중소벤처기업청 통보"),
    (StrikeOffReason.MISUSE, "실제 거래 없이 상품권을 받아 환전한 사실 확인"),
    (StrikeOffReason.OTHER, "가맹점주 요청에 의한 가맹 해지"),
)


def _maybe_strike_off(store: StorePlan, facts: random.Random, today: date) -> bool:
    """Strike a few affiliates off, every type at once, as an office does on misuse."""
    last = max(a.approved_on for a in store.affiliations)
    if facts.random() >= 0.005 or (today - last).days <= 40:
        return False
    revoked_on = last + timedelta(days=facts.randint(30, (today - last).days))
    reason, note = facts.choice(STRIKE_OFF_NOTES)
    for plan in store.affiliations:
        plan.status = AffiliateStatus.REVOKED
        plan.revoked_on = revoked_on
        plan.strike_off_reason, plan.strike_off_note = reason, note
    return True


def _applied(kind: str, facts: random.Random, today: date, days=(0, 40)) -> AffiliationPlan:
    return AffiliationPlan(
        certificate_type=kind,
        status=AffiliateStatus.APPLIED,
        applied_on=today - timedelta(days=facts.randint(*days)),
    )


# --- Writing a plan: bulk inserts of what is missing ----------------------------------------


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=SEOUL)


def office_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> dict:
    """Write the plan's rows that the office does not have yet; return how many were added."""
    return {
        "districts": districts_write(office, plan, clerk=clerk),
        "stores": stores_write(office, plan),
        "memberships": memberships_write(office, plan),
        "affiliations": affiliations_write(office, plan, clerk=clerk),
    }


def districts_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> int:
    existing = District.objects.filter(office=office)
    names = set(existing.values_list("name", flat=True))
    numbers = set(existing.exclude(designation_no=None).values_list("designation_no", flat=True))
    new = [d for d in plan.districts if d.name not in names and d.designation_no not in numbers]
    District.objects.bulk_create([_district(office, d, clerk) for d in new], batch_size=BATCH)
    ids = dict(existing.filter(name__in=[d.name for d in new]).values_list("name", "id"))
    dongs = dict(Dong.objects.filter(office=office).values_list("name", "id"))
    through = District.dongs.through
    through.objects.bulk_create(
        [through(district_id=ids[d.name], dong_id=dongs[n]) for d in new for n in d.dongs],
        batch_size=BATCH,
    )
    return len(new)


def _district(office: Office, plan: DistrictPlan, clerk: User | None) -> District:
    district = District(
        office=office,
        name=plan.name,
        status=plan.status,
        applied_on=plan.applied_on,
        designation_no=plan.designation_no,
        designated_on=plan.designated_on,
        rejection_reason=plan.rejection_reason,
        **plan.details,
    )
    decided_on = plan.designated_on or plan.decided_on
    if decided_on:
        district.decided_by = clerk
        district.decided_at = _at(decided_on)
    if plan.designated_on:
        issued = plan.designated_on + timedelta(days=plan.certificate_days)
        district.certificate_issued_at = _at(issued, 15)
    return district


def stores_write(office: Office, plan: OfficePlan) -> int:
    existing = set(Store.objects.filter(office=office).values_list("business_number", flat=True))
    dongs = dict(Dong.objects.filter(office=office).values_list("name", "id"))
    new = [
        Store(
            office=office,
            business_number=s.business_number,
            trade_name=s.trade_name,
            representative=s.representative,
            phone=s.phone,
            road_address=s.road_address,
            dong_id=dongs[s.dong],
            ksic_code=s.ksic_code,
            business_type=s.business_type,
            is_small_business=s.is_small_business,
            in_traditional_market=s.in_traditional_market,
            annual_sales=s.annual_sales,
            opened_on=s.opened_on,
            status=s.status,
            closed_on=s.closed_on,
        )
        for s in plan.stores
        if s.business_number not in existing
    ]
    Store.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _store_ids(office: Office) -> dict[str, int]:
    return dict(Store.objects.filter(office=office).values_list("business_number", "id"))


def memberships_write(office: Office, plan: OfficePlan) -> int:
    stores = _store_ids(office)
    districts = dict(
        District.objects.filter(office=office, status=DistrictStatus.DESIGNATED).values_list(
            "name", "id"
        )
    )
    members = set(
        Membership.objects.filter(store__office=office).values_list("store_id", flat=True)
    )
    new = [
        Membership(
            store_id=stores[s.business_number],
            district_id=districts[s.district],
            joined_on=s.joined_on,
            left_on=s.left_on,
        )
        for s in plan.stores
        if s.district in districts
        and s.business_number in stores
        and stores[s.business_number] not in members
    ]
    Membership.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def affiliations_write(office: Office, plan: OfficePlan, *, clerk: User | None = None) -> int:
    stores = _store_ids(office)
    registrations = AffiliateRegistration.objects.filter(store__office=office)
    have = set(registrations.values_list("store_id", "certificate_type"))
    numbers = set(
        AffiliateRegistration.objects.filter(affiliate_number__startswith=office.code).values_list(
            "certificate_type", "affiliate_number"
        )
    )
    new = [
        _registration(stores[s.business_number], a, clerk)
        for s in plan.stores
        if s.business_number in stores
        for a in s.affiliations
        if (stores[s.business_number], a.certificate_type) not in have
        and (a.certificate_type, a.affiliate_number) not in numbers
    ]
    AffiliateRegistration.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _registration(store_id: int, plan: AffiliationPlan, clerk: User | None):
    bank, account, holder = plan.settlement
    return AffiliateRegistration(
        store_id=store_id,
        certificate_type=plan.certificate_type,
        status=plan.status,
        applied_on=plan.applied_on,
        affiliate_number=plan.affiliate_number,
        approved_on=plan.approved_on,
        settlement_bank=bank,
        settlement_account=account,
        settlement_holder=holder,
        decided_by=clerk if plan.decided_on else None,
        decided_at=_at(plan.decided_on, 11) if plan.decided_on else None,
        rejection_reason=plan.rejection_reason,
        revoked_on=plan.revoked_on,
        strike_off_reason=plan.strike_off_reason,
        strike_off_note=plan.strike_off_note,
    )


# --- Steps: the registry's, and the hook other apps use -------------------------------------


@dataclass
class DemoContext:
    """What the steps share: the demo office, the day, the seed and the plan built once."""

    seed: int
    today: date
    password: str
    office: Office | None = None
    _plan: OfficePlan | None = None
    _password_hash: str | None = None

    @property
    def plan(self) -> OfficePlan:
        if self._plan is None:
            self._plan = office_plan(SEOGU_PROFILE, seed=self.seed, today=self.today)
        return self._plan

    @property
    def password_hash(self) -> str:
        if self._password_hash is None:  # hashing is slow: once for every demo user
            self._password_hash = make_password(self.password)
        return self._password_hash

    def clerk(self) -> User | None:
        return (
            User.objects.filter(office=self.office, groups__name=roles.CLERK).order_by("pk").first()
        )


DemoStep = Callable[[DemoContext], int]


@dataclass(frozen=True)
class _Registered:
    name: str
    label: str | Promise
    order: int
    run: DemoStep


_STEPS: dict[str, _Registered] = {}


def demo_step(name: str, *, label: str | Promise, order: int) -> Callable[[DemoStep], DemoStep]:
    """Register a step of `seed_demo`: a function of the context returning rows added.

    A step must add only what is missing (keyed on natural keys), so that running the demo
    again adds nothing.
    """

    def register(function: DemoStep) -> DemoStep:
        _STEPS[name] = _Registered(name, label, order, function)
        return function

    return register


def demo_steps() -> list[_Registered]:
    autodiscover_modules("demo")
    return sorted(_STEPS.values(), key=lambda s: (s.order, s.name))


def demo_password() -> str:
    return os.environ.get("DEMO_ADMIN_PASSWORD") or DEMO_PASSWORD


def seed_demo(*, seed: int = DEFAULT_SEED, today: date | None = None) -> list[tuple[str, int]]:
    """Run every demo step in one transaction; return each step's label and rows added."""
    ctx = DemoContext(seed=seed, today=today or local_today(), password=demo_password())
    with transaction.atomic():
        return [(str(step.label), step.run(ctx)) for step in demo_steps()]


@demo_step("office", label=_("office and dongs"), order=10)
def _office_step(ctx: DemoContext) -> int:
    office = Office.objects.filter(code=SEOGU_CODE).first()
    have = set(office.dongs.values_list("name", flat=True)) if office else set()
    missing = [n for n in SEOGU_DONGS if n not in have]
    if office is None:
        office = office_create_or_update(code=SEOGU_CODE, name=SEOGU_NAME, dongs=missing)
        # Seo-gu's ordinance (15 stores since 2024); set on a new office only, never over the
        # settings of an office someone already runs. No service edits the ordinance yet.
        Office.objects.filter(pk=office.pk).update(min_stores=SEOGU_PROFILE.min_stores)
        office.min_stores = SEOGU_PROFILE.min_stores
    elif missing:
        office = office_create_or_update(
            code=office.code, name=office.name, dongs=[*have, *missing]
        )
    ctx.office = office
    return len(missing)


DEMO_STAFF = (
    ("clerk", roles.CLERK, "박지현"),
    ("supervisor", roles.SUPERVISOR, "김성훈"),
    ("operator", roles.HOTLINE_OPERATOR, "이수민"),
    ("cashback", roles.CASHBACK_MANAGER, "정다은"),
    ("auditor", roles.AUDITOR, "최영호"),
)


@demo_step("staff", label=_("staff users"), order=20)
def _staff_step(ctx: DemoContext) -> int:
    if not Group.objects.filter(name__in=[role for _u, role, _n in DEMO_STAFF]).exists():
        roles.roles_sync()
    taken = set(User.objects.filter(username__in=[u for u, _r, _n in DEMO_STAFF]).values_list(
        "username", flat=True
    ))  # fmt: skip
    added = 0
    for username, role, full_name in DEMO_STAFF:
        if username in taken:
            continue
        user = User.objects.create(
            username=username,
            first_name=full_name,
            office=ctx.office,
            is_staff=True,
            password=ctx.password_hash,
        )
        user.groups.set(Group.objects.filter(name=role))
        added += 1
    return added


@demo_step("districts", label=_("districts"), order=30)
def _districts_step(ctx: DemoContext) -> int:
    return districts_write(ctx.office, ctx.plan, clerk=ctx.clerk())


@demo_step("stores", label=_("stores"), order=40)
def _stores_step(ctx: DemoContext) -> int:
    return stores_write(ctx.office, ctx.plan)


@demo_step("memberships", label=_("memberships"), order=50)
def _memberships_step(ctx: DemoContext) -> int:
    return memberships_write(ctx.office, ctx.plan)


@demo_step("affiliations", label=_("Onnuri registrations"), order=60)
def _affiliations_step(ctx: DemoContext) -> int:
    return affiliations_write(ctx.office, ctx.plan, clerk=ctx.clerk())


def demo_logins_ensure(password: str) -> tuple[User, list[User]]:
    """The `admin` superuser and the demo role users, all with `password` (demo only)."""
    hashed = make_password(password)
    admin, _created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin.is_staff = admin.is_superuser = admin.is_active = True
    admin.password = hashed
    admin.save()
    staff = list(
        User.objects.filter(
            username__in=[u for u, _r, _n in DEMO_STAFF], office__code=SEOGU_CODE
        ).select_related("office")
    )
    User.objects.filter(pk__in=[u.pk for u in staff]).update(password=hashed)
    order = {u: n for n, (u, _r, _f) in enumerate(DEMO_STAFF)}
    return admin, sorted(staff, key=lambda u: order[u.username])


# --- Merchant applications from the public form (SPEC 2.5) ---------------------------------

# trade name, representative, KSIC code ("" = described in words), business type, Onnuri types,
# status, whether the merchant knew the district.
DEMO_APPLICATIONS = (
    (
        "치평 손만두",
        "오미숙",
        "56194",
        "분식 및 김밥 전문점",
        ("card", "mobile"),
        "submitted",
        True,
    ),
    ("상무 꽃방", "정하늘", "47851", "화초 및 산식물 소매업", ("mobile",), "submitted", False),
    ("풍암 수제청", "한지우", "", "수제 과일청 판매", ("card",), "submitted", True),
    ("광천 커피랩", "유가온", "56221", "커피 전문점", ("card", "mobile"), "submitted", True),
    ("금호 세탁", "이도윤", "96912", "가정용 세탁업", ("paper", "card"), "in_review", True),
    ("양동 건어물", "배순자", "47214", "수산물 소매업", ("paper",), "in_review", True),
    ("화정 네일", "문서연", "96119", "기타 미용업", ("mobile",), "changes_requested", True),
    (
        "농성 방앗간",
        "권태식",
        "10711",
        "떡류 제조업",
        ("paper", "card"),
        "changes_requested",
        False,
    ),
)
DEMO_CHANGE_REQUEST = (
    "사업자등록증 사진이 흐려 상호를 확인할 수 없습니다. 선명한 사진을 다시 올려 주세요."
)
# A one-page PDF standing in for a scanned business registration certificate.
DEMO_CERTIFICATE = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@demo_step("merchant_applications", label=_("merchant applications"), order=70)
def _merchant_applications_step(ctx: DemoContext) -> int:
    """A handful of self-registrations waiting in the clerks' queue, some in review and some
    waiting for the merchant's corrections. Tracking numbers and phones come from the seed, so
    every demo built with it can be looked up on the status page with the same values."""
    # Imported here so that this step stays one block at the end of the module.
    from django.core.files.base import ContentFile

    from registry.models import MerchantApplication
    from registry.rules import TRACKING_ALPHABET, TRACKING_LENGTH
    from registry.services import (
        application_request_changes,
        application_review_start,
        application_submit,
    )

    ids = random.Random(f"golmok-demo:{ctx.seed}:{ctx.office.code}:applications")
    districts = list(
        District.objects.filter(office=ctx.office, status=DistrictStatus.DESIGNATED)
        .prefetch_related("dongs")
        .order_by("name")
    )
    if not districts:
        return 0
    clerk = ctx.clerk()
    added = 0
    for trade_name, person, ksic, kind, types, status, knows in DEMO_APPLICATIONS:
        # Every draw comes before the check below, so a second run draws the same values. Tax
        # office 415 is one the store generator never uses: no clash with the demo's stores.
        number = brn_complete(f"415{ids.randint(10, 89):02d}{ids.randint(0, 9999):04d}")
        tracking = "".join(ids.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        phone = f"010{ids.randint(2000, 9999)}{ids.randint(0, 9999):04d}"
        district = ids.choice(districts)
        days_ago, road_pick, building = ids.randint(1, 12), ids.randrange(12), ids.randint(1, 120)
        if (
            MerchantApplication.objects.filter(office=ctx.office, business_number=number).exists()
            or Store.objects.filter(office=ctx.office, business_number=number).exists()
        ):
            continue
        dong = district.dongs.all()[0] if district.dongs.all() else None
        roads = _DONG_ROADS.get(dong.name if dong else "", ("상무대로",))
        address = f"광주광역시 서구 {roads[road_pick % len(roads)]} {building}"
        application = application_submit(
            office=ctx.office,
            business_number=number,
            trade_name=trade_name,
            representative=person,
            phone=phone,
            road_address=address,
            dong=dong if knows else None,
            district=district if knows else None,
            ksic_code=ksic,
            business_type=kind,
            certificate_types=list(types),
            document=ContentFile(DEMO_CERTIFICATE, name="사업자등록증.pdf"),
            consent=True,
            notify_merchant=False,
        )
        sent = datetime.combine(ctx.today - timedelta(days=days_ago), time(10), tzinfo=SEOUL)
        MerchantApplication.objects.filter(pk=application.pk).update(
            tracking_number=tracking, submitted_at=sent, consented_at=sent
        )
        if status in ("in_review", "changes_requested"):
            application_review_start(application=application, user=clerk)
        if status == "changes_requested":
            application_request_changes(
                application=application,
                user=clerk,
                message=DEMO_CHANGE_REQUEST,
                notify_merchant=False,
            )
        added += 1
    return added


_DONG_ROADS = {d.name: d.roads for d in SEOGU_PROFILE.dongs}
