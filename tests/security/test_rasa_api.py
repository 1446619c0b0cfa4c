"""Rasa's HTTP API as an attacker on the network or on the machine would try it.

The session's real Rasa server (started as production starts it, ``nlu.engine.serve_argv``)
must refuse its API without the token or with a wrong one, and listen on loopback only.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.stack import Stack

# (method, path, body): reading a conversation, parsing, writing events, replacing the model.
PROTECTED = [
    ("POST", "/model/parse", {"text": "xin chào"}),
    ("GET", "/conversations/security-probe/tracker", None),
    ("POST", "/conversations/security-probe/tracker/events", {"event": "restart"}),
    ("POST", "/conversations/security-probe/trigger_intent", {"name": "greet"}),
    ("PUT", "/model", {"model_file": "/tmp/attacker-model.tar.gz"}),
    ("DELETE", "/model", None),
    ("GET", "/domain", None),
    ("GET", "/status", None),
]


def call(stack: Stack, method: str, path: str, body: object, token: str | None) -> int:
    query = f"?token={urllib.parse.quote(token)}" if token is not None else ""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{stack.rasa_url}{path}{query}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=[f"{m} {p}" for m, p, _ in PROTECTED])
@pytest.mark.parametrize("token", [None, "", "wrong-token", "TOKEN"], ids=["none", "empty", "wrong", "case"])
def test_the_api_refuses_a_missing_or_wrong_token(
    stack: Stack, method: str, path: str, body: object, token: str | None
) -> None:
    given = stack.rasa_token.swapcase() if token == "TOKEN" else token
    if given == stack.rasa_token:  # a token without letters cannot be changed by case
        pytest.skip("token has no letters")
    assert call(stack, method, path, body, given) == 401


def test_the_right_token_is_accepted(stack: Stack) -> None:
    assert call(stack, "GET", "/status", None, stack.rasa_token) == 200
    assert call(stack, "POST", "/model/parse", {"text": "xin chào"}, stack.rasa_token) == 200


def test_a_bearer_header_with_a_wrong_token_is_refused(stack: Stack) -> None:
    request = urllib.request.Request(
        f"{stack.rasa_url}/status", headers={"Authorization": "Bearer wrong-token"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 401


def non_loopback_addresses() -> list[str]:
    """This machine's addresses other than loopback (IPv4 and IPv6)."""
    found: set[str] = set()
    # Documentation prefixes: a UDP "connect" sends nothing, the kernel just picks the source address.
    for family, target in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
                found.add(str(probe.getsockname()[0]))
            except OSError:
                pass
    with contextlib.suppress(OSError):
        found.update(str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None))
    return sorted(a for a in found if not (a.startswith("127.") or a in ("::1", "::")) and "%" not in a)


def test_rasa_and_the_action_server_listen_on_loopback_only(stack: Stack) -> None:
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for url in (stack.rasa_url, stack.actions_url):
        port = urlsplit(url).port
        assert port is not None and urlsplit(url).hostname == "127.0.0.1"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # reachable on loopback...
        for address in addresses:
            with pytest.raises(OSError), socket.create_connection((address, port), timeout=5):
                pass  # ...and refused on the machine's other addresses
