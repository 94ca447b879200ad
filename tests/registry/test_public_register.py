"""The public application page /register/ (SPEC 2.5): the form, its guards against bad input
and bots, the confirmation with the tracking number, and the as-you-type number check."""

import os
import re
import string

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.notify import MemorySmsSender
from registry.choices import ApplicationStatus
from registry.models import MerchantApplication
from registry.public import limits
from registry.public.forms import form_stamp
from registry.rules import tracking_number_format
from tests.registry.factories import DesignatedDistrictFactory, OfficeFactory, StoreFactory
from tests.registry.test_application_support import (
    EXE,
    JPEG,
    PDF,
    form_data,
    place,
    submit,
    throttles_cleared,
    upload,
)

pytestmark = pytest.mark.django_db

FORM = reverse("register:form")
DONE = reverse("register:done")
CHECK = reverse("register:number_check")
# A form sent back with errors asks for its (valid) file again, next to the file field.
CHOOSE_AGAIN = {"document": ["choose_again"]}


@pytest.fixture(autouse=True)
def _clean(settings):
    throttles_cleared()
    settings.GOLMOK_REGISTER_MIN_SECONDS = 0
    settings.GOLMOK_SMS_SENDER = "core.notify.MemorySmsSender"
    MemorySmsSender.outbox.clear()


@pytest.fixture
def p(office):
    return place(office)


def post(client, p, *, document=None, **overrides):
    data = form_data(p, **overrides)
    data["document"] = document if document is not None else upload()
    return client.post(FORM, data)


def form_errors(response) -> dict[str, list[str]]:
    form = response.context["form"]
    return {field: [e.code for e in errors.as_data()] for field, errors in form.errors.items()}


# --- the page -----------------------------------------------------------------------------


def test_the_form_speaks_korean_by_default_whatever_the_browser_prefers(client, p):
    response = client.get(FORM, headers={"accept-language": "en-US,en;q=0.9"})

    assert response.status_code == 200
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in response.text


def test_the_language_switch_turns_the_pages_english(client, p):
    switched = client.post("/i18n/setlang/", {"language": "en", "next": FORM})
    assert switched.status_code == 302 and switched["Location"] == FORM

    response = client.get(FORM)
    assert '<html lang="en">' in response.text
    assert "Apply to join an alley district" in response.text
    assert 'name="language" value="ko"' in response.text


def test_the_form_offers_the_offices_designated_districts_with_their_dongs(client, p, other_office):
    DesignatedDistrictFactory(office=other_office, name="남의 골목")
    response = client.get(reverse("register:office_form", kwargs={"code": p.office.code}))

    districts = response.context["form"].fields["district"].queryset
    assert list(districts) == [p.district]
    assert f'data-dongs="{p.dong.pk}"' in response.text
    assert "남의 골목" not in response.text
    assert list(response.context["form"].fields["dong"].queryset) == [p.dong, p.other_dong]


def test_every_visible_field_has_a_label_and_the_page_loads_only_its_own_assets(client, p):
    response = client.get(FORM)
    html = response.text

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    hidden = set(re.findall(r'<input type="hidden"[^>]*id="([^"]+)"', html))
    for field_id in set(ids) - hidden:
        assert f'for="{field_id}"' in html, field_id
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
    assert response["Cache-Control"] == "no-store"


def test_the_privacy_notice_says_what_is_kept_why_and_how_long(client, p):
    response = client.get(FORM, headers={"cookie": "django_language=en"})
    client.cookies["django_language"] = "en"
    response = client.get(FORM)

    assert "What is collected" in response.text
    assert "Why" in response.text
    assert "Kept for 3 years after the decision" in response.text
    assert "You may refuse" in response.text


def test_the_form_reads_a_fixed_number_of_queries_however_many_districts(
    client, p, django_assert_max_num_queries
):
    for n in range(30):
        DesignatedDistrictFactory(office=p.office, name=f"골목 {n}", dongs=[p.dong, p.other_dong])
    with django_assert_max_num_queries(6):
        response = client.get(FORM)
    assert response.text.count("data-dongs=") == 31


def test_one_office_is_implied_and_several_are_offered_to_choose(client, p):
    assert client.get(FORM).context["office"] == p.office
    OfficeFactory(code="29110", name="광주광역시 동구")

    listing = client.get(FORM)
    assert "office" not in listing.context or listing.context.get("office") is None
    assert reverse("register:office_form", kwargs={"code": "29110"}) in listing.text
    chosen = client.get(reverse("register:office_form", kwargs={"code": "29140"}))
    assert chosen.context["office"] == p.office
    assert client.get("/register/99999/").status_code == 404


