"""Merchant applications from the public form (SPEC 2.5) for the demo: a handful waiting in the
clerks' queue."""

import random
from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from core.clock import SEOUL
from core.demo import DemoContext, demo_step
from core.numbers import brn_complete
from registry.choices import DistrictStatus
from registry.demo.profile import SEOGU_PROFILE
from registry.demo.steps import demo_clerk
from registry.models import District, MerchantApplication, Store
from registry.rules import TRACKING_ALPHABET, TRACKING_LENGTH
from registry.services import (
    application_request_changes,
    application_review_start,
    application_submit,
)

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

_DONG_ROADS = {d.name: d.roads for d in SEOGU_PROFILE.dongs}


@demo_step("merchant_applications", label=_("merchant applications"), order=70)
def merchant_applications_step(ctx: DemoContext) -> int:
    """A handful of self-registrations waiting in the clerks' queue, some in review and some
    waiting for the merchant's corrections. Tracking numbers and phones come from the seed, so
    every demo built with it can be looked up on the status page with the same values."""
    ids = random.Random(f"golmok-demo:{ctx.seed}:{ctx.office.code}:applications")
    districts = list(
        District.objects.filter(office=ctx.office, status=DistrictStatus.DESIGNATED)
        .prefetch_related("dongs")
        .order_by("name")
    )
    if not districts:
        return 0
    clerk = demo_clerk(ctx.office)
    added = 0
    for trade_name, person, ksic, kind, types, status, knows in DEMO_APPLICATIONS:
        # Every draw comes before the check below, so a second run draws the same values. Tax
        # office 415 is one the store generator never uses: no clash with the demo's stores.
        number = brn_complete(f"415{ids.randint(10, 89):02d}{ids.randint(1, 9999):04d}")
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
