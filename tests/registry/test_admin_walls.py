"""The office wall in the admin: a clerk of one office never meets another office's rows."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.choices import AccessAction
from registry.models import AccessLog, DistrictAttachment, Office, Store
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_clerk(other_office):
    return UserFactory(username="clerk-b", office=other_office, roles=["clerk"])


@pytest.fixture
def two_offices(office, other_office, dong):
    other_dong = DongFactory(office=other_office, name="충장동")
    return {
        "district": DistrictFactory(office=office, name="치평 먹자골목", dongs=[dong]),
        "other_district": DistrictFactory(office=other_office, name="충장 카페거리"),
        "store": StoreFactory(office=office, dong=dong, trade_name="우리골목 식당"),
        "other_store": StoreFactory(
            office=other_office, dong=other_dong, trade_name="남의골목 식당"
        ),
        "other_dong": other_dong,
    }


def change_url(obj):
    return reverse(f"admin:registry_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:registry_{model._meta.model_name}_changelist")


def test_a_clerk_lists_only_their_offices_districts_and_stores(client, clerk, two_offices):
    client.force_login(clerk)
    districts = client.get(changelist_url(two_offices["district"]))
    stores = client.get(changelist_url(two_offices["store"]))
    assert districts.status_code == stores.status_code == 200
    assert "치평 먹자골목" in districts.text and "충장 카페거리" not in districts.text
    assert "우리골목 식당" in stores.text and "남의골목 식당" not in stores.text


def test_a_superuser_lists_both_offices(client, superuser, two_offices):
    client.force_login(superuser)
    districts = client.get(changelist_url(two_offices["district"]))
    stores = client.get(changelist_url(two_offices["store"]))
    assert "치평 먹자골목" in districts.text and "충장 카페거리" in districts.text
    assert "우리골목 식당" in stores.text and "남의골목 식당" in stores.text


@pytest.mark.parametrize("key", ["other_district", "other_store"])
def test_opening_another_offices_row_by_url_shows_no_data(client, clerk, two_offices, key):
    client.force_login(clerk)
    obj = two_offices[key]
    response = client.get(change_url(obj))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = client.get(change_url(obj), follow=True)
    assert str(obj.pk) in followed.text  # "… with ID n doesn't exist"
    assert ("충장 카페거리" if key == "other_district" else "남의골목 식당") not in followed.text


@pytest.mark.parametrize(
    "view", ["designate", "reject", "revoke", "certificate", "history", "delete"]
)
def test_object_views_of_another_offices_district_are_not_found(client, clerk, two_offices, view):
    client.force_login(clerk)
    district = two_offices["other_district"]
    response = client.get(reverse(f"admin:registry_district_{view}", args=[district.pk]))
    assert response.status_code in (302, 403, 404)
    assert "충장 카페거리" not in response.text


def test_posting_a_change_to_another_offices_store_changes_nothing(client, clerk, two_offices):
    client.force_login(clerk)
    store = two_offices["other_store"]
    response = client.post(change_url(store), {"trade_name": "바뀐 이름"})
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.trade_name == "남의골목 식당"


def test_store_autocomplete_offers_only_the_clerks_office(client, clerk, superuser, two_offices):
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "registry",
        "model_name": "affiliateregistration",
        "field_name": "store",
        "term": "골목",
    }
    client.force_login(clerk)
    names = [r["text"] for r in client.get(url, params).json()["results"]]
    assert any("우리골목" in n for n in names)
    assert not any("남의골목" in n for n in names)
    client.force_login(superuser)
    names = [r["text"] for r in client.get(url, params).json()["results"]]
    assert any("남의골목" in n for n in names)


def test_foreign_key_choices_offer_only_the_clerks_dongs(client, clerk, two_offices):
    client.force_login(clerk)
    page = client.get(reverse("admin:registry_store_add"))
    assert "치평동" in page.text
    assert "충장동" not in page.text
    district_page = client.get(reverse("admin:registry_district_add"))
    assert "치평동" in district_page.text and "충장동" not in district_page.text


def test_a_store_cannot_be_registered_in_another_offices_dong(client, clerk, two_offices):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:registry_store_add"),
        {
            "business_number": "220-81-62517",
            "trade_name": "남의 동 가게",
            "representative": "김철수",
            "dong": two_offices["other_dong"].pk,
            "ksic_code": "56111",
            "is_small_business": "on",
        },
    )
    assert response.status_code == 200
    assert "dong" in response.context["adminform"].form.errors
    assert not Store.objects.filter(trade_name="남의 동 가게").exists()


def test_list_filters_offer_only_the_clerks_dongs(client, clerk, two_offices):
    client.force_login(clerk)
    response = client.get(changelist_url(two_offices["store"]))
    assert "충장동" not in response.text


def test_affiliations_and_memberships_of_another_office_are_hidden(client, clerk, two_offices):
    other = AffiliateRegistrationFactory(store=two_offices["other_store"])
    MembershipFactory(store=two_offices["other_store"])
    client.force_login(clerk)
    affiliations = client.get(changelist_url(other))
    memberships = client.get(reverse("admin:registry_membership_changelist"))
    assert "남의골목" not in affiliations.text
    assert "남의골목" not in memberships.text
    assert client.get(change_url(other)).status_code == 302
    approve = client.get(reverse("admin:registry_affiliateregistration_approve", args=[other.pk]))
    assert approve.status_code == 404


def test_a_clerk_sees_and_edits_only_their_own_office(client, clerk, office, two_offices):
    other_office = Office.objects.get(code="29110")
    client.force_login(clerk)
    listing = client.get(reverse("admin:registry_office_changelist"))
    assert office.name in listing.text and other_office.name not in listing.text
    assert client.get(change_url(other_office)).status_code == 302
    assert client.get(reverse("admin:registry_office_add")).status_code == 403


def test_attachments_are_downloaded_only_by_staff_of_the_office(
    client, clerk, other_clerk, two_offices
):
    attachment = DistrictAttachment(district=two_offices["district"], kind="roster")
    attachment.file.save("roster.csv", ContentFile("이름,전화\n홍길동,01012345678\n".encode()))
    url = reverse("registry:attachment_download", args=[attachment.pk])
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode().startswith("이름")
    assert AccessLog.objects.filter(
        user=clerk, action=AccessAction.VIEW, model="registry.DistrictAttachment"
    ).exists()


def test_attachments_are_not_served_to_anonymous_visitors(client, two_offices):
    attachment = DistrictAttachment(district=two_offices["district"], kind="map")
    attachment.file.save("map.pdf", ContentFile(b"%PDF-1.4"))
    response = client.get(reverse("registry:attachment_download", args=[attachment.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_staff_see_only_the_people_of_their_office(client, office, other_office, two_offices):
    auditor = UserFactory(username="auditor-a", office=office, roles=["auditor"])
    UserFactory(username="stranger", office=other_office)
    client.force_login(auditor)
    response = client.get(reverse("admin:registry_user_changelist"))
    assert response.status_code == 200
    assert "auditor-a" in response.text
    assert "stranger" not in response.text
