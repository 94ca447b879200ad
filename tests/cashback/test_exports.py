"""Taking the cashback lists away: payments and payout batches as the list shows them, money in
number cells, labels instead of stored values; no personal data, so nothing in the access log."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from cashback import services
from cashback.choices import PaymentStatus, PayoutStatus, Reason
from cashback.models import CampaignWeek
from core.choices import SIGN_IN_ACTIONS
from registry.choices import CertificateType
from registry.models import AccessLog
from tests.cashback.test_admin import record
from tests.registry.factories import UserFactory
from tests.support import read_csv, read_xlsx, sheet_rows

pytestmark = pytest.mark.django_db

PAYMENTS_CSV = reverse("admin:cashback_payment_export", args=["csv"])
PAYMENTS_XLSX = reverse("admin:cashback_payment_export", args=["xlsx"])
BATCHES_XLSX = reverse("admin:cashback_payoutbatch_export", args=["xlsx"])


@pytest.fixture
def manager_client(client, office):
    client.force_login(UserFactory(office=office, roles=["cashback_manager"]))
    return client


@pytest.fixture
def payments(alley_pay, eligible_store):
    granted = record(alley_pay, "r1", customer="c1", amount=57_300)
    below = record(alley_pay, "r2", customer="c2", amount=9_000)
    cancelled = record(alley_pay, "r3", customer="c3", amount=40_000)
    services.payment_cancel(campaign=alley_pay, ref="r3")
    return granted, below, cancelled


def test_payments_are_exported_with_money_as_numbers_and_labels(manager_client, payments):
    sheet = read_xlsx(manager_client.get(PAYMENTS_XLSX))

    header, *rows = sheet_rows(sheet)
    assert header[:6] == ["캐시백 사업", "거래 번호", "고객", "사업자등록번호", "상호", "금액(원)"]
    assert [row[1] for row in rows] == ["r3", "r2", "r1"]  # the list's order: newest first
    first = dict(zip(header, rows[2], strict=True))
    assert first["사업자등록번호"] == "220-81-62517"
    assert (first["금액(원)"], first["캐시백(원)"]) == (57_300, 2_865)
    assert first["상품권 종류"] == str(CertificateType.CARD.label)
    assert first["사유"] == str(Reason.GRANTED.label)
    assert first["상태"] == str(PaymentStatus.RECORDED.label)
    assert first["결제 일시"] == datetime(2026, 1, 10, 12, 0)  # Seoul wall-clock time
    assert first["주차"] == 1
    amount = sheet.cell(row=4, column=header.index("금액(원)") + 1)
    assert amount.number_format == "#,##0"
    assert not AccessLog.objects.exclude(action__in=SIGN_IN_ACTIONS).exists()


def test_the_payment_export_has_exactly_the_filtered_payments(manager_client, payments):
    header, *cancelled = read_csv(manager_client.get(PAYMENTS_CSV, {"status__exact": "cancelled"}))
    _header, *below = read_csv(manager_client.get(PAYMENTS_CSV, {"reason__exact": "below_minimum"}))
    _header, *searched = read_csv(manager_client.get(PAYMENTS_CSV, {"q": "c1"}))

    assert [row[1] for row in cancelled] == ["r3"]
    assert cancelled[0][header.index("취소 일시")] != ""
    assert [row[1] for row in below] == ["r2"]
    assert [row[1] for row in searched] == ["r1"]


def test_another_offices_manager_exports_none_of_the_payments(client, other_office, payments):
    client.force_login(UserFactory(office=other_office, roles=["cashback_manager"]))

    assert read_csv(client.get(PAYMENTS_CSV))[1:] == []


def test_payout_batches_are_exported_with_their_weeks_and_totals(
    manager_client, alley_pay, payments, clerk
):
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_prepare(week=week, user=clerk, today=date(2026, 2, 1))
    services.payout_export(batch=batch, user=clerk)

    header, row = sheet_rows(read_xlsx(manager_client.get(BATCHES_XLSX)))
    filtered = read_csv(
        manager_client.get(
            reverse("admin:cashback_payoutbatch_export", args=["csv"]),
            {"status__exact": "confirmed"},
        )
    )

    line = dict(zip(header, row, strict=True))
    assert line["캐시백 사업"] == alley_pay.name
    assert (line["주차"], line["시작일"], line["종료일"]) == (
        1,
        datetime(2026, 1, 9),
        datetime(2026, 1, 15),
    )
    assert line["상태"] == str(PayoutStatus.EXPORTED.label)
    assert (line["합계(원)"], line["고객 수"]) == (2_865, 1)
    assert filtered[1:] == []


def test_the_payment_list_offers_the_downloads(manager_client, payments):
    page = manager_client.get(reverse("admin:cashback_payment_changelist")).content.decode()

    assert PAYMENTS_XLSX in page
    assert PAYMENTS_CSV in page
