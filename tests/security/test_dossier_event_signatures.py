"""Forging a dossier event's signature (the checks ``POST /api/v1/dossier-events`` runs first).

Tampered bodies, other secrets, replays and old timestamps are tested over HTTP in
tests/dossiers/test_events_api.py; these are the forgeries it does not try.
"""

from __future__ import annotations

import pytest

from bot.dossier_events import MAX_SKEW_S, check_signature, sign

SECRET = "kiem-thu-bi-mat-chung-0123456789"
BODY = b'{"event_id":"mc-1","receipt_code":"000.22.31.H51-251201-0201","status":"ready"}'
NOW = 1_800_000_000


def headers(timestamp: str, signature: str) -> dict[str, str]:
    return {"X-Timestamp": timestamp, "X-Signature": signature}


def test_a_captured_signature_does_not_cover_a_fresher_timestamp() -> None:
    old = NOW - MAX_SKEW_S - 60
    captured = sign(SECRET, old, BODY)
    assert check_signature(SECRET, headers(str(NOW), captured), BODY, NOW) == "bad_signature"


@pytest.mark.parametrize(
    "timestamp",
    [
        "",
        " ",
        "-1",
        "+1800000000",
        "1.8e9",
        "1800000000.0",
        "0x6B49D200",
        "1" * 13,
        "１８００００００００",
        "now",
    ],
)
def test_malformed_timestamps_are_refused_even_when_signed(timestamp: str) -> None:
    signature = sign(SECRET, timestamp, BODY) if timestamp.isascii() else "sha256=" + "0" * 64
    assert check_signature(SECRET, headers(timestamp, signature), BODY, NOW) == "bad_timestamp"


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "sha256=",
        sign(SECRET, NOW, BODY).removeprefix("sha256="),  # the digest without its scheme
        sign(SECRET, NOW, BODY).replace("sha256=", "sha1="),
        sign(SECRET, NOW, BODY)[:-2],  # truncated
        sign(SECRET, NOW, BODY) + "00",
        sign(SECRET, NOW, BODY + b" "),  # over a body with one more byte
        sign("", NOW, BODY),  # an empty secret
    ],
)
def test_forged_signatures_are_refused(signature: str) -> None:
    assert check_signature(SECRET, headers(str(NOW), signature), BODY, NOW) == "bad_signature"


def test_missing_headers_are_refused() -> None:
    assert check_signature(SECRET, {}, BODY, NOW) == "bad_timestamp"
    assert check_signature(SECRET, {"X-Timestamp": str(NOW)}, BODY, NOW) == "bad_signature"


def test_the_genuine_signature_passes() -> None:
    assert check_signature(SECRET, headers(str(NOW), sign(SECRET, NOW, BODY)), BODY, NOW) is None
