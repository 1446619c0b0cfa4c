"""The short secret that proves a dossier is the applicant's.

The secret is the last 4 digits of the applicant's phone number. It is
stored as a salted scrypt hash (a fresh 16-byte salt per dossier) in the
form ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`` and compared in constant
time. Four digits are weak on their own: callers must also rate-limit
attempts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
KEY_LENGTH = 32
SALT_BYTES = 16
SECRET_DIGITS = 4


def secret_from_phone(phone: str) -> str:
    """The last 4 digits of a phone number ("0900 000 012" -> "0012")."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < SECRET_DIGITS:
        raise ValueError("a phone number has at least 4 digits")
    return digits[-SECRET_DIGITS:]


def _normalise(secret: str) -> bytes:
    return re.sub(r"\s", "", secret).encode("utf-8")


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """The storable hash of ``secret`` (a new random salt unless given)."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(_normalise(secret), salt=salt, n=N, r=R, p=P, dklen=KEY_LENGTH)
    return f"{SCHEME}${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """True if ``secret`` matches ``stored`` (constant-time comparison)."""
    try:
        scheme, n, r, p, salt_hex, digest_hex = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(digest_hex)
        digest = hashlib.scrypt(
            _normalise(secret),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest, expected)
