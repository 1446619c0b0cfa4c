"""Write docs/conversations.md from conversations with the running system.

    .venvs/app/bin/python -m tests.transcripts

Starts the real action server and Rasa server (the project's model, a fresh
knowledge base seeded with the national data and the demo dossiers), plays
ten scripted conversations over Rasa's REST channel and writes what the bot
really answered, so the transcripts stay true to the code.
"""

from __future__ import annotations

import io
import json
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge import cli
from knowledge.demo import phone_of, plan
from nlu import engine
from tests.stack import Stack, running_stack

OUT = engine.ROOT / "docs" / "conversations.md"
DOSSIER = plan()[0]

# (title, turns): a turn is what the citizen types, or "click:N" for the
# N-th button (1-based) of the bot's last reply.
CONVERSATIONS: list[tuple[str, list[str]]] = [
    (
        "Giấy tờ làm sổ đỏ, rồi hỏi tiếp lệ phí",
        ["chào bạn", "thủ tục làm sổ đỏ cần giấy tờ gì", "click:4", "còn lệ phí thì sao?"],
    ),
    ("Không dấu, viết tắt", ["doi gplx mat bao nhieu tien", "nop o dau vay"]),
    (
        "Đổi sang thủ tục khác giữa chừng",
        ["đăng ký khai sinh cần giấy tờ gì", "mất bao lâu", "còn đăng ký kết hôn thì cần những gì?"],
    ),
    ("Nộp trực tuyến", ["cấp đổi thẻ căn cước có nộp online được không", "click:1"]),
    ("Tình huống đời sống", ["tôi mới sinh con thì phải làm những giấy tờ gì", "click:1"]),
    (
        "Tra cứu hồ sơ",
        ["tra cứu hồ sơ", DOSSIER.receipt_code.lower().replace("-", " "), phone_of(DOSSIER.number)[-4:]],
    ),
    ("Tra cứu hồ sơ, sai số điện thoại", [f"hồ sơ {DOSSIER.receipt_code} đến đâu rồi", "1234"]),
    ("Không hiểu, rồi gặp cán bộ", ["/nlu_fallback", "/nlu_fallback", "click:1"]),
    ("Phản ánh", ["chờ cả tháng chưa có kết quả, làm ăn kiểu gì vậy"]),
    ("Ngoài phạm vi", ["mai trời có mưa không", "bạn là người hay máy vậy", "tạm biệt"]),
]


def _post(stack: Stack, sender: str, text: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return list(json.load(response))


def play(stack: Stack, sender: str, turns: list[str]) -> list[str]:
    """Markdown lines of one conversation."""
    lines: list[str] = []
    last: list[dict[str, Any]] = []
    for turn in turns:
        if turn.startswith("click:"):
            buttons = [b for reply in last for b in reply.get("buttons", [])]
            button = buttons[int(turn.split(":")[1]) - 1]
            lines.append(f"**Người dân** bấm nút «{button['title']}»\n")
            text = button["payload"]
        else:
            lines.append(f"**Người dân:** {turn}\n")
            text = turn
        last = _post(stack, sender, text)
        for reply in last:
            body = (reply.get("text") or "").replace("\n", "  \n")
            lines.append(f"**Trợ lý:** {body}\n")
            titles = [b["title"] for b in reply.get("buttons", [])]
            if titles:
                lines.append("Nút: " + " · ".join(f"[{t}]" for t in titles) + "\n")
        if not last:
            lines.append("**Trợ lý:** _(không trả lời)_\n")
    return lines


def main() -> None:
    """Start the system, play the conversations, write the file."""
    model = engine.train()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'kb.db'}"
        for command in (["import"], ["seed-demo"]):
            cli.main(["--database", url, *command], out=io.StringIO(), report_dir=Path(folder))
        with running_stack(model, Path(folder) / "logs", env={"DATABASE_URL": url}) as stack:
            sections = []
            for number, (title, turns) in enumerate(CONVERSATIONS, start=1):
                sections.append(
                    f"## {number}. {title}\n\n" + "\n".join(play(stack, f"web:transcript-{number}", turns))
                )
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
