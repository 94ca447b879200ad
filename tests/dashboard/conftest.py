"""Two offices with something of everything the dashboard counts, in different amounts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cashback.choices import PayoutStatus
from cashback.models import PayoutBatch
from registry import services as registry_services
from registry.choices import DistrictStatus, StoreStatus
from tests.cashback.factories import CampaignFactory
from tests.hotline.conftest import intake
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)
from tests.registry.test_application_support import place, submit

ROLES = ["clerk", "supervisor", "hotline_operator", "cashback_manager", "auditor"]


def populate(office, size: int):
    """`size` sets how many of each: the two offices differ, so a leak between them shows."""
    clerk = UserFactory(office=office, roles=["clerk"])
    operator = UserFactory(office=office, roles=["hotline_operator"])
    dongs = [DongFactory(office=office) for _ in range(2)]
    # With the district `place` adds for the applications, `size + 1` are designated.
    designated = [
        DesignatedDistrictFactory(office=office, dongs=[dongs[i % 2]]) for i in range(size)
    ]
    designated[0].certificate_issued_at = timezone.now()
    designated[0].save()
    for i in range(size):
        DistrictFactory(office=office, applied_on=date.today() - timedelta(days=30 * (i % 2)))
    DistrictFactory(office=office, status=DistrictStatus.REJECTED, rejection_reason="미달")
    for i in range(size * 3):
        store = StoreFactory(office=office, dong=dongs[i % 2], ksic_code=f"5611{i % 3}")
        if i % 2:
            MembershipFactory(store=store, district=designated[i % size])
        if i % 3 == 0:
            ApprovedAffiliateFactory(store=store, certificate_type="card")
        elif i % 3 == 1:
            ApprovedAffiliateFactory(store=store, certificate_type="paper")
        if i % 5 == 0:
            AffiliateRegistrationFactory(store=store, certificate_type="mobile")
    StoreFactory(
        office=office, status=StoreStatus.CLOSED, closed_on=date(2026, 1, 1), dong=dongs[0]
    )
    p = place(office)
    applications = [submit(p) for _ in range(size + 1)]
    registry_services.application_review_start(application=applications[0], user=clerk)
    registry_services.application_request_changes(
        application=applications[1], user=clerk, message="사진을 다시 보내 주십시오."
    )
    long_ago = timezone.now() - timedelta(days=20)
    for i in range(size):
        intake(office, operator, at=long_ago, assignee=operator if i % 2 else None)
    intake(office, operator, at=timezone.now(), assignee=operator)
    campaign = CampaignFactory(office=office)
    PayoutBatch.objects.create(
        week=campaign.weeks.get(),
        status=PayoutStatus.EXPORTED,
        created_by=clerk,
        exported_at=timezone.now(),
    )
    return {"clerk": clerk, "operator": operator}


@pytest.fixture
def offices(db):
    seogu = OfficeFactory(code="29140", name="광주광역시 서구")
    donggu = OfficeFactory(code="29110", name="광주광역시 동구")
    return {"seogu": (seogu, populate(seogu, 4)), "donggu": (donggu, populate(donggu, 2))}


def role_user(office, role):
    return UserFactory(office=office, roles=[role])
