"""Merchant self-registration services (SPEC 2.5): filing, every refusal, the state machine,
approval through the registry's services in one transaction, and notifications."""

import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.notify import MemorySmsSender
from registry import services
from registry.choices import AffiliateStatus, ApplicationStatus, DistrictStatus, StoreStatus
from registry.models import (
    AffiliateRegistration,
    ApplicationDocument,
    Membership,
    MerchantApplication,
    Store,
)
from registry.rules import TRACKING_PATTERN
from registry.services.applications import tracking_number_new
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
    next_brn,
)
from tests.registry.test_application_support import (
    EXE,
    JPEG,
    PNG,
    place,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(office):
    return place(office)


@pytest.fixture
def sms(settings):
    settings.GOLMOK_SMS_SENDER = "core.notify.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    return MemorySmsSender.outbox


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


def refused(p, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        submit(p, **overrides)
    return codes(caught.value)


# --- tracking numbers ---------------------------------------------------------------------


def test_tracking_numbers_are_twelve_unambiguous_characters_and_never_repeat():
    numbers = {tracking_number_new() for _ in range(2000)}

    assert len(numbers) == 2000
    assert all(re.fullmatch(TRACKING_PATTERN, n) for n in numbers)
    assert not any(set(n) & set("01IO") for n in numbers)


def test_tracking_numbers_are_not_derived_from_the_application(p):
    first, second, third = (submit(p) for _ in range(3))

    numbers = [first.tracking_number, second.tracking_number, third.tracking_number]
    assert len(set(numbers)) == 3
    # Nothing of the application goes into the number: it comes from `secrets` alone.
    assert not any(first.business_number[:4] in n for n in numbers)
    assert first.tracking_number_display == "-".join(
        first.tracking_number[i : i + 4] for i in (0, 4, 8)
    )


# --- filing -------------------------------------------------------------------------------


def test_a_complete_application_is_filed_with_its_document(p):
    application = submit(
        p, business_number="220-81-62517", phone="+82 10-9876-5432", email="owner@example.com"
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.business_number == "2208162517"
    assert application.phone == "01098765432"
    assert application.phone_last_four == "5432"
    assert application.certificate_types == ["card", "mobile"]
    assert application.consented_at is not None
    document = application.documents.get()
    assert document.kind == "business_certificate"
    assert document.content_type == "application/pdf"
    assert document.original_name == "certificate.pdf"
    assert re.fullmatch(
        rf"applications/{p.office.pk}/{application.pk}/[0-9a-f]{{32}}\.pdf", document.file.name
    )
    filed = application.history.get()
    assert filed.history_user is None and filed.history_change_reason


def test_an_application_may_leave_dong_and_district_to_the_clerk(p):
    application = submit(p, dong=None, district=None, certificate_types=[])

    assert application.dong is None and application.district is None
    assert application.certificate_types == []


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [(PNG, "photo.png", "image/png"), (JPEG, "scan.pdf", "image/jpeg")],
)
def test_documents_are_taken_for_what_their_content_is_not_their_name(p, content, name, expected):
    application = submit(p, document=upload(content, name, "application/octet-stream"))

    document = application.documents.get()
    assert document.content_type == expected
    assert document.file.name.endswith({"image/png": ".png", "image/jpeg": ".jpg"}[expected])


def test_an_executable_renamed_to_pdf_is_refused(p):
    assert refused(p, document=upload(EXE, "certificate.pdf")) == {"document": ["file_type"]}
    assert not MerchantApplication.objects.exists()


def test_a_document_over_5_mb_is_refused(p):
    big = upload(b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "big.pdf")
    assert refused(p, document=big) == {"document": ["file_too_large"]}


def test_an_empty_or_missing_document_is_refused(p):
    assert refused(p, document=upload(b"", "empty.pdf")) == {"document": ["file_empty"]}
    assert refused(p, document=None) == {"document": ["required"]}


def test_no_consent_no_application(p):
    assert refused(p, consent=False) == {"consent": ["consent_required"]}


def test_an_invalid_business_number_is_refused_by_its_checksum(p):
    assert refused(p, business_number="220-81-62518") == {
        "business_number": ["invalid_business_number"]
    }


def test_missing_details_are_named_field_by_field(p):
    errors = refused(p, trade_name=" ", representative="", road_address="", phone="")
    assert errors == {
        "trade_name": ["required"],
        "representative": ["required"],
        "road_address": ["required"],
        "phone": ["required"],
    }


def test_malformed_phone_email_type_and_code_are_refused(p):
    errors = refused(
        p,
        phone="12345",
        email="not-an-email",
        certificate_types=["card", "gold"],
        ksic_code="5611",
    )
    assert errors == {
        "phone": ["invalid_phone"],
        "email": ["invalid"],
        "certificate_types": ["invalid_type"],
        "ksic_code": ["invalid_ksic"],
    }


def test_an_other_business_type_needs_words_when_it_has_no_code(p):
    assert refused(p, ksic_code="", business_type="") == {"business_type": ["required"]}
    application = submit(p, ksic_code="", business_type="수제 공예품 판매")
    assert application.ksic_code == "" and application.business_type == "수제 공예품 판매"


def test_only_a_designated_district_of_the_office_can_be_chosen(p, other_office):
    applied = DistrictFactory(office=p.office, name="신청중 골목")
    elsewhere = DesignatedDistrictFactory(office=other_office, name="남의 골목")

    assert refused(p, district=applied) == {"district": ["district_not_designated"]}
    assert refused(p, district=elsewhere) == {"district": ["district_not_designated"]}
    assert refused(p, dong=DongFactory(office=other_office)) == {"dong": ["other_office"]}


def test_a_second_application_while_one_is_open_is_refused(p):
    first = submit(p)

    errors = refused(p, business_number=first.business_number)
    assert errors == {"business_number": ["duplicate_pending"]}
    services.application_request_changes(application=first, user=None, message="사진 다시")
    assert refused(p, business_number=first.business_number) == {
        "business_number": ["duplicate_pending"]
    }


def test_a_new_application_is_welcome_once_the_last_one_was_decided(p, clerk):
    first = submit(p)
    services.application_reject(application=first, user=clerk, message="서류 불일치")

    again = submit(p, business_number=first.business_number)
    assert again.pk != first.pk and again.tracking_number != first.tracking_number


def test_the_database_refuses_two_open_applications_for_one_number(p):
    first = submit(p)
    clone = MerchantApplication.objects.get(pk=first.pk)
    clone.pk = None
    clone.tracking_number = tracking_number_new()
    clone.submission_key = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_a_closed_store_cannot_apply_until_the_office_reopens_it(p):
    store = StoreFactory(office=p.office, dong=p.dong)
    services.store_close(store=store, user=None, closed_on=date(2025, 1, 1))

    assert refused(p, business_number=store.business_number) == {
        "business_number": ["store_closed"]
    }


def test_a_store_already_registered_as_asked_has_nothing_to_apply_for(p):
    store = StoreFactory(office=p.office, dong=p.dong)
    MembershipFactory(store=store, district=p.district)
    AffiliateRegistrationFactory(store=store, certificate_type="card")
    AffiliateRegistrationFactory(store=store, certificate_type="mobile")

    assert refused(p, business_number=store.business_number) == {
        "business_number": ["already_registered"]
    }
    # Asking for something it does not have yet is an application.
    application = submit(p, business_number=store.business_number, certificate_types=["paper"])
    assert application.wants_paper


def test_the_same_form_sent_twice_is_filed_once(p):
    first = submit(p, submission_key="form-key-1")

    with pytest.raises(ValidationError) as caught:
        submit(p, submission_key="form-key-1", business_number=next_brn())
    assert caught.value.code == "duplicate_submission"
    assert MerchantApplication.objects.count() == 1
    assert first.submission_key != "form-key-1"  # only its hash is kept


def test_a_failure_after_the_file_was_stored_leaves_neither_rows_nor_files(p, monkeypatch):
    from django.core.files.storage import default_storage

    stored = []
    real_save = ApplicationDocument.save

    def save_then_fail(self, *args, **kwargs):
        stored.append(self.file.name)
        raise IntegrityError("disk full")

    monkeypatch.setattr(ApplicationDocument, "save", save_then_fail)
    with pytest.raises(IntegrityError):
        submit(p)
    monkeypatch.setattr(ApplicationDocument, "save", real_save)

    assert stored and not default_storage.exists(stored[0])
    assert not MerchantApplication.objects.exists()
    assert not ApplicationDocument.objects.exists()


def test_the_merchant_is_sent_the_tracking_number_by_text_and_email_after_commit(
    p, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(
            p, notify_merchant=True, email="owner@example.com", status_url="https://x/st/"
        )

    assert [m["to"] for m in sms] == ["01012345678"]
    assert application.tracking_number_display in sms[0]["text"]
    assert "https://x/st/" in sms[0]["text"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@example.com"]
    assert application.tracking_number_display in mail.outbox[0].body


def test_a_landline_gets_no_text_message_and_a_failing_gateway_does_not_fail_the_filing(
    p, settings, django_capture_on_commit_callbacks
):
    settings.GOLMOK_SMS_SENDER = "tests.registry.test_application_services.BrokenSender"
    with django_capture_on_commit_callbacks(execute=True):
        landline = submit(p, notify_merchant=True, phone="062-123-4567")
        mobile = submit(p, notify_merchant=True)

    assert MerchantApplication.objects.filter(pk__in=[landline.pk, mobile.pk]).count() == 2
    assert BrokenSender.calls == ["01012345678"]


class BrokenSender:
    calls: list = []

    def send(self, *, to, text):
        BrokenSender.calls.append(to)
        raise ConnectionError("gateway down")


@pytest.mark.django_db(transaction=True)
def test_two_applications_for_one_number_sent_at_once_file_only_one(office):
    from tests.support import race

    p = place(office)
    number = next_brn()
    results = race([lambda: submit(p, business_number=number) for _ in range(2)])

    filed = [r for r in results if isinstance(r, MerchantApplication)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(filed) == 1 and len(refusals) == 1
    assert codes(refusals[0]) == {"business_number": ["duplicate_pending"]}
    assert MerchantApplication.objects.count() == 1


# --- the state machine ----------------------------------------------------------------------


def test_review_then_changes_then_the_merchants_answer_then_approval(p, clerk):
    application = submit(p)

    services.application_review_start(application=application, user=clerk)
    services.application_request_changes(
        application=application, user=clerk, message="사업자등록증 사진이 흐립니다."
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED
    assert application.decided_at is None

    services.application_resubmit(
        application=application,
        changes={"trade_name": "치평 돼지국밥", "certificate_types": ["paper"]},
        note="다시 찍었습니다.",
        document=upload(PNG, "again.png", "image/png"),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.trade_name == "치평 돼지국밥"
    assert application.certificate_types == ["paper"]
    assert application.merchant_note == "다시 찍었습니다."
    assert application.clerk_message == ""
    assert application.history.filter(clerk_message="사업자등록증 사진이 흐립니다.").exists()
    assert [d.kind for d in application.documents.all()] == ["business_certificate", "correction"]

    services.application_approve(application=application, user=clerk, message="환영합니다")
    reasons = list(
        application.history.order_by("history_date").values_list("status", "history_user__username")
    )
    assert reasons == [
        ("submitted", None),
        ("in_review", "clerk"),
        ("changes_requested", "clerk"),
        ("submitted", None),
        ("in_review", "clerk"),
        ("approved", "clerk"),
    ]


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_a_decided_application_takes_no_further_decision(p, clerk, status):
    application = submit(p)
    if status == "approved":
        services.application_approve(application=application, user=clerk)
    else:
        services.application_reject(application=application, user=clerk, message="중복")

    for call in (
        lambda: services.application_review_start(application=application, user=clerk),
        lambda: services.application_approve(application=application, user=clerk),
        lambda: services.application_reject(application=application, user=clerk, message="x"),
        lambda: services.application_request_changes(
            application=application, user=clerk, message="x"
        ),
        lambda: services.application_resubmit(application=application, changes={}),
    ):
        with pytest.raises(ValidationError) as caught:
            call()
        assert caught.value.code == "invalid_transition"


def test_an_answer_is_taken_only_when_changes_were_asked(p):
    application = submit(p)
    with pytest.raises(ValidationError) as caught:
        services.application_resubmit(application=application, changes={"trade_name": "새 이름"})
    assert caught.value.code == "invalid_transition"


def test_the_answer_cannot_change_the_business_number_or_break_the_rules(p, clerk):
    application = submit(p)
    services.application_request_changes(application=application, user=clerk, message="확인")

    with pytest.raises(ValidationError) as caught:
        services.application_resubmit(application=application, changes={"business_number": "1"})
    assert caught.value.code == "not_changeable"
    with pytest.raises(ValidationError) as caught:
        services.application_resubmit(
            application=application, changes={"phone": "abc"}, document=upload(EXE, "x.png")
        )
    assert codes(caught.value) == {"phone": ["invalid_phone"], "document": ["file_type"]}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED
    assert application.documents.count() == 1


def test_rejections_and_change_requests_need_a_message(p, clerk):
    application = submit(p)
    for call in (services.application_reject, services.application_request_changes):
        with pytest.raises(ValidationError) as caught:
            call(application=application, user=clerk, message="  ")
        assert codes(caught.value) == {"message": ["message_required"]}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_unanswered_change_request_can_still_be_rejected(p, clerk):
    application = submit(p)
    services.application_request_changes(application=application, user=clerk, message="서류")
    services.application_reject(application=application, user=clerk, message="응답 없음")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.decided_by == clerk and application.decided_at is not None


# --- approval -----------------------------------------------------------------------------


def test_approval_registers_the_store_its_membership_and_its_onnuri_applications(p, clerk):
    application = submit(p, business_number="124-81-00998")

    services.application_approve(application=application, user=clerk, message="승인")

    application.refresh_from_db()
    store = application.store
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == clerk and application.clerk_message == "승인"
    assert store.business_number == "1248100998"
    assert (store.trade_name, store.representative, store.phone) == (
        "치평 국밥",
        "김상인",
        "01012345678",
    )
    assert (store.dong, store.ksic_code, store.business_type) == (
        p.dong,
        "56111",
        "한식 일반 음식점업",
    )
    assert store.memberships.get(left_on=None).district == p.district
    registrations = store.affiliations.order_by("certificate_type")
    assert [(r.certificate_type, r.status) for r in registrations] == [
        ("card", AffiliateStatus.APPLIED),
        ("mobile", AffiliateStatus.APPLIED),
    ]
    assert store.history.get().history_user == clerk


def test_approval_updates_a_known_store_moves_it_and_keeps_types_it_holds(p, clerk):
    store = StoreFactory(office=p.office, dong=p.other_dong, trade_name="옛 이름", phone="")
    old = MembershipFactory(store=store, district=DesignatedDistrictFactory(office=p.office))
    held = AffiliateRegistrationFactory(store=store, certificate_type="card")
    application = submit(p, business_number=store.business_number)

    services.application_approve(application=application, user=clerk)

    store.refresh_from_db()
    old.refresh_from_db()
    assert store.trade_name == "치평 국밥" and store.dong == p.dong
    assert store.phone == "01012345678"
    assert old.left_on is not None
    assert store.memberships.get(left_on=None).district == p.district
    assert store.affiliations.get(certificate_type="card") == held
    assert store.affiliations.filter(certificate_type="mobile", status="applied").exists()
    assert Store.objects.filter(business_number=store.business_number).count() == 1


def test_the_clerk_settles_what_the_merchant_did_not_know_when_approving(p, clerk):
    application = submit(p, dong=None, district=None, ksic_code="", business_type="떡 공방")

    with pytest.raises(ValidationError) as caught:
        services.application_approve(application=application, user=clerk)
    assert codes(caught.value) == {
        "dong": ["required"],
        "district": ["required"],
        "ksic_code": ["required"],
    }
    services.application_approve(
        application=application,
        user=clerk,
        dong=p.dong,
        district=p.district,
        ksic_code="10711",
        business_type="떡류 제조업",
    )
    application.refresh_from_db()
    assert (application.dong, application.district, application.ksic_code) == (
        p.dong,
        p.district,
        "10711",
    )
    assert application.store.ksic_code == "10711"


def test_a_failure_inside_approval_leaves_nothing_half_done(p, clerk):
    application = submit(p)
    # The district loses its designation after the merchant chose it: joining is refused
    # after the store was registered, and everything is undone.
    p.district.status = DistrictStatus.REVOKED
    p.district.revoked_on = date(2026, 1, 1)
    p.district.revocation_ground = "criteria_not_met"
    p.district.save()

    with pytest.raises(ValidationError) as caught:
        services.application_approve(application=application, user=clerk)

    assert codes(caught.value) == {"district": ["district_not_designated"]}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Store.objects.exists()
    assert not Membership.objects.exists()
    assert not AffiliateRegistration.objects.exists()
    assert application.history.count() == 1


def test_a_refusal_deep_in_the_registry_services_rolls_the_store_back_too(p, clerk, monkeypatch):
    application = submit(p)

    def refuse(**kwargs):
        raise ValidationError("the affiliate service refused", code="store_closed")

    monkeypatch.setattr("registry.services.applications.review.affiliate_apply", refuse)
    with pytest.raises(ValidationError):
        services.application_approve(application=application, user=clerk)

    assert not Store.objects.exists() and not Membership.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.store is None


def test_approving_a_closed_store_is_refused(p, clerk):
    store = StoreFactory(office=p.office, dong=p.dong)
    application = submit(p, business_number=store.business_number)
    services.store_close(store=store, user=clerk)

    with pytest.raises(ValidationError) as caught:
        services.application_approve(application=application, user=clerk)
    assert caught.value.code == "store_closed"
    store.refresh_from_db()
    assert store.status == StoreStatus.CLOSED


def test_decisions_notify_the_merchant_after_commit(
    p, clerk, sms, django_capture_on_commit_callbacks
):
    application = submit(p)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_changes(
            application=application, user=clerk, message="사진 재제출"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.application_resubmit(application=application, changes={})
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(application=application, user=clerk)

    assert len(sms) == 2
    assert all(application.tracking_number_display in m["text"] for m in sms)
