"""The Bot API stand-in itself behaves as the tests assume."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest

from tests.telegram_api import TelegramAPIStandIn

pytestmark = pytest.mark.timeout(30)


async def test_send_and_edit_through_the_real_client(api: TelegramAPIStandIn) -> None:
    async with Bot(api.token, base_url=api.base_url) as bot:
        sent = await bot.send_message(55, "<b>Lệ phí</b>: 8.000 đồng", parse_mode="HTML")
        assert sent.text == "Lệ phí: 8.000 đồng"
        edited = await bot.edit_message_text("Đã cập nhật", chat_id=55, message_id=sent.message_id)
        assert not isinstance(edited, bool)
        assert edited.text == "Đã cập nhật"
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(55, "<script>x</script>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(55, "x" * 4097)
    assert [call.method for call in api.calls][-3:] == ["editMessageText", "sendMessage", "sendMessage"]


async def test_json_bodies_tokens_and_unknown_methods(api: TelegramAPIStandIn) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{api.base_url}{api.token}/sendMessage", json={"chat_id": 7, "text": "123"}
        ) as r:
            body = await r.json()
            assert r.status == 200 and body["result"]["text"] == "123"
        async with session.post(f"{api.base_url}wrong/getMe") as r:
            assert r.status == 401
        async with session.post(f"{api.base_url}{api.token}/noSuchMethod") as r:
            assert r.status == 404 and (await r.json())["ok"] is False


async def test_get_updates_confirms_with_offset_and_waits(api: TelegramAPIStandIn) -> None:
    first = api.queue_text(9, "một")
    async with Bot(api.token, base_url=api.base_url) as bot:
        [update] = await bot.get_updates(timeout=0)
        assert update.update_id == first["update_id"]
        # Not confirmed yet: served again; confirmed by the next offset.
        assert len(await bot.get_updates(timeout=0)) == 1
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
        api.fail("getUpdates", 429, retry_after=2)
        with pytest.raises(Exception, match="Flood control"):
            await bot.get_updates(timeout=0)
