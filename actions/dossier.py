"""Where a citizen's dossier stands: receipt code, proof of ownership, answer.

The form asks for the receipt code, then for the last 4 digits of the
applicant's phone number. The dossier is shown only when both match; a wrong
pair is refused without saying whether the code exists, and 5 failed proofs
within an hour lock the lookup of that code and of that sender
(``knowledge.lookup_guard``: counted in the database, so a new or restarted
conversation does not lift the lock).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from actions import db, messages
from actions.feedback import feedback_buttons
from actions.subscriptions import subscribe_button
from knowledge import lookup_guard
from knowledge.masking import mask_name
from knowledge.messages import STATUS_LABELS
from knowledge.models import Dossier
from knowledge.receipt_codes import ascii_digits, normalize_receipt_code
from knowledge.verification import verify_secret

logger = logging.getLogger(__name__)


def _date(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "chưa có"


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def describe(dossier: Dossier, now: datetime | None = None) -> str:
    """The dossier's situation in plain Vietnamese, the applicant's name masked."""
    now = now or datetime.now(UTC)
    lines = [
        f"Hồ sơ {dossier.receipt_code} của {mask_name(dossier.applicant_name)}",
        f"Thủ tục: {dossier.procedure.name}",
        f"Tình trạng: {STATUS_LABELS.get(dossier.status, dossier.status)}",
    ]
    if dossier.current_step:
        lines.append(f"Bước hiện tại: {dossier.current_step}")
    if dossier.procedure.executing_agency:
        lines.append(f"Cơ quan giải quyết: {dossier.procedure.executing_agency}")
    lines.append(f"Ngày tiếp nhận: {_date(dossier.received_at)}; hẹn trả: {_date(dossier.due_at)}")
    finished = dossier.status in ("ready", "returned", "rejected")
    if dossier.due_at and not finished and _aware(dossier.due_at) < now:
        days = (now - _aware(dossier.due_at)).days
        lines.append(messages.DOSSIER_LATE.format(days=max(days, 1)))
    if dossier.status == "needs_supplement" and dossier.supplement_request:
        lines.append("Giấy tờ cần bổ sung:")
        lines.extend(f"- {item}" for item in dossier.supplement_request)
    if dossier.status == "ready" and dossier.pickup_place:
        lines.append(f"Nơi nhận kết quả: {dossier.pickup_place}")
    return "\n".join(lines)


class ValidateDossierForm(FormValidationAction):
    """Normalise the receipt code; accept exactly 4 digits as the proof."""

    def name(self) -> str:
        return "validate_dossier_form"

    def validate_receipt_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        code = normalize_receipt_code(str(value or ""))
        if code is None:
            dispatcher.utter_message(text=messages.DOSSIER_BAD_CODE)
            return {"receipt_code": None}
        return {"receipt_code": code}

    def validate_phone_last4(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        digits = re.sub(r"\D", "", ascii_digits(str(value or "")))
        if len(digits) != 4 or len(str(value).strip()) > 20:
            dispatcher.utter_message(text=messages.DOSSIER_BAD_DIGITS)
            return {"phone_last4": None}
        return {"phone_last4": digits}


class ActionCheckDossier(Action):
    """Show the dossier to its owner, refuse anyone else."""

    def name(self) -> str:
        return "action_check_dossier"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        now = datetime.now(UTC)
        clear = [SlotSet("receipt_code", None), SlotSet("phone_last4", None)]
        code, digits = tracker.get_slot("receipt_code"), tracker.get_slot("phone_last4")
        statement = (
            select(Dossier).where(Dossier.receipt_code == code).options(selectinload(Dossier.procedure))
        )
        with db.sessions()() as session, session.begin():
            if lookup_guard.is_locked(session, code, tracker.sender_id, now):
                dispatcher.utter_message(text=messages.DOSSIER_LOCKED, buttons=messages.NO_MATCH_BUTTONS)
                return clear
            if not code or not digits:
                return clear
            dossier = session.scalars(statement).first()
            if dossier is None or not verify_secret(str(digits), dossier.verification_hash):
                lookup_guard.record_failure(session, str(code), tracker.sender_id, now)
                logger.info("dossier lookup refused")
                dispatcher.utter_message(text=messages.DOSSIER_REFUSED)
                return clear
            text = describe(dossier)
        buttons = [subscribe_button(code), {"title": messages.BUTTON_HANDOFF, "payload": "/human_handoff"}]
        dispatcher.utter_message(text=text, buttons=[*buttons, *feedback_buttons()])
        verified = [c for c in tracker.get_slot("verified_dossiers") or [] if c != code][-4:]
        return [*clear, SlotSet("verified_dossiers", [*verified, code])]
