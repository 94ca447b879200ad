"""The public pages of support programmes (SPEC 7): a programme's page and its form, every
refusal named in Korean with nothing written, bad input, the window's closing moment, the
confirmation, the status look-up, and the limits on repeated tries."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.notify import MemorySmsSender
from programmes import limits, services
from programmes.models import Application, LedgerEntry
from registry.models import RestrictedBusinessType
from tests.programmes.conftest import apply, seoul
from tests.programmes.factories import DigitDayFactory
from tests.registry.factories import DongFactory, StoreFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
STATUS = reverse("programmes:status")
DONE = reverse("programmes:done")


@pytest.fixture(autouse=True)
def _clean(settings):
    cache.clear()
    settings.GOLMOK_SMS_SENDER = "core.notify.MemorySmsSender"
    MemorySmsSender.outbox.clear()


@pytest.fixture
def now(monkeypatch, settings):
    """Set the clock the pages and the services read: now(seoul(2026, 8, 1, 10)). The limits
    count in a cache that keeps real time, as the database cache would not under a set clock."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()

    def set_to(moment):
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
        return moment

    return set_to


def page(programme) -> str:
    return reverse("programmes:programme", kwargs={"code": programme.code})


def entitlement_form(store, **overrides) -> dict:
    data = {
        "business_number": store.business_number,
        "applicant": "김상인",
        "phone": "010-2345-6789",
        "annual_sales": "120,000,000",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def competitive_form(store, **overrides) -> dict:
    data = entitlement_form(store)
    data |= {
        "requested": "15,000,000",
        "plan": "지역 식재료 공동구매 플랫폼 구축",
        "line_item": ["플랫폼 개발", "홍보물 제작"],
        "line_amount": ["12,000,000", "3,000,000"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def nothing_written(programme) -> bool:
    programme.refresh_from_db()
    return (
        not Application.objects.filter(programme=programme).exists()
        and not LedgerEntry.objects.filter(programme=programme).exists()
        and programme.awarded == 0
        and MemorySmsSender.outbox == []
    )


def field_errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {field: [e.code for e in errors.as_data()] for field, errors in form.errors.items()}


# --- the programme's page ------------------------------------------------------------------


def test_an_entitlement_programme_shows_its_terms_rules_digit_days_and_remaining_budget(
    client, relief, office, dong, now
):
    now(seoul(2026, 8, 1, 10))
    relief.opened_before = date(2026, 1, 1)
    relief.description = "고금리·고물가로 어려운 소상공인의 부담을 덜어 드립니다."
    relief.save()
    relief.dongs.add(dong)
    RestrictedBusinessType.objects.create(office=office, ksic_code="56219", name="기타 주점업")
    DigitDayFactory(programme=relief, day=date(2026, 7, 14), digits="16")
    DigitDayFactory(programme=relief, day=date(2026, 7, 15), digits="27")

    response = client.get(page(relief))
    text = response.text

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert '<html lang="ko">' in text
    assert "광주광역시 서구" in text and "지원사업" in text  # the office in the header
    assert "소상공인 부담경감 크레딧" in text and "부담을 덜어 드립니다" in text
    assert "신청형(선착순)" in text
    assert "2026년 7월 14일(화) 09:00부터 2026년 12월 31일(목) 18:00까지(한국 시간)" in text
    assert "신청 접수 중" in text
    assert "500,000원" in text and "10,000,000원" in text
    for rule in (
        "광주광역시 서구 사업자 등록부에 등록된 사업자",
        "영업 중인 사업자(폐업·휴업 제외)",
        "연 매출액 0원 초과",
        "연 매출액 300,000,000원 이하",
        "2026년 1월 1일(목) 이전 개업",
        "사업장 소재지: 치평동",
        "제한 업종(기타 주점업)이 아닌 사업자",
    ):
        assert rule in text, rule
    assert "5부제 신청일" in text
    assert "2026년 7월 14일(화)</td><td>1, 6" in text
    assert 'name="business_number"' in text and 'name="line_item"' not in text


def test_the_remaining_budget_falls_as_awards_are_made(client, relief, business, now):
    now(seoul(2026, 8, 1, 10))
    apply(relief, business, at=seoul(2026, 8, 1, 9))
    assert "9,500,000원" in client.get(page(relief)).text


def test_a_competitive_programme_shows_its_largest_award_and_the_budget_table(client, growth, now):
    now(seoul(2026, 3, 10, 10))
    text = client.get(page(growth)).text

    assert "공모형(위원회 심사)" in text
    assert "최대 지원금" in text and "20,000,000원" in text
    assert text.count('name="line_item"') == 2 and 'name="requested"' in text
    assert "남은 예산" not in text


@pytest.mark.parametrize(
    ("moment", "notice"),
    [
        (seoul(2026, 3, 2, 8, 59, 59), "신청은 2026년 3월 2일(월) 09:00에 시작합니다"),
        (seoul(2026, 3, 25, 18), "신청은 2026년 3월 25일(수) 18:00에 마감되었습니다"),
    ],
)
def test_outside_the_window_the_page_says_so_and_shows_no_form(client, growth, now, moment, notice):
    now(moment)
    text = client.get(page(growth)).text

    assert notice in text
    assert 'name="business_number"' not in text


def test_an_unknown_programme_is_a_korean_404(client, office):
    response = client.get("/programmes/no-such-thing/")
    assert response.status_code == 404


# --- applying ------------------------------------------------------------------------------


def test_an_entitlement_application_is_awarded_and_the_done_page_says_what_was_sent(
    client, relief, business, now, django_capture_on_commit_callbacks
):
    now(seoul(2026, 8, 1, 10))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(relief), entitlement_form(business))

    assert response.status_code == 302 and response["Location"] == DONE
    application = Application.objects.get()
    assert (application.status, application.award, application.annual_sales) == (
        "awarded",
        500_000,
        120_000_000,
    )
    assert (application.applicant, application.phone, application.entered_by) == (
        "김상인",
        "01023456789",
        None,
    )
    assert [m["to"] for m in MemorySmsSender.outbox] == ["01023456789"]
    assert "500,000원이 확정되었습니다" in MemorySmsSender.outbox[0]["text"]

    done = client.get(DONE).text
    assert application.number_display in done
    assert "지원 확정" in done and "500,000원" in done
    assert "010-****-6789 번호로 다음 문자 메시지를 보냈습니다." in done
    assert MemorySmsSender.outbox[0]["text"] in done


def test_a_competitive_application_keeps_its_plan_budget_lines_and_attachments(
    client, growth, business, now
):
    now(seoul(2026, 3, 10, 10))
    form = competitive_form(business)
    form["attachments"] = [
        SimpleUploadedFile("계획서.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("사진.pdf", PDF, content_type="application/pdf"),
    ]
    response = client.post(page(growth), form)

    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.status, application.requested, application.award) == (
        "submitted",
        15_000_000,
        None,
    )
    assert list(application.budget_lines.values_list("item", "amount")) == [
        ("플랫폼 개발", 12_000_000),
        ("홍보물 제작", 3_000_000),
    ]
    assert application.attachments.count() == 2
    done = client.get(DONE).text
    assert "신청이 접수되었습니다. 접수 번호: " + application.number_display in done
    assert "지원 확정" not in done


def test_the_same_form_sent_twice_shows_the_first_confirmation_again(client, relief, business, now):
    now(seoul(2026, 8, 1, 10))
    client.post(page(relief), entitlement_form(business))
    again = client.post(page(relief), entitlement_form(business))

    assert again.status_code == 302 and again["Location"] == DONE
    assert Application.objects.count() == 1


# Each refusal of SPEC 7, set up on its own, with the Korean words that name its rule.
REFUSALS = {
    "outside_window": "신청 기간이 시작되지 않았거나 끝났습니다",
    "digit_day": "끝자리가 1, 6인 사업자만 신청할 수 있습니다",
    "not_registered": "사업자 등록부에 없습니다",
    "duplicate": "이미 이 지원사업에 신청했습니다",
    "budget_exhausted": "예산이 모두 소진되어",
    "not_eligible:active": "영업 중인 사업자로 되어 있지 않습니다",
    "not_eligible:annual_sales_min_exclusive": "연 매출액이 0원을 넘어야 합니다",
    "not_eligible:annual_sales_max": "상한인 300,000,000원을 넘습니다",
    "not_eligible:opened_before": "2026년 1월 1일(목) 이전에 개업한 사업자만",
    "not_eligible:enterprise_types": "정해진 유형의 사회적경제기업만",
    "not_eligible:dongs": "대상 동에 있지 않습니다",
    "not_eligible:restricted_business_type": "제한 업종에 해당합니다",
}


def _refusal_case(reason, relief, business, office, now) -> dict:
    """Arrange the refusal; the form to send."""
    now(seoul(2026, 8, 1, 10))
    form = entitlement_form(business)
    match reason:
        case "outside_window":
            now(seoul(2026, 12, 31, 18))
        case "digit_day":
            DigitDayFactory(programme=relief, day=date(2026, 8, 1), digits="16")
        case "not_registered":
            form["business_number"] = "1248100998"
        case "duplicate":
            apply(relief, business, at=seoul(2026, 8, 1, 9))
        case "budget_exhausted":
            relief.budget = 500_000
            relief.save()
            apply(relief, StoreFactory(office=office), at=seoul(2026, 8, 1, 9))
        case "not_eligible:active":
            business.status, business.closed_on = "closed", date(2026, 6, 30)
            business.save()
        case "not_eligible:annual_sales_min_exclusive":
            form["annual_sales"] = "0"
        case "not_eligible:annual_sales_max":
            form["annual_sales"] = "300,000,001"
        case "not_eligible:opened_before":
            relief.opened_before = date(2026, 1, 1)
            relief.save()
            business.opened_on = date(2026, 2, 1)
            business.save()
        case "not_eligible:enterprise_types":
            relief.enterprise_types = ["social_enterprise"]
            relief.save()
        case "not_eligible:dongs":
            relief.dongs.add(DongFactory(office=office, name="풍암동"))
        case "not_eligible:restricted_business_type":
            RestrictedBusinessType.objects.create(
                office=office, ksic_code=business.ksic_code, name=business.business_type
            )
    return form


@pytest.mark.parametrize("reason", list(REFUSALS))
def test_each_refusal_is_named_in_korean_and_nothing_is_written(
    client, relief, business, office, now, reason
):
    form = _refusal_case(reason, relief, business, office, now)
    before = (
        Application.objects.count(),
        LedgerEntry.objects.count(),
        len(MemorySmsSender.outbox),
    )

    response = client.post(page(relief), form)

    assert response.status_code == 200
    assert f'data-refusal="{reason}"' in response.text
    assert REFUSALS[reason] in response.text
    assert "신청 내용은 저장되지 않았습니다" in response.text
    after = (Application.objects.count(), LedgerEntry.objects.count(), len(MemorySmsSender.outbox))
    assert after == before


def test_every_refusal_reason_of_the_service_has_its_own_korean_words():
    from programmes.wording import reason_text

    texts = {reason: reason_text(reason) for reason in REFUSALS}
    assert all(not text.startswith("사유:") for text in texts.values())
    assert len(set(texts.values())) == len(texts)


def test_the_window_takes_an_application_at_175959_and_refuses_one_at_180000(
    client, growth, business, office, now
):
    now(seoul(2026, 3, 25, 17, 59, 59))
    assert client.post(page(growth), competitive_form(business)).status_code == 302

    now(seoul(2026, 3, 25, 18, 0, 0))
    late = StoreFactory(office=office, dong=business.dong, enterprise_type="cooperative")
    response = Client().post(page(growth), competitive_form(late))
    assert 'data-refusal="outside_window"' in response.text
    assert Application.objects.count() == 1


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"business_number": "220-81-62518"}, {"business_number": ["invalid"]}),
        ({"business_number": ""}, {"business_number": ["required"]}),
        ({"phone": "02-123-4567"}, {"phone": ["invalid"]}),
        ({"annual_sales": "일억"}, {"annual_sales": ["invalid"]}),
        ({"annual_sales": "-5"}, {"annual_sales": ["invalid"]}),
        ({"consent": None}, {"consent": ["required"]}),
        ({"applicant": ""}, {"applicant": ["required"]}),
        ({"website": "http://spam"}, {"__all__": ["bot_suspected"]}),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_written(
    client, relief, business, now, overrides, expected
):
    now(seoul(2026, 8, 1, 10))
    response = client.post(page(relief), entitlement_form(business, **overrides))

    assert response.status_code == 200
    assert field_errors(response) == expected
    assert nothing_written(relief)


