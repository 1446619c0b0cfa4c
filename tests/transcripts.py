"""Write docs/conversations.md from conversations with the running system.

    .venvs/app/bin/python -m tests.transcripts

Starts the real action server, Rasa server and gateway (the project's model,
a fresh knowledge base seeded with the national data and the demo dossiers),
plays ten scripted conversations through the gateway's JSON API (what the
widget uses) and writes what the assistant really answered, so the
transcripts stay true to the code.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from bot.app import create_app
from knowledge import cli
from knowledge.demo import phone_of, plan
from knowledge.settings import Settings
from nlu import engine
from tests.stack import Stack, running_stack

OUT = engine.ROOT / "docs" / "conversations.md"
DOSSIER = plan()[0]

# (title, turns): a turn is what the citizen types, or "click:N" for the
# N-th button (1-based) of the assistant's last reply, or "click:<title>".
CONVERSATIONS: list[tuple[str, list[str]]] = [
    (
        "Giấy tờ làm sổ đỏ, hỏi tiếp lệ phí, rồi chấm điểm câu trả lời",
        [
            "chào bạn",
            "thủ tục làm sổ đỏ cần giấy tờ gì",
            "click:4",
            "còn lệ phí thì sao?",
            "click:👎",
            "click:Chưa đủ chi tiết",
        ],
    ),
    ("Không dấu, viết tắt", ["doi gplx mat bao nhieu tien", "nop o dau vay"]),
    (
        "Đổi sang thủ tục khác giữa chừng",
        [
            "đăng ký khai sinh cần giấy tờ gì",
            "mất bao lâu",
            "click:Hỏi thủ tục khác",
            "đăng ký kết hôn cần những gì?",
        ],
    ),
    ("Nộp trực tuyến", ["cấp đổi thẻ căn cước có nộp online được không", "click:1", "click:👍"]),
    (
        "Tình huống đời sống, hỏi lệ phí trước khi chọn",
        ["tôi mới sinh con thì phải làm những giấy tờ gì", "lệ phí bao nhiêu vậy", "click:2"],
    ),
    (
        "Tra cứu hồ sơ, rồi đăng ký nhận thông báo",
        [
            "tra cứu hồ sơ",
            DOSSIER.receipt_code.lower().replace("-", " "),
            phone_of(DOSSIER.number)[-4:],
            "click:1",
        ],
    ),
    ("Tra cứu hồ sơ, sai số điện thoại", [f"hồ sơ {DOSSIER.receipt_code} đến đâu rồi", "1234"]),
    (
        "Không hiểu, gặp cán bộ, rồi quay lại trợ lý ảo",
        [
            "/nlu_fallback",
            "/nlu_fallback",
            "click:1",
            "alo, có ai không?",
            "click:1",
            "lệ phí đăng ký tạm trú",
        ],
    ),
    ("Phản ánh", ["chờ cả tháng chưa có kết quả, làm ăn kiểu gì vậy"]),
    ("Ngoài phạm vi", ["mai trời có mưa không", "bạn là người hay máy vậy", "tạm biệt"]),
]


async def _post(http: aiohttp.ClientSession, gateway: str, sender: str, text: str) -> list[dict[str, Any]]:
    async with http.post(f"{gateway}/api/v1/messages", json={"sender": sender, "text": text}) as response:
        response.raise_for_status()
        return list((await response.json())["replies"])


def pick(buttons: list[dict[str, str]], which: str) -> dict[str, str]:
    """The button a "click:" turn names, by number or by title."""
    if which.isdigit():
        return buttons[int(which) - 1]
    return next(b for b in buttons if b["title"] == which)


async def play(http: aiohttp.ClientSession, gateway: str, sender: str, turns: list[str]) -> list[str]:
    """Markdown lines of one conversation."""
    lines: list[str] = []
    last: list[dict[str, Any]] = []
    for turn in turns:
        if turn.startswith("click:"):
            button = pick([b for reply in last for b in reply.get("buttons", [])], turn.partition(":")[2])
            lines.append(f"**Người dân** bấm nút «{button['title']}»\n")
            text = button["payload"]
        else:
            lines.append(f"**Người dân:** {turn}\n")
            text = turn
        last = await _post(http, gateway, sender, text)
        for reply in last:
            body = (reply.get("text") or "").replace("\n", "  \n")
            lines.append(f"**Trợ lý:** {body}\n")
            titles = [b["title"] for b in reply.get("buttons", [])]
            if titles:
                lines.append("Nút: " + " · ".join(f"[{t}]" for t in titles) + "\n")
        if not last:
            lines.append("**Trợ lý:** _(không trả lời)_\n")
    return lines


async def play_all(stack: Stack, database_url: str) -> list[str]:
    """Start the gateway in front of ``stack`` and play every conversation through it."""
    settings = dataclasses.replace(
        Settings(),
        database_url=database_url,
        rasa_url=stack.rasa_url,
        rasa_token=stack.rasa_token,
        actions_port=urlsplit(stack.actions_url).port or 0,
        rasa_timeout_s=60.0,
    )
    runner = web.AppRunner(create_app(settings, notify=False))
    await runner.setup()
    port = engine.free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    sections = []
    try:
        async with aiohttp.ClientSession() as http:
            for number, (title, turns) in enumerate(CONVERSATIONS, start=1):
                lines = await play(http, f"http://127.0.0.1:{port}", f"transcript-{number:010d}", turns)
                sections.append(f"## {number}. {title}\n\n" + "\n".join(lines))
    finally:
        await runner.cleanup()
    return sections


def main() -> None:
    """Start the system, play the conversations, write the file."""
    model = engine.train()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'kb.db'}"
        for command in (["import"], ["seed-demo"]):
            cli.main(["--database", url, *command], out=io.StringIO(), report_dir=Path(folder))
        with running_stack(model, Path(folder) / "logs", env={"DATABASE_URL": url}) as stack:
            sections = asyncio.run(play_all(stack, url))
    header = (
        "# Conversations\n\n"
        "Ten conversations with the running system, written by `python -m tests.transcripts` "
        f"on {datetime.now(UTC):%Y-%m-%d}: the project's model, the real action server, a knowledge base "
        "seeded from the national data and the fictitious demo dossiers. Nothing here is edited by hand.\n"
    )
    OUT.write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    print(f"==> {OUT.relative_to(engine.ROOT)} written")


if __name__ == "__main__":
    main()
