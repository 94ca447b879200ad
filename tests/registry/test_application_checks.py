"""What a clerk reads before deciding (SPEC 2.5): eligibility and duplicate checks as pass/fail
lines, and where a business number stands in the office."""

from datetime import timedelta

import pytest

from core.clock import local_today
from registry import services
from registry.models import ApplicationDocument
from registry.selectors import application_checks, business_number_standing
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
)
from tests.registry.test_application_support import place, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(office):
    return place(office)


def lines(application) -> dict[str, bool]:
    return {line.rule: line.passed for line in application_checks(application)}


def test_a_complete_application_for_a_new_store_passes_every_check(p):
    checks = lines(submit(p))

    assert checks == {
        "business_number": True,
        "duplicate_application": True,
        "store_record": True,
        "district": True,
        "dong": True,
        "classification": True,
        "document": True,
        "zone": True,
        "business_type": True,
        "annual_sales": True,
        "reregistration_ban": True,
    }


def test_what_the_merchant_did_not_know_fails_until_the_clerk_sets_it(p):
    checks = lines(submit(p, dong=None, district=None, ksic_code="", business_type="공방"))

    assert checks["district"] is False
    assert checks["dong"] is False
    assert checks["classification"] is False
    assert checks["zone"] is False
    assert "business_type" not in checks


def test_without_onnuri_types_no_affiliate_rule_is_shown(p):
    checks = lines(submit(p, certificate_types=[]))

    assert not {"zone", "business_type", "annual_sales", "reregistration_ban"} & set(checks)


def test_a_restricted_business_type_fails_its_line(p):
    from registry.services import office_restricted_types_reset

    office_restricted_types_reset(office=p.office)
    checks = lines(submit(p, ksic_code="56211", business_type="일반 유흥 주점업"))

    assert checks["business_type"] is False


def test_a_recent_strike_off_fails_the_reregistration_ban(p):
    store = StoreFactory(office=p.office, dong=p.dong)
    struck = ApprovedAffiliateFactory(store=store, certificate_type="paper")
    MembershipFactory(store=store, district=DesignatedDistrictFactory(office=p.office))
    services.affiliate_strike_off(
        registration=struck, user=None, reason="misuse", revoked_on=local_today() - timedelta(30)
    )
    checks = lines(submit(p, business_number=store.business_number))

    assert checks["reregistration_ban"] is False
    assert checks["store_record"] is True


def test_a_known_store_is_updated_and_its_move_and_held_types_are_named(p):
    elsewhere = DesignatedDistrictFactory(office=p.office, name="풍암 카페거리")
    store = StoreFactory(office=p.office, dong=p.dong, trade_name="기존 가게")
    MembershipFactory(store=store, district=elsewhere)
    AffiliateRegistrationFactory(store=store, certificate_type="card")
    application = submit(p, business_number=store.business_number)

    messages = {line.rule: line.message for line in application_checks(application)}
    assert "기존 가게" in messages["store_record"]
    assert "풍암 카페거리" in messages["membership"] and "치평 먹자골목" in messages["membership"]
    assert "affiliate_held" in messages


def test_a_missing_certificate_fails_its_line(p):
    application = submit(p)
    ApplicationDocument.objects.filter(application=application).delete()

    assert lines(application)["document"] is False


def test_earlier_decided_applications_are_counted_not_failed(p, clerk):
    first = submit(p)
    services.application_reject(application=first, user=clerk, message="서류 미비")
    second = submit(p, business_number=first.business_number)

    line = next(c for c in application_checks(second) if c.rule == "duplicate_application")
    assert line.passed and "1" in line.message


def test_the_checks_read_a_bounded_number_of_queries(p, django_assert_max_num_queries):
    application = submit(p)
    with django_assert_max_num_queries(10):
        application_checks(application)


def test_a_number_stands_new_registered_closed_or_pending(p, clerk):
    registered = StoreFactory(office=p.office, dong=p.dong)
    MembershipFactory(store=registered, district=p.district)
    AffiliateRegistrationFactory(store=registered, certificate_type="mobile")
    closed = StoreFactory(office=p.office, dong=p.dong)
    services.store_close(store=closed, user=clerk)
    pending = submit(p)

    assert business_number_standing(p.office, "2208162517").status == "new"
    standing = business_number_standing(p.office, registered.business_number)
    assert (standing.status, standing.district_id, standing.live_types) == (
        "registered",
        p.district.pk,
        frozenset({"mobile"}),
    )
    assert business_number_standing(p.office, closed.business_number).status == "closed"
    assert business_number_standing(p.office, pending.business_number).status == "pending"


def test_a_number_known_to_another_office_is_new_here(p, other_office):
    from tests.registry.factories import DongFactory

    elsewhere = StoreFactory(office=other_office, dong=DongFactory(office=other_office))
    assert business_number_standing(p.office, elsewhere.business_number).status == "new"
