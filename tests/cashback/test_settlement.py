import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cashback import services
from cashback.models import CampaignWeek, CustomerWeek, LedgerEntry, Payment
from cashback.selectors import ledger_disagreements
from cashback.services import PaymentInput, WeekOverride
from cashback.settlement import COLUMNS, SettlementRefused, settle_payments, staging
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
HEADER = "ref,customer,business_number,amount,method,paid_at\n"


def csv_of(rows) -> str:
    return HEADER + "".join(",".join(str(v) for v in row) + "\n" for row in rows)


def settle(campaign, text):
    return settle_payments(campaign=campaign, stream=io.StringIO(text))


def test_a_file_is_decided_like_the_live_path(alley_pay, eligible_store):
    text = csv_of(
        [
            ("a", "c1", "220-81-62517", 57_300, "card", "2026-01-09T10:00:00+09:00"),
            ("b", "c1", "2208162517", 200_000, "mobile", "2026-01-09T11:00:00"),
            ("c", "c2", "2208162517", 10_000, "card", "2026-01-09T12:00:00Z"),
            ("d", "c3", "1248100998", 50_000, "card", "2026-01-16T00:00:00+09:00"),
            ("e", "c3", "2208162517", 50_000, "paper", "2026-04-03T00:00:00+09:00"),
        ]
    )
    result = settle(alley_pay, text)
    decided = {
        p.ref: (p.week and p.week.number, p.cashback, p.reason) for p in Payment.objects.all()
    }
    assert decided == {
        "a": (1, 2_865, "granted"),
        "b": (1, 7_135, "partial"),
        "c": (1, 0, "below_minimum"),
        "d": (2, 0, "store_not_registered"),
        "e": (None, 0, "outside_campaign"),
    }
    assert (result.rows, result.recorded, result.skipped) == (5, 5, 0)
    assert result.weeks[1].granted == 10_000
    assert CustomerWeek.objects.get(customer="c1").held == 10_000
    assert ledger_disagreements(alley_pay) == []


def test_rows_are_decided_in_paid_at_then_ref_order_not_file_order(office, clerk, eligible_store):
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="small",
        name="small",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 1, 15),
        weekly_budget=1_000,
    )
    settle(
        campaign,
        csv_of(
            [
                ("z-late", "c1", "2208162517", 20_000, "card", "2026-01-10T12:00:00"),
                ("b-same-time", "c2", "2208162517", 20_000, "card", "2026-01-10T09:00:00"),
                ("a-same-time", "c3", "2208162517", 20_000, "card", "2026-01-10T09:00:00"),
            ]
        ),
    )
    granted = Payment.objects.get(cashback__gt=0)
    assert granted.ref == "a-same-time"
    assert CampaignWeek.objects.get(campaign=campaign).exhausted_at == datetime(
        2026, 1, 10, 9, tzinfo=SEOUL
    )


def test_refs_already_recorded_are_skipped(alley_pay, eligible_store):
    data = PaymentInput.parse(
        ref="live-1",
        customer="c1",
        business_number="2208162517",
        amount=100_000,
        method="card",
        paid_at=datetime(2026, 1, 9, 9, tzinfo=SEOUL),
    )
    services.payment_record(campaign=alley_pay, data=data)
    result = settle(
        alley_pay,
        csv_of(
            [
                ("live-1", "c1", "2208162517", 100_000, "card", "2026-01-09T09:00:00"),
                ("file-1", "c1", "2208162517", 200_000, "card", "2026-01-09T10:00:00"),
            ]
        ),
    )
    assert (result.recorded, result.skipped) == (1, 1)
    # The live payment's 5,000 counts against the customer's cap in the file too.
    assert Payment.objects.get(ref="file-1").cashback == 5_000
    assert ledger_disagreements(alley_pay) == []