def test_sales_with_thousands_separators_spaces_and_won_are_read(client, relief, business, now):
    now(seoul(2026, 8, 1, 10))
    client.post(page(relief), entitlement_form(business, annual_sales=" 98,765,432 원"))
    assert Application.objects.get().annual_sales == 98_765_432


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"line_amount": ["12,000,000", "2,000,000"]}, "budget_lines", "budget_lines_total"),
        ({"line_item": ["", ""], "line_amount": ["", ""]}, "budget_lines", "required"),
        ({"line_item": ["플랫폼 개발", ""]}, "budget_lines", "invalid"),
        ({"line_amount": ["열두", "3,000,000"]}, "budget_lines", "invalid"),
        ({"requested": "0"}, "requested", "min_value"),
        ({"plan": ""}, "plan", "required"),
    ],
)
def test_a_competitive_application_with_bad_budget_lines_is_sent_back(
    client, growth, business, now, overrides, field, code
):
    now(seoul(2026, 3, 10, 10))
    response = client.post(page(growth), competitive_form(business, **overrides))

    assert response.status_code == 200
    assert code in field_errors(response)[field]
    assert nothing_written(growth)


def test_budget_lines_sent_back_keep_what_was_typed(client, growth, business, now):
    now(seoul(2026, 3, 10, 10))
    form = competitive_form(business, line_amount=["12,000,000", "2,000,000"])
    text = client.post(page(growth), form).text
    assert 'value="홍보물 제작"' in text and 'value="2,000,000"' in text
    assert "예산 항목의 합계가 14,000,000원으로, 신청 금액 15,000,000원과 다릅니다." in text


