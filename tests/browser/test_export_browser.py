"""A clerk takes a filtered list away, in a real browser: at once, and through a background job."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from registry.choices import StoreStatus
from tests.registry.factories import DongFactory, OfficeFactory, StoreFactory, UserFactory


def clerk_with_stores():
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    UserFactory(username="clerk", office=office, roles=["clerk"])
    for name in ("치평 국밥", "상무 분식", "풍암 떡집"):
        StoreFactory(office=office, dong=dong, trade_name=name, representative="홍길동")
    StoreFactory(
        office=office,
        dong=dong,
        trade_name="문 닫은 꽃집",
        status=StoreStatus.CLOSED,
        closed_on="2025-12-31",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_downloads_the_filtered_store_list_as_csv(live_server, page, sign_in, screenshot):
    clerk_with_stores()

    sign_in("clerk")
    page.goto(f"{live_server.url}/admin/registry/store/")
    page.locator("#changelist-filter").get_by_role("link", name="영업 중", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    screenshot("admin-store-list-exports")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="CSV로 내려받기").click()
    download = waiting.value

    assert download.suggested_filename.startswith("점포-")
    assert download.suggested_filename.endswith(".csv")
    body = Path(download.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header[:3] == ["사업자등록번호", "상호", "대표자"]
    assert sorted(row[1] for row in rows) == ["상무 분식", "치평 국밥", "풍암 떡집"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_long_list_is_made_in_the_background_and_downloaded_from_its_page(
    live_server, page, sign_in, settings, screenshot
):
    settings.EXPORT_ROWS_AT_ONCE = 2
    clerk_with_stores()

    sign_in("clerk")
    page.goto(f"{live_server.url}/admin/registry/store/")
    page.get_by_role("link", name="엑셀(XLSX)로 내려받기").click()

    expect(page.locator("#export-status")).to_have_text("완료")
    expect(page.locator("#export-progress")).to_have_attribute("value", "100")
    screenshot("admin-export-job")
    with page.expect_download() as waiting:
        page.locator("#export-download").click()
    download = waiting.value

    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["문 닫은 꽃집", "상무 분식", "치평 국밥", "풍암 떡집"]