# --- sending it ---------------------------------------------------------------------------


def test_a_complete_form_files_the_application_and_shows_the_tracking_number(client, p):
    response = post(client, p, business_number="220-81-62517")

    assert response.status_code == 302 and response["Location"] == DONE
    application = MerchantApplication.objects.get()
    assert application.business_number == "2208162517"
    assert application.phone == "01012345678"
    assert application.language == "ko"
    done = client.get(DONE)
    assert done.status_code == 200
    assert application.tracking_number_display in done.text
    assert done["Cache-Control"] == "no-store"
    assert "010-****-5678" in done.text


def test_the_confirmation_is_only_for_the_browser_that_sent_the_form(client, p):
    post(client, p)
    stranger = Client()

    assert stranger.get(DONE).status_code == 302


def test_other_business_types_are_described_in_words(client, p):
    missing = post(client, p, business_kind="other", business_type_other="")
    assert form_errors(missing) == {"business_type_other": ["required"]} | CHOOSE_AGAIN

    post(client, p, business_kind="other", business_type_other="수제 공예품 판매")
    application = MerchantApplication.objects.get()
    assert (application.ksic_code, application.business_type) == ("", "수제 공예품 판매")


def test_dong_and_district_may_be_left_to_the_clerk(client, p):
    response = post(client, p, dong="", district="", certificate_types=[])

    assert response.status_code == 302
    application = MerchantApplication.objects.get()
    assert application.dong is None and application.district is None


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"business_number": "220-81-62518"}, {"business_number": ["invalid_business_number"]}),
        ({"consent": ""}, {"consent": ["required"]}),
        ({"phone": "12-34"}, {"phone": ["invalid_phone"]}),
        ({"email": "x@"}, {"email": ["invalid"]}),
        ({"trade_name": ""}, {"trade_name": ["required"]}),
        ({"district": "999999"}, {"district": ["invalid_choice"]}),
        ({"certificate_types": ["gold"]}, {"certificate_types": ["invalid_choice"]}),
        ({"business_kind": ""}, {"business_kind": ["required"]}),
    ],
)
def test_each_bad_answer_is_named_under_its_field_and_nothing_is_filed(
    client, p, overrides, expected
):
    response = post(client, p, **overrides)

    assert response.status_code == 200
    errors = form_errors(response)
    assert {k: v for k, v in errors.items() if k in expected} == expected
    assert not MerchantApplication.objects.exists()
    field = next(iter(expected))
    assert 'class="error-summary"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert f"{response.context['form'][field].auto_id}_error" in response.text


