"""Brute-forcing a dossier's 4-digit proof, as an attacker would, against the real stack.

What the code promises (actions/dossier.py, knowledge/lookup_guard.py): 5 failed proofs within
an hour lock the lookup of that receipt code and of that sender, in the database; while locked,
even the right digits show nothing, whatever the conversation.
"""

from __future__ import annotations

import pytest

from knowledge.demo import phone_of, plan
from tests.integration.test_procedure_answers import say, text_of
from tests.stack import Stack

pytestmark = pytest.mark.timeout(600)

DOSSIER = plan()[1]
RIGHT = phone_of(DOSSIER.number)[-4:]
GUESSES = [f"{n:04d}" for n in range(10_000) if f"{n:04d}" != RIGHT]


def attempt(stack: Stack, sender: str, digits: str) -> str:
    say(stack, sender, "tra cứu hồ sơ")
    say(stack, sender, DOSSIER.receipt_code)
    return text_of(say(stack, sender, digits))


def lock(stack: Stack, sender: str) -> None:
    for guess in GUESSES[:5]:
        assert "không khớp" in attempt(stack, sender, guess)


def test_sequential_guessing_locks_after_five_and_the_right_digits_stay_refused(stack: Stack) -> None:
    sender = "brute-sequential"
    lock(stack, sender)
    for guess in [*GUESSES[5:8], RIGHT]:
        text = attempt(stack, sender, guess)
        assert "tạm khóa" in text and "Tình trạng:" not in text


def test_guesses_spread_over_other_dossier_codes_count_too(stack: Stack) -> None:
    sender = "brute-mixed-codes"
    for guess, other in zip(GUESSES[:5], plan()[5:10], strict=True):
        say(stack, sender, "tra cứu hồ sơ")
        say(stack, sender, other.receipt_code)
        say(stack, sender, guess)
    assert "tạm khóa" in attempt(stack, sender, RIGHT)


def test_restarting_the_conversation_does_not_lift_the_lock(stack: Stack) -> None:
    sender = "brute-restart"
    lock(stack, sender)
    say(stack, sender, "/restart")
    text = attempt(stack, sender, RIGHT)
    assert "Tình trạng:" not in text


def test_a_new_conversation_does_not_lift_the_lock_of_the_code(stack: Stack) -> None:
    lock(stack, "brute-first-session")
    text = attempt(stack, "brute-second-session", RIGHT)
    assert "tạm khóa" in text and "Tình trạng:" not in text
    # Another dossier stays open to its owner.
    other = plan()[3]
    say(stack, "owner-of-another", "tra cứu hồ sơ")
    say(stack, "owner-of-another", other.receipt_code)
    assert "Tình trạng:" in text_of(say(stack, "owner-of-another", phone_of(other.number)[-4:]))
