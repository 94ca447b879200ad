"""The clerks' programme admin (SPEC 7): pages open for clerks, supervisors only read, the office
wall holds, every button calls its service and shows refusals in Korean, applicants' contacts and
settlement accounts are masked by role and every unmasked showing is logged."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from core.choices import AccessAction
from core.clock import SEOUL
from programmes import services
from programmes.models import Application, Attachment, Criterion, Programme, Reviewer
from programmes.services.editing import programme_criteria_set
from registry.models import AccessLog
from tests.programmes.conftest import apply
from tests.programmes.factories import CompetitiveProgrammeFactory
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def supervisor(office):
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def admin_url(name, *args):
    return reverse(f"admin:programmes_{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def under_review(programme, store, clerk, **kwargs):
    application = apply(programme, store, **kwargs)
    for to in ("screening", "under_review"):
        services.application_transition(application=application, to=to, actor=clerk)
    return application


def scored(growth, business, reviewers, clerk):
    application = under_review(growth, business, clerk)
    for reviewer in reviewers:
        services.review_submit(
            application=application, reviewer=reviewer, scores={"plan": 5, "impact": 8}
        )
    return application


@pytest.fixture
def awarded(relief, business):
    """An entitlement application awarded its 500,000 won at once."""
    return apply(relief, business, at=datetime(2026, 8, 1, 10, tzinfo=SEOUL))


def granted(application, clerk):
    return services.grant_decide(
        application=application,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="치평 나눔협동조합",
        actor=clerk,
    )


# --- programmes ---------------------------------------------------------------------------------


def test_each_programme_page_opens_for_a_clerk(clerk_client, growth, relief):
    for url in (
        admin_url("programme_changelist"),
        admin_url("programme_add"),
        admin_url("programme_change", growth.pk),
        admin_url("programme_change", relief.pk),
        admin_url("programme_history", growth.pk),
    ):
        response = clerk_client.get(url)
        assert response.status_code == 200, url
    listing = clerk_client.get(admin_url("programme_changelist")).text
    assert "100,000,000원" in listing and "10,000,000원" in listing


def test_the_change_page_shows_the_figures_and_who_has_not_scored(
    clerk_client, growth, business, reviewers, clerk
):
    application = under_review(growth, business, clerk)
    services.review_submit(
        application=application, reviewer=reviewers[0], scores={"plan": 4, "impact": 6}
    )
    text = clerk_client.get(admin_url("programme_change", growth.pk)).text
    assert "예산" in text and "100,000,000원" in text
    assert application.number_display in text
    assert "<strong>reviewer2</strong>" in text and "<strong>reviewer1</strong>" not in text


def test_a_supervisor_reads_a_programme_but_cannot_change_it(client, supervisor, growth):
    client.force_login(supervisor)
    url = admin_url("programme_change", growth.pk)
    response = client.get(url)
    assert response.status_code == 200 and 'name="_save"' not in response.text
    assert client.post(url, {"name": "바뀐 이름"}).status_code == 403
    assert client.get(admin_url("programme_select", growth.pk)).status_code == 403
    growth.refresh_from_db()
    assert growth.name != "바뀐 이름"


def test_another_offices_programme_is_neither_listed_nor_opened(clerk_client, other_office):
    theirs = CompetitiveProgrammeFactory(office=other_office, name="동구 사업")
    assert "동구 사업" not in clerk_client.get(admin_url("programme_changelist")).text
    response = clerk_client.get(admin_url("programme_change", theirs.pk))
    assert response.status_code in (302, 404)
    assert clerk_client.get(admin_url("programme_select", theirs.pk)).status_code == 404


def programme_form(**overrides):
    data = {
        "code": "growth-2027",
        "name": "2027 사업개발비",
        "kind": "competitive",
        "description": "",
        "opens_at_0": "2027-03-02",
        "opens_at_1": "09:00",
        "closes_at_0": "2027-03-25",
        "closes_at_1": "18:00",
        "budget": "100000000",
        "max_award": "20000000",
        "amount": "",
        "pass_mark": "60",
        "annual_sales_min_exclusive": "",
        "annual_sales_max": "",
        "opened_before": "",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-key": "plan",
        "criteria-0-name": "사업계획",
        "criteria-0-weight": "2",
        "criteria-0-max_points": "5",
        "digit_days-TOTAL_FORMS": "0",
        "digit_days-INITIAL_FORMS": "0",
    }
    return data | overrides


def test_a_clerk_creates_a_competitive_programme_with_its_criteria(clerk_client, office):
    response = clerk_client.post(admin_url("programme_add"), programme_form())
    assert response.status_code == 302, response.text[:3000]
    programme = Programme.objects.get(code="growth-2027")
    assert programme.office == office
    assert list(programme.criteria.values_list("key", "weight")) == [("plan", 2)]
    assert programme.history.first().history_user.username == "clerk"


def test_a_competitive_programme_without_criteria_is_refused_in_korean(clerk_client):
    response = clerk_client.post(
        admin_url("programme_add"), programme_form(**{"criteria-TOTAL_FORMS": "0"})
    )
    assert response.status_code == 200
    assert "심사 항목을 하나 이상" in response.text
    assert not Programme.objects.filter(code="growth-2027").exists()


def test_a_budget_below_what_is_awarded_is_refused(clerk_client, relief, awarded):
    url = admin_url("programme_change", relief.pk)
    form = response_form(clerk_client.get(url))
    response = clerk_client.post(url, form | {"budget": "100000"})
    assert response.status_code == 200
    assert "이미 결정된 지원액보다 적을 수 없습니다" in response.text
    relief.refresh_from_db()
    assert relief.budget == 10_000_000


def response_form(response) -> dict:
    """The change form's current values, as the browser would send them back."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        widget = field.widget
        if hasattr(widget, "widgets") and len(getattr(widget, "widgets", [])) == 2:
            value = form[name].value()
            data[f"{name}_0"], data[f"{name}_1"] = (
                (value.astimezone(SEOUL).strftime("%Y-%m-%d"), value.strftime("%H:%M:%S"))
                if value
                else ("", "")
            )
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_only_reviewers_of_the_office_are_offered_and_assigned_through_the_service(
    clerk_client, clerk, growth, office, other_office
):
    reviewer = UserFactory(username="심사위원", office=office, roles=["programme_reviewer"])
    UserFactory(username="no-role", office=office, roles=["clerk"])
    UserFactory(username="far-away", office=other_office, roles=["programme_reviewer"])
    url = admin_url("programme_change", growth.pk)
    response = clerk_client.get(url)
    choices = response.context["inline_admin_formsets"][1].formset.empty_form.fields["user"]
    assert [u.username for u in choices.queryset] == ["심사위원"]
    form = response_form(response) | {
        "reviewers-TOTAL_FORMS": "1",
        "reviewers-0-user": str(reviewer.pk),
    }
    response = clerk_client.post(url, form)
    assert response.status_code == 302, response.text[:3000]
    assigned = Reviewer.objects.get(programme=growth)
    assert (assigned.user, assigned.assigned_by) == (reviewer, clerk)