def test_the_phone_error_says_which_formats_work(client, p):
    client.cookies["django_language"] = "en"
    response = post(client, p, phone="12-34")
    assert "010-1234-5678" in response.text


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (EXE, "certificate.pdf", "file_type"),
        (b"GIF89a" + b"\x00" * 40, "photo.png", "file_type"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_documents_are_judged_by_their_content(client, p, content, name, code):
    response = post(client, p, document=SimpleUploadedFile(name, content, "application/pdf"))

    assert form_errors(response) == {"document": [code]}
    assert not MerchantApplication.objects.exists()


def test_a_jpeg_called_pdf_is_accepted_as_the_jpeg_it_is(client, p):
    post(client, p, document=SimpleUploadedFile("scan.pdf", JPEG, "application/pdf"))

    assert MerchantApplication.objects.get().documents.get().content_type == "image/jpeg"


def test_a_file_over_5_mb_is_stopped_while_uploading_and_named_too_large(client, p):
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = post(client, p, document=big)

    assert form_errors(response) == {"document": ["file_too_large"]}
    assert not MerchantApplication.objects.exists()


def test_a_missing_document_is_required(client, p):
    data = form_data(p)
    response = client.post(FORM, data)
    assert form_errors(response) == {"document": ["required"]}


def test_an_application_for_a_number_already_pending_says_what_to_do(client, p):
    first = submit(p)
    client.cookies["django_language"] = "en"
    response = post(client, p, business_number=first.business_number)

    assert form_errors(response) == {"business_number": ["duplicate_pending"]} | CHOOSE_AGAIN
    assert "status page" in response.text
    assert MerchantApplication.objects.count() == 1


def test_a_number_already_registered_as_asked_says_to_contact_the_office(client, p):
    from tests.registry.factories import AffiliateRegistrationFactory, MembershipFactory

    store = StoreFactory(office=p.office, dong=p.dong)
    MembershipFactory(store=store, district=p.district)
    for kind in ("card", "mobile"):
        AffiliateRegistrationFactory(store=store, certificate_type=kind)
    response = post(client, p, business_number=store.business_number)

    assert form_errors(response) == {"business_number": ["already_registered"]} | CHOOSE_AGAIN


def test_the_same_form_sent_twice_files_once_and_shows_the_first_confirmation(client, p):
    data = form_data(p, submission_key="a-one-time-key")
    first = client.post(FORM, {**data, "document": upload()})
    second = client.post(FORM, {**data, "document": upload()})

    assert first["Location"] == second["Location"] == DONE
    assert MerchantApplication.objects.count() == 1
    assert MerchantApplication.objects.get().tracking_number_display in client.get(DONE).text


# --- guards -------------------------------------------------------------------------------


def test_the_form_needs_its_csrf_token():
    strict = Client(enforce_csrf_checks=True)
    office = OfficeFactory(code="29140")
    p = place(office)
    response = strict.post(FORM, {**form_data(p), "document": upload()})

    assert response.status_code == 403
    assert not MerchantApplication.objects.exists()


def test_a_filled_honeypot_is_refused(client, p):
    response = post(client, p, website="http://spam.example")

    assert form_errors(response) == {"__all__": ["bot_suspected"]} | CHOOSE_AGAIN
    assert not MerchantApplication.objects.exists()


def test_a_form_sent_faster_than_a_person_can_fill_it_is_refused(client, p, settings):
    settings.GOLMOK_REGISTER_MIN_SECONDS = 3
    response = post(client, p, started=form_stamp())

    assert form_errors(response) == {"__all__": ["too_fast"]} | CHOOSE_AGAIN


@pytest.mark.parametrize("stamp", ["", "forged", "MTIz:abc:def"])
def test_a_missing_or_forged_start_stamp_is_refused_and_the_page_gets_a_fresh_one(client, p, stamp):
    response = post(client, p, started=stamp)

    assert form_errors(response) == {"__all__": ["bot_suspected"]} | CHOOSE_AGAIN
    refreshed = response.context["form"].data["started"]
    assert refreshed != stamp
    again = post(client, p, started=refreshed)
    assert again.status_code == 302


def test_sending_is_limited_per_client(client, p, monkeypatch):
    monkeypatch.setattr(limits, "SUBMIT", limits.Limit("submit", 3, 900))
    for _ in range(3):
        assert post(client, p, trade_name="").status_code == 200

    blocked = post(client, p)
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert not MerchantApplication.objects.exists()
    other_client = Client(REMOTE_ADDR="10.9.8.7")
    assert post(other_client, p).status_code == 302


# --- as-you-type number check -------------------------------------------------------------


def check(client, number, office="29140"):
    client.cookies["django_language"] = "en"
    return client.get(CHECK, {"office": office, "number": number}).json()


def test_the_number_check_follows_the_typing(client, p):
    assert check(client, "220-81")["status"] == "incomplete"
    assert check(client, "2208162518")["status"] == "invalid"
    assert check(client, "22O8162517")["status"] == "invalid"
    answer = check(client, "220 81 62517")
    assert answer == {
        "status": "ok",
        "formatted": "220-81-62517",
        "message": "220-81-62517 is a valid number.",
    }


def test_the_number_check_tells_nobody_what_the_office_holds_for_a_number(client, p, clerk):
    """SPEC 2.5: nothing about any application without the tracking number and the phone
    digits, so a pending application, a store or a closed store all read as a new number."""
    pending = submit(p)
    registered = StoreFactory(office=p.office, dong=p.dong)
    closed = StoreFactory(office=p.office, dong=p.dong)
    from registry import services

    services.store_close(store=closed, user=clerk)
    unknown = check(client, "220-81-62517")

    for known in (pending.business_number, registered.business_number, closed.business_number):
        answer = check(client, known)
        assert answer.keys() == unknown.keys()
        assert answer["status"] == "ok"
        assert answer["message"] == f"{answer['formatted']} is a valid number."


def test_the_number_check_is_rate_limited(client, p, monkeypatch):
    monkeypatch.setattr(limits, "NUMBER_CHECK", limits.Limit("check", 2, 600))
    check(client, "2208162517")
    check(client, "2208162517")
    response = client.get(CHECK, {"office": "29140", "number": "2208162517"})
    assert response.status_code == 429


def test_the_number_check_is_limited_per_number_across_clients(p, monkeypatch):
    monkeypatch.setattr(limits, "NUMBER_CHECK_NUMBER", limits.Limit("check-number", 2, 600))
    for index, typed in enumerate(("2208162517", "220-81-62517")):
        assert check(Client(REMOTE_ADDR=f"10.3.0.{index}"), typed)["status"] == "ok"

    again = Client(REMOTE_ADDR="10.3.0.9").get(CHECK, {"number": "220 81 62517"})
    assert again.status_code == 429
    # Another number from the same client is checked as usual.
    assert check(Client(REMOTE_ADDR="10.3.0.9"), "124-81-00998")["status"] == "ok"


def test_an_oversized_or_overfull_form_is_a_bad_request_not_a_server_error(client, p, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    too_big = post(client, p, trade_name="가" * 3_000)
    too_many = post(client, p, **{f"extra{n}": "x" for n in range(60)})

    assert too_big.status_code == too_many.status_code == 400
    assert not MerchantApplication.objects.exists()


# --- no input gives a server error ----------------------------------------------------------

_field_names = st.sampled_from(
    [
        "business_number",
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
        "consent",
        "website",
        "started",
        "submission_key",
        "csrfmiddlewaretoken",
        "unexpected",
    ]
)
_values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.digits + "- ", max_size=20),
    st.sampled_from(["", "0", "-1", "on", "other", "56111", "card", "9" * 30, "\x00", "\ud7a3"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
_documents = st.one_of(
    st.none(),
    st.binary(max_size=2048),
    st.sampled_from([PDF, JPEG, EXE, b""]),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    overrides=st.dictionaries(_field_names, st.one_of(_values, st.lists(_values, max_size=3))),
    document=_documents,
    name=st.text(max_size=300),
)
def test_random_input_never_gives_a_server_error(client, p, overrides, document, name):
    throttles_cleared()
    data = form_data(p)
    data.update(overrides)
    if document is not None:
        # A name that is only a path ("/", "..") cannot even be sent: a browser sends its last
        # part, and Django's file objects refuse to be built without one.
        sendable = name if os.path.basename(name) not in {"", ".", ".."} else "x"
        data["document"] = SimpleUploadedFile(sendable, document)
    response = client.post(FORM, data)

    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:
        assert MerchantApplication.objects.filter(status=ApplicationStatus.SUBMITTED).exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.text(max_size=60), office=st.text(max_size=10))
def test_random_numbers_never_break_the_check(client, p, number, office):
    throttles_cleared()
    response = client.get(CHECK, {"office": office, "number": number})
    if "\x00" in number + office:  # no keyboard types it; every page refuses it the same way
        assert response.status_code == 400
        return
    assert response.status_code == 200
    assert response.json()["status"] in {"incomplete", "invalid", "ok", "new"}


def test_tracking_numbers_are_shown_in_groups_of_four():
    assert tracking_number_format("ABCD2345EFGH") == "ABCD-2345-EFGH"


def test_a_form_sent_back_with_errors_says_beside_the_file_field_to_choose_the_file_again(
    client, p
):
    response = post(client, p, phone="12-34")

    assert form_errors(response)["document"] == ["choose_again"]
    field = response.text[response.text.index('id="field-document"') :]
    field = field[: field.index("</div>")]
    assert "다른 항목에 오류가 있어 선택하신 파일은 보관되지 않았습니다" in field
    assert "파일을 다시 선택하십시오" in field
    assert "파일을 다시 선택하십시오" in response.text[: response.text.index('id="field-document"')]


def test_no_file_note_when_the_file_itself_was_refused_or_none_was_sent(client, p):
    refused = post(client, p, document=upload(EXE, "certificate.pdf"))
    assert "choose_again" not in form_errors(refused)["document"]
    none_sent = client.post(FORM, {**form_data(p), "phone": "12-34"})
    assert "document" in form_errors(none_sent)
    assert "choose_again" not in form_errors(none_sent)["document"]
