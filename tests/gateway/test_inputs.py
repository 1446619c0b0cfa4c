"""What the gateway lets through to Rasa, and the per-sender rate limit."""

from __future__ import annotations

import asyncio
import unicodedata

from bot import texts
from bot.conversations import KeyedLocks
from bot.inputs import check, clean
from bot.rate_limit import RateLimiter


def test_invisible_and_control_characters_are_removed_and_text_is_nfc() -> None:
    typed = unicodedata.normalize("NFD", "Đăng ký\u200b khai\u0000 sinh\u202e  \ufeff")
    assert clean(typed) == "Đăng ký khai sinh"
    assert clean("  dòng 1 \n\n\t dòng   2 ") == "dòng 1\ndòng 2"
    assert clean("lone \ud800 surrogate") == "lone surrogate"
    # Removed before composing: the tone mark still joins its letter.
    assert clean("xin chao\u200b\u0300") == "xin chaò"
    assert clean("kh\u00adai sinh\u061c\U000e0041") == "khai sinh"


def test_blank_letters_and_format_marks_alone_are_empty() -> None:
    for blank in ["\u00ad", "\u3164\u115f\uffa0", "\u2800", "\U000e0001\U000e007f", "\u180e\u2061"]:
        assert check(blank, 1000).refusal == texts.EMPTY, ascii(blank)


def test_empty_and_too_long_texts_are_refused_in_vietnamese() -> None:
    for empty in ["", "   ", "\u200b\u200b", "\n\t"]:
        assert check(empty, 1000).refusal == texts.EMPTY
    refused = check("a" * 20_000, 1000)
    assert refused.refusal is not None and "1.000 ký tự" in refused.refusal
    assert check("😀🙏", 1000).refusal is None
    assert check("<script>alert(1)</script>", 1000).text == "<script>alert(1)</script>"


async def test_rate_limit_is_a_sliding_window_per_sender() -> None:
    now = [0.0]
    limiter = RateLimiter(3, window_s=60, clock=lambda: now[0])
    assert [await limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert await limiter.allow("b")
    now[0] = 59.9
    assert not await limiter.allow("a")
    now[0] = 60.0
    assert await limiter.allow("a")


async def test_keyed_locks_keep_one_senders_messages_in_order_and_are_released() -> None:
    locks = KeyedLocks()
    seen: list[str] = []

    async def work(key: str, label: str, delay: float) -> None:
        async with locks.hold(key):
            await asyncio.sleep(delay)
            seen.append(label)

    await asyncio.gather(work("a", "a1", 0.05), work("a", "a2", 0.0), work("b", "b1", 0.01))
    assert seen.index("a1") < seen.index("a2")
    assert seen[0] == "b1"  # another sender is not held up
    assert len(locks) == 0
