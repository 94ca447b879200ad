from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registry import services
from registry.choices import DistrictStatus, RevocationGround
from registry.models import District
from tests.registry.factories import (
    DesignatedDistrictFactory,
    DistrictFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db


def test_an_application_is_filed_as_applied_with_todays_date(office, dong, clerk):
    district = services.district_apply(
        office=office,
        user=clerk,
        name="치평동 먹자골목",
        dongs=[dong],
        area_m2=1500,
        store_count=30,
        small_business_store_count=25,
        association_name="먹자골목 상인회",
        representative="김대표",
        merchant_count=30,
        consenting_merchants=20,
    )
    assert district.status == DistrictStatus.APPLIED
    assert district.applied_on is not None
    assert list(district.dongs.all()) == [dong]
    assert district.history.first().history_user == clerk


def test_a_name_already_used_in_the_office_is_refused(office, clerk):
    DistrictFactory(office=office, name="풍암 카페거리")
    with pytest.raises(ValidationError):
        services.district_apply(office=office, user=clerk, name="풍암 카페거리")
    assert District.objects.count() == 1


def test_dongs_of_another_office_are_refused(office, other_office, clerk):
    from tests.registry.factories import DongFactory

    with pytest.raises(ValidationError) as exc:
        services.district_apply(
            office=office, user=clerk, name="골목", dongs=[DongFactory(office=other_office)]
        )
    assert "dongs" in exc.value.error_dict
    assert not District.objects.exists()


def test_designation_records_number_date_and_who_decided(office, clerk):
    district = DistrictFactory(office=office)
    services.district_designate(
        district=district,
        user=clerk,
        designation_no="서구-2026-001",
        designated_on=date(2026, 1, 20),
    )
    district.refresh_from_db()
    assert district.status == DistrictStatus.DESIGNATED
    assert district.designation_no == "서구-2026-001"
    assert district.designated_on == date(2026, 1, 20)
    assert district.decided_by == clerk
    assert district.decided_at is not None
    assert district.override_reason == ""


def test_designation_needs_a_number(office, clerk):
    district = DistrictFactory(office=office)
    with pytest.raises(ValidationError) as exc:
        services.district_designate(district=district, user=clerk, designation_no="  ")
    assert "designation_no" in exc.value.error_dict
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED


def test_a_designation_number_is_unique_within_the_office(office, other_office, clerk):
    DesignatedDistrictFactory(office=office, designation_no="서구-2026-001")
    DesignatedDistrictFactory(office=other_office, designation_no="서구-2026-002")
    district = DistrictFactory(office=office)
    with pytest.raises(ValidationError) as exc:
        services.district_designate(district=district, user=clerk, designation_no="서구-2026-001")
    assert exc.value.error_dict["designation_no"][0].code == "duplicate_designation_no"
    # Another office's numbers do not clash.
    services.district_designate(district=district, user=clerk, designation_no="서구-2026-002")


def test_failed_criteria_block_designation_without_a_written_reason(office, clerk):
    district = DistrictFactory(office=office, small_business_store_count=3)
    with pytest.raises(ValidationError) as exc:
        services.district_designate(district=district, user=clerk, designation_no="서구-2026-009")
    assert exc.value.error_dict["override_reason"][0].code == "criteria_not_met"
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED
    assert district.designation_no is None


def test_a_written_reason_lets_the_clerk_designate_anyway_and_history_keeps_it(office, clerk):
    district = DistrictFactory(office=office, small_business_store_count=3)
    services.district_designate(
        district=district,
        user=clerk,
        designation_no="서구-2026-009",
        override_reason="전통시장 인접 특례",
    )
    district.refresh_from_db()
    assert district.status == DistrictStatus.DESIGNATED
    assert district.override_reason == "전통시장 인접 특례"
    assert "전통시장 인접 특례" in district.history.first().history_change_reason


@pytest.mark.parametrize(
    "status", [DistrictStatus.DESIGNATED, DistrictStatus.REJECTED, DistrictStatus.REVOKED]
)
def test_only_applications_can_be_designated(office, clerk, status):
    district = DesignatedDistrictFactory(
        office=office,
        status=status,
        revoked_on=date(2026, 1, 1) if status == DistrictStatus.REVOKED else None,
        revocation_ground=RevocationGround.FALSEHOOD if status == DistrictStatus.REVOKED else "",
    )
    with pytest.raises(ValidationError) as exc:
        services.district_designate(district=district, user=clerk, designation_no="X-1")
    assert exc.value.code == "invalid_transition"


def test_rejection_needs_a_reason_and_ends_the_application(office, clerk):
    district = DistrictFactory(office=office)
    with pytest.raises(ValidationError):
        services.district_reject(district=district, user=clerk, reason=" ")
    services.district_reject(district=district, user=clerk, reason="상인회 미구성")
    district.refresh_from_db()
    assert district.status == DistrictStatus.REJECTED
    assert district.rejection_reason == "상인회 미구성"
    with pytest.raises(ValidationError):
        services.district_designate(district=district, user=clerk, designation_no="X-2")


def test_revocation_ends_current_memberships_on_the_revocation_date(office, clerk):
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 1, 1))
    membership = MembershipFactory(store=StoreFactory(office=office), district=district)
    services.district_revoke(
        district=district,
        user=clerk,
        ground=RevocationGround.TRADING_STOPPED,
        reason="1년 이상 영업 중단",
        revoked_on=date(2026, 2, 1),
    )
    district.refresh_from_db()
    membership.refresh_from_db()
    assert district.status == DistrictStatus.REVOKED
    assert district.revoked_on == date(2026, 2, 1)
    assert membership.left_on == date(2026, 2, 1)


