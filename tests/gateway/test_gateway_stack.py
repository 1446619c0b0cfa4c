"""The gateway in front of the real Rasa and action servers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select

from bot import notifier, texts
from bot.app import create_app
from bot.state import CONVERSATIONS, DELIVERY, RASA, SESSIONS
from knowledge.demo import phone_of, plan
from knowledge.models import Dossier, DossierEvent
from knowledge.settings import Settings

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
async def client(stack_settings: Settings, aiohttp_client: AiohttpClient) -> TestClient:
    return await aiohttp_client(create_app(stack_settings, notify=False))


async def say(
    client: TestClient, sender: str, text: str, message_id: str | None = None
) -> list[dict[str, Any]]:
    body = {"sender": sender, "text": text, **({"message_id": message_id} if message_id else {})}
    response = await client.post("/api/v1/messages", json=body)
    assert response.status == 200
    return (await response.json())["replies"]


def joined(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r["text"] for r in replies)


async def user_texts(client: TestClient, sender: str) -> list[str]:
    tracker = await client.app[RASA]._request("GET", f"/conversations/web:{sender}/tracker")
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


async def test_a_question_is_answered_with_buttons_and_logged(client: TestClient) -> None:
    sender = "gw-answer-0000000001"
    replies = await say(client, sender, "đăng ký khai sinh cần giấy tờ gì")
    assert "khai sinh" in joined(replies).lower()
    assert any(b["title"] == "👍" for r in replies for b in r["buttons"])
    history = (await (await client.get(f"/api/v1/history/{sender}")).json())["messages"]
    assert history[0]["from"] == "user" and history[-1]["from"] == "bot"
    assert all(m["time"] for m in history)


async def test_a_message_sent_twice_is_processed_once(client: TestClient) -> None:
    sender = "gw-dedup-00000000001"
    first = await say(client, sender, "lệ phí đăng ký kết hôn", "msg-1")
    again = await say(client, sender, "lệ phí đăng ký kết hôn", "msg-1")
    assert first == again
    assert (await user_texts(client, sender)).count("lệ phí đăng ký kết hôn") == 1


async def test_one_senders_messages_are_processed_in_order(client: TestClient) -> None:
    sender = "gw-order-00000000001"
    texts_sent = [
        "xin chào",
        "đăng ký tạm trú cần gì",
        "lệ phí bao nhiêu",
        "mất bao lâu",
        "nộp ở đâu",
        "cảm ơn",
    ]
    conversations = client.app[CONVERSATIONS]
    results = await asyncio.gather(*(conversations.handle(f"web:{sender}", t) for t in texts_sent))
    assert all(result and result[0].author == "bot" for result in results)
    assert await user_texts(client, sender) == texts_sent


async def test_handoff_pauses_the_bot_until_staff_release_it(client: TestClient) -> None:
    sender = "gw-handoff-000000001"
    assert "tạm dừng" in joined(await say(client, sender, "cho tôi gặp cán bộ"))
    waiting = await say(client, sender, "alo có ai không")
    assert waiting[0]["text"] == texts.WITH_STAFF
    assert "alo có ai không" in await user_texts(client, sender)  # staff see it in the conversation
    await client.app[RASA].resume(f"web:{sender}")
    assert "Xin chào" in joined(await say(client, sender, "xin chào"))


async def test_the_citizen_can_come_back_to_the_bot_during_a_handoff(client: TestClient) -> None:
    sender = "gw-handoff-000000002"
    replies = await say(client, sender, "tôi muốn gặp nhân viên")
    resume = [b["payload"] for r in replies for b in r["buttons"]]
    assert resume == ["/restart"]
    assert "trò chuyện lại với trợ lý ảo" in joined(await say(client, sender, "/restart"))
    assert "khai sinh" in joined(await say(client, sender, "lệ phí đăng ký khai sinh")).lower()


async def test_a_subscribed_dossier_change_is_delivered_once(client: TestClient) -> None:
    sender = "gw-notify-000000001"
    dossier = plan()[2]
    await say(client, sender, "tra cứu hồ sơ")
    await say(client, sender, dossier.receipt_code)
    status = await say(client, sender, phone_of(dossier.number)[-4:])
    subscribe = next(
        b["payload"] for r in status for b in r["buttons"] if b["payload"].startswith("/subscribe")
    )
    assert "Đã đăng ký" in joined(await say(client, sender, subscribe))
    app = client.app
    assert await notifier.notify_once(app[SESSIONS], app[DELIVERY]) == 0  # nothing new yet
    with app[SESSIONS]() as session, session.begin():
        row = session.scalars(select(Dossier).where(Dossier.receipt_code == dossier.receipt_code)).one()
        row.status = "ready"
        row.events.append(
            DossierEvent(
                occurred_at=datetime.now(UTC), status="ready", step="Trả kết quả", note="Mời nhận kết quả."
            )
        )
    assert await notifier.notify_once(app[SESSIONS], app[DELIVERY]) >= 1
    assert await notifier.notify_once(app[SESSIONS], app[DELIVERY]) == 0
    history = (await (await client.get(f"/api/v1/history/{sender}")).json())["messages"]
    notice = history[-1]
    assert notice["text"].startswith(f"🔔 Hồ sơ {dossier.receipt_code} có cập nhật mới")
    assert "Đã có kết quả" in notice["text"] and dossier.applicant_name not in notice["text"]
    assert notice["buttons"][0]["payload"].startswith("/unsubscribe_dossier")


async def test_ready_when_every_part_answers(client: TestClient) -> None:
    response = await client.get("/readyz")
    assert response.status == 200, await response.text()
    assert json.loads(await response.text())["checks"] == {"rasa": True, "actions": True, "database": True}
