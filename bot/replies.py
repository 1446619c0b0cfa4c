"""What the assistant says back: texts with buttons, in a channel-neutral form.

Rasa's REST channel answers a list of ``{"text": ..., "buttons": [{"title",
"payload"}]}``; every channel (Telegram, the widget, the JSON API) renders
these :class:`Reply` objects its own way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    """A quick reply: ``title`` is shown, ``payload`` is sent back when clicked."""

    title: str
    payload: str

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload}


@dataclass(frozen=True)
class Reply:
    """One message of the assistant."""

    text: str
    buttons: tuple[Button, ...] = field(default=())

    @classmethod
    def from_rasa(cls, message: dict[str, Any]) -> Reply:
        """A reply from one item of Rasa's REST channel answer."""
        buttons = tuple(
            Button(str(b.get("title") or ""), str(b.get("payload") or ""))
            for b in message.get("buttons") or []
            if b.get("title") and b.get("payload")
        )
        return cls(str(message.get("text") or ""), buttons)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": [b.to_json() for b in self.buttons]}


# How a channel hands a citizen's message to the gateway: sender id with its
# channel prefix ("tg:123", "web:<session>") and the text (or a button's
# payload); the assistant's replies come back, never an exception.
Converse = Callable[[str, str], Awaitable[list[Reply]]]
