"""The staff inbox over HTTP: grouped questions with phone numbers masked, marking handled,
teaching a procedure's new name and an intent's example, roles, handoffs answered and released."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pytest_aiohttp import AiohttpClient, AiohttpServer
from sqlalchemy import select

from bot.console import inbox_texts
from bot.console.inbox_pages import domain_intents
from knowledge.catalog import Catalog
from knowledge.db import make_engine, make_session_factory
from knowledge.models import AuditEntry, ConversationMessage, Feedback, InboxItem, TrainingExample
from knowledge.settings import Settings
from nlu.engine import free_port
from tests.console.conftest import ROLES
from tests.console.inbox_fixtures import database, feedback, gateway_with_inbox, item, message
from tests.console.test_console_http import CSRF, csrf_of, login

WEB_SESSION = "inbox-handoff-session-0001"
WEB_SENDER = f"web:{WEB_SESSION}"
TEACH_QUESTION = "thủ tục báo hiếu xong cho cụ cần giấy tờ gì"
TEACH_ALIAS = "báo hiếu xong cho cụ"
KHAI_TU = "1.000656"  # Thủ tục đăng ký khai tử


def gateway(database_url: str, rasa_url: str | None = None) -> web.Application:
    settings = dataclasses.replace(
        Settings(),
        database_url=database_url,
        rasa_url=rasa_url or f"http://127.0.0.1:{free_port()}",  # nobody listens: Rasa is down
        actions_port=free_port(),
        rasa_timeout_s=3.0,
    )
    return gateway_with_inbox(settings)


@pytest.fixture
async def inbox(console_database_url: str, aiohttp_client: AiohttpClient) -> TestClient:
    """The gateway with the console's inbox, on a private copy of the seeded knowledge base."""
    return await aiohttp_client(gateway(console_database_url))