def test_the_same_file_twice_records_nothing_more(alley_pay, eligible_store):
    text = csv_of([("a", "c1", "2208162517", 57_300, "card", "2026-01-09T10:00:00")])
    settle(alley_pay, text)
    again = settle(alley_pay, text)
    assert (again.recorded, again.skipped) == (0, 1)
    assert Payment.objects.count() == 1 and LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (("x", "c", "220-81-62518", 20_000, "card", "2026-01-09T10:00:00"), "220-81-62518"),
        (("x", "c", "2208162517", "2만원", "card", "2026-01-09T10:00:00"), "amount"),
        (("x", "c", "2208162517", 0, "card", "2026-01-09T10:00:00"), "amount"),
        (("x", "c", "2208162517", 20_000, "cash", "2026-01-09T10:00:00"), "method"),
        (("x", "c", "2208162517", 20_000, "card", "어제"), "paid_at"),
        (("", "c", "2208162517", 20_000, "card", "2026-01-09T10:00:00"), "ref"),
        (("x", "c", "2208162517", 20_000, "card"), "열이 6개"),
        (("x", "c", "2208162517", 2**63, "card", "2026-01-09T10:00:00"), "amount"),
        (("x\x00", "c", "2208162517", 20_000, "card", "2026-01-09T10:00:00"), "NUL"),
        (("x", "c", "2208162517", 20_000, "card", "0001-01-01T00:00:00"), "paid_at"),
        (("x", "c", "2208162517", 20_000, "card", "9999-12-31T23:00:00-09:00"), "paid_at"),
    ],
)
def test_a_malformed_row_stops_the_run_and_names_its_line(alley_pay, eligible_store, row, fragment):
    good = ("ok", "c", "2208162517", 20_000, "card", "2026-01-09T09:00:00")
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, csv_of([good, ("ok2", *good[1:]), row]))
    line, message = exc.value.problems[-1]
    assert line == 4 and fragment in message
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()


NOT_A_NUMBER = "은(는) 유효한 사업자등록번호가 아닙니다."
GOOD = ("ok", "c", "2208162517", "20000", "card", "2026-01-09T09:00:00")
COLUMN = {name: index for index, name in enumerate(COLUMNS)}


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("ref", "", "ref는 1~64자여야 합니다"),
        ("ref", "r" * 65, "ref는 1~64자여야 합니다"),
        ("ref", "r\x00", "ref와 customer에는 NUL 문자를 쓸 수 없습니다"),
        ("customer", "", "customer는 1~64자여야 합니다"),
        ("customer", "c" * 65, "customer는 1~64자여야 합니다"),
        ("customer", "c\x00", "ref와 customer에는 NUL 문자를 쓸 수 없습니다"),
        ("business_number", "220-81-62518", "220-81-62518" + NOT_A_NUMBER),
        (
            "business_number",
            "２２０８１６２５１７",
            "２２０８１６２５１７" + NOT_A_NUMBER,
        ),
        ("amount", "0", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", "-5", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", "1.5", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", "20000.0", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", "+20000", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", "2_0000", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("amount", str(2**63), "amount가 너무 큽니다"),
        ("amount", "²", "amount는 0원보다 큰 원 단위 정수여야 합니다"),
        ("method", "Card", "method는 paper, card, mobile 중 하나여야 합니다"),
        ("paid_at", "soon", "paid_at이 날짜와 시간 형식이 아닙니다"),
        ("paid_at", "0001-01-01T00:00:00", "paid_at이 날짜와 시간 형식이 아닙니다"),
    ],
)
def test_each_malformed_cell_is_named_with_its_own_message(
    alley_pay, eligible_store, column, value, message
):
    row = list(GOOD)
    row[COLUMN[column]] = value
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, csv_of([row]))
    assert exc.value.problems == [(2, message)]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("business_number", "2-2-0-8-1-6-2-5-1-7----------"),
        ("business_number", "220\t81\t62517"),
        ("amount", " 20000 "),
        ("amount", "２００００"),
        ("method", " card "),
        ("paid_at", "2026-01-09 09:00"),
        ("paid_at", "20260109T090000"),
        ("paid_at", "2026-01-09T00:00:00Z"),
        ("paid_at", "2026-01-09T09:00:00+0900"),
        ("paid_at", "2026-01-09"),
    ],
)
def test_a_file_may_write_the_cells_in_these_forms(alley_pay, eligible_store, column, value):
    row = list(GOOD)
    row[COLUMN[column]] = value
    assert settle(alley_pay, csv_of([row])).recorded == 1
    assert Payment.objects.get().amount == 20_000


