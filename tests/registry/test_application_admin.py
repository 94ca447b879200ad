"""The clerks' application queue in the admin (SPEC 2.5): per office, filters and search, checks
beside the documents, decisions singly and in bulk, private documents and the access log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import SIGN_IN_ACTIONS, AccessAction
from registry import services
from registry.choices import AffiliateStatus, ApplicationStatus
from registry.models import AccessLog, MerchantApplication, Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, UserFactory
from tests.registry.test_application_support import PNG, place, submit, upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_merchantapplication_changelist")


def url(name, application, *args):
    return reverse(
        f"admin:registry_merchantapplication_{name.replace('-', '_')}",
        args=[application.pk, *args],
    )


@pytest.fixture
def p(office):
    return place(office)


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def queue(p, other_office):
    """Applications in several states, and one of another office."""
    other = place_elsewhere(other_office)
    return {
        "fresh": submit(p, trade_name="새 가게", certificate_types=["paper"]),
        "unknown": submit(p, trade_name="모르는 가게", dong=None, district=None),
        "asked": _asked(submit(p, trade_name="수정 가게")),
        "old": _aged(submit(p, trade_name="오래된 가게", certificate_types=[]), days=20),
        "elsewhere": submit(other, trade_name="남의 가게"),
    }


def place_elsewhere(office):
    from tests.registry.test_application_support import Place

    dong = DongFactory(office=office, name="충장동")
    district = DesignatedDistrictFactory(office=office, name="충장 골목", dongs=[dong])
    return Place(office=office, dong=dong, other_dong=dong, district=district)


def _asked(application):
    services.application_request_changes(application=application, user=None, message="사진")
    return application


def _aged(application, days):
    MerchantApplication.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=days)
    )
    return application


def listed(response) -> set[str]:
    return {a.trade_name for a in response.context["cl"].result_list}


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_opens_on_the_offices_open_applications(logged_in, queue, clerk):
    services.application_reject(application=queue["fresh"], user=clerk, message="중복")
    response = logged_in.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == {"모르는 가게", "수정 가게", "오래된 가게"}
    everything = logged_in.get(CHANGELIST, {"status": "all"})
    assert listed(everything) == {"새 가게", "모르는 가게", "수정 가게", "오래된 가게"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "changes_requested"}, {"수정 가게"}),
        ({"status": "submitted"}, {"새 가게", "모르는 가게", "오래된 가게"}),
        ({"wants": "paper"}, {"새 가게"}),
        ({"wants": "none"}, {"오래된 가게"}),
        ({"age": "15-"}, {"오래된 가게"}),
        ({"age": "0-2"}, {"새 가게", "모르는 가게", "수정 가게"}),
        ({"district__isnull": "True"}, {"모르는 가게"}),
    ],
)
def test_the_queue_filters_by_status_types_age_and_district(logged_in, queue, query, expected):
    assert listed(logged_in.get(CHANGELIST, query)) == expected


def test_the_queue_filters_by_dong_and_district_of_the_office_only(logged_in, queue, p):
    by_dong = logged_in.get(CHANGELIST, {"dong__id__exact": p.dong.pk})
    by_district = logged_in.get(CHANGELIST, {"district__id__exact": p.district.pk})

    assert "모르는 가게" not in listed(by_dong)
    assert listed(by_district) == {"새 가게", "수정 가게", "오래된 가게"}
    assert "충장 골목" not in by_district.text


def test_the_queue_is_searched_by_tracking_number_business_number_or_name(logged_in, queue):
    fresh = queue["fresh"]
    by_tracking = logged_in.get(CHANGELIST, {"q": fresh.tracking_number_display.lower()})
    by_number = logged_in.get(CHANGELIST, {"q": fresh.business_number_display})
    by_name = logged_in.get(CHANGELIST, {"q": "모르는"})
    by_person = logged_in.get(CHANGELIST, {"q": "김상인", "status": "all"})

    assert listed(by_tracking) == {"새 가게"}
    assert listed(by_number) == {"새 가게"}
    assert listed(by_name) == {"모르는 가게"}
    assert len(listed(by_person)) == 4


def test_a_clerk_never_meets_another_offices_applications(logged_in, queue):
    elsewhere = queue["elsewhere"]

    assert "남의 가게" not in listed(logged_in.get(CHANGELIST, {"status": "all"}))
    assert logged_in.get(url("change", elsewhere)).status_code == 302
    assert logged_in.get(url("approve", elsewhere)).status_code == 404
    document = elsewhere.documents.get()
    assert logged_in.get(url("document", elsewhere, document.pk)).status_code == 404
    assert MerchantApplication.objects.get(pk=elsewhere.pk).status == ApplicationStatus.SUBMITTED


def test_the_list_masks_representatives_for_roles_without_contacts(client, queue, office):
    supervisor = UserFactory(username="sup", office=office, roles=["supervisor"])
    client.force_login(supervisor)
    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert "김*인" in response.text and "김상인" not in response.text
    assert (
        not AccessLog.objects.filter(user=supervisor).exclude(action__in=SIGN_IN_ACTIONS).exists()
    )


def test_a_clerks_unmasked_list_is_written_to_the_access_log(logged_in, queue, clerk):
    response = logged_in.get(CHANGELIST)

    assert "김상인" in response.text
    assert AccessLog.objects.filter(
        user=clerk, model="registry.MerchantApplication", action=AccessAction.VIEW
    ).count() == len(response.context["cl"].result_list)


def test_the_queue_lists_in_a_fixed_number_of_queries(logged_in, queue, p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        logged_in.get(CHANGELIST)
    for _ in range(10):
        submit(p)
    with CaptureQueriesContext(connection) as many:
        response = logged_in.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 14
    assert len(many) == len(few) <= 16


# --- one application ----------------------------------------------------------------------


def test_the_change_page_shows_checks_beside_the_documents_and_logs_the_view(
    logged_in, clerk, queue
):
    unknown = queue["unknown"]
    response = logged_in.get(url("change", unknown))

    assert response.status_code == 200
    assert 'class="fail" data-rule="district"' in response.text
    assert 'class="fail" data-rule="dong"' in response.text
    assert 'class="pass" data-rule="document"' in response.text
    assert 'class="pass" data-rule="duplicate_application"' in response.text
    document = unknown.documents.get()
    assert url("document", unknown, document.pk) in response.text
    assert response.context["show_save"] is False
    assert [b["url"] for b in response.context["object_buttons"]] == [
        url(name, unknown) for name in ("review", "approve", "request-changes", "reject")
    ]
    assert AccessLog.objects.filter(
        user=clerk, object_pk=str(unknown.pk), action=AccessAction.VIEW
    ).exists()


def test_a_document_opens_for_staff_of_the_office_and_the_opening_is_logged(logged_in, clerk, p):
    application = submit(p, document=upload(PNG, "photo.png", "image/png"))
    document = application.documents.get()

    response = logged_in.get(url("document", application, document.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PNG
    log = AccessLog.objects.filter(user=clerk, object_pk=str(application.pk)).latest("at")
    assert log.action == AccessAction.VIEW and str(document.pk) in log.detail


def test_documents_are_never_at_a_public_address(client, p):
    application = submit(p)
    document = application.documents.get()

    response = client.get(url("document", application, document.pk))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get("/media/" + document.file.name).status_code == 404


def test_a_role_without_the_document_permission_cannot_open_documents(client, p, office):
    operator = UserFactory(username="op", office=office, roles=["hotline_operator"])
    client.force_login(operator)
    application = submit(p)

    response = client.get(url("document", application, application.documents.get().pk))
    assert response.status_code in (403, 404)


def test_review_starts_with_a_button_and_is_in_the_history(logged_in, clerk, queue):
    fresh = queue["fresh"]
    response = logged_in.post(url("review", fresh))

    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == ApplicationStatus.IN_REVIEW
    assert fresh.history.latest().history_user == clerk


def test_approving_registers_the_store_in_one_step(logged_in, clerk, queue, p):
    fresh = queue["fresh"]
    page = logged_in.get(url("approve", fresh))
    assert page.status_code == 200
    assert page.context["form"].initial["district"] == p.district.pk
    assert 'data-rule="district"' in page.text

    response = logged_in.post(
        url("approve", fresh),
        {
            "dong": p.dong.pk,
            "district": p.district.pk,
            "ksic_code": "56111",
            "business_type": "한식 일반 음식점업",
            "message": "가입을 환영합니다.",
        },
    )

    assert response.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == ApplicationStatus.APPROVED
    assert fresh.clerk_message == "가입을 환영합니다."
    store = Store.objects.get(business_number=fresh.business_number)
    assert fresh.store == store
    assert store.affiliations.get().status == AffiliateStatus.APPLIED
    assert AccessLog.objects.filter(
        user=clerk, object_pk=str(fresh.pk), action=AccessAction.CHANGE
    ).exists()


def test_approving_without_a_district_names_the_field_and_changes_nothing(logged_in, queue):
    unknown = queue["unknown"]
    response = logged_in.post(url("approve", unknown), {"message": ""})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"dong", "district"}
    unknown.refresh_from_db()
    assert unknown.status == ApplicationStatus.SUBMITTED
    assert not Store.objects.exists()


def test_asking_for_changes_and_rejecting_need_a_message(logged_in, queue):
    fresh = queue["fresh"]
    for name in ("request-changes", "reject"):
        response = logged_in.post(url(name, fresh), {"message": ""})
        assert "message" in response.context["form"].errors
    fresh.refresh_from_db()
    assert fresh.status == ApplicationStatus.SUBMITTED

    logged_in.post(url("request-changes", fresh), {"message": "사진이 흐립니다."})
    fresh.refresh_from_db()
    assert fresh.status == ApplicationStatus.CHANGES_REQUESTED
    assert fresh.clerk_message == "사진이 흐립니다."


def test_every_decision_is_in_the_history_with_the_clerk(logged_in, clerk, queue):
    fresh = queue["fresh"]
    logged_in.post(url("reject", fresh), {"message": "관할 밖 주소"})

    statuses = list(
        fresh.history.order_by("history_date").values_list("status", "history_user__username")
    )
    assert statuses == [("submitted", None), ("in_review", "clerk"), ("rejected", "clerk")]
    history = logged_in.get(url("history", fresh))
    assert history.status_code == 200


# --- in bulk ------------------------------------------------------------------------------


def test_bulk_approval_approves_what_it_can_and_names_what_it_cannot(logged_in, queue):
    selected = [queue["fresh"].pk, queue["unknown"].pk, queue["old"].pk]
    response = logged_in.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": selected, "apply": "1", "message": ""},
        follow=True,
    )

    assert response.status_code == 200
    statuses = dict(
        MerchantApplication.objects.filter(pk__in=selected).values_list("trade_name", "status")
    )
    assert statuses == {
        "새 가게": "approved",
        "모르는 가게": "submitted",
        "오래된 가게": "approved",
    }
    texts = [str(m) for m in response.context["messages"]]
    assert any("모르는 가게" in t for t in texts)
    assert Store.objects.count() == 2


def test_bulk_rejection_needs_one_message_and_applies_it_to_all(logged_in, queue):
    selected = {
        "action": "reject_selected",
        "_selected_action": [queue["fresh"].pk, queue["asked"].pk],
    }
    empty = logged_in.post(CHANGELIST, {**selected, "apply": "1", "message": ""})
    assert "message" in empty.context["form"].errors
    assert not MerchantApplication.objects.filter(status=ApplicationStatus.REJECTED).exists()

    logged_in.post(CHANGELIST, {**selected, "apply": "1", "message": "관할 밖"})
    rejected = MerchantApplication.objects.filter(status=ApplicationStatus.REJECTED)
    assert set(rejected.values_list("clerk_message", flat=True)) == {"관할 밖"}
    assert rejected.count() == 2


def test_nobody_adds_or_deletes_applications_in_the_admin(logged_in, queue):
    assert logged_in.get(reverse("admin:registry_merchantapplication_add")).status_code == 403
    assert logged_in.get(url("delete", queue["fresh"])).status_code == 403
