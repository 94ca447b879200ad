"""Domain refusals become API answers in one place: 400 keyed by field, 409 for a conflict."""

from django.core.exceptions import ValidationError

from core.api.exceptions import exception_handler
from core.services import Conflict, field_error


def test_a_conflict_is_a_409_carrying_its_message():
    response = exception_handler(Conflict("이미 다른 내용으로 기록된 결제입니다."), {})
    assert response.status_code == 409
    assert response.data == {"detail": "이미 다른 내용으로 기록된 결제입니다."}


def test_a_field_refusal_is_a_400_keyed_by_the_field():
    response = exception_handler(field_error("amount", "금액이 너무 큽니다.", "too_large"), {})
    assert response.status_code == 400
    assert response.data == {"amount": ["금액이 너무 큽니다."]}


def test_a_refusal_of_the_whole_record_names_its_code():
    error = ValidationError({"__all__": ValidationError("중복입니다.", code="duplicate")})
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["중복입니다."], "code": "duplicate"}
