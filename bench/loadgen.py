"""Simulated citizens for bench/load.py: closed-loop conversations over HTTP.

Each simulated citizen plays one short conversation after another (a greeting,
procedure questions with follow-ups about fees and documents, a dossier
lookup), each conversation under a new sender id, sending its next message as
soon as the previous one is answered (plus an optional think time). The same
conversations go either through the gateway's JSON API or straight to Rasa's
REST channel, so that the two can be compared message for message.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.report import percentile
from bot import texts
from knowledge.demo import phone_of, plan

REQUEST_TIMEOUT_S = 180.0
# Gateway replies that mean the assistant did not answer (Rasa slow or down, no reply, refused).
DEGRADED = frozenset({texts.BUSY, texts.NO_ANSWER, texts.TOO_FAST, texts.SERVER_ERROR})


def _dossier_script(index: int) -> tuple[str, ...]:
    """Look up demo dossier ``index`` with the right proof (the last 4 digits of its phone)."""
    dossier = plan()[index]
    return ("tra cứu hồ sơ", dossier.receipt_code, phone_of(dossier.number)[-4:], "cảm ơn")


# Short conversations as citizens type them (with and without diacritics), played in turn.
SCRIPTS: tuple[tuple[str, ...], ...] = (
    ("xin chào", "đăng ký khai sinh cần giấy tờ gì", "lệ phí bao nhiêu", "nộp ở đâu", "cảm ơn"),
    ("chào bạn", "làm cccd cho con 14 tuổi cần những gì", "mất bao lâu thì có", "cảm ơn nhé"),
    _dossier_script(0),
    ("dang ky ket hon can giay to gi", "le phi bao nhieu", "co nop online duoc khong"),
    ("lệ phí cấp đổi giấy phép lái xe bao nhiêu", "hồ sơ gồm những gì", "tạm biệt"),
    ("cho em hỏi đăng ký thường trú làm ở đâu ạ", "cần mang theo gì", "ok cảm ơn"),
    ("chào", "làm sổ đỏ lần đầu thì làm thế nào", "mất bao lâu", "lệ phí thế nào"),
    _dossier_script(3),
    ("thủ tục đăng ký hộ kinh doanh gồm những bước nào", "cần giấy tờ gì", "cảm ơn bạn"),
    ("xin hỏi làm lý lịch tư pháp bao lâu thì có", "lệ phí bao nhiêu", "nộp online được không"),
)
DISTINCT_MESSAGES = tuple(dict.fromkeys(text for script in SCRIPTS for text in script))


@dataclass(frozen=True)
class Target:
    """Where the messages go: the gateway's API or Rasa's REST channel."""

    name: str  # "gateway" or "bare"
    url: str

    @property
    def endpoint(self) -> str:
        if self.name == "gateway":
            return f"{self.url}/api/v1/messages"
        return f"{self.url}/webhooks/rest/webhook"

    def body(self, sender: str, text: str, number: int) -> dict[str, str]:
        if self.name == "gateway":  # as the widget sends it: a session id and a message id
            return {"sender": sender, "text": text, "message_id": f"m{number}"}
        return {"sender": f"web:{sender}", "message": text}

    def answered(self, status: int, payload: Any) -> bool:
        """Whether the response carries an answer of the assistant."""
        if status != 200:
            return False
        if self.name == "gateway":
            replies = payload.get("replies") if isinstance(payload, dict) else None
            if not isinstance(replies, list) or not replies:
                return False
            return not any(isinstance(r, dict) and r.get("text") in DEGRADED for r in replies)
        return isinstance(payload, list) and bool(payload)


@dataclass
class Sample:
    """One message: when it was sent, how long its answer took, whether it was one."""

    started: float
    latency_s: float
    ok: bool


@dataclass
class Recorder:
    """Every message of a run, kept for the summary."""

    began: float = 0.0  # time.perf_counter() when the citizens started
    samples: list[Sample] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def _send(
    http: aiohttp.ClientSession, target: Target, sender: str, text: str, number: int, recorder: Recorder
) -> None:
    started = time.perf_counter()
    ok = False
    try:
        async with http.post(target.endpoint, json=target.body(sender, text, number)) as response:
            payload = await response.json(content_type=None)
            ok = target.answered(response.status, payload)
            if not ok:
                recorder.error(f"HTTP {response.status}" if response.status != 200 else "no answer")
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        recorder.error(type(error).__name__)
    recorder.samples.append(Sample(started, time.perf_counter() - started, ok))


async def _citizen(
    http: aiohttp.ClientSession,
    target: Target,
    index: int,
    run_id: str,
    deadline: float,
    think_s: float,
    recorder: Recorder,
) -> None:
    """Play conversations until ``deadline``; the message under way is finished, not cut."""
    number = 0
    for conversation in itertools.count():
        script = SCRIPTS[(index + conversation) % len(SCRIPTS)]
        sender = f"bench{run_id}c{index:03d}n{conversation:05d}"
        for text in script:
            if time.perf_counter() >= deadline:
                return
            number += 1
            await _send(http, target, sender, text, number, recorder)
            if think_s:
                await asyncio.sleep(think_s)


async def run(
    target: Target, conversations: int, duration_s: float, think_s: float = 0.0, warmup_s: float = 0.0
) -> Recorder:
    """``conversations`` simulated citizens against ``target`` for ``warmup_s`` + ``duration_s``."""
    recorder = Recorder()
    run_id = secrets.token_hex(4)
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        recorder.began = time.perf_counter()
        deadline = recorder.began + warmup_s + duration_s
        await asyncio.gather(
            *(_citizen(http, target, i, run_id, deadline, think_s, recorder) for i in range(conversations))
        )
    return recorder


def summarise(recorder: Recorder, start: float, end: float) -> dict[str, Any]:
    """Messages answered per second within [start, end), and the latency of the messages sent in it.

    Throughput counts the answers that arrived within the window, whenever their
    message was sent; latency, every message sent within it, however late its answer.
    """
    counted = [s for s in recorder.samples if start <= s.started < end]
    answered = [s for s in counted if s.ok]
    arrived = [s for s in recorder.samples if s.ok and start <= s.started + s.latency_s < end]
    latencies = [s.latency_s * 1000 for s in answered]
    result: dict[str, Any] = {
        "messages": len(counted),
        "answered": len(answered),
        "failed": len(counted) - len(answered),
        "messages_per_s": round(len(arrived) / (end - start), 2) if end > start else 0.0,
    }
    if latencies:
        result.update(
            p50_ms=round(percentile(latencies, 0.50), 1),
            p95_ms=round(percentile(latencies, 0.95), 1),
            p99_ms=round(percentile(latencies, 0.99), 1),
            mean_ms=round(sum(latencies) / len(latencies), 1),
            max_ms=round(max(latencies), 1),
        )
    return result


async def warm_up(target: Target) -> tuple[float, dict[str, int]]:
    """Play every conversation once (not counted); seconds taken, and what went wrong."""
    recorder = Recorder()
    started = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        for number, script in enumerate(SCRIPTS):
            sender = f"benchwarmup{secrets.token_hex(4)}n{number:03d}"
            for i, text in enumerate(script):
                await _send(http, target, sender, text, i + 1, recorder)
    return time.perf_counter() - started, recorder.errors
