"""One rule for personal data on every face (SPEC 5, core.personal): change pages, history lists
and versions, the designation certificate, searches, the API and the logs mask what a role may
not see, and every page showing a record holding personal data is written to the access log."""

import logging

import pytest
from django.urls import reverse

from core.notify import LoggingSmsSender
from registry import services
from registry.models import AccessLog
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    StoreFactory,
    UserFactory,
)
from tests.registry.test_application_support import place, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(office):
    return UserFactory(username="sup", office=office, roles=["supervisor"])


@pytest.fixture
def cashback_manager(office):
    return UserFactory(username="cbm", office=office, roles=["cashback_manager"])


@pytest.fixture
def district(office, clerk):
    district = DesignatedDistrictFactory(
        office=office, representative="김대표", association_phone="0621234567"
    )
    services.district_update(
        district=district, user=clerk, representative="이새대표", association_phone="0627654321"
    )
    return district


def admin_url(obj, view: str, *args) -> str:
    info = obj._meta.app_label, obj._meta.model_name
    return reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk, *args])


def views_of(obj):
    return AccessLog.objects.filter(action="view", object_pk=str(obj.pk), model=obj._meta.label)


# --- history lists and versions -----------------------------------------------------------


def test_a_history_version_is_masked_for_a_role_that_may_not_see_contacts_and_logged(
    client, supervisor, district
):
    client.force_login(supervisor)
    oldest = district.history.order_by("history_id").first()

    page = client.get(admin_url(district, "simple_history", oldest.history_id)).text

    assert "김대표" not in page and "김*표" in page
    assert "0621234567" not in page and "062-****-4567" in page
    (entry,) = views_of(district)
    assert entry.detail == f"변경 이력 {oldest.history_id}번째 판, 개인정보 가림"


def test_a_history_version_shows_contacts_to_a_clerk_and_logs_the_look(client, clerk, district):
    client.force_login(clerk)
    oldest = district.history.order_by("history_id").first()

    page = client.get(admin_url(district, "simple_history", oldest.history_id)).text

    assert "김대표" in page
    (entry,) = views_of(district)
    assert entry.detail.endswith("개인정보 표시")


def test_the_history_list_masks_the_changes_of_contacts_and_is_logged(
    client, supervisor, clerk, district
):
    client.force_login(supervisor)
    masked = client.get(admin_url(district, "history")).text
    client.force_login(clerk)
    shown = client.get(admin_url(district, "history")).text

    assert "김*표" in masked and "이**표" in masked
    assert "김대표" not in masked and "이새대표" not in masked and "7654321" not in masked
    assert "김대표" in shown and "이새대표" in shown
    assert [e.detail for e in views_of(district).order_by("id")] == [
        "변경 이력, 개인정보 가림",
        "변경 이력, 개인정보 표시",
    ]


def test_settlement_accounts_are_masked_for_supervisors_and_cashback_managers_everywhere(
    client, office, clerk, supervisor, cashback_manager
):
    registration = ApprovedAffiliateFactory(
        store=StoreFactory(office=office),
        settlement_account="123-456-789012",
        settlement_holder="홍길동",
    )
    version = registration.history.first().history_id
    pages = [
        admin_url(registration, "change"),
        admin_url(registration, "history"),
        admin_url(registration, "simple_history", version),
    ]
    for user in (supervisor, cashback_manager):
        client.force_login(user)
        for url in pages:
            page = client.get(url).text
            assert "789012" not in page and "홍길동" not in page, (user, url)
    client.force_login(clerk)
    assert "123-456-789012" in client.get(pages[2]).text


# --- the designation certificate ----------------------------------------------------------


def test_the_certificate_masks_the_representative_for_a_role_that_may_not_see_contacts(
    client, supervisor, clerk, district
):
    client.force_login(supervisor)
    masked = client.get(admin_url(district, "certificate")).text
    client.force_login(clerk)
    shown = client.get(admin_url(district, "certificate")).text

    assert "이새대표" not in masked and "이**표" in masked
    assert "이새대표" in shown
    assert [e.detail for e in views_of(district).order_by("id")] == [
        "지정서, 개인정보 가림",
        "지정서, 개인정보 표시",
    ]


# --- searching by masked fields -----------------------------------------------------------


@pytest.fixture
def store(office):
    return StoreFactory(office=office, phone="01012346666", trade_name="치평 국밥")


def test_a_supervisor_finds_a_phone_only_by_all_its_digits_and_each_search_is_logged(
    client, supervisor, store
):
    client.force_login(supervisor)
    changelist = reverse("admin:registry_store_changelist")

    def found(q):
        return list(client.get(changelist, {"q": q}).context["cl"].result_list)

    assert found("6666") == []
    assert found("1234-6666") == []
    assert found("010-1234-6666") == [store]
    searches = AccessLog.objects.filter(model="registry.Store", object_pk="")
    assert searches.count() == 3
    assert all("전화번호" in entry.detail for entry in searches)
    assert searches.filter(detail__endswith="010-1234-6666").exists()


def test_a_clerk_keeps_the_partial_phone_search(client, clerk, store):
    client.force_login(clerk)
    response = client.get(reverse("admin:registry_store_changelist"), {"q": "6666"})

    assert list(response.context["cl"].result_list) == [store]
    assert not AccessLog.objects.filter(model="registry.Store", object_pk="").exists()


def test_the_api_search_matches_whole_phones_only_for_a_role_that_may_not_see_them(
    office, supervisor, clerk, store
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(supervisor)
    url = "/api/v1/stores/"
    assert api.get(url, {"q": "6666"}).json()["count"] == 0
    assert api.get(url, {"q": "01012346666"}).json()["count"] == 1
    assert AccessLog.objects.filter(model="registry.Store", object_pk="").count() == 2
    api.force_authenticate(clerk)
    assert api.get(url, {"q": "6666"}).json()["count"] == 1


def test_the_hotline_store_lookup_asks_the_same_rule(office, supervisor, store):
    from hotline.selectors import store_lookup

    operator = UserFactory(office=office, roles=["hotline_operator"])

    assert store_lookup(operator, "6666") == [store]
    assert store_lookup(supervisor, "6666") == []
    assert store_lookup(supervisor, "010 1234 6666") == [store]


def test_the_application_queue_finds_a_representative_by_the_whole_name_only(
    client, office, supervisor
):
    application = submit(place(office), representative="김상인")
    client.force_login(supervisor)
    changelist = reverse("admin:registry_merchantapplication_changelist")

    def found(q):
        return list(client.get(changelist, {"q": q}).context["cl"].result_list)

    assert found("김상") == []
    assert found("김상인") == [application]
    assert AccessLog.objects.filter(model="registry.MerchantApplication", object_pk="").count() == 2


# --- logs of text messages ----------------------------------------------------------------


def test_the_logging_sms_sender_never_writes_the_phones_last_four_digits(caplog):
    with caplog.at_level(logging.INFO, logger="golmok.sms"):
        LoggingSmsSender().send(to="01022224821", text="접수번호: ABCD-2345-EFGH")

    (line,) = caplog.messages
    assert "4821" not in line and "2222" not in line
    assert line.startswith("SMS to 010-****-****")


def test_a_history_version_cannot_be_posted_back_while_reverting_is_off(client, clerk, district):
    client.force_login(clerk)
    oldest = district.history.order_by("history_id").first()

    response = client.post(
        admin_url(district, "simple_history", oldest.history_id), {"representative": "가짜"}
    )

    assert response.status_code == 403
    district.refresh_from_db()
    assert district.representative == "이새대표"