def test_the_selection_asks_first_warning_of_unscored_applications_then_runs_once(
    clerk_client, growth, business, reviewers, clerk, office, dong
):
    first = scored(growth, business, reviewers, clerk)
    under_review(growth, StoreFactory(office=office, dong=dong), clerk)
    apply(growth, StoreFactory(office=office, dong=dong))  # still submitted
    url = admin_url("programme_select", growth.pk)
    page = clerk_client.get(url)
    assert page.status_code == 200
    assert "1건은 아직 점수가 없어" in page.text
    assert "1건은 아직 심사 단계에 이르지 않아" in page.text
    first.refresh_from_db()
    assert first.status == "under_review"
    response = clerk_client.post(url, {"confirmed": "yes"}, follow=True)
    assert "선정을 실행했습니다" in " ".join(messages_of(response))
    first.refresh_from_db()
    assert (first.status, first.award) == ("selected", 15_000_000)
    again = clerk_client.post(url, {"confirmed": "yes"}, follow=True)
    assert "선정은 이미 실행했습니다" in " ".join(messages_of(again))


def test_the_draft_instalments_download_as_csv_and_are_logged_as_an_export(
    clerk_client, relief, awarded, clerk
):
    grant = granted(awarded, clerk)
    services.disbursement_add(grant=grant, amount=500_000, actor=clerk)
    url = admin_url("programme_instalments", relief.pk)
    assert clerk_client.get(url).status_code == 302  # a download that changes state is a POST
    response = clerk_client.post(url)
    assert response.status_code == 200
    assert "1107-020-123456" in response.content.decode()
    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert (log.model, log.object_pk) == ("programmes.Grant", str(grant.pk))
    empty = clerk_client.post(url, follow=True)
    assert "내보낼 초안 분할 지급이 없습니다" in " ".join(messages_of(empty))


# --- applications -------------------------------------------------------------------------------