@pytest.mark.parametrize(
    ("number", "message"),
    [("", '""' + NOT_A_NUMBER), (" 220-81-62518 ", "220-81-62518" + NOT_A_NUMBER)],
)
def test_a_bad_business_number_is_named_as_registry_names_it(
    alley_pay, eligible_store, number, message
):
    row = list(GOOD)
    row[COLUMN["business_number"]] = number
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, csv_of([row]))
    assert exc.value.problems == [(2, message)]


@pytest.mark.parametrize(
    "number", ["220-81-62517", "220 81 62517", "220\t81\t62517", " 2208162517 ", "220-81-62518"]
)
def test_the_file_and_the_api_read_a_business_number_alike(
    alley_pay, eligible_store, office, number
):
    client = APIClient()
    client.force_authenticate(UserFactory(office=office, roles=["payment_operator"]))
    posted = client.post(
        "/api/v1/cashback/campaigns/alleypay-2026/payments/",
        {
            "ref": "api",
            "customer": "c",
            "business_number": number,
            "amount": 20_000,
            "method": "card",
            "paid_at": "2026-01-09T09:00:00",
        },
        format="json",
    )
    api = "recorded" if posted.status_code == 201 else posted.json()["business_number"][0]
    row = ["file", *GOOD[1:]]
    row[COLUMN["business_number"]] = number
    try:
        settle(alley_pay, csv_of([row]))
        filed = "recorded"
    except SettlementRefused as exc:
        [(_line, filed)] = exc.problems
    assert filed == api


def test_a_ref_twice_in_the_file_with_different_content_is_malformed(alley_pay, eligible_store):
    with pytest.raises(SettlementRefused) as exc:
        settle(
            alley_pay,
            csv_of(
                [
                    ("a", "c1", "2208162517", 20_000, "card", "2026-01-09T09:00:00"),
                    ("a", "c1", "2208162517", 30_000, "card", "2026-01-09T09:00:00"),
                ]
            ),
        )
    assert exc.value.problems == [(3, "ref a이(가) 2행에 다른 내용으로 있습니다")]
    assert not Payment.objects.exists()


def test_a_wrong_header_is_refused_on_line_one(alley_pay):
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, "id,who,brn,won,type,when\n")
    assert exc.value.problems[0][0] == 1


