"""Who is asking: the client's address, read the one way every guard shares.

Behind a reverse proxy the server sees the proxy's address in `REMOTE_ADDR`, and the proxy
names the client in `X-Forwarded-For`. That header is written by whoever sends the request, so
only the entries our own proxies added can be believed: each trusted proxy appends the address
it received the request from, so with N trusted proxies the client is the N-th entry from the
right. Anything to the left of it was written by the client and is ignored.

`GOLMOK_TRUSTED_PROXIES` says how many proxies of our own stand in front of the server (0, the
default: none, and the header is ignored). The public pages' rate limits and the sign-in lockout
(django-axes' `AXES_CLIENT_IP_CALLABLE`) both count by `client_address`.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def forwarded_client(header: str, remote_addr: str, trusted_proxies: int) -> str | None:
    """The client's address from `X-Forwarded-For` and `REMOTE_ADDR` through N trusted proxies.

    A header shorter than the number of proxies, or whose entry is not an address, was not
    written by our proxies: the server's own view (`REMOTE_ADDR`) is used then.
    """
    if trusted_proxies > 0:
        entries = [entry.strip() for entry in header.split(",") if entry.strip()]
        if len(entries) >= trusted_proxies:
            chosen = _address(entries[-trusted_proxies])
            if chosen:
                return chosen
    return _address(remote_addr)


def _address(value: str) -> str | None:
    try:
        return str(ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the client behind `request`, or None when the server was not told one."""
    return forwarded_client(
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        request.META.get("REMOTE_ADDR", ""),
        settings.GOLMOK_TRUSTED_PROXIES,
    )
