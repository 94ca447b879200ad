"""The whole API under generated input: no 5xx, and every answer conforms to the OpenAPI schema.

Schemathesis reads drf-spectacular's schema (`/api/schema/`) and sends each operation examples
drawn from it (valid and invalid bodies, query parameters and path values), as a staff user who
holds every office role and as a superuser, through the WSGI application in the test's own
transaction. It checks that no answer is a server error and that each answer's status code,
content type and body are the ones the schema documents.

Kept fast for every run (about 45 s for the 86 operation-user pairs): five examples per
operation, its examples and fuzzing phases only (the coverage phase sends hundreds of requests
per operation), derandomised with a fixed seed so that CI sees the same requests every run. A
wider run, to look for more, is the same test with `max_examples` raised and the coverage phase
on; the 500s it found each have a focused regression test beside the code they concern.
"""

from datetime import date, datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks
from schemathesis.config import SchemathesisConfig

from cashback import services as cashback
from cashback.services import PaymentInput, WeekOverride
from core.clock import SEOUL
from hotline import services as hotline
from programmes import services as programmes
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)

EVERY_ROLE = ["clerk", "supervisor", "hotline_operator", "cashback_manager", "payment_operator"]


def _office_data(office, user):
    dong = DongFactory(office=office, name="치평동")
    district = DesignatedDistrictFactory(office=office, name="치평 먹자골목", dongs=[dong])
    DistrictFactory(office=office, name="상무 골목", dongs=[dong])
    store = StoreFactory(office=office, business_number="2208162517", dong=dong)
    MembershipFactory(store=store, district=district, joined_on=None)
    for kind in ("card", "mobile"):
        ApprovedAffiliateFactory(store=store, certificate_type=kind, approved_on=None)
    campaign = cashback.campaign_create(
        office=office,
        user=user,
        code="alleypay-2026",
        name="2026 골목페이 캐시백",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 4, 2),
        weekly_budget=100_000_000,
        week_overrides=[WeekOverride(5, budget=200_000_000), WeekOverride(6, budget=200_000_000)],
        total_budget=1_400_000_000,
    )
    cashback.payment_record(
        campaign=campaign,
        data=PaymentInput(
            ref="T-1",
            customer="c-77",
            business_number=store.business_number,
            amount=57_300,
            method="mobile",
            paid_at=datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL),
        ),
    )
    relief = programmes.programme_create(
        office=office,
        fields={
            "code": "relief-2026",
            "name": "소상공인 부담경감 크레딧",
            "kind": "entitlement",
            "opens_at": datetime(2026, 7, 14, 9, tzinfo=SEOUL),
            "closes_at": datetime(2026, 12, 31, 18, tzinfo=SEOUL),
            "budget": 10_000_000,
            "amount": 500_000,
        },
        actor=user,
    )
    programmes.application_submit(
        programme=relief,
        data=programmes.ApplicationInput(
            business_number=store.business_number,
            annual_sales=120_000_000,
            submitted_at=datetime(2026, 8, 1, 10, tzinfo=SEOUL),
        ),
        actor=user,
    )
    at = datetime(2026, 3, 9, 10, tzinfo=SEOUL)
    hotline.case_intake(
        office=office,
        user=user,
        channel="phone",
        caller_type="merchant",
        category="cashback",
        description="캐시백이 적립되지 않았다는 문의",
        priority="normal",
        received_at=at,
        at=at,
    )


@pytest.fixture(autouse=True)
def _connection_kept():
    """Requests run inside the test's transaction, as Django's test client runs them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["staff", "superuser"])
def api_token(request, db):
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    staff = UserFactory(username="fuzz-staff", office=office, roles=EVERY_ROLE)
    _office_data(office, staff)
    if request.param == "staff":
        user = staff
    else:
        user = UserFactory(username="fuzz-root", office=None, is_superuser=True)
    return Token.objects.create(user=user).key


# Collected at import: the schema is read once per test process, without the database.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 119,
        "generation": {"deterministic": True, "database": "none"},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_server_error_and_every_answer_matches_the_schema(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Token {api_token}"}, checks=CHECKS)
