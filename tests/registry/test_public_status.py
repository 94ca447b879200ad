"""The public status page /register/status/ (SPEC 2.5): tracking number plus phone digits, the
same answer for every failure, throttled failures, and the merchant's corrections."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry import services
from registry.choices import ApplicationStatus
from registry.public import limits
from registry.selectors import application_find
from tests.registry.test_application_support import (
    EXE,
    PNG,
    place,
    submit,
    throttles_cleared,
)

pytestmark = pytest.mark.django_db

LOOKUP = reverse("register:status")
DETAIL = reverse("register:status_detail")
END = reverse("register:status_end")


@pytest.fixture(autouse=True)
def _clean():
    throttles_cleared()


@pytest.fixture
def p(office):
    return place(office)


@pytest.fixture
def application(p):
    return submit(p, phone="010-2222-4821")


def look_up(client, number, digits):
    return client.post(LOOKUP, {"tracking_number": number, "phone_last_four": digits})


def non_field_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].non_field_errors().as_data()]


def test_the_number_and_the_phone_digits_open_the_application(client, application):
    response = look_up(client, application.tracking_number_display.lower(), "4821")

    assert response.status_code == 302 and response["Location"] == DETAIL
    page = client.get(DETAIL)
    assert page.status_code == 200
    assert page.context["application"] == application
    assert application.tracking_number_display in page.text
    assert "010-****-4821" in page.text
    assert page["Cache-Control"] == "no-store"


def test_the_number_may_be_typed_with_spaces_and_without_hyphens(client, application):
    spaced = " ".join(application.tracking_number[i : i + 4] for i in (0, 4, 8))
    assert look_up(client, spaced, "4821").status_code == 302


def test_a_wrong_phone_and_an_unknown_number_read_exactly_the_same(client, application):
    wrong_phone = look_up(client, application.tracking_number, "0000")
    unknown = look_up(client, "ABCD-2345-EFGH", "4821")
    impossible = look_up(client, "not a number", "4821")

    for response in (wrong_phone, unknown, impossible):
        assert response.status_code == 200
        assert non_field_codes(response) == ["not_found"]
    messages = {
        str(r.context["form"].non_field_errors()) for r in (wrong_phone, unknown, impossible)
    }
    assert len(messages) == 1


def test_nothing_is_shown_without_a_successful_look_up(client, application):
    response = client.get(DETAIL)

    assert response.status_code == 302 and response["Location"] == LOOKUP
    assert application.trade_name not in client.get(LOOKUP).text


def test_failed_look_ups_are_limited_per_client_across_numbers(client, application):
    for index in range(limits.LOOKUP_FAILURES_CLIENT.count):
        assert look_up(client, f"ABCD-2345-{index:04d}", "1111").status_code == 200

    blocked = look_up(client, application.tracking_number, "4821")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert blocked.context["throttled_minutes"] >= 1
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert look_up(other, application.tracking_number, "4821").status_code == 302


def test_failed_look_ups_are_limited_per_tracking_number_across_clients(application):
    for index in range(limits.LOOKUP_FAILURES.count):
        client = Client(REMOTE_ADDR=f"10.0.0.{index + 1}")
        assert look_up(client, application.tracking_number, f"{index:04d}").status_code == 200

    last = Client(REMOTE_ADDR="10.0.0.99")
    assert look_up(last, application.tracking_number, "4821").status_code == 429
    # Another number from the same fresh client is not held back.
    assert look_up(last, "ABCD-2345-EFGH", "4821").status_code == 200


def test_the_throttle_does_not_tell_whether_a_number_exists(application):
    for index in range(limits.LOOKUP_FAILURES.count):
        Client(REMOTE_ADDR=f"10.0.1.{index + 1}").post(
            LOOKUP, {"tracking_number": "ABCD-2345-EFGH", "phone_last_four": "1111"}
        )
    blocked = look_up(Client(REMOTE_ADDR="10.0.1.99"), "ABCD-2345-EFGH", "1111")
    assert blocked.status_code == 429


def test_a_successful_look_up_does_not_reset_the_failure_count(client, application):
    number = application.tracking_number
    for _ in range(limits.LOOKUP_FAILURES.count - 1):
        look_up(client, number, "1111")
    assert look_up(client, number, "4821").status_code == 302
    look_up(client, number, "1111")

    assert look_up(client, number, "4821").status_code == 429


def test_the_look_up_needs_four_digits(client, application):
    response = look_up(client, application.tracking_number, "48a1")

    assert "phone_last_four" in response.context["form"].errors


def test_application_find_compares_both_parts(application):
    assert application_find(application.tracking_number, "4821") == application
    assert application_find(application.tracking_number_display, "4821") == application
    assert application_find(application.tracking_number, "4820") is None
    assert application_find(application.tracking_number, "") is None
    assert application_find("", "4821") is None


def test_the_status_page_shows_the_clerks_message(client, application, clerk):
    services.application_reject(application=application, user=clerk, message="지정 구역 밖입니다.")
    look_up(client, application.tracking_number, "4821")

    page = client.get(DETAIL)
    assert "지정 구역 밖입니다." in page.text
    assert page.context["form"] is None


def test_finishing_forgets_the_look_up_on_this_device(client, application):
    look_up(client, application.tracking_number, "4821")
    assert client.post(END).status_code == 302

    assert client.get(DETAIL).status_code == 302


def test_a_look_up_expires(client, application, monkeypatch):
    import time as real_time

    look_up(client, application.tracking_number, "4821")
    later = real_time.time() + 31 * 60
    monkeypatch.setattr("registry.public.views.time.time", lambda: later)

    assert client.get(DETAIL).status_code == 302


# --- corrections ----------------------------------------------------------------------------


@pytest.fixture
def asked(application, clerk):
    services.application_request_changes(
        application=application, user=clerk, message="상호를 사업자등록증과 같게 적어 주세요."
    )
    return application


def correction_data(application, **overrides):
    data = {
        "trade_name": "치평 돼지국밥",
        "representative": application.representative,
        "business_kind": "56111",
        "road_address": application.road_address,
        "dong": str(application.dong_id),
        "district": str(application.district_id),
        "certificate_types": ["card"],
        "phone": application.phone,
        "email": "",
        "note": "수정했습니다.",
    }
    data.update(overrides)
    return data


def test_the_merchant_answers_a_change_request_from_the_status_page(client, asked):
    look_up(client, asked.tracking_number, "4821")
    page = client.get(DETAIL)
    assert page.context["form"] is not None
    assert page.context["form"].initial["trade_name"] == "치평 국밥"
    assert "상호를 사업자등록증과 같게" in page.text

    data = correction_data(asked, document=SimpleUploadedFile("new.png", PNG, "image/png"))
    response = client.post(DETAIL, data)

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.SUBMITTED
    assert asked.trade_name == "치평 돼지국밥"
    assert asked.certificate_types == ["card"]
    assert asked.merchant_note == "수정했습니다."
    assert asked.documents.filter(kind="correction", content_type="image/png").exists()
    after = client.get(DETAIL)
    assert after.context["form"] is None


def test_a_bad_correction_is_refused_and_changes_nothing(client, asked):
    look_up(client, asked.tracking_number, "4821")
    data = correction_data(
        asked, trade_name="", document=SimpleUploadedFile("x.pdf", EXE, "application/pdf")
    )
    response = client.post(DETAIL, data)

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"trade_name", "document"}
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.CHANGES_REQUESTED
    assert asked.documents.count() == 1


def test_corrections_are_refused_when_none_were_asked(client, application):
    look_up(client, application.tracking_number, "4821")
    response = client.post(DETAIL, correction_data(application))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.trade_name == "치평 국밥"


def test_corrections_need_the_csrf_token(asked):
    strict = Client(enforce_csrf_checks=True)
    strict.get(LOOKUP)
    token = strict.cookies["csrftoken"].value
    strict.post(
        LOOKUP,
        {
            "tracking_number": asked.tracking_number,
            "phone_last_four": "4821",
            "csrfmiddlewaretoken": token,
        },
    )
    response = strict.post(DETAIL, correction_data(asked))

    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.status == ApplicationStatus.CHANGES_REQUESTED


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.text(max_size=60), digits=st.text(max_size=10))
def test_random_look_ups_never_give_a_server_error(client, application, number, digits):
    throttles_cleared()
    response = look_up(client, number, digits)

    assert response.status_code in (200, 302)


_correction_fields = st.sampled_from(
    [
        "trade_name",
        "representative",
        "business_kind",
        "business_type_other",
        "road_address",
        "dong",
        "district",
        "certificate_types",
        "phone",
        "email",
        "note",
        "unexpected",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    overrides=st.dictionaries(
        _correction_fields, st.one_of(st.text(max_size=200), st.lists(st.text(max_size=20)))
    ),
    document=st.one_of(st.none(), st.binary(max_size=1024)),
)
def test_random_corrections_never_give_a_server_error(client, asked, overrides, document):
    throttles_cleared()
    type(asked).objects.filter(pk=asked.pk).update(status=ApplicationStatus.CHANGES_REQUESTED)
    look_up(client, asked.tracking_number, "4821")
    data = {**correction_data(asked), **overrides}
    if document is not None:
        data["document"] = SimpleUploadedFile("x.bin", document)
    response = client.post(DETAIL, data)

    assert response.status_code in (200, 302)
