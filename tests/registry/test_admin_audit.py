"""The access log, offices and people in the admin; the display filters; the site's name."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from core.audit import access_log
from core.choices import AccessAction
from core.templatetags.golmok import brn, won
from registry.models import AccessLog, Office, RestrictedBusinessType, User
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db

LOG_LIST = reverse("admin:registry_accesslog_changelist")


@pytest.fixture
def auditor(office):
    return UserFactory(username="auditor", office=office, roles=["auditor"])


@pytest.fixture
def logged_view(office, dong, clerk):
    store = StoreFactory(office=office, dong=dong, trade_name="기록된 가게")
    return access_log(user=clerk, action=AccessAction.VIEW, obj=store)


# --- the access log -----------------------------------------------------------------------


def test_the_access_log_is_hidden_from_clerks(client, clerk, logged_view):
    client.force_login(clerk)
    assert client.get(LOG_LIST).status_code == 403
    index = client.get(reverse("admin:index"))
    assert LOG_LIST not in index.text


def test_auditors_read_the_access_log_of_their_office(client, auditor, other_office, logged_view):
    stranger = UserFactory(username="stranger", office=other_office)
    access_log(user=stranger, action=AccessAction.VIEW, obj=StoreFactory(office=other_office))
    client.force_login(auditor)
    response = client.get(LOG_LIST)
    assert response.status_code == 200
    # The auditor's own sign-in is a row of the office too (SPEC 8); the stranger's are not.
    signed_in = AccessLog.objects.get(action=AccessAction.LOGIN, user=auditor)
    assert list(response.context["cl"].result_list) == [signed_in, logged_view]
    assert response.context["cl"].date_hierarchy == "at"
    index = client.get(reverse("admin:index"))
    assert LOG_LIST in index.text


def test_nobody_adds_changes_or_deletes_access_log_rows(client, auditor, superuser, logged_view):
    for user in (auditor, superuser):
        client.force_login(user)
        assert client.get(reverse("admin:registry_accesslog_add")).status_code == 403
        page = client.get(reverse("admin:registry_accesslog_change", args=[logged_view.pk]))
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        delete = reverse("admin:registry_accesslog_delete", args=[logged_view.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.filter(pk=logged_view.pk).exists()


def test_the_access_log_filters_by_action_and_record_type(client, auditor, logged_view):
    client.force_login(auditor)
    views = client.get(LOG_LIST, {"action__exact": "view", "model": "registry.Store"})
    assert list(views.context["cl"].result_list) == [logged_view]
    exports = client.get(LOG_LIST, {"action__exact": "export"})
    assert list(exports.context["cl"].result_list) == []


# --- offices ------------------------------------------------------------------------------


def test_a_clerk_edits_the_ordinance_of_their_office_and_may_not_touch_its_code(
    client, clerk, office
):
    client.force_login(clerk)
    page = client.get(reverse("admin:registry_office_change", args=[office.pk]))
    assert page.status_code == 200
    assert "code" not in page.context["adminform"].form.fields
    assert "3,000,000,000" in page.text  # the sales cap shown in won
    data = {
        "code": "11111",
        "name": office.name,
        "max_area_m2": "2500",
        "extra_stores_per_step": "1",
        "min_stores": "15",
        "min_consent_ratio": "0.5",
        "affiliate_sales_cap": "3000000000",
        "reregistration_ban_months": "3",
        "dongs-TOTAL_FORMS": "0",
        "dongs-INITIAL_FORMS": "0",
        "dongs-MIN_NUM_FORMS": "0",
        "dongs-MAX_NUM_FORMS": "1000",
        "restricted_business_types-TOTAL_FORMS": "0",
        "restricted_business_types-INITIAL_FORMS": "0",
        "restricted_business_types-MIN_NUM_FORMS": "0",
        "restricted_business_types-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:registry_office_change", args=[office.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    office.refresh_from_db()
    assert office.max_area_m2 == 2500
    assert office.code == "29140"
    assert office.history.first().history_user == clerk


def test_only_superusers_add_offices_and_a_new_office_gets_the_default_restricted_list(
    client, superuser
):
    client.force_login(superuser)
    data = {
        "code": "29155",
        "name": "광주광역시 광산구",
        "max_area_m2": "2000",
        "extra_stores_per_step": "1",
        "min_stores": "20",
        "min_consent_ratio": "0.5",
        "affiliate_sales_cap": "3000000000",
        "reregistration_ban_months": "3",
        "dongs-TOTAL_FORMS": "1",
        "dongs-INITIAL_FORMS": "0",
        "dongs-MIN_NUM_FORMS": "0",
        "dongs-MAX_NUM_FORMS": "1000",
        "dongs-0-name": "첨단1동",
    }
    response = client.post(reverse("admin:registry_office_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    office = Office.objects.get(code="29155")
    assert office.min_stores == 20
    assert office.dongs.filter(name="첨단1동").exists()
    assert RestrictedBusinessType.objects.filter(office=office, ksic_code="56211").exists()


# --- people -------------------------------------------------------------------------------


def test_only_superusers_move_people_between_offices_or_make_superusers(
    client, office, other_office
):
    manager = UserFactory(username="manager", office=office)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user", "add_user"])
    )
    colleague = UserFactory(username="colleague", office=office)
    client.force_login(manager)
    page = client.get(reverse("admin:registry_user_change", args=[colleague.pk]))
    form = page.context["adminform"].form
    assert "office" not in form.fields and "is_superuser" not in form.fields
    client.post(
        reverse("admin:registry_user_change", args=[colleague.pk]),
        {
            "username": "colleague",
            "office": other_office.pk,
            "is_superuser": "on",
            "is_active": "on",
            "is_staff": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    colleague.refresh_from_db()
    assert colleague.office == office and not colleague.is_superuser


def test_people_added_by_staff_join_the_staff_members_office(client, office):
    manager = UserFactory(username="manager", office=office, is_superuser=False)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_user", "change_user", "view_user"])
    )
    client.force_login(manager)
    response = client.post(
        reverse("admin:registry_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "gol-mok-2026!x",
            "password2": "gol-mok-2026!x",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newbie").office == office


# --- display ------------------------------------------------------------------------------


def test_won_formats_whole_won_with_thousands_separators():
    with translation.override("en"):
        assert won(1234567) == "1,234,567 won"
        assert won(Decimal("3000000000")) == "3,000,000,000 won"
        assert won(0) == "0 won"
        assert won(None) == ""
        assert won("abc") == "abc"


def test_brn_formats_ten_digits_as_xxx_xx_xxxxx():
    assert brn("2208162517") == "220-81-62517"
    assert brn("220-81-62517") == "220-81-62517"
    assert brn("12345") == "12345"
    rendered = Template("{% load golmok %}{{ n|brn }} {{ m|won }}").render(
        Context({"n": "1248100998", "m": 5000})
    )
    assert rendered.startswith("124-81-00998 ") and "5,000" in rendered


def test_the_admin_is_named_for_golmok():
    with translation.override("en"):
        assert str(admin.site.site_header) == "Golmok alley-economy registry"


def test_the_access_log_names_record_types_in_korean():
    from registry.admin.audit import record_type_name

    assert record_type_name("hotline.Case") == "민원"
    assert record_type_name("registry.Store") == "점포"
    assert record_type_name("nothing.Here") == "nothing.Here"