@pytest.mark.parametrize(
    ("content", "code"),
    [(EXE, "file_type"), (b"", "file_empty"), (PDF + b"0" * (5 * 1024 * 1024), "file_too_large")],
)
def test_attachments_are_checked_by_content_and_size(client, relief, business, now, content, code):
    now(seoul(2026, 8, 1, 10))
    form = entitlement_form(business)
    form["attachments"] = SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")
    response = client.post(page(relief), form)

    assert field_errors(response) == {"attachments": [code]}
    assert nothing_written(relief)


def test_files_chosen_with_other_errors_are_asked_for_again(client, relief, business, now):
    now(seoul(2026, 8, 1, 10))
    form = entitlement_form(business, phone="123")
    form["attachments"] = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    assert field_errors(client.post(page(relief), form)) == {
        "phone": ["invalid"],
        "attachments": ["choose_again"],
    }


def test_the_done_page_without_an_application_goes_to_the_status_look_up(client):
    response = client.get(DONE)
    assert response.status_code == 302 and response["Location"] == STATUS


# --- the number check ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("220-81-62517", "ok"),
        ("2208162518", "invalid"),
        ("22081", "incomplete"),
        ("abc", "invalid"),
    ],
)
def test_the_number_check_says_only_whether_the_number_is_valid(client, typed, status):
    answer = client.get(reverse("programmes:number_check"), {"number": typed}).json()
    assert answer["status"] == status
    assert set(answer) <= {"status", "message", "formatted"}