def test_the_command_prints_a_weekly_summary(alley_pay, eligible_store, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text(
        csv_of([("a", "c1", "2208162517", 57_300, "card", "2026-01-09T10:00:00")]),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("settle_payments", "alleypay-2026", str(path), stdout=out, no_progress=True)
    text = out.getvalue()
    assert "1" in text and "2,865" in text


def test_the_command_lists_bad_lines_and_fails(alley_pay, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text(csv_of([("a", "c1", "0000000000", 1, "card", "x")]), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("settle_payments", "alleypay-2026", str(path), stderr=err, no_progress=True)
    assert err.getvalue().startswith("line 2:") or "2" in err.getvalue()
    assert not Payment.objects.exists()


def test_an_unknown_campaign_is_refused(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("settle_payments", "nope", str(tmp_path / "x.csv"))


# --- The live path and the file give the same grants -------------------------------------

payments = st.lists(
    st.tuples(
        st.integers(0, 5),  # customer
        st.integers(0, 2),  # store: two eligible, one not a member
        st.sampled_from([10_000, 20_000, 57_300, 99_999, 150_000, 400_000]),
        st.sampled_from(["card", "mobile", "paper"]),
        st.integers(-2 * 24 * 60, 16 * 24 * 60),  # minutes from the first day
    ),
    min_size=1,
    max_size=40,
)


_campaigns = iter(range(10**6))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stream=payments, budget=st.sampled_from([2_500, 7_000, 50_000]))
def test_random_streams_give_the_same_grants_live_and_from_a_file(
    office, clerk, three_stores, stream, budget
):
    first_day = date(2026, 1, 9)
    made = []
    for _ in range(2):
        made.append(
            services.campaign_create(
                office=office,
                user=clerk,
                code=f"prop-{next(_campaigns)}",
                name="p",
                first_day=first_day,
                last_day=first_day + timedelta(days=13),
                weekly_budget=budget,
                week_overrides=[WeekOverride(2, budget=budget * 2, cap=15_000)],
            )
        )
    live, filed = made
    rows = []
    for index, (customer, store, amount, method, minutes) in enumerate(stream):
        paid_at = datetime(2026, 1, 9, tzinfo=SEOUL) + timedelta(minutes=minutes)
        rows.append(
            (
                f"r{index:03d}",
                f"c{customer}",
                three_stores[store].business_number,
                amount,
                method,
                paid_at,
            )
        )
    for ref, customer, number, amount, method, paid_at in sorted(rows, key=lambda r: (r[5], r[0])):
        data = PaymentInput.parse(
            ref=ref,
            customer=customer,
            business_number=number,
            amount=amount,
            method=method,
            paid_at=paid_at,
        )
        services.payment_record(campaign=live, data=data)
    settle(filed, csv_of((*r[:5], r[5].isoformat()) for r in rows))

    def outcome(campaign):
        return {
            p.ref: (p.week and p.week.number, p.cashback, p.reason)
            for p in Payment.objects.filter(campaign=campaign).select_related("week")
        }

    assert outcome(filed) == outcome(live)
    for campaign in (live, filed):
        assert ledger_disagreements(campaign) == []
        for week in campaign.weeks.all():
            assert 0 <= week.granted <= week.budget
            assert all(h <= week.cap for h in week.customers.values_list("held", flat=True))
    live_weeks = list(live.weeks.order_by("number").values_list("granted", "exhausted_at"))
    filed_weeks = list(filed.weeks.order_by("number").values_list("granted", "exhausted_at"))
    assert live_weeks == filed_weeks


def test_an_identical_repeat_in_a_file_is_one_payment_and_a_clash_refuses_the_next_file(
    office, clerk, eligible_store
):
    rows = [
        (
            f"r{i}",
            f"c{i % 7}",
            "2208162517",
            20_000 + 7_919 * i,
            ("card", "mobile", "paper")[i % 3],
            f"2026-01-{9 + i % 20:02d}T{i % 24:02d}:00:00",
        )
        for i in range(120)
    ]
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code="repeat",
        name="p",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 2, 5),
        weekly_budget=40_000,
    )
    result = settle(campaign, csv_of([*rows, rows[0]]))
    assert (result.rows, result.recorded, result.skipped) == (121, 120, 1)
    assert ledger_disagreements(campaign) == []
    payments, *_rest = outcome(campaign)
    assert any(reason == "budget_exhausted" for *_rest, reason, _status in payments)
    with pytest.raises(SettlementRefused):
        settle(
            campaign,
            csv_of(
                [
                    ("x", "other", "2208162517", 1, "card", "2026-01-09"),
                    ("x", "other2", "2208162517", 1, "card", "2026-01-09"),
                ]
            ),
        )
    assert Payment.objects.filter(campaign=campaign).count() == 120


# --- Batches, the write path and what it leaves behind ------------------------------------


def outcome(campaign):
    """Everything a settlement leaves behind, for comparing two runs of the same file."""
    return (
        sorted(
            Payment.objects.filter(campaign=campaign).values_list(
                "ref", "week__number", "store_id", "cashback", "reason", "status"
            )
        ),
        list(campaign.weeks.order_by("number").values_list("granted", "exhausted_at")),
        sorted(
            CustomerWeek.objects.filter(week__campaign=campaign).values_list(
                "week__number", "customer", "held"
            )
        ),
        sorted(
            LedgerEntry.objects.filter(week__campaign=campaign).values_list(
                "payment__ref", "week__number", "customer", "kind", "amount"
            )
        ),
    )


def many_rows(count):
    return [
        (
            f"r{i:03d}",
            f"c{i % 5}",
            "2208162517",
            15_000 + 13_331 * (i % 11),
            ("card", "mobile", "paper")[i % 3],
            f"2026-01-{8 + i % 17:02d}T{i % 24:02d}:{i:02d}:00",
        )
        for i in range(count)
    ]


def test_small_batches_settle_exactly_like_one_batch(office, clerk, eligible_store, monkeypatch):
    text = csv_of(many_rows(60))
    outcomes = []
    for batch in (staging.BATCH, 4):
        monkeypatch.setattr(staging, "BATCH", batch)
        campaign = services.campaign_create(
            office=office,
            user=clerk,
            code=f"batch-{batch}",
            name="b",
            first_day=date(2026, 1, 9),
            last_day=date(2026, 2, 5),
            weekly_budget=30_000,
        )
        result = settle(campaign, text)
        assert (result.rows, result.recorded, result.skipped) == (60, 60, 0)
        assert ledger_disagreements(campaign) == []
        outcomes.append(outcome(campaign))
        payments = Payment.objects.filter(campaign=campaign)
        # Ids follow the order of the decisions, and the whole file is recorded at one moment.
        assert list(payments.order_by("id").values_list("ref", flat=True)) == list(
            payments.order_by("paid_at", "ref").values_list("ref", flat=True)
        )
        stamps = set(payments.values_list("recorded_at", flat=True))
        entries = LedgerEntry.objects.filter(payment__campaign=campaign)
        assert len(stamps) == 1 and set(entries.values_list("created_at", flat=True)) == stamps
    assert outcomes[0] == outcomes[1]
    assert {reason for *_rest, reason, _status in outcomes[0][0]} >= {
        "granted",
        "partial",
        "weekly_cap_reached",
        "budget_exhausted",
        "outside_campaign",
        "method_not_eligible",
        "below_minimum",
    }


def test_progress_is_reported_while_reading_and_deciding(alley_pay, eligible_store, monkeypatch):
    monkeypatch.setattr(staging, "BATCH", 3)
    calls = []
    settle_payments(
        campaign=alley_pay,
        stream=io.StringIO(csv_of(many_rows(7))),
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )
    assert calls == [
        ("read", 3, 0),
        ("read", 6, 0),
        ("decide", 3, 7),
        ("decide", 6, 7),
        ("decide", 7, 7),
    ]


def test_cells_are_read_without_the_spaces_around_them(alley_pay, eligible_store):
    settle(alley_pay, HEADER + " a , c1 , 220-81-62517 , 57300 , card , 2026-01-09T10:00:00Z \n")
    payment = Payment.objects.get()
    assert (payment.ref, payment.customer, payment.business_number, payment.amount) == (
        "a",
        "c1",
        "2208162517",
        57_300,
    )
    assert (payment.method, payment.paid_at, payment.cashback) == (
        "card",
        datetime(2026, 1, 9, 19, tzinfo=SEOUL),
        2_865,
    )


def test_an_identical_repeat_is_not_a_clash_but_a_different_one_is(alley_pay, eligible_store):
    first = ("a", "c1", "2208162517", 20_000, "card", "2026-01-09T09:00:00")
    other = ("b", "c1", "2208162517", 20_000, "card", "2026-01-09T09:00:00")
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, csv_of([first, other, first, (*other[:3], 30_000, *other[4:])]))
    assert exc.value.problems == [(5, "ref b이(가) 3행에 다른 내용으로 있습니다")]


def staged_tables() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class "
            "WHERE relnamespace = pg_my_temp_schema() AND relname LIKE 'settle%%'"
        )
        return [name for (name,) in cursor.fetchall()]


