"""The weekly report: the week it covers, what it counts, the page and its A4 PDF."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.clock import local_midnight
from dashboard.report import report_monday, week_activity
from hotline.models import Case
from tests.dashboard.conftest import role_user

pytestmark = pytest.mark.django_db


def test_the_week_is_monday_to_sunday_and_last_week_by_default():
    assert report_monday("2026-03-11") == date(2026, 3, 9)
    assert report_monday("2026-03-09") == date(2026, 3, 9)
    assert report_monday("2026-03-15") == date(2026, 3, 9)
    assert report_monday(today=date(2026, 12, 9)) == date(2026, 11, 30)
    with pytest.raises(ValueError):
        report_monday("09/03/2026")


def test_the_week_counts_the_events_within_it(offices):
    office, people = offices["seogu"]
    supervisor = role_user(office, "supervisor")
    monday = date(2026, 11, 30)
    inside = local_midnight(monday) + timedelta(days=2)
    cases = list(Case.objects.filter(office=office)[:3])
    Case.objects.filter(pk__in=[c.pk for c in cases[:2]]).update(received_at=inside)
    Case.objects.filter(pk=cases[2].pk).update(received_at=local_midnight(monday))
    Case.objects.exclude(pk__in=[c.pk for c in cases]).update(
        received_at=local_midnight(monday) - timedelta(seconds=1)
    )
    activity = week_activity(viewer=supervisor, office=office, monday=monday, weeks=[])
    lines = {line.key: line.value for line in activity.lines}
    assert lines["cases_received"] == 3
    assert activity.sunday == date(2026, 12, 6)
    operator = week_activity(viewer=people["operator"], office=office, monday=monday, weeks=[])
    assert [line.key for line in operator.lines] == ["cases_received", "cases_resolved"]


def test_the_report_page_and_its_pdf(client, offices):
    office, _people = offices["seogu"]
    client.force_login(role_user(office, "supervisor"))
    page = client.get("/dashboard/report/", {"week": "2026-12-02"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "광주광역시 서구" in html and "2026-11-30" in html and "<svg" in html
    assert "report.pdf?week=2026-11-30" in html
    pdf = client.get("/dashboard/report.pdf", {"week": "2026-12-02"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="golmok-weekly-29140-2026-11-30.pdf"'
    )
    assert pdf.content.startswith(b"%PDF-")
    assert "size: A4" in html


def test_a_week_that_cannot_be_read_is_refused_in_korean(client, office):
    client.force_login(role_user(office, "supervisor"))
    response = client.get("/dashboard/report/", {"week": "last tuesday"})
    assert response.status_code == 400
    assert "2026-03-09" in response.content.decode()


def test_the_report_is_for_staff_only(client, office):
    assert client.get("/dashboard/report.pdf").status_code == 302
    assert timezone.now()  # the anonymous request wrote nothing and raised nothing


def test_a_week_that_has_not_begun_is_refused_and_weeks_link_to_their_neighbours(client, office):
    client.force_login(role_user(office, "supervisor"))
    assert client.get("/dashboard/report/", {"week": "2999-01-01"}).status_code == 400
    with pytest.raises(ValueError):
        report_monday("2026-12-14", today=date(2026, 12, 9))
    html = client.get("/dashboard/report/", {"week": "2026-11-04"}).content.decode()
    assert "?week=2026-10-26" in html and "?week=2026-11-09" in html
