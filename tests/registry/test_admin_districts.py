"""The district admin: applications, criteria lines, decisions through the services."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.clock import local_today
from registry.choices import DistrictStatus, RevocationGround
from registry.models import District, DistrictAttachment
from tests.registry.factories import (
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:registry_district_changelist"


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def failing(office):
    """An application with too few small-business stores for the office's minimum of 15."""
    return DistrictFactory(office=office, name="작은골목", small_business_store_count=3)


def url(name, district):
    return reverse(f"admin:registry_district_{name}", args=[district.pk])


def management(prefix="attachments", total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


APPLICATION = {
    "name": "상무 먹자골목",
    "location": "상무대로 일대",
    "applied_on": "2026-02-02",
    "area_m2": "1800",
    "excluded_area_m2": "300",
    "store_count": "40",
    "small_business_store_count": "32",
    "association_name": "상무 먹자골목 상인회",
    "representative": "박대표",
    "association_phone": "0623001234",
    "applied_by_representative": "on",
    "merchant_count": "40",
    "consenting_merchants": "25",
    "owner_count": "0",
    "consenting_owners": "0",
}


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_members_counted_area_and_the_overdue_flag(logged_in, office, dong):
    district = DesignatedDistrictFactory(office=office, name="풍암 카페거리", dongs=[dong])
    MembershipFactory.create_batch(3, store__office=office, district=district)
    MembershipFactory(store__office=office, district=district, left_on=date(2025, 12, 1))
    DistrictFactory(office=office, name="늦은 신청", applied_on=local_today() - timedelta(days=20))
    DistrictFactory(office=office, name="새 신청", applied_on=local_today())
    response = logged_in.get(reverse(CHANGELIST))
    assert response.status_code == 200
    rows = {obj.name: obj for obj in response.context["cl"].result_list}
    assert rows["풍암 카페거리"].current_members == 3
    admin = response.context["cl"].model_admin
    assert admin.overdue(rows["새 신청"]) == "-"
    assert admin.counted_area(rows["풍암 카페거리"]) == "1,600"
    assert admin.dong_names(rows["풍암 카페거리"]) == dong.name


def test_an_overdue_application_is_marked_in_red_words_not_with_a_green_tick(logged_in, office):
    """The admin's boolean icon showed a green tick on the late application: inverted."""
    DistrictFactory(office=office, name="늦은 신청", applied_on=local_today() - timedelta(days=20))
    DistrictFactory(office=office, name="새 신청", applied_on=local_today())
    html = logged_in.get(reverse(CHANGELIST)).content.decode()
    late_row = next(row for row in html.split("<tr")[1:] if "늦은 신청" in row)
    fresh_row = next(row for row in html.split("<tr")[1:] if "새 신청" in row)
    assert '<span class="golmok-overdue golmok-badge">기한 초과</span>' in late_row
    assert "기한 초과" not in fresh_row
    assert "icon-yes" not in late_row and "icon-no" not in fresh_row


def test_the_overdue_filter_keeps_only_open_applications_past_their_due_date(logged_in, office):
    DistrictFactory(office=office, name="늦은 신청", applied_on=local_today() - timedelta(days=15))
    DistrictFactory(office=office, name="제때 신청", applied_on=local_today() - timedelta(days=14))
    DesignatedDistrictFactory(office=office, name="지정됨", applied_on=date(2020, 1, 1))
    response = logged_in.get(reverse(CHANGELIST), {"overdue": "yes"})
    assert [d.name for d in response.context["cl"].result_list] == ["늦은 신청"]
    response = logged_in.get(reverse(CHANGELIST), {"overdue": "no"})
    assert {d.name for d in response.context["cl"].result_list} == {"제때 신청", "지정됨"}


def test_search_finds_districts_by_designation_number(logged_in, office):
    DesignatedDistrictFactory(office=office, name="양동 시장골목", designation_no="서구-2025-077")
    DistrictFactory(office=office, name="다른 골목")
    response = logged_in.get(reverse(CHANGELIST), {"q": "2025-077"})
    assert [d.name for d in response.context["cl"].result_list] == ["양동 시장골목"]


def test_the_district_list_runs_the_same_queries_for_5_or_50_rows(
    client, clerk, office, dong, django_assert_max_num_queries
):
    def build(count):
        for _ in range(count):
            district = DesignatedDistrictFactory(office=office, dongs=[dong])
            MembershipFactory(store__office=office, store__dong=dong, district=district)

    client.force_login(clerk)
    build(5)
    client.get(reverse(CHANGELIST))  # warm the permission and session caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    build(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 50


# --- add and change through the services --------------------------------------------------


def test_a_new_application_is_filed_through_the_service(logged_in, clerk, office, dong):
    response = logged_in.post(
        reverse("admin:registry_district_add"), {**APPLICATION, "dongs": [dong.pk], **management()}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    district = District.objects.get(name="상무 먹자골목")
    assert district.office == office
    assert district.status == DistrictStatus.APPLIED
    assert list(district.dongs.all()) == [dong]
    assert district.history.first().history_user == clerk


def test_a_name_already_used_is_refused_on_the_form_and_nothing_is_written(logged_in, office, dong):
    DistrictFactory(office=office, name="상무 먹자골목")
    response = logged_in.post(
        reverse("admin:registry_district_add"), {**APPLICATION, "dongs": [dong.pk], **management()}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert District.objects.filter(name="상무 먹자골목").count() == 1


def test_a_superuser_chooses_the_office_of_a_new_application(client, superuser, office, dong):
    client.force_login(superuser)
    data = {**APPLICATION, "dongs": [dong.pk], **management()}
    missing = client.post(reverse("admin:registry_district_add"), data)
    assert missing.status_code == 200
    assert "office" in missing.context["adminform"].form.errors
    response = client.post(reverse("admin:registry_district_add"), {**data, "office": office.pk})
    assert response.status_code == 302
    assert District.objects.get(name="상무 먹자골목").office == office


def test_editing_an_application_goes_through_the_service_and_keeps_status(logged_in, clerk, office):
    district = DistrictFactory(office=office, name="화정 골목")
    data = {**APPLICATION, "name": "화정 골목", "area_m2": "1900", **management()}
    response = logged_in.post(url("change", district), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    district.refresh_from_db()
    assert district.area_m2 == 1900
    assert district.status == DistrictStatus.APPLIED
    latest = district.history.first()
    assert latest.history_user == clerk
    assert "area_m2" in latest.history_change_reason


def test_status_and_decision_fields_cannot_be_posted(logged_in, office):
    district = DistrictFactory(office=office, name="화정 골목")
    data = {
        **APPLICATION,
        "name": "화정 골목",
        "status": "designated",
        "designation_no": "서구-2099-001",
        **management(),
    }
    logged_in.post(url("change", district), data)
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED
    assert district.designation_no is None


def test_a_revoked_district_is_shown_read_only(logged_in, office):
    district = DesignatedDistrictFactory(
        office=office,
        status=DistrictStatus.REVOKED,
        revoked_on=date(2025, 9, 1),
        revocation_ground=RevocationGround.TRADING_STOPPED,
    )
    response = logged_in.get(url("change", district))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert not response.context["object_buttons"]


# --- the change page ----------------------------------------------------------------------


def test_the_change_page_shows_the_criteria_as_pass_and_fail_lines(logged_in, failing):
    response = logged_in.get(url("change", failing))
    assert response.status_code == 200
    assert 'class="pass" data-rule="area"' in response.text
    assert 'class="fail" data-rule="stores"' in response.text
    labels = [b["url"] for b in response.context["object_buttons"]]
    assert url("designate", failing) in labels and url("reject", failing) in labels


def test_attachments_are_uploaded_with_a_kind_and_linked_privately(logged_in, clerk, office):
    district = DistrictFactory(office=office, name="화정 골목")
    data = {
        **APPLICATION,
        "name": "화정 골목",
        **management(total=1),
        "attachments-0-kind": "roster",
        "attachments-0-file": SimpleUploadedFile("roster.csv", "이름\n홍길동\n".encode()),
    }
    response = logged_in.post(url("change", district), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    attachment = DistrictAttachment.objects.get(district=district)
    assert attachment.kind == "roster" and attachment.uploaded_by == clerk
    page = logged_in.get(url("change", district))
    assert reverse("registry:attachment_download", args=[attachment.pk]) in page.text
    assert attachment.file.url not in page.text


# --- decisions ----------------------------------------------------------------------------


def test_designating_with_failed_criteria_and_no_reason_shows_the_service_message(
    logged_in, failing
):
    versions = failing.history.count()
    response = logged_in.post(
        url("designate", failing),
        {"designation_no": "서구-2026-001", "designated_on": "2026-02-01", "apply": "1"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "override_reason" in errors
    assert "Designating anyway needs a written reason" in errors["override_reason"][0]
    failing.refresh_from_db()
    assert failing.status == DistrictStatus.APPLIED
    assert failing.history.count() == versions


def test_designating_with_a_reason_records_the_decision(logged_in, clerk, failing):
    response = logged_in.post(
        url("designate", failing),
        {
            "designation_no": "서구-2026-001",
            "designated_on": "2026-02-01",
            "override_reason": "조례 개정 예정",
        },
    )
    assert response.status_code == 302
    failing.refresh_from_db()
    assert failing.status == DistrictStatus.DESIGNATED
    assert failing.designation_no == "서구-2026-001"
    assert failing.designated_on == date(2026, 2, 1)
    assert failing.override_reason == "조례 개정 예정"
    assert failing.decided_by == clerk


def test_the_designate_page_lists_the_criteria(logged_in, failing):
    response = logged_in.get(url("designate", failing))
    assert response.status_code == 200
    assert [line.rule for line in response.context["check_lines"] if not line.passed] == ["stores"]


def test_a_duplicate_designation_number_is_refused_under_its_field(logged_in, office):
    DesignatedDistrictFactory(office=office, designation_no="서구-2026-001")
    district = DistrictFactory(office=office)
    response = logged_in.post(url("designate", district), {"designation_no": "서구-2026-001"})
    assert "designation_no" in response.context["form"].errors
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED


def test_rejecting_without_a_reason_is_refused_by_the_service(logged_in, office):
    district = DistrictFactory(office=office)
    response = logged_in.post(
        url("reject", district), {"rejection_reason": "  "}, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["rejection_reason"] == ["Give the reason for rejection."]
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED


def test_rejecting_with_a_reason_rejects(logged_in, office):
    district = DistrictFactory(office=office)
    response = logged_in.post(url("reject", district), {"rejection_reason": "동의율 서류 미비"})
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.status == DistrictStatus.REJECTED
    assert district.rejection_reason == "동의율 서류 미비"


def test_revoking_needs_a_ground_and_ends_memberships(logged_in, office):
    district = DesignatedDistrictFactory(office=office)
    membership = MembershipFactory(store__office=office, district=district)
    refused = logged_in.post(url("revoke", district), {"revocation_reason": "영업 중단"})
    assert "revocation_ground" in refused.context["form"].errors
    response = logged_in.post(
        url("revoke", district),
        {
            "revocation_ground": "trading_stopped",
            "revocation_reason": "1년 이상 영업 중단",
            "revoked_on": "2026-01-31",
        },
    )
    assert response.status_code == 302
    district.refresh_from_db()
    membership.refresh_from_db()
    assert district.status == DistrictStatus.REVOKED
    assert membership.left_on == date(2026, 1, 31)


def test_an_application_cannot_be_revoked(logged_in, office):
    district = DistrictFactory(office=office)
    response = logged_in.post(url("revoke", district), {"revocation_ground": "falsehood"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    district.refresh_from_db()
    assert district.status == DistrictStatus.APPLIED


def test_the_certificate_is_a_printable_page_and_printing_records_the_issue(
    logged_in, office, dong
):
    district = DesignatedDistrictFactory(
        office=office, name="치평 먹자골목", designation_no="서구-2025-017", dongs=[dong]
    )
    page = logged_in.get(url("certificate", district))
    assert page.status_code == 200
    for text in ("서구-2025-017", "치평 먹자골목", dong.name, office.name, "1,600", "40"):
        assert text in page.text
    assert "@page { size: A4" in page.text
    district.refresh_from_db()
    assert district.certificate_issued_at is None
    issued = logged_in.post(url("certificate", district))
    assert issued.status_code == 302
    assert issued.url.endswith("?print=1")
    district.refresh_from_db()
    assert district.certificate_issued_at is not None


def test_an_application_has_no_certificate(logged_in, office):
    district = DistrictFactory(office=office)
    response = logged_in.post(url("certificate", district))
    assert response.status_code == 302
    district.refresh_from_db()
    assert district.certificate_issued_at is None


# --- bulk rejection -----------------------------------------------------------------------


def bulk(client, districts, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": "reject_selected", "_selected_action": [d.pk for d in districts], **extra},
    )


def test_bulk_rejection_asks_for_one_reason_first(logged_in, office):
    districts = DistrictFactory.create_batch(2, office=office)
    response = bulk(logged_in, districts)
    assert response.status_code == 200
    assert response.context["count"] == 2
    assert "rejection_reason" in response.context["form"].fields


def test_bulk_rejection_with_an_empty_reason_writes_nothing(logged_in, office):
    districts = DistrictFactory.create_batch(2, office=office)
    response = bulk(logged_in, districts, apply="1", rejection_reason="")
    assert response.status_code == 200
    assert "rejection_reason" in response.context["form"].errors
    assert set(District.objects.values_list("status", flat=True)) == {DistrictStatus.APPLIED}


def test_bulk_rejection_rejects_applications_and_names_those_it_cannot(logged_in, office):
    applied = DistrictFactory.create_batch(2, office=office)
    designated = DesignatedDistrictFactory(office=office, name="이미 지정")
    response = bulk(logged_in, [*applied, designated], apply="1", rejection_reason="요건 미달")
    assert response.status_code == 302
    statuses = dict(District.objects.values_list("name", "status"))
    assert statuses["이미 지정"] == DistrictStatus.DESIGNATED
    assert [statuses[d.name] for d in applied] == [DistrictStatus.REJECTED] * 2
    messages = [str(m) for m in logged_in.get(reverse(CHANGELIST)).context["messages"]]
    assert any("이미 지정" in m for m in messages)


def test_dongs_offered_for_a_district_exclude_other_offices(logged_in, other_office):
    DongFactory(office=other_office, name="충장동")
    response = logged_in.get(reverse("admin:registry_district_add"))
    assert "충장동" not in response.text


def test_stores_in_the_list_do_not_leak_into_the_district_page(logged_in, office):
    district = DesignatedDistrictFactory(office=office)
    StoreFactory(office=office, trade_name="비밀 가게")
    assert "비밀 가게" not in logged_in.get(url("change", district)).text


def test_the_associations_contacts_are_masked_for_roles_without_the_contact_permission(
    client, office
):
    from core.choices import AccessAction
    from registry.models import AccessLog
    from tests.registry.factories import DesignatedDistrictFactory, UserFactory

    district = DesignatedDistrictFactory(
        office=office, representative="손선철", association_phone="0626096092"
    )
    client.force_login(UserFactory(office=office, roles=["supervisor"]))
    page = client.get(url("change", district)).content.decode()
    assert "손*철" in page and "062-****-6092" in page
    assert "손선철" not in page and "0626096092" not in page
    client.force_login(UserFactory(office=office, roles=["clerk"]))
    page = client.get(url("change", district)).content.decode()
    assert 'value="손선철"' in page and 'value="0626096092"' in page
    views = AccessLog.objects.filter(action=AccessAction.VIEW, object_pk=str(district.pk))
    assert views.count() == 2  # every opening of the page is logged, masked or not