def test_a_frozen_week_refuses_the_file_with_earlier_batches_written(
    alley_pay, eligible_store, clerk, monkeypatch
):
    data = PaymentInput.parse(
        ref="live",
        customer="c9",
        business_number="2208162517",
        amount=20_000,
        method="card",
        paid_at=datetime(2026, 1, 9, 9, tzinfo=SEOUL),
    )
    services.payment_record(campaign=alley_pay, data=data)
    week = CampaignWeek.objects.get(campaign=alley_pay, number=1)
    batch = services.payout_prepare(week=week, user=clerk, today=date(2026, 1, 16))
    services.payout_export(batch=batch, user=clerk)
    services.payout_confirm(batch=batch, user=clerk)
    monkeypatch.setattr(staging, "BATCH", 2)
    early = [
        (f"e{i}", "c1", "2208162517", 20_000, "card", f"2026-01-0{1 + i}T10:00:00")
        for i in range(5)
    ]
    late = ("w1", "c1", "2208162517", 20_000, "card", "2026-01-10T10:00:00")
    with pytest.raises(SettlementRefused) as exc:
        settle(alley_pay, csv_of([late, *early]))
    assert [line for line, _message in exc.value.problems] == [2]
    assert list(Payment.objects.values_list("ref", flat=True)) == ["live"]
    assert staged_tables() == []


