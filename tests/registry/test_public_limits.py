"""The public pages' limits (SPEC 2.5, "repeated failed look-ups are slowed down"), keyed on the
normalised credential as well as on the client: a stranger locks out only the numbers they try,
spaces and case do not make a new number, one client cannot try many numbers, and requests sent
at once cannot pass the limit together."""

import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse

from registry.public import limits
from tests.registry.test_application_support import place, submit, throttles_cleared

LOOKUP = reverse("register:status")
PROXY = "10.9.9.9"


def look_up(client, number, digits):
    return client.post(LOOKUP, {"tracking_number": number, "phone_last_four": digits})


@pytest.fixture(autouse=True)
def _clean(db):
    throttles_cleared()


@pytest.fixture
def p(office):
    return place(office)


@pytest.fixture
def application(p):
    return submit(p, phone="010-2222-4821")


def spaced(number: str) -> str:
    """The same tracking number as someone might type it: spaces, lower case, no hyphens."""
    return " ".join(number.lower())


def test_spaces_and_case_do_not_make_a_new_number(application):
    number = application.tracking_number
    variants = [spaced(number), number.lower(), f"{number[:4]} - {number[4:]}", f" {number} "]
    for index in range(limits.LOOKUP_FAILURES.count):
        typed = variants[index % len(variants)]
        response = look_up(Client(REMOTE_ADDR=f"10.2.0.{index}"), typed, "0000")
        assert response.status_code == 200

    blocked = look_up(Client(REMOTE_ADDR="10.2.0.99"), spaced(number), "4821")
    assert blocked.status_code == 429


def test_a_stranger_behind_the_proxy_locks_out_only_the_number_they_tried(p, application):
    """Behind a proxy every visitor has the proxy's address; failures on one number must not
    keep the other merchants out."""
    stranger = Client(REMOTE_ADDR=PROXY)
    for _ in range(limits.LOOKUP_FAILURES.count):
        look_up(stranger, application.tracking_number, "0000")
    other = submit(p, phone="010-3333-7777")

    merchant = Client(REMOTE_ADDR=PROXY)
    assert look_up(merchant, other.tracking_number, "7777").status_code == 302
    assert look_up(merchant, application.tracking_number, "4821").status_code == 429


def test_failures_from_many_addresses_on_one_number_lock_that_number(application):
    for index in range(limits.LOOKUP_FAILURES.count):
        look_up(Client(REMOTE_ADDR=f"10.4.0.{index}"), application.tracking_number, "0000")

    assert look_up(Client(), application.tracking_number, "4821").status_code == 429


def test_one_address_failing_on_many_numbers_is_limited(application):
    client = Client(REMOTE_ADDR="10.5.0.1")
    for index in range(limits.LOOKUP_FAILURES_CLIENT.count):
        assert look_up(client, f"ZZZZ-2345-{index:04d}", "0000").status_code == 200

    assert look_up(client, "ZZZZ-2345-WXYZ", "0000").status_code == 429
    assert look_up(Client(REMOTE_ADDR="10.5.0.2"), "ZZZZ-2345-WXYZ", "0000").status_code == 200


def test_behind_a_trusted_proxy_the_client_is_read_from_x_forwarded_for(settings, application):
    settings.GOLMOK_TRUSTED_PROXIES = 1
    for index in range(limits.LOOKUP_FAILURES_CLIENT.count):
        forwarded = {"HTTP_X_FORWARDED_FOR": f"1.2.3.4, 203.0.113.{index % 2}"}
        Client(REMOTE_ADDR=PROXY, **forwarded).post(
            LOOKUP, {"tracking_number": f"ZZZZ-2345-{index:04d}", "phone_last_four": "0000"}
        )
    # The two clients who failed are not over their limit; a third one behind the proxy, and
    # one forging the header's first entry, are counted as themselves.
    fresh = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert look_up(fresh, application.tracking_number, "4821").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_look_ups_sent_at_once_cannot_pass_the_limit_together(p):
    throttles_cleared()
    application = submit(p, phone="010-2222-4821")
    tries = limits.LOOKUP_FAILURES.count * 3
    start = threading.Barrier(tries)
    answers: list[int] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        try:
            client = Client(REMOTE_ADDR=f"10.6.{index}.1")
            start.wait()
            code = look_up(client, application.tracking_number, f"{index:04d}").status_code
            with lock:
                answers.append(code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == tries
    assert answers.count(200) == limits.LOOKUP_FAILURES.count
    assert answers.count(429) == tries - limits.LOOKUP_FAILURES.count
    throttles_cleared()


def test_look_ups_without_a_tracking_number_do_not_lock_out_others_sending_none(application):
    for index in range(limits.LOOKUP_FAILURES.count + 1):
        look_up(Client(REMOTE_ADDR=f"10.7.0.{index}"), "", "0000")

    response = look_up(Client(REMOTE_ADDR="10.7.0.99"), "", "0000")
    assert response.status_code == 200
    assert "tracking_number" in response.context["form"].errors
