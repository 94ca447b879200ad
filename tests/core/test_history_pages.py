"""The admin's history pages read in Korean: their words, the choices by label, flags as 예 and
아니요, and every time in Asia/Seoul, whatever django-simple-history keeps."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from registry import services
from registry.models import District, Store
from tests.registry.factories import DistrictFactory, DongFactory

pytestmark = pytest.mark.django_db
ENGLISH = ("Object", "Comment", "Changed by", "Change reason", "View history", "None", "True")


def history_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    content = html[html.index('id="content"') :]
    text = re.sub(r"<[^>]+>", " ", content).replace("&nbsp;", " ").replace("&rarr;", "→")
    return re.sub(r"\s+", " ", text)


def test_a_stores_history_is_korean_and_in_seoul_time(client, clerk, office, dong):
    other_dong = DongFactory(office=office, name="풍암동")
    store = services.store_register(
        office=office,
        user=clerk,
        business_number="220-81-62517",
        trade_name="치평 국밥",
        representative="김상인",
        dong=dong,
        ksic_code="56111",
    )
    services.store_update(store=store, user=clerk, dong=other_dong, is_small_business=False)
    services.store_close(store=store, user=clerk, closed_on=datetime(2026, 3, 9).date())
    # The three versions were kept at 01:00, 02:00 and 03:00 UTC: 10, 11 and 12 o'clock in Seoul.
    for hour, record in enumerate(store.history.order_by("history_id"), start=1):
        at = datetime(2026, 3, 9, hour, tzinfo=UTC)
        Store.history.filter(pk=record.pk).update(history_date=at)
    client.force_login(clerk)

    text = history_text(client, f"/admin/registry/store/{store.pk}/history/")

    assert "치평 국밥 (220-81-62517) 변경 이력" in text
    for words in ("버전", "일시", "구분", "처리자", "사유", "변경 내용"):
        assert words in text
    assert "2026-03-09 10:00" in text and "2026-03-09 12:00" in text
    assert "01:00" not in text and "+00:00" not in text
    assert "상태: 영업 중 → 폐업" in text
    assert "폐업일: — → 2026-03-09" in text
    assert "소상공인: 예 → 아니요" in text
    assert "행정동: 치평동 → 풍암동" in text
    assert "등록" in text and "변경" in text
    assert not [word for word in ENGLISH if word in text], text


def test_a_time_changed_in_a_record_is_shown_in_seoul_time(client, clerk, office):
    district = DistrictFactory(office=office, name="상무 골목")
    district.decided_at = datetime(2026, 3, 9, 6, 30, tzinfo=UTC)
    district.save()
    client.force_login(clerk)

    text = history_text(client, f"/admin/registry/district/{district.pk}/history/")

    assert "처리 일시: — → 2026-03-09 15:30" in text
    assert District.objects.get(pk=district.pk).decided_at.hour == 6  # kept in UTC