def test_a_failing_write_stops_the_run_with_its_own_error(alley_pay, eligible_store, monkeypatch):
    monkeypatch.setattr(staging, "BATCH", 2)
    write = staging.Staging._write
    calls = []

    def fails_second(self, decided):
        calls.append(len(decided))
        if len(calls) == 2:
            self.io.execute("SELECT 1 / 0")
        write(self, decided)

    monkeypatch.setattr(staging.Staging, "_write", fails_second)
    with pytest.raises(psycopg.errors.DivisionByZero):
        settle(alley_pay, csv_of(many_rows(7)))
    assert not Payment.objects.exists() and not LedgerEntry.objects.exists()
    assert staged_tables() == []


def test_the_staging_tables_are_dropped_after_a_run(alley_pay, eligible_store):
    settle(alley_pay, csv_of(many_rows(5)))
    assert staged_tables() == []
    with pytest.raises(SettlementRefused):
        settle(alley_pay, csv_of([("x", "c", "0000000000", 1, "card", "x")]))
    assert staged_tables() == []


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stream=payments, cancelled=st.sets(st.integers(min_value=0, max_value=40)))
def test_each_weeks_beneficiaries_are_the_customers_whose_recorded_payments_earned(
    office, clerk, three_stores, stream, cancelled
):
    """`campaign_week_figures` counts the customers' weeks holding cashback; after any mix of
    payments and cancellations that is the distinct customers of the week's recorded payments
    that earned, as counted over the payments themselves."""
    from django.db.models import Count, Q

    from cashback.selectors import campaign_week_figures

    first_day = date(2026, 1, 9)
    campaign = services.campaign_create(
        office=office,
        user=clerk,
        code=f"ben-{next(_campaigns)}",
        name="b",
        first_day=first_day,
        last_day=first_day + timedelta(days=13),
        weekly_budget=20_000,
    )
    for index, (customer, store, amount, method, minutes) in enumerate(stream):
        data = PaymentInput.parse(
            ref=f"r{index:03d}",
            customer=f"c{customer}",
            business_number=three_stores[store].business_number,
            amount=amount,
            method=method,
            paid_at=datetime(2026, 1, 9, tzinfo=SEOUL) + timedelta(minutes=minutes),
        )
        services.payment_record(campaign=campaign, data=data)
    for index in sorted(cancelled):
        if index < len(stream):
            services.payment_cancel(campaign=campaign, ref=f"r{index:03d}")
    counted = dict(
        Payment.objects.filter(campaign=campaign, status="recorded", cashback__gt=0)
        .values_list("week__number")
        .annotate(n=Count("customer", distinct=True, filter=Q(cashback__gt=0)))
        .values_list("week__number", "n")
    )
    figures = {w.week: w.beneficiaries for w in campaign_week_figures(campaign)}
    assert figures == {number: counted.get(number, 0) for number in figures}
