"""Defaults taken from the law, the certificate rules and Seo-gu's ordinance."""

DEFAULT_MAX_AREA_M2 = 2_000
DEFAULT_MIN_STORES = 30
DEFAULT_AFFILIATE_SALES_CAP = 3_000_000_000
DEFAULT_REREGISTRATION_BAN_MONTHS = 3
CERTIFICATE_DUE_DAYS = 14

# Seo-gu, Gwangju: the office the demo and the README use.
SEOGU_CODE = "29140"
SEOGU_NAME = "광주광역시 서구"
SEOGU_DONGS = (
    "양동",
    "양3동",
    "농성1동",
    "농성2동",
    "광천동",
    "유덕동",
    "치평동",
    "상무1동",
    "상무2동",
    "화정1동",
    "화정2동",
    "화정3동",
    "화정4동",
    "서창동",
    "금호1동",
    "금호2동",
    "풍암동",
    "동천동",
)

# Business types the Onnuri certificate rules keep out, by KSIC (10th revision) code: adult
# entertainment, gambling and betting, real estate rental, development and brokerage, and
# financial and insurance services. Offices edit their own copy (the rules name 28 types in all);
# this is what a new office starts with.
DEFAULT_RESTRICTED_BUSINESS_TYPES = (
    ("56211", "일반 유흥 주점업"),
    ("56212", "무도 유흥 주점업"),
    ("91291", "무도장 운영업"),
    ("91241", "복권 발행 및 판매업"),
    ("91249", "기타 갬블링 및 베팅업"),
    ("68111", "주거용 건물 임대업"),
    ("68112", "비주거용 건물 임대업"),
    ("68119", "기타 부동산 임대업"),
    ("68121", "주거용 건물 개발 및 공급업"),
    ("68122", "비주거용 건물 개발 및 공급업"),
    ("68129", "기타 부동산 개발 및 공급업"),
    ("68221", "부동산 중개 및 대리업"),
    ("68222", "부동산 투자 자문업"),
    ("68223", "부동산 감정 평가업"),
    ("64121", "국내 은행"),
    ("64122", "외국 은행"),
    ("64131", "신용 조합"),
    ("64132", "상호저축은행 및 기타 저축기관"),
    ("64911", "금융 리스업"),
    ("64913", "신용카드 및 할부 금융업"),
    ("64919", "그 외 기타 여신 금융업"),
    ("65110", "생명 보험업"),
    ("65121", "손해 보험업"),
    ("65122", "보증 보험업"),
    ("66121", "손해 사정업"),
    ("66122", "보험 대리 및 중개업"),
    ("66129", "기타 보험 및 연금 관련 서비스업"),
)
