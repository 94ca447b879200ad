"""SPEC 2.1's whole rule everywhere a number comes in, and the stored numbers it now refuses."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.numbers import brn_valid
from registry.models import MerchantApplication, Store
from registry.public.forms import RegisterForm
from tests.registry.api_support import api_for
from tests.registry.factories import StoreFactory, next_brn
from tests.registry.test_application_support import place, submit, throttles_cleared

pytestmark = pytest.mark.django_db

# Each passes the checksum; its parts cannot be real.
UNREAL = ["000-00-00000", "100-81-00013", "220-00-00017", "220-81-00001"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("check_business_numbers", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("number", UNREAL)
def test_the_api_refuses_a_number_whose_parts_cannot_be_real(clerk, dong, number):
    body = {
        "business_number": number,
        "trade_name": "새 가게",
        "representative": "김영희",
        "phone": "010-9876-5432",
        "dong": dong.name,
        "ksic_code": "56111",
    }
    response = api_for(clerk).post("/api/v1/stores/", body, format="json")
    assert response.status_code == 400
    assert "유효한 사업자등록번호가 아닙니다" in response.json()["business_number"][0]
    assert not Store.objects.exists()


def test_the_public_number_check_calls_000_00_00000_invalid(client, office):
    throttles_cleared()
    answer = client.get(reverse("register:number_check"), {"number": "000-00-00000"}).json()
    assert answer["status"] == "invalid"


def test_the_public_forms_example_number_is_itself_valid():
    help_text = str(RegisterForm.base_fields["business_number"].help_text)
    example = help_text.rsplit(" ", 1)[-1].rstrip(".")
    assert brn_valid(example.replace("-", ""))


def test_the_test_factories_give_valid_numbers():
    numbers = [next_brn() for _ in range(30_000)]
    assert all(brn_valid(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_stored_numbers_the_rule_now_refuses_are_listed_per_office_in_korean_not_deleted(
    office, other_office
):
    good = StoreFactory(office=office)
    zero = StoreFactory(office=office, trade_name="영번 상회")
    bad_digit = StoreFactory(office=other_office, trade_name="동구 분식")
    Store.objects.filter(pk=zero.pk).update(business_number="0000000000")
    Store.objects.filter(pk=bad_digit.pk).update(business_number="2208162518")
    application = submit(place(office), trade_name="치평 국밥")
    MerchantApplication.objects.filter(pk=application.pk).update(business_number="2208100001")

    text = run()

    assert "광주광역시 서구 (29140): 번호가 유효하지 않은 기록 2건" in text
    assert "000-00-00000 영번 상회 (영업 중): 실제로 있을 수 없는 번호입니다" in text
    assert "가맹·소속 신청 220-81-00001 치평 국밥 (신청)" in text
    assert f"/admin/registry/store/{zero.pk}/change/" in text
    assert "광주광역시 동구 (29110): 번호가 유효하지 않은 기록 1건" in text
    assert "220-81-62518 동구 분식 (영업 중): 검증 번호가 맞지 않습니다" in text
    assert good.business_number_display not in text
    assert "고쳐야 할 기록이 3건입니다" in text
    assert Store.objects.count() == 3 and MerchantApplication.objects.count() == 1


def test_one_office_may_be_checked_alone(office, other_office):
    StoreFactory(office=office)
    assert run("29140").splitlines() == [
        "광주광역시 서구 (29140): 고칠 기록이 없습니다.",
        "저장된 사업자등록번호가 모두 유효합니다.",
    ]