def test_revocation_needs_a_ground_of_the_law(office, clerk):
    district = DesignatedDistrictFactory(office=office)
    with pytest.raises(ValidationError) as exc:
        services.district_revoke(district=district, user=clerk, ground="whim")
    assert "revocation_ground" in exc.value.error_dict


def test_revocation_cannot_predate_designation(office, clerk):
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    with pytest.raises(ValidationError):
        services.district_revoke(
            district=district,
            user=clerk,
            ground=RevocationGround.FALSEHOOD,
            revoked_on=date(2025, 5, 31),
        )


def test_applications_cannot_be_revoked(office, clerk):
    with pytest.raises(ValidationError):
        services.district_revoke(
            district=DistrictFactory(office=office),
            user=clerk,
            ground=RevocationGround.FALSEHOOD,
        )


def test_the_certificate_is_issued_once(office, clerk):
    district = DesignatedDistrictFactory(office=office)
    first = services.district_certificate_issue(district=district, user=clerk).certificate_issued_at
    again = services.district_certificate_issue(district=district, user=clerk).certificate_issued_at
    assert first is not None and first == again


def test_an_application_cannot_have_a_certificate(office, clerk):
    with pytest.raises(ValidationError):
        services.district_certificate_issue(district=DistrictFactory(office=office), user=clerk)


def test_a_designated_district_keeps_its_decision_fields_closed_to_edits(office, clerk):
    district = DesignatedDistrictFactory(office=office)
    services.district_update(district=district, user=clerk, store_count=55)
    with pytest.raises(ValidationError) as exc:
        services.district_update(district=district, user=clerk, area_m2=99)
    assert exc.value.code == "not_changeable"
    district.refresh_from_db()
    assert district.store_count == 55


def test_overdue_applications_are_those_past_fourteen_days(office):
    from registry.selectors import districts_overdue

    due_today = DistrictFactory(office=office, applied_on=date(2026, 1, 1))
    late = DistrictFactory(office=office, applied_on=date(2025, 12, 31))
    DesignatedDistrictFactory(office=office, applied_on=date(2025, 1, 1))
    overdue = districts_overdue(District.objects.all(), today=date(2026, 1, 15))
    assert list(overdue) == [late]
    assert due_today not in overdue
