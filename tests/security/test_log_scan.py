"""No personal data in any log: the demo applicants' names and phone numbers never appear.

The test drives dossier lookups (right and wrong proofs) and a subscription through a real
gateway in front of the session's Rasa and action servers, then scans what every process
logged: the gateway's records (captured here), the Rasa and action-server logs of the stack,
and every ``*.log`` file under ``var/`` and this run's temporary folders. A hit fails with
the file and line.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from bot.app import create_app
from knowledge.demo import phone_of, plan
from knowledge.settings import Settings
from nlu import engine
from tests.stack import Stack

pytestmark = pytest.mark.timeout(600)

DOSSIERS = plan()


def personal_data() -> set[str]:
    """Each demo applicant's full name and phone number, as typed and as grouped."""
    found: set[str] = set()
    for dossier in DOSSIERS:
        phone = phone_of(dossier.number)
        found |= {dossier.applicant_name, phone, f"{phone[:4]} {phone[4:7]} {phone[7:]}", "+84" + phone[1:]}
    return found


def hits(lines: list[str], where: str) -> list[str]:
    wanted = personal_data()
    return [
        f"{where}:{n}: {line.strip()[:200]}"
        for n, line in enumerate(lines, 1)
        if any(w in line for w in wanted)
    ]


def log_files(tmp_root: Path, stack: Stack) -> list[Path]:
    roots = [stack.logs, engine.VAR, tmp_root]
    return sorted({path for root in roots if root.exists() for path in root.rglob("*.log") if path.is_file()})


async def talk(client: TestClient, sender: str, text: str) -> str:
    response = await client.post("/api/v1/messages", json={"sender": sender, "text": text})
    assert response.status == 200, await response.text()
    return "\n".join(reply.get("text", "") for reply in (await response.json())["replies"])


async def test_no_name_or_phone_number_in_any_log(
    stack: Stack,
    stack_settings: Settings,
    aiohttp_client: AiohttpClient,
    caplog: pytest.LogCaptureFixture,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = await aiohttp_client(create_app(stack_settings, notify=False))
    for dossier in DOSSIERS[:3]:
        right = phone_of(dossier.number)[-4:]
        sender = secrets.token_hex(12)
        await talk(client, sender, "tra cứu hồ sơ")
        await talk(client, sender, dossier.receipt_code)
        wrong = "9" + right[1:] if right[0] != "9" else "1" + right[1:]
        assert "không khớp" in await talk(client, sender, wrong)
        await talk(client, sender, "tra cứu hồ sơ")
        await talk(client, sender, dossier.receipt_code)
        shown = await talk(client, sender, right)
        assert "Tình trạng:" in shown, shown
        # A citizen who types their whole phone number and name: still not logged.
        typed = f"tôi là {dossier.applicant_name}, số điện thoại {phone_of(dossier.number)}"
        await talk(client, sender, typed)
    problems = hits(caplog.text.splitlines(), "gateway (captured)")
    actions_log = (stack.logs / "actions.log").read_text(encoding="utf-8", errors="replace")
    # The action server's own lines reach its log (they were lost before actions/serving.py).
    assert "actions.dossier: dossier lookup refused" in actions_log
    for path in log_files(tmp_path_factory.getbasetemp(), stack):
        problems += hits(path.read_text(encoding="utf-8", errors="replace").splitlines(), str(path))
    assert problems == []