def page_text(body: str) -> str:
    """The visible text of a page, tags removed, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def refs_on(body: str) -> list[str]:
    return [html.unescape(r) for r in re.findall(r'name="refs" value="([^"]+)"', body)]


async def test_questions_are_grouped_newest_first_with_phone_numbers_masked(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        item(session, "unanswered", "lệ phí làm sổ đỏ bao nhiêu", minutes=50)
        item(session, "low_confidence", "Lệ phí làm SỔ ĐỎ bao nhiêu?", minutes=40)
        feedback(session, "le phi lam so do bao nhieu vay", minutes=30, comment="sai số tiền")
        feedback(session, "cảm ơn, rất rõ", rating="up", minutes=25)
        item(
            session,
            "complaint",
            "cán bộ xã hẹn mãi, gọi lại cho tôi số 0912 345 678",
            minutes=20,
            reference="PA-1",
        )
        item(session, "handoff", "cho tôi gặp cán bộ", minutes=10)
        item(session, "unanswered", "thủ tục nhận nuôi chó", minutes=5, status="handled")
    assert await login(inbox, "operator") == 303
    body = await (await inbox.get("/console/inbox")).text()
    text = page_text(body)
    assert "2 nhóm câu hỏi (4 tin nhắn)" in text
    assert "0912 345 678" not in body and "0912345678" not in body and "*******678" in text
    # The complaint is newest, then the fee question asked three ways (its newest wording shown).
    assert text.index("*******678") < text.index("le phi lam so do bao nhieu vay")
    assert "Chưa trả lời được, Trợ lý ảo chưa chắc, Không hài lòng (👎)" in text
    assert "cảm ơn, rất rõ" not in text and "thủ tục nhận nuôi chó" not in text
    assert "cho tôi gặp cán bộ" not in text and "Yêu cầu gặp cán bộ (1)" in text
    assert len(refs_on(body)[0].split(",")) == 1 and len(refs_on(body)[1].split(",")) == 3

    only_feedback = page_text(await (await inbox.get("/console/inbox?kind=feedback")).text())
    assert "1 nhóm câu hỏi (1 tin nhắn)" in only_feedback and "Góp ý: sai số tiền" in only_feedback
    handled = page_text(await (await inbox.get("/console/inbox?status=handled")).text())
    assert "thủ tục nhận nuôi chó" in handled and "lệ phí" not in handled


async def test_marking_a_group_handled_marks_every_message_and_is_audited(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        first = item(session, "unanswered", "xin giấy phép nuôi ong", minutes=9).id
        second = item(session, "low_confidence", "xin giay phep nuoi ong", minutes=8).id
        rated = feedback(session, "Xin giấy phép nuôi ong!", minutes=7).id
    assert await login(inbox, "operator") == 303
    body = await (await inbox.get("/console/inbox")).text()
    (refs,) = refs_on(body)
    done = await inbox.post(
        "/console/inbox/handled",
        data={"csrf": CSRF.search(body).group(1), "refs": refs},  # type: ignore[union-attr]
    )
    assert done.status == 200 and "Đã đánh dấu đã xử lý" in await done.text()
    assert "Không có việc nào chờ xử lý" in await done.text()
    with database(console_database_url) as session:
        assert {session.get(InboxItem, i).status for i in (first, second)} == {"handled"}  # type: ignore[union-attr]
        assert session.get(Feedback, rated).handled  # type: ignore[union-attr]
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "mark_handled")).all()
        assert {(e.entity, e.actor) for e in entries} == {
            ("inbox_item", ROLES["operator"]),
            ("feedback", ROLES["operator"]),
        }
    handled = page_text(await (await inbox.get("/console/inbox?status=handled")).text())
    assert "1 nhóm câu hỏi (3 tin nhắn)" in handled


async def test_assigning_a_procedure_teaches_the_search_a_new_name(
    inbox: TestClient, console_database_url: str
) -> None:
    engine = make_engine(console_database_url)
    catalog = Catalog(make_session_factory(engine), Settings().province_levels)
    catalog.refresh_now()
    assert catalog.search(TEACH_QUESTION, 3).candidates[0].code != KHAI_TU
    with database(console_database_url) as session:
        asked = item(session, "unanswered", TEACH_QUESTION).id
    assert await login(inbox, "operator") == 303
    body = await (await inbox.get("/console/inbox")).text()
    (refs,) = refs_on(body)
    group = await inbox.get("/console/inbox/group", params={"refs": refs, "q": "đăng ký khai tử"})
    page = await group.text()
    assert group.status == 200 and f'name="code" value="{KHAI_TU}"' in page
    assert f'name="alias" value="{TEACH_QUESTION}"' in page  # the question, for staff to shorten
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    missing = await inbox.post(
        "/console/inbox/assign-procedure", data={"csrf": token, "refs": refs, "alias": TEACH_ALIAS}
    )
    assert missing.status == 422 and inbox_texts.NO_PROCEDURE in await missing.text()
    saved = await inbox.post(
        "/console/inbox/assign-procedure",
        data={"csrf": token, "refs": refs, "code": KHAI_TU, "alias": TEACH_ALIAS},
        allow_redirects=False,
    )
    assert saved.status == 303 and saved.headers["Location"] == "/console/inbox?done=alias"

    catalog.refresh_now()
    assert catalog.search(TEACH_QUESTION, 3).candidates[0].code == KHAI_TU
    with database(console_database_url) as session:
        assert session.get(InboxItem, asked).status == "handled"  # type: ignore[union-attr]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "add_alias")).one()
        assert (entry.entity_id, entry.actor, entry.after) == (
            KHAI_TU,
            ROLES["operator"],
            {"alias": TEACH_ALIAS, "from": "inbox"},
        )
    engine.dispose()
    # The procedure's page (editors) lists the new name and who added it.
    await inbox.post("/console/logout", data={"csrf": token})
    assert await login(inbox, "editor") == 303
    procedure = page_text(await (await inbox.get(f"/console/procedures/{KHAI_TU}")).text())
    assert TEACH_ALIAS in procedure and ROLES["operator"] in procedure


async def test_assigning_an_intent_keeps_a_training_example(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        rated = feedback(
            session, "đóng bao nhiêu tiền khi làm lại căn cước sđt 0987654321", procedure_code="1.010093"
        ).id
    assert await login(inbox, "editor") == 303
    body = await (await inbox.get("/console/inbox")).text()
    (refs,) = refs_on(body)
    page = await (await inbox.get("/console/inbox/group", params={"refs": refs})).text()
    assert '<option value="ask_fee"' in page and "Hỏi phí, lệ phí" in page
    assert 'name="example" value="đóng bao nhiêu tiền khi làm lại căn cước sđt *******321"' in page
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    example = "đóng bao nhiêu tiền khi làm lại căn cước"
    wrong = await inbox.post(
        "/console/inbox/assign-intent",
        data={"csrf": token, "refs": refs, "intent": "ask_weather", "example": example},
    )
    assert wrong.status == 422 and inbox_texts.NO_INTENT in await wrong.text()
    saved = await inbox.post(
        "/console/inbox/assign-intent",
        data={
            "csrf": token,
            "refs": refs,
            "intent": "ask_fee",
            "example": example,
            "procedure_code": "1.010093",
        },
        allow_redirects=False,
    )
    assert saved.status == 303
    with database(console_database_url) as session:
        stored = session.scalars(select(TrainingExample)).one()
        assert (
            stored.text,
            stored.intent,
            stored.procedure_code,
            stored.created_by,
            stored.used_in_model,
        ) == (
            example,
            "ask_fee",
            "1.010093",
            ROLES["editor"],
            None,
        )
        assert session.get(Feedback, rated).handled  # type: ignore[union-attr]
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity == "training_example")).one()


async def test_operators_use_the_inbox_and_viewers_may_not(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        waiting = item(session, "unanswered", "hỏi gì đó chưa rõ").id
    assert await login(inbox, "viewer") == 303
    for path in ("/console/inbox", "/console/inbox/handoffs", f"/console/inbox/items/{waiting}"):
        refused = await inbox.get(path)
        assert refused.status == 403 and "Không có quyền" in await refused.text(), path
    token = await csrf_of(inbox, "/console/")
    posted = await inbox.post("/console/inbox/handled", data={"csrf": token, "refs": f"i{waiting}"})
    assert posted.status == 403
    with database(console_database_url) as session:
        assert session.get(InboxItem, waiting).status == "open"  # type: ignore[union-attr]
    await inbox.post("/console/logout", data={"csrf": token})
    assert await login(inbox, "operator") == 303
    assert (await inbox.get("/console/inbox")).status == 200
    assert 'href="/console/inbox"' in await (await inbox.get("/console/")).text()


def handoff(session: Any, sender_id: str = WEB_SENDER, **values: Any) -> int:
    return item(session, "handoff", "cho tôi gặp cán bộ", sender_id=sender_id, **values).id


async def test_a_handoff_shows_the_conversation_and_the_reply_reaches_the_web_citizen(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        message(session, WEB_SENDER, "in", "hồ sơ của tôi nộp lâu rồi, số tôi 0912345678", "citizen", 6)
        message(session, WEB_SENDER, "out", "Bạn cho tôi mã hồ sơ nhé.", "bot", 5)
        message(session, WEB_SENDER, "in", "cho tôi gặp cán bộ", "citizen", 4)
        handoff_id = handoff(session)
    assert await login(inbox, "operator") == 303
    body = await (await inbox.get("/console/inbox/handoffs")).text()
    text = page_text(body)
    assert "Người dân" in text and "*******678" in text and "0912345678" not in body
    assert "Bạn cho tôi mã hồ sơ nhé." in text and "Trả lại cho trợ lý ảo" in text
    token = CSRF.search(body).group(1)  # type: ignore[union-attr]
    answer = "Chào anh/chị, hồ sơ đang ở bước thẩm định, dự kiến có kết quả thứ Sáu."
    sent = await inbox.post(
        f"/console/inbox/items/{handoff_id}/reply",
        data={"csrf": token, "back": "handoffs", "text": answer},
        allow_redirects=False,
    )
    assert sent.status == 303 and sent.headers["Location"] == "/console/inbox/handoffs?done=sent"
    history = await (await inbox.get(f"/api/v1/history/{WEB_SESSION}")).json()
    last = history["messages"][-1]
    assert (last["text"], last["author"], last["from"]) == (answer, "staff", "bot")
    with database(console_database_url) as session:
        row = session.scalars(select(ConversationMessage).order_by(ConversationMessage.id.desc())).first()
        assert row is not None and (row.author, row.direction, row.text) == ("staff", "out", answer)
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "reply")).one().actor
            == ROLES["operator"]
        )
    shown = page_text(await (await inbox.get("/console/inbox/handoffs?done=sent")).text())
    assert "Đã gửi trả lời tới người dân." in shown
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4} Cán bộ: " + re.escape(answer), shown)


async def test_a_handoff_without_a_log_shows_the_turns_stored_with_it(
    inbox: TestClient, console_database_url: str
) -> None:
    turns = [
        {"from": "citizen", "text": "đăng ký kết hôn ở đâu"},
        {"from": "bot", "text": "Bạn nộp tại UBND cấp xã."},
        {"from": "citizen", "text": "gặp người thật"},
    ]
    with database(console_database_url) as session:
        handoff(session, sender_id="tg:424242", nlu={"conversation": turns})
    assert await login(inbox, "operator") == 303
    text = page_text(await (await inbox.get("/console/inbox/handoffs")).text())
    assert "Người dân: đăng ký kết hôn ở đâu" in text and "Trợ lý ảo: Bạn nộp tại UBND cấp xã." in text
    assert "Telegram" in text


async def test_a_reply_telegram_cannot_take_is_kept_with_an_error(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        complaint = item(
            session, "complaint", "phản ánh thái độ cán bộ", sender_id="tg:777", reference="PA-777"
        ).id
    assert await login(inbox, "operator") == 303
    page = await (await inbox.get(f"/console/inbox/items/{complaint}")).text()
    assert "Phản ánh mã PA-777" in page_text(page)
    token = CSRF.search(page).group(1)  # type: ignore[union-attr]
    answer = "Chúng tôi xin lỗi và đã chuyển phản ánh tới lãnh đạo."
    failed = await inbox.post(
        f"/console/inbox/items/{complaint}/reply", data={"csrf": token, "back": "item", "text": answer}
    )
    body = await failed.text()
    assert failed.status == 503 and "Chưa gửi được trả lời tới người dân: kênh Telegram" in body
    assert f">{answer}</textarea>" in body
    with database(console_database_url) as session:
        assert (
            session.scalars(
                select(ConversationMessage).where(ConversationMessage.sender_id == "tg:777")
            ).first()
            is None
        )


async def test_releasing_with_rasa_unreachable_shows_the_error_and_keeps_the_request(
    inbox: TestClient, console_database_url: str
) -> None:
    with database(console_database_url) as session:
        handoff_id = handoff(session)
    assert await login(inbox, "operator") == 303
    token = await csrf_of(inbox, "/console/inbox/handoffs")
    response = await inbox.post(
        f"/console/inbox/items/{handoff_id}/release", data={"csrf": token, "back": "handoffs"}
    )
    assert response.status == 503 and inbox_texts.RASA_DOWN in page_text(await response.text())
    with database(console_database_url) as session:
        assert session.get(InboxItem, handoff_id).status == "open"  # type: ignore[union-attr]


async def test_releasing_gives_the_conversation_back_to_the_bot(
    console_database_url: str, aiohttp_client: AiohttpClient, aiohttp_server: AiohttpServer
) -> None:
    received: list[tuple[str, Any]] = []

    async def events(request: web.Request) -> web.Response:
        received.append((request.match_info["sender"], await request.json()))
        return web.json_response({"sender_id": request.match_info["sender"], "paused": False})

    rasa = web.Application()
    rasa.router.add_post("/conversations/{sender}/tracker/events", events)
    server: TestServer = await aiohttp_server(rasa)
    client = await aiohttp_client(gateway(console_database_url, str(server.make_url("")).rstrip("/")))
    with database(console_database_url) as session:
        older = handoff(session, minutes=30)
        newer = handoff(session, minutes=3)
    assert await login(client, "operator") == 303
    body = await (await client.get("/console/inbox/handoffs")).text()
    assert body.count("Trả lại cho trợ lý ảo</button>") == 1  # one conversation, however many requests
    token = CSRF.search(body).group(1)  # type: ignore[union-attr]
    released = await client.post(
        f"/console/inbox/items/{newer}/release", data={"csrf": token, "back": "handoffs"}
    )
    assert released.status == 200 and "Đã trả cuộc trò chuyện lại cho trợ lý ảo." in await released.text()
    assert received and received[0][0] == WEB_SENDER and received[0][1][0] == {"event": "resume"}
    with database(console_database_url) as session:
        assert {session.get(InboxItem, i).status for i in (older, newer)} == {"handled"}  # type: ignore[union-attr]
    history = await (await client.get(f"/api/v1/history/{WEB_SESSION}")).json()
    assert history["messages"][-1]["text"] == inbox_texts.RELEASED_TO_CITIZEN
    assert "Không có yêu cầu nào đang chờ." in await (await client.get("/console/inbox/handoffs")).text()


def test_every_intent_of_the_domain_has_a_vietnamese_label() -> None:
    assert set(domain_intents()) == set(inbox_texts.INTENT_LABELS)
    assert "ask_fee" in domain_intents() and "nlu_fallback" not in domain_intents()
