"""The dialogue's actions on the seeded knowledge base, with trackers as Rasa sends them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from actions.dossier import ActionCheckDossier
from actions.fallback import ActionHumanHandoff
from actions.feedback import ActionFeedback
from actions.procedures import ActionAnswerProcedure, ActionFindProcedure, ActionOtherProcedure
from actions.subscriptions import ActionSubscribeDossier, ActionUnsubscribeDossier
from knowledge.demo import phone_of, plan
from knowledge.models import Agency, Dossier, DossierEvent, Feedback, InboxItem, Subscription
from tests.actions.conftest import bot, run, slot_events, tracker, user

DOSSIER = plan()[1]
PROOF = phone_of(DOSSIER.number)[-4:]


def payloads(messages: list[dict]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


async def test_a_situation_offers_its_curated_procedures_first(kb: sessionmaker[Session]) -> None:
    state = tracker("act-situation", [user("tôi mới sinh con thì cần làm giấy tờ gì", "find_procedure")])
    messages, events = await run(ActionFindProcedure(), state)
    buttons = payloads(messages)
    assert '"2.000986"' in buttons[0] and '"1.001193"' in buttons[1]  # liên thông khai sinh, khai sinh
    assert len(buttons) == 3  # the curated ones only, no look-alikes from the search
    assert slot_events(events)["offered_codes"][:2] == ["2.000986", "1.001193"]


async def test_offered_procedures_are_offered_again_for_another_question(kb: sessionmaker[Session]) -> None:
    events = [user("mới sinh con", "find_procedure"), bot("..."), user("thế lệ phí bao nhiêu", "ask_fee")]
    state = tracker("act-offered", events, slots={"offered_codes": ["2.000986", "1.001193"]})
    messages, returned = await run(ActionAnswerProcedure(), state)
    assert payloads(messages) == [
        '/ask_fee{"procedure_code": "2.000986"}',
        '/ask_fee{"procedure_code": "1.001193"}',
    ]
    assert returned == []


async def test_an_answer_clears_the_offer_and_carries_feedback_buttons(kb: sessionmaker[Session]) -> None:
    state = tracker(
        "act-answer",
        [
            user(
                '/ask_fee{"procedure_code": "1.001193"}',
                "ask_fee",
                [{"entity": "procedure_code", "value": "1.001193"}],
            )
        ],
        slots={"offered_codes": ["2.000986", "1.001193"]},
    )
    messages, events = await run(ActionAnswerProcedure(), state)
    assert messages[0]["text"].startswith("📄 Thủ tục đăng ký khai sinh")
    assert slot_events(events) == {"procedure_code": "1.001193", "offered_codes": None}
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[-3:] == ["Hỏi thủ tục khác", "👍", "👎"]
    assert messages[0]["buttons"][-3]["payload"] == "/other_procedure"


async def test_other_procedure_forgets_the_focus(kb: sessionmaker[Session]) -> None:
    state = tracker(
        "act-other", [user("/other_procedure", "other_procedure")], slots={"procedure_code": "1.001193"}
    )
    messages, events = await run(ActionOtherProcedure(), state)
    assert "thủ tục nào" in messages[0]["text"]
    assert slot_events(events) == {"procedure_code": None, "offered_codes": None}


async def test_where_names_the_provinces_office(kb: sessionmaker[Session]) -> None:
    with kb() as session, session.begin():
        session.add(
            Agency(
                name="Công an tỉnh Sơn La (thử nghiệm)",
                address="Số 1, đường Thử Nghiệm, thành phố Sơn La",
                opening_hours="Thứ Hai đến thứ Sáu, 7h30-17h",
                phone="0212 000 0000",
            )
        )
    try:
        state = tracker(
            "act-where",
            [
                user(
                    "lý lịch tư pháp nộp ở đâu",
                    "ask_where",
                    [{"entity": "procedure_code", "value": "3.000333"}],
                )
            ],
        )
        messages, _ = await run(ActionAnswerProcedure(), state)
        text = messages[0]["text"]
        assert "📍 Công an tỉnh Sơn La (thử nghiệm)" in text
        assert "Địa chỉ: Số 1, đường Thử Nghiệm" in text and "Điện thoại: 0212 000 0000" in text
        # The office is not shown for a procedure it does not handle.
        state = tracker(
            "act-where",
            [user("khai sinh nộp ở đâu", "ask_where", [{"entity": "procedure_code", "value": "1.001193"}])],
        )
        messages, _ = await run(ActionAnswerProcedure(), state)
        assert "Công an tỉnh Sơn La" not in messages[0]["text"]
    finally:
        with kb() as session, session.begin():
            session.execute(delete(Agency).where(Agency.name.like("%(thử nghiệm)")))


async def test_thumbs_down_stores_question_answer_and_reason(kb: sessionmaker[Session]) -> None:
    sender = "act-feedback"
    events = [
        user("lệ phí khai sinh bao nhiêu", "ask_fee"),
        bot("📄 Thủ tục đăng ký khai sinh\nPhí, lệ phí: ..."),
        user('/feedback{"rating": "down"}', "feedback", [{"entity": "rating", "value": "down"}]),
    ]
    messages, returned = await run(ActionFeedback(), tracker(sender, events, {"procedure_code": "1.001193"}))
    assert "chưa ổn" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 4
    feedback_id = slot_events(returned)["feedback_id"]
    reason = [
        *events,
        bot(messages[0]["text"]),
        user('/feedback{"reason": "not_enough"}', "feedback", [{"entity": "reason", "value": "not_enough"}]),
    ]
    # Another conversation cannot write on this feedback.
    await run(ActionFeedback(), tracker("act-feedback-other", reason, {"feedback_id": feedback_id}))
    with kb() as session:
        assert session.get(Feedback, int(feedback_id)).comment is None  # type: ignore[union-attr]
    messages, _ = await run(ActionFeedback(), tracker(sender, reason, {"feedback_id": feedback_id}))
    assert "Cảm ơn" in messages[0]["text"]
    with kb() as session:
        row = session.get(Feedback, int(feedback_id))
        assert row is not None
        assert (row.rating, row.question, row.intent, row.procedure_code) == (
            "down",
            "lệ phí khai sinh bao nhiêu",
            "ask_fee",
            "1.001193",
        )
        assert row.answer.startswith("📄 Thủ tục đăng ký khai sinh")
        assert row.comment == "Chưa đủ chi tiết" and row.channel == "api"


async def test_thumbs_up_is_stored_and_thanked(kb: sessionmaker[Session]) -> None:
    events = [
        user("khai sinh cần gì", "ask_documents"),
        bot("📄 ..."),
        user('/feedback{"rating": "up"}', "feedback", [{"entity": "rating", "value": "up"}]),
    ]
    messages, _ = await run(ActionFeedback(), tracker("web:act-up", events))
    assert "Cảm ơn" in messages[0]["text"]
    with kb() as session:
        row = session.scalars(select(Feedback).where(Feedback.sender_id == "web:act-up")).one()
        assert row.rating == "up" and row.channel == "web"


async def test_subscription_needs_proof_of_ownership(kb: sessionmaker[Session]) -> None:
    code = DOSSIER.receipt_code
    clicked = user(
        f'/subscribe_dossier{{"receipt_code": "{code}"}}',
        "subscribe_dossier",
        [{"entity": "receipt_code", "value": code}],
    )
    messages, _ = await run(ActionSubscribeDossier(), tracker("tg:act-intruder", [clicked]))
    assert "trước hết bạn cần tra cứu" in messages[0]["text"]
    with kb() as session:
        assert (
            session.scalars(select(Subscription).where(Subscription.sender_id == "tg:act-intruder")).first()
            is None
        )


async def test_owner_checks_subscribes_and_unsubscribes(kb: sessionmaker[Session]) -> None:
    sender = "tg:act-owner"
    checked = tracker(
        sender, [user(PROOF, "inform")], {"receipt_code": DOSSIER.receipt_code, "phone_last4": PROOF}
    )
    messages, events = await run(ActionCheckDossier(), checked)
    assert "Tình trạng:" in messages[0]["text"]
    assert payloads(messages)[0] == f'/subscribe_dossier{{"receipt_code": "{DOSSIER.receipt_code}"}}'
    verified = slot_events(events)["verified_dossiers"]
    assert verified == [DOSSIER.receipt_code]
    # Typed, without the code: the dossier just checked.
    typed = tracker(
        sender, [user("có kết quả thì báo tôi nhé", "subscribe_dossier")], {"verified_dossiers": verified}
    )
    messages, _ = await run(ActionSubscribeDossier(), typed)
    assert "Đã đăng ký" in messages[0]["text"]
    with kb() as session:
        dossier = session.scalars(select(Dossier).where(Dossier.receipt_code == DOSSIER.receipt_code)).one()
        last = max(
            e.id for e in session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id))
        )
        subscription = session.scalars(select(Subscription).where(Subscription.sender_id == sender)).one()
        assert subscription.is_active and subscription.channel == "telegram"
        assert subscription.notified_event_id == last  # only later changes are sent
    stop = tracker(sender, [user("tắt thông báo", "unsubscribe_dossier")])
    messages, _ = await run(ActionUnsubscribeDossier(), stop)
    assert "Đã ngừng" in messages[0]["text"]
    with kb() as session:
        assert (
            not session.scalars(select(Subscription).where(Subscription.sender_id == sender)).one().is_active
        )
    messages, _ = await run(ActionUnsubscribeDossier(), stop)
    assert "chưa đăng ký" in messages[0]["text"]


async def test_handoff_pauses_the_conversation(kb: sessionmaker[Session]) -> None:
    state = tracker("act-handoff", [user("cho tôi gặp cán bộ", "human_handoff")])
    messages, events = await run(ActionHumanHandoff(), state)
    assert [e["event"] for e in events] == ["pause", "action"]
    assert "tạm dừng" in messages[0]["text"]
    assert payloads(messages) == ["/restart"]


async def test_a_question_without_any_matching_procedure_goes_to_the_inbox(kb: sessionmaker[Session]) -> None:
    sender = "web:act-unanswered"
    state = tracker(sender, [user("xyzzy qwrtp", "ask_fee")])
    messages, _ = await run(ActionAnswerProcedure(), state)
    assert "chưa tìm thấy" in messages[0]["text"]
    with kb() as session:
        item = session.scalars(select(InboxItem).where(InboxItem.sender_id == sender)).one()
        assert (item.kind, item.text, item.intent, item.channel) == (
            "unanswered",
            "xyzzy qwrtp",
            "ask_fee",
            "web",
        )
        assert item.bot_reply and "chưa tìm thấy" in item.bot_reply
