"""Dossier status through Rasa: code, proof of ownership, masked answer, lockout."""

from __future__ import annotations

from knowledge.demo import phone_of, plan
from tests.integration.test_procedure_answers import say, text_of
from tests.stack import Stack

DOSSIER = plan()[0]
RIGHT = phone_of(DOSSIER.number)[-4:]
WRONG = "9" + RIGHT[1:] if RIGHT[0] != "9" else "1" + RIGHT[1:]


def spaced_lower(code: str) -> str:
    return code.lower().replace("-", " ")


def test_owner_sees_the_status_with_the_name_masked(stack: Stack) -> None:
    sender = "dossier-owner"
    assert "mã hồ sơ" in text_of(say(stack, sender, "tra cứu tình trạng hồ sơ giúp tôi"))
    assert "4 chữ số cuối" in text_of(say(stack, sender, spaced_lower(DOSSIER.receipt_code)))
    text = text_of(say(stack, sender, RIGHT))
    assert DOSSIER.receipt_code in text
    assert "Tình trạng:" in text
    assert DOSSIER.applicant_name not in text
    first = DOSSIER.applicant_name.split()[0]
    assert first[0] + "*" * (len(first) - 1) in text


def test_code_in_the_question_skips_the_first_step(stack: Stack) -> None:
    sender = "dossier-direct"
    text = text_of(say(stack, sender, f"hồ sơ {DOSSIER.receipt_code} của tôi đến đâu rồi"))
    assert "4 chữ số cuối" in text


def test_wrong_proof_does_not_reveal_whether_the_code_exists(stack: Stack) -> None:
    replies = []
    for sender, code in [
        ("dossier-wrong-a", DOSSIER.receipt_code),
        ("dossier-wrong-b", "000.00.04.H51-991231-9999"),
    ]:
        say(stack, sender, "tra cứu hồ sơ")
        say(stack, sender, code)
        replies.append(text_of(say(stack, sender, WRONG)))
    assert replies[0] == replies[1]
    assert DOSSIER.applicant_name not in replies[0]


def test_malformed_code_is_asked_again(stack: Stack) -> None:
    sender = "dossier-malformed"
    say(stack, sender, "tra cứu hồ sơ")
    assert "định dạng" in text_of(say(stack, sender, "abc'; DROP TABLE dossiers; --"))
    assert "định dạng" in text_of(say(stack, sender, "9" * 300))


def test_five_failures_lock_the_lookup(stack: Stack) -> None:
    sender = "dossier-lockout"
    for _ in range(5):
        say(stack, sender, "tra cứu hồ sơ")
        say(stack, sender, DOSSIER.receipt_code)
        assert "không khớp" in text_of(say(stack, sender, WRONG))
    say(stack, sender, "tra cứu hồ sơ")
    say(stack, sender, DOSSIER.receipt_code)
    text = text_of(say(stack, sender, RIGHT))
    assert "tạm khóa" in text
    assert "Tình trạng:" not in text
