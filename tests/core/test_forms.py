"""A service's refusal reaches the form field it names, or the top of the form."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import service_errors_to_form
from core.services import field_error


class StoreForm(forms.Form):
    trade_name = forms.CharField(required=False)
    store_query = forms.CharField(required=False)


def test_a_refusal_naming_a_field_of_the_form_is_shown_under_that_field():
    form = StoreForm(data={})
    form.is_valid()
    service_errors_to_form(form, field_error("trade_name", "상호가 비어 있습니다.", "blank"))
    assert form.errors["trade_name"] == ["상호가 비어 있습니다."]


def test_a_refusal_naming_a_field_the_form_lacks_is_shown_above_the_form():
    form = StoreForm(data={})
    form.is_valid()
    service_errors_to_form(form, field_error("office", "다른 구청의 자료입니다.", "other_office"))
    assert form.non_field_errors() == ["다른 구청의 자료입니다."]


def test_a_refusal_without_fields_is_shown_above_the_form():
    form = StoreForm(data={})
    form.is_valid()
    service_errors_to_form(form, ValidationError("처리할 수 없습니다.", code="refused"))
    assert form.non_field_errors() == ["처리할 수 없습니다."]


def test_a_renamed_field_lands_where_the_form_calls_it():
    form = StoreForm(data={})
    form.is_valid()
    error = field_error("business_number", "등록되지 않은 사업자입니다.", "unknown")
    service_errors_to_form(form, error, {"business_number": "store_query"})
    assert form.errors["store_query"] == ["등록되지 않은 사업자입니다."]
