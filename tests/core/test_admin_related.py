"""The kit behind links between records: panels registered by model, shown only where their
list can be opened, and links only to the records the user may open."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from core.admin import related
from core.admin.related import RelatedPanel, panels_for, record_links, register_panel
from registry.admin.stores import CurrentDistrictFilter
from registry.models import District, Store
from tests.registry.factories import DesignatedDistrictFactory, MembershipFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_panels(monkeypatch):
    """An empty register for the test, leaving the apps' own panels as they were."""
    monkeypatch.setattr(related, "_PANELS", {})


def stores_panel(title="점포") -> RelatedPanel:
    return RelatedPanel(
        key="stores",
        title=title,
        model=Store,
        list_filter=CurrentDistrictFilter,
        order_by=("trade_name",),
    )


def get(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_a_panel_registered_again_under_its_key_replaces_the_first(no_panels):
    register_panel(District, stores_panel("처음"))
    register_panel(District, stores_panel("다시"))
    assert [p.title for p in panels_for(District)] == ["다시"]
    assert panels_for(Store) == []


def test_a_panel_whose_model_has_no_admin_on_the_site_is_not_shown(no_panels, clerk, office):
    district = DesignatedDistrictFactory(office=office)
    MembershipFactory(store=StoreFactory(office=office), district=district)
    register_panel(District, stores_panel())
    assert [p.count for p in related.related_panels(get(clerk), district, admin.site)] == [1]
    empty_site = admin.AdminSite(name="empty")
    assert related.related_panels(get(clerk), district, empty_site) == []


def test_a_panel_needs_its_own_permission_besides_the_list(no_panels, clerk, office):
    district = DesignatedDistrictFactory(office=office)
    register_panel(
        District,
        RelatedPanel(
            key="stores",
            title="점포",
            model=Store,
            list_filter=CurrentDistrictFilter,
            order_by=("trade_name",),
            permission="cashback.view_payment",
        ),
    )
    assert related.related_panels(get(clerk), district, admin.site) == []


def test_a_record_links_only_what_the_site_has_a_page_for(clerk, office):
    store = StoreFactory(office=office)
    membership = MembershipFactory(store=store)
    links = record_links(get(clerk), membership, ("store", "district"), admin.site)
    assert [link.url for link in links] == [
        f"/admin/registry/store/{store.pk}/change/",
        f"/admin/registry/district/{membership.district.pk}/change/",
    ]
    elsewhere = admin.AdminSite(name="elsewhere")
    assert record_links(get(clerk), membership, ("store",), elsewhere)[0].url is None
