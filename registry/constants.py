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
    "양동", "양3동", "농성1동", "농성2동", "광천동", "유덕동", "치평동", "상무1동", "상무2동",
    "화정1동", "화정2동", "화정3동", "화정4동", "서창동", "금호1동", "금호2동", "풍암동", "동천동",
)  # fmt: skip

# Business types the Onnuri certificate rules keep out, by KSIC (10th revision) code.
# Offices edit their own copy; this is what a new office starts with.
DEFAULT_RESTRICTED_BUSINESS_TYPES = (
    ("56211", "일반유흥 주점업"),
    ("56212", "무도유흥 주점업"),
    ("91291", "무도장 운영업"),
    ("91241", "복권 발행 및 판매업"),
    ("91249", "기타 갬블링 및 베팅업"),
    ("91242", "전자 게임장 운영업(사행성)"),
    ("68111", "주거용 건물 임대업"),
    ("68112", "비주거용 건물 임대업"),
    ("68119", "기타 부동산 임대업"),
    ("68221", "부동산 중개 및 대리업"),
    ("64121", "국내은행"),
    ("64911", "금융 리스업"),
    ("64921", "신용카드 및 할부 금융업"),
    ("64992", "기타 대부업"),
    ("65110", "생명 보험업"),
    ("65121", "손해 보험업"),
    ("66121", "손해사정업"),
    ("66199", "기타 금융 지원 서비스업"),
    ("47811", "담배 소매업(전자상거래 제외)"),
    ("46331", "담배 도매업"),
    ("75210", "여행사업"),
    ("47912", "전자상거래 소매업"),
    ("56219", "기타 주점업(유흥)"),
    ("91210", "골프장 운영업"),
    ("91231", "스키장 운영업"),
    ("96991", "점술 및 유사 서비스업"),
    ("91221", "무도장·카지노 운영업"),
    ("47720", "의약품 및 의료용품 소매업(약국 외)"),
)
