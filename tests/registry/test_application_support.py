"""Helpers the merchant-application tests share (this module holds no tests itself)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import services
from registry.models import District, Dong, Office
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, next_brn

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\xa5"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + (b"\xff\xd9")
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(
    content: bytes = PDF, name: str = "certificate.pdf", content_type: str = ""
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type or "application/pdf")


@dataclass
class Place:
    """An office with two dongs and a designated district in the first."""

    office: Office
    dong: Dong
    other_dong: Dong
    district: District


def place(office: Office) -> Place:
    dong = DongFactory(office=office, name="치평동")
    other_dong = DongFactory(office=office, name="풍암동")
    district = DesignatedDistrictFactory(office=office, name="치평 먹자골목", dongs=[dong])
    return Place(office=office, dong=dong, other_dong=other_dong, district=district)


def details(p: Place, **overrides) -> dict:
    """What a merchant sends, as `application_submit` takes it."""
    values = {
        "office": p.office,
        "business_number": next_brn(),
        "trade_name": "치평 국밥",
        "representative": "김상인",
        "phone": "010-1234-5678",
        "road_address": "광주광역시 서구 상무중앙로 10",
        "dong": p.dong,
        "district": p.district,
        "ksic_code": "56111",
        "business_type": "한식 일반 음식점업",
        "certificate_types": ["card", "mobile"],
        "email": "",
        "document": upload(),
        "consent": True,
        "notify_merchant": False,
    }
    values.update(overrides)
    return values


def submit(p: Place, **overrides):
    return services.application_submit(**details(p, **overrides))


def form_data(p: Place, **overrides) -> dict:
    """What the public form posts (without the file)."""
    from registry.public.forms import form_stamp

    values = {
        "business_number": overrides.pop("business_number", None) or _hyphenated(next_brn()),
        "trade_name": "치평 국밥",
        "representative": "김상인",
        "business_kind": "56111",
        "business_type_other": "",
        "road_address": "광주광역시 서구 상무중앙로 10",
        "dong": str(p.dong.pk),
        "district": str(p.district.pk),
        "certificate_types": ["card", "mobile"],
        "phone": "010 1234 5678",
        "email": "",
        "consent": "on",
        "website": "",
        "started": form_stamp(),
        "submission_key": "",
    }
    values.update(overrides)
    return values


def _hyphenated(digits: str) -> str:
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def throttles_cleared() -> None:
    """The rate limits count in the cache, which outlives a test: start each test clean."""
    cache.clear()
