"""Every message in and out, per sender, in the knowledge base (``ConversationMessage``).

It gives the widget its history, the dashboard its counts and times, and
makes a message sent twice by a client (same ``client_message_id``) one
message. The functions are synchronous (SQLAlchemy); the gateway calls them
in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.replies import Button, Reply
from knowledge.inbox import channel_of
from knowledge.models import ConversationMessage, Direction

HISTORY_LIMIT = 100
# Authors of outgoing messages: the assistant, a person, or the gateway's own notices.
BOT, STAFF, SYSTEM = "bot", "staff", "system"


@dataclass(frozen=True)
class Logged:
    """A message as stored: its id, time, author and content."""

    id: int
    direction: str
    author: str
    reply: Reply
    created_at: datetime

    def to_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "from": "user" if self.direction == Direction.IN else "bot",
            "author": self.author,
            **self.reply.to_json(),
            "time": self.created_at.isoformat(),
        }


def _logged(row: ConversationMessage) -> Logged:
    buttons = tuple(Button(str(b["title"]), str(b["payload"])) for b in row.buttons or [])
    # SQLite gives back naive datetimes; every time the gateway shows is UTC.
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return Logged(row.id, row.direction, row.author, Reply(row.text, buttons), created)


class MessageLog:
    """The conversation log over one database."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def incoming(self, sender_id: str, text: str, client_message_id: str | None) -> tuple[int, list[Logged]]:
        """Store a citizen's message; for a repeated client id, its earlier id and the replies it got."""
        with self._sessions() as session, session.begin():
            if client_message_id:
                earlier = session.scalars(
                    select(ConversationMessage).where(
                        ConversationMessage.sender_id == sender_id,
                        ConversationMessage.client_message_id == client_message_id,
                    )
                ).first()
                if earlier is not None:
                    return earlier.id, self._replies_to(session, earlier.id)
            row = ConversationMessage(
                sender_id=sender_id,
                channel=channel_of(sender_id),
                direction=Direction.IN.value,
                text=text,
                client_message_id=client_message_id,
                author="citizen",
            )
            session.add(row)
            session.flush()
            return row.id, []

    def outgoing(
        self,
        sender_id: str,
        replies: list[Reply],
        *,
        reply_to: int | None = None,
        response_ms: float | None = None,
        author: str = BOT,
    ) -> list[Logged]:
        """Store what was sent to ``sender_id``."""
        with self._sessions() as session, session.begin():
            rows = [
                ConversationMessage(
                    sender_id=sender_id,
                    channel=channel_of(sender_id),
                    direction=Direction.OUT.value,
                    text=reply.text,
                    buttons=[b.to_json() for b in reply.buttons],
                    reply_to_id=reply_to,
                    response_ms=response_ms,
                    author=author,
                )
                for reply in replies
            ]
            session.add_all(rows)
            session.flush()
            return [_logged(row) for row in rows]

    def forget_replies(self, message_id: int) -> None:
        """Drop the gateway's notices about a message that will be processed again."""
        with self._sessions() as session, session.begin():
            for row in session.scalars(
                select(ConversationMessage).where(
                    ConversationMessage.reply_to_id == message_id, ConversationMessage.author == SYSTEM
                )
            ):
                session.delete(row)

    def history(self, sender_id: str, limit: int = HISTORY_LIMIT) -> list[Logged]:
        """The last ``limit`` messages of ``sender_id``, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.sender_id == sender_id)
                .order_by(ConversationMessage.id.desc())
                .limit(limit)
            )
            return [_logged(row) for row in reversed(list(rows))]

    @staticmethod
    def _replies_to(session: Session, message_id: int) -> list[Logged]:
        rows = session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.reply_to_id == message_id)
            .order_by(ConversationMessage.id)
        )
        return [_logged(row) for row in rows]