def test_each_application_page_opens_for_a_clerk(clerk_client, relief, awarded):
    for url in (
        admin_url("application_changelist"),
        admin_url("application_add"),
        admin_url("application_change", awarded.pk),
        admin_url("application_history", awarded.pk),
        admin_url("grant_changelist"),
        admin_url("disbursement_changelist"),
        admin_url("expenseline_changelist"),
        admin_url("ledgerentry_changelist"),
    ):
        assert clerk_client.get(url).status_code == 200, url


def test_applicants_are_masked_for_a_supervisor_and_shown_and_logged_for_a_clerk(
    client, supervisor, clerk, relief, business
):
    application = apply(
        relief,
        business,
        at=datetime(2026, 8, 1, 10, tzinfo=SEOUL),
        applicant="홍길동",
        phone="010-1234-5678",
    )
    client.force_login(supervisor)
    masked = client.get(admin_url("application_changelist")).text
    assert "홍*동" in masked and "010-****-5678" in masked and "홍길동" not in masked
    page = client.get(admin_url("application_change", application.pk)).text
    assert "홍길동" not in page and "1234-5678" not in page
    client.force_login(clerk)
    shown = client.get(admin_url("application_changelist")).text
    assert "홍길동" in shown and "010-1234-5678" in shown
    log = AccessLog.objects.filter(user=clerk, object_pk=str(application.pk)).get()
    assert log.model == "programmes.Application" and log.detail == "목록, 개인정보 표시"


def test_applications_are_found_by_tracking_number_business_number_or_trade_name(
    clerk_client, relief, awarded, office, dong
):
    other = apply(relief, StoreFactory(office=office, dong=dong, trade_name="상무 분식"))
    url = admin_url("application_changelist")
    for term in (awarded.number_display.lower(), "220-81-62517", "나눔협동"):
        found = list(clerk_client.get(url, {"q": term}).context["cl"].result_list)
        assert found == [awarded], term
    assert list(clerk_client.get(url, {"q": "상무"}).context["cl"].result_list) == [other]


