"""Every gateway runs the dossier notifier; sharing Redis, they tell a subscriber of a change once."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot import notifier
from bot.dedup import RedisSeenMarks
from bot.delivery import Delivery
from bot.message_log import MessageLog
from bot.replies import Reply
from bot.shared_redis import SharedRedis
from knowledge.db import make_engine, make_session_factory
from knowledge.dossiers import create_dossier
from knowledge.models import Procedure, Subscription

pytestmark = pytest.mark.timeout(60)


class SlowDelivery(Delivery):
    """Delivery that takes a while, as Telegram does: two rounds at once would both send."""

    async def send(self, sender_id: str, reply: Reply, author: str = "system") -> bool:
        await asyncio.sleep(0.1)
        return await super().send(sender_id, reply, author)


async def test_two_gateways_notifiers_send_each_notice_once(
    production_database_url: str, redis_url: str, redis_prefix: str
) -> None:
    engine = make_engine(production_database_url)
    sessions = make_session_factory(engine)
    sender = f"web:{secrets.token_hex(10)}"
    code = f"000.22.31.H51-251201-{secrets.randbelow(10_000):04d}"
    with sessions() as session, session.begin():
        procedure_code = f"9.{secrets.randbelow(10**6):06d}"
        session.add(Procedure(code=procedure_code, name="Thủ tục thử nghiệm"))
        session.flush()
        dossier = create_dossier(
            session, code, procedure_code, "Nguyễn Văn Thử", "0900000001", datetime.now(UTC)
        )
        session.add(Subscription(dossier_id=dossier.id, sender_id=sender, channel="web"))

    gateways = [SharedRedis.from_url(redis_url, redis_prefix) for _ in range(2)]
    loops = [
        asyncio.create_task(
            notifier.run_forever(
                sessions, SlowDelivery(MessageLog(sessions)), interval_s=0.01, rounds=RedisSeenMarks(redis)
            )
        )
        for redis in gateways
    ]
    await asyncio.sleep(1.0)
    for loop in loops:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
    for redis in gateways:
        await redis.close()

    told = MessageLog(sessions).history(sender)
    assert len(told) == 1 and code in told[0].reply.text
    with sessions() as session:
        subscription = session.scalars(select(Subscription).where(Subscription.sender_id == sender)).one()
        assert subscription.notified_event_id is not None
    engine.dispose()
