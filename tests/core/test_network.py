"""The client's address (SPEC 8): X-Forwarded-For is believed only through our own proxies."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from core import throttle
from core.network import client_address, forwarded_client


def request_from(remote_addr: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_a_spoofed_forwarded_header_does_not_change_the_address_without_trusted_proxies(settings):
    settings.GOLMOK_TRUSTED_PROXIES = 0
    spoofed = request_from("203.0.113.9", "198.51.100.1")
    assert client_address(spoofed) == "203.0.113.9"
    assert throttle.client_ip(spoofed) == "203.0.113.9"
    assert get_client_ip_address(spoofed) == "203.0.113.9"  # axes counts by the same address


def test_one_trusted_proxy_gives_the_address_it_appended(settings):
    settings.GOLMOK_TRUSTED_PROXIES = 1
    # The client wrote "198.51.100.1" itself; our proxy appended the address it saw.
    request = request_from("10.0.0.2", "198.51.100.1, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"
    assert get_client_ip_address(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("header", "remote", "proxies", "expected"),
    [
        ("", "203.0.113.9", 0, "203.0.113.9"),
        ("198.51.100.1", "203.0.113.9", 0, "203.0.113.9"),
        ("203.0.113.9", "10.0.0.2", 1, "203.0.113.9"),
        ("1.1.1.1, 203.0.113.9, 10.0.0.3", "10.0.0.2", 2, "203.0.113.9"),
        ("203.0.113.9,10.0.0.3", "10.0.0.2", 2, "203.0.113.9"),
        # Fewer entries than proxies: the header did not come through our proxies.
        ("203.0.113.9", "10.0.0.2", 2, "10.0.0.2"),
        ("", "10.0.0.2", 1, "10.0.0.2"),
        # Not an address where the client should be.
        ("unknown", "10.0.0.2", 1, "10.0.0.2"),
        ("2001:db8::1", "10.0.0.2", 1, "2001:db8::1"),
        ("", "", 0, None),
        ("", "not-an-address", 0, None),
    ],
)
def test_the_client_is_the_nth_entry_from_the_right(header, remote, proxies, expected):
    assert forwarded_client(header, remote, proxies) == expected


def test_a_request_without_an_address_is_unknown_to_the_rate_limits(settings):
    settings.GOLMOK_TRUSTED_PROXIES = 0
    assert throttle.client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == "unknown"