def test_a_clerk_moves_an_application_and_a_withdrawal_without_a_reason_is_refused(
    clerk_client, growth, business
):
    application = apply(growth, business)
    url = admin_url("application_move", application.pk)
    form = clerk_client.get(url).context["form"]
    assert [c for c, _label in form.fields["to"].choices] == ["screening", "withdrawn"]
    refused = clerk_client.post(url, {"to": "withdrawn", "note": ""})
    assert refused.status_code == 200 and "철회하는 사유를 적어 주십시오" in refused.text
    response = clerk_client.post(url, {"to": "screening", "note": "서류 확인"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "screening"
    assert application.events.filter(kind="status", to_status="screening").exists()


def test_a_note_goes_onto_the_timeline(clerk_client, growth, business):
    application = apply(growth, business)
    url = admin_url("application_note", application.pk)
    assert "메모를 입력하십시오" in clerk_client.post(url, {"note": " "}).text
    clerk_client.post(url, {"note": "전화로 보완 안내"})
    assert application.events.filter(kind="note", note="전화로 보완 안내").exists()


def test_the_committee_lowers_an_award_but_never_raises_it(
    clerk_client, growth, business, reviewers, clerk
):
    application = scored(growth, business, reviewers, clerk)
    services.programme_select(programme=growth, actor=clerk)
    url = admin_url("application_lower", application.pk)
    raised = clerk_client.post(url, {"amount": 16_000_000, "reason": "심사위원회 조정"})
    assert "15,000,000원 미만" in raised.text
    no_reason = clerk_client.post(url, {"amount": 12_000_000, "reason": ""})
    assert "위원회의 사유" in no_reason.text
    clerk_client.post(url, {"amount": 12_000_000, "reason": "심사위원회 조정"})
    application.refresh_from_db()
    assert application.award == 12_000_000


def test_a_grant_is_decided_with_a_korean_bank_and_the_account_is_masked_by_role(
    clerk_client, client, supervisor, relief, awarded
):
    url = admin_url("application_grant", awarded.pk)
    banks = [c for c, _label in clerk_client.get(url).context["form"].fields["bank"].choices]
    assert "광주은행" in banks and "KB국민은행" in banks
    short = clerk_client.post(
        url, {"bank": "광주은행", "account_number": "12", "account_holder": "치평"}
    )
    assert "계좌번호를 입력하십시오" in short.text
    clerk_client.post(
        url,
        {"bank": "광주은행", "account_number": "1107-020-123456", "account_holder": "치평 나눔"},
    )
    grant = Application.objects.get(pk=awarded.pk).grant
    assert grant.bank == "광주은행"
    assert "1107-020-123456" in clerk_client.get(admin_url("application_change", awarded.pk)).text
    client.force_login(supervisor)
    page = client.get(admin_url("application_change", awarded.pk)).text
    assert "1107-020-123456" not in page and "3456" in page
    listing = client.get(admin_url("grant_changelist")).text
    assert "1107-020-123456" not in listing and "3456" in listing
    assert AccessLog.objects.filter(model="programmes.Grant", user=supervisor).exists()


def test_instalments_are_added_within_the_grant_and_marked_paid(
    clerk_client, clerk, relief, awarded
):
    grant = granted(awarded, clerk)
    url = admin_url("application_instalment", awarded.pk)
    too_much = clerk_client.post(url, {"amount": 600_000})
    assert "500,000원까지" in too_much.text
    clerk_client.post(url, {"amount": 500_000})
    instalment = grant.disbursements.get()
    services.disbursements_export(programme=relief, actor=clerk)
    response = clerk_client.post(
        admin_url("application_paid", awarded.pk), {"disbursement": instalment.pk}
    )
    assert response.status_code == 302
    instalment.refresh_from_db()
    assert instalment.status == "paid"


def test_expenses_are_decided_the_settlement_closed_and_the_refund_recorded(
    clerk_client, clerk, growth, business, reviewers
):
    application = scored(growth, business, reviewers, clerk)
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    grant = granted(application, clerk)
    instalment = services.disbursement_add(grant=grant, amount=10_000_000, actor=clerk)
    services.disbursements_export(programme=growth, actor=clerk)
    services.disbursement_mark_paid(disbursement=instalment, actor=clerk)
    line = services.expense_add(
        grant=grant,
        item="플랫폼 개발 용역",
        amount=8_000_000,
        spent_on=datetime(2026, 5, 1).date(),
        evidence_note="세금계산서",
        actor=clerk,
    )
    expense_url = admin_url("application_expense", application.pk)
    no_reason = clerk_client.post(expense_url, {"line": line.pk, "decision": "reject"})
    assert "불인정 사유를 적어 주십시오" in no_reason.text
    clerk_client.post(expense_url, {"line": line.pk, "decision": "accept"})
    line.refresh_from_db()
    assert line.status == "accepted"
    settle_url = admin_url("application_settle", application.pk)
    assert clerk_client.get(settle_url).status_code == 200
    clerk_client.post(settle_url, {})
    grant.refresh_from_db()
    assert grant.refund_due == 2_000_000
    refund_url = admin_url("application_refund", application.pk)
    assert "2,000,000원까지" in clerk_client.post(refund_url, {"amount": 3_000_000}).text
    clerk_client.post(refund_url, {"amount": 2_000_000})
    grant.refresh_from_db()
    assert grant.refund_returned == 2_000_000


def test_a_supervisor_has_no_buttons_and_no_steps(client, supervisor, growth, business):
    application = apply(growth, business)
    client.force_login(supervisor)
    page = client.get(admin_url("application_change", application.pk))
    assert page.status_code == 200 and page.context["object_buttons"] == []
    response = client.post(
        admin_url("application_move", application.pk), {"to": "screening", "note": ""}
    )
    assert response.status_code == 403
    assert client.get(admin_url("application_add")).status_code == 403


def test_another_offices_application_is_not_found(clerk_client, other_office):
    theirs_programme = CompetitiveProgrammeFactory(office=other_office)
    store = StoreFactory(office=other_office, business_number="1248100998")
    theirs = apply(theirs_programme, store)
    assert clerk_client.get(admin_url("application_note", theirs.pk)).status_code == 404
    assert theirs not in list(
        clerk_client.get(admin_url("application_changelist")).context["cl"].result_list
    )


def test_a_clerk_enters_a_paper_application_and_a_second_is_refused_naming_the_rule(
    clerk_client, clerk, relief, business
):
    form = {
        "programme": relief.pk,
        "business_number": "220-81-62517",
        "annual_sales": "120000000",
        "applicant": "홍길동",
        "phone": "010-1234-5678",
        "submitted_at_0": "2026-08-03",
        "submitted_at_1": "10:00",
    }
    response = clerk_client.post(admin_url("application_add"), form)
    assert response.status_code == 302, response.text[:3000]
    application = Application.objects.get()
    assert (application.status, application.entered_by) == ("awarded", clerk)
    again = clerk_client.post(admin_url("application_add"), form)
    assert again.status_code == 200
    errors = " ".join(again.context["form"].non_field_errors())
    assert "duplicate" in errors and "이미 이 지원사업에 신청했습니다" in errors
    bad = clerk_client.post(admin_url("application_add"), form | {"annual_sales": "많음"})
    assert "원 단위 정수" in bad.text


def test_an_attachment_opens_through_the_admin_and_the_opening_is_logged(
    clerk_client, clerk, growth, business
):
    application = apply(growth, business)
    attachment = Attachment(
        application=application, content_type="application/pdf", size=len(PDF), original_name="a"
    )
    attachment.file.save("plan.pdf", ContentFile(PDF), save=True)
    page = clerk_client.get(admin_url("application_change", application.pk)).text
    url = admin_url("application_attachment", application.pk, attachment.pk)
    assert url in page
    response = clerk_client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(
        user=clerk, object_pk=str(application.pk), detail__startswith="첨부"
    ).exists()


def test_reviews_show_every_score(clerk_client, growth, business, reviewers, clerk):
    application = scored(growth, business, reviewers, clerk)
    text = clerk_client.get(admin_url("application_change", application.pk)).text
    assert text.count("<td>8</td>") == 3 and "사업계획" in text


# --- the store ------------------------------------------------------------------------------------


def test_the_stores_page_shows_its_support_history(clerk_client, relief, awarded, business):
    text = clerk_client.get(reverse("admin:registry_store_change", args=[business.pk])).text
    assert "지원 이력" in text and relief.name in text and "500,000원" in text
    listed = clerk_client.get(admin_url("application_changelist"), {"store": business.pk})
    assert list(listed.context["cl"].result_list) == [awarded]


def test_the_social_economy_type_is_edited_on_the_store_and_filters_the_list(
    clerk_client, business, office, dong
):
    StoreFactory(office=office, dong=dong, trade_name="일반 식당")
    url = reverse("admin:registry_store_changelist")
    found = clerk_client.get(url, {"enterprise_type__exact": "social_cooperative"})
    assert [s.trade_name for s in found.context["cl"].result_list] == ["치평 나눔협동조합"]
    page = clerk_client.get(reverse("admin:registry_store_change", args=[business.pk]))
    assert "enterprise_type" in page.context["adminform"].form.fields


def test_criteria_are_kept_once_reviews_were_given(growth, business, reviewers, clerk):
    scored(growth, business, reviewers, clerk)
    with pytest.raises(ValidationError) as refused:
        programme_criteria_set(
            programme=growth,
            criteria=[services.CriterionInput("plan", "사업계획", 1, 5)],
            actor=clerk,
        )
    assert "심사가 시작되어" in " ".join(refused.value.messages)
    assert Criterion.objects.filter(programme=growth).count() == 2


def test_a_clerk_enters_expense_lines_with_their_evidence_and_opens_it_logged(
    clerk_client, clerk, growth, business, reviewers
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registry.models import AccessLog

    application = scored(growth, business, reviewers, clerk)
    services.programme_select(programme=growth, actor=clerk)
    application.refresh_from_db()
    grant = granted(application, clerk)
    url = admin_url("application_expense_add", application.pk)
    page = clerk_client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    nothing = clerk_client.post(
        url, {"item": "장비", "amount": 1_000_000, "spent_on": "2026-05-01"}
    )
    assert "증빙 파일을 첨부하거나 보관 위치를 적어 주십시오" in nothing.text
    receipt = SimpleUploadedFile("영수증.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    clerk_client.post(
        url,
        {"item": "장비 구입", "amount": 1_000_000, "spent_on": "2026-05-01", "evidence": receipt},
    )
    line = grant.expenses.get()
    assert (line.item, line.amount, line.status) == ("장비 구입", 1_000_000, "pending")
    change = clerk_client.get(admin_url("application_change", application.pk)).text
    evidence = admin_url("application_evidence", application.pk, line.pk)
    assert evidence in change
    opened = clerk_client.get(evidence)
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(
        user=clerk, action="view", object_pk=str(application.pk), detail__contains=str(line.pk)
    ).exists()


def test_a_paper_budget_line_in_other_digits_is_refused_not_a_server_error(clerk_client, growth):
    response = clerk_client.post(
        admin_url("application_add") + f"?programme={growth.pk}",
        {"programme": growth.pk, "budget_lines": "장비: ²"},
    )
    assert response.status_code == 200
