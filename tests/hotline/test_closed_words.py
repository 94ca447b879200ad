"""A closed hotline case is 종결 and a closed store is 폐업: the two share the English word
"Closed", so the case's words carry a message context (pgettext). Every page that names a
closed case's status says 종결, and the store's pages still say 폐업."""

import pytest
from django.urls import reverse

from hotline.choices import MOVE_LABELS, CaseStatus
from registry import services as registry
from registry.choices import StoreStatus
from tests.hotline.test_services import worked
from tests.support import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case(office, operator):
    return worked(office, operator, "closed")


def test_the_labels_differ_by_context():
    assert str(CaseStatus.CLOSED.label) == "종결"
    assert str(MOVE_LABELS[CaseStatus.CLOSED]) == "종결"
    assert str(StoreStatus.CLOSED.label) == "폐업"


def test_the_case_list_and_page_say_종결_never_폐업(client, supervisor, closed_case):
    client.force_login(supervisor)
    listed = client.get(reverse("admin:hotline_case_changelist"), {"status": "closed"})
    page = client.get(reverse("admin:hotline_case_change", args=[closed_case.pk]))
    for response in (listed, page):
        html = response.content.decode()
        assert response.status_code == 200
        assert "종결" in html
        assert "폐업" not in html


def test_the_case_export_says_종결(client, supervisor, closed_case):
    client.force_login(supervisor)
    response = client.get(reverse("admin:hotline_case_export", args=["csv"]))
    rows = read_csv(response)
    assert "종결" in rows[1]
    assert "폐업" not in rows[1]


def test_a_closed_store_still_says_폐업(client, clerk, office, store):
    registry.store_close(store=store, user=clerk)
    client.force_login(clerk)
    html = client.get(reverse("admin:registry_store_changelist"), {"status": "closed"})
    assert "폐업" in html.content.decode()