# --- the status ----------------------------------------------------------------------------


def test_the_status_shows_programme_status_award_date_and_only_the_public_timeline(
    client, growth, business, clerk
):
    application = apply(growth, business, at=seoul(2026, 3, 10, 10, 30))
    application.phone = "01023456789"
    application.save()
    services.application_transition(
        application=application, to="screening", actor=clerk, note="담당자 메모: 재무제표 확인"
    )
    services.application_note(application=application, note="내부 검토 의견", actor=clerk)

    response = client.post(
        STATUS, {"tracking_number": application.number, "phone_last_four": "6789"}
    )
    assert response.status_code == 302
    text = client.get(response["Location"]).text

    assert "사회적경제기업 사업개발비 지원" in text
    assert 'data-status="screening"' in text and "서류 검토" in text
    assert "2026년 3월 10일(화) 10:30" in text
    assert "15,000,000원" in text and "아직 없음" in text
    assert "상태: 서류 검토" in text
    assert "재무제표" not in text and "내부 검토 의견" not in text and clerk.username not in text


def test_a_not_selected_application_shows_its_reason_in_korean(client, relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    Application.objects.filter(pk=application.pk).update(
        status="not_selected", reason="below_pass_mark", award=None
    )
    client.post(STATUS, {"tracking_number": application.number, "phone_last_four": "5678"})
    text = client.get(reverse("programmes:status_detail")).text
    assert "심사 점수가 이 사업의 선정 기준 점수에 미치지 못했습니다." in text


def test_an_awarded_application_shows_its_award_on_the_timeline(client, relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    client.post(STATUS, {"tracking_number": application.number_display, "phone_last_four": "5678"})
    text = client.get(reverse("programmes:status_detail")).text
    assert "지원금 500,000원 확정" in text and 'data-status="awarded"' in text


@pytest.mark.parametrize(
    "typed",
    [
        {"phone_last_four": "0000"},
        {"tracking_number": "ABCD-2345-EFGH"},
        {"phone_last_four": ""},
        {"tracking_number": ""},
    ],
)
def test_nothing_is_shown_unless_both_values_match(client, relief, business, typed):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    data = {"tracking_number": application.number, "phone_last_four": "5678"} | typed

    response = client.post(STATUS, data)

    assert response.status_code == 200
    assert application.number_display not in response.text
    assert "소상공인 부담경감 크레딧" not in response.text
    detail = client.get(reverse("programmes:status_detail"))
    assert detail.status_code == 302 and detail["Location"] == STATUS


def test_finishing_forgets_the_look_up_on_this_device(client, relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    client.post(STATUS, {"tracking_number": application.number, "phone_last_four": "5678"})
    client.post(reverse("programmes:status_end"))
    assert client.get(reverse("programmes:status_detail"))["Location"] == STATUS


# --- limits --------------------------------------------------------------------------------


def test_repeated_failed_look_ups_of_a_number_are_slowed_down(relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    for index in range(limits.LOOKUP_FAILURES.count):
        Client(REMOTE_ADDR=f"10.3.0.{index}").post(
            STATUS, {"tracking_number": application.number, "phone_last_four": "0000"}
        )

    blocked = Client(REMOTE_ADDR="10.3.0.99").post(
        STATUS, {"tracking_number": application.number, "phone_last_four": "5678"}
    )
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert application.number_display not in blocked.text


def test_a_successful_look_up_does_not_count_against_the_number(client, relief, business):
    application = apply(relief, business, at=seoul(2026, 8, 1, 9))
    for _ in range(limits.LOOKUP_FAILURES.count + 2):
        response = client.post(
            STATUS, {"tracking_number": application.number, "phone_last_four": "5678"}
        )
        assert response.status_code == 302


def test_repeated_submissions_for_one_business_number_are_slowed_down(relief, business, now):
    now(seoul(2026, 8, 1, 10))
    form = entitlement_form(business, phone="12")
    for index in range(limits.SUBMIT_NUMBER.count):
        Client(REMOTE_ADDR=f"10.4.0.{index}").post(page(relief), form)

    blocked = Client(REMOTE_ADDR="10.4.0.99").post(page(relief), entitlement_form(business))
    assert blocked.status_code == 429
    assert nothing_written(relief)


def test_nothing_on_the_pages_comes_from_another_site(client, relief, now):
    now(seoul(2026, 8, 1, 10) + timedelta(days=1))
    for url in (page(relief), STATUS):
        text = client.get(url).text
        assert 'src="http' not in text and 'href="http' not in text


def test_every_problem_of_the_form_is_shown_at_once(client, now, relief, business):
    now(seoul(2026, 8, 3, 10))
    response = client.post(
        page(relief),
        entitlement_form(
            business, business_number="1234567890", phone="010-3767", annual_sales="많음"
        ),
    )
    errors = response.context["form"].errors
    assert {"business_number", "phone", "annual_sales"} <= set(errors)
    assert not Application.objects.exists()


def test_after_the_grant_the_status_says_so_and_shows_the_payments(client, now, relief, business):
    now(seoul(2026, 8, 3, 10))
    application = services.application_submit(
        programme=relief,
        data=services.application_input_parse(
            programme=relief,
            business_number=business.business_number,
            annual_sales=120_000_000,
            phone="010-1234-5678",
        ),
    )
    grant = services.grant_decide(
        application=application,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="치평 나눔협동조합",
        actor=None,
    )
    instalment = services.disbursement_add(grant=grant, amount=500_000, actor=None)
    services.disbursements_export(programme=relief, actor=None)
    instalment.refresh_from_db()
    services.disbursement_mark_paid(disbursement=instalment, actor=None)
    client.post(
        reverse("programmes:status"),
        {"tracking_number": application.number_display, "phone_last_four": "5678"},
    )
    page = client.get(reverse("programmes:status_detail")).content.decode()
    assert "교부 결정이 되었습니다" in page
    assert "지급: 500,000원" in page and "교부 결정: 500,000원" in page
