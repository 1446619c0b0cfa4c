"""Staff edits of the province's offices (``Agency``) and frequent questions (``Faq``).

Form values are checked here, whatever the page sent: text only, Unicode NFC,
no control characters, within the columns' lengths, a map link that is an
``http(s)`` address, a procedure code that exists. Problems come back as
Vietnamese sentences (``InvalidEntryError.problems``), all of them at once. Every
change is written to the audit log with the values before and after, in the
transaction of the change.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from knowledge import audit
from knowledge.agencies import matches, published_names
from knowledge.models import Agency, Faq, Procedure
from nlu.textnorm import fold

logger = logging.getLogger(__name__)

AGENCY = "agency"
FAQ = "faq"

NAME_MAX = 255
ADDRESS_MAX = 1000
HOURS_MAX = 500
PHONE_MAX = 64
URL_MAX = 512
QUESTION_MAX = 500
ANSWER_MAX = 5000
CODE_MAX = 32

_PHONE = re.compile(r"[0-9+().\-/,; ]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class InvalidEntryError(ValueError):
    """The form's values cannot be saved; ``problems`` says why, in Vietnamese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class DuplicateAgencyError(InvalidEntryError):
    """Another office already has this name."""


def _text(value: object) -> str:
    """A form value as text: NFC, without control characters (files and other types count as empty)."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def one_line(value: object) -> str:
    """A single-line form value, spaces collapsed."""
    return " ".join(_text(value).split())


def paragraphs(value: object) -> str:
    """A multi-line form value: spaces collapsed inside lines, at most one blank line in a row."""
    lines = (" ".join(line.split()) for line in _text(value).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _check_length(problems: list[str], value: str, limit: int, label: str) -> None:
    if len(value) > limit:
        problems.append(f"{label} dài quá {limit} ký tự (hiện có {len(value)}).")


def is_web_address(value: str) -> bool:
    """True for an ``http://`` or ``https://`` address with a host."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value


@dataclass(frozen=True)
class AgencyValues:
    """An office as staff describe it; empty optional fields are ``None``."""

    name: str
    address: str | None
    opening_hours: str | None
    phone: str | None
    map_url: str | None


@dataclass(frozen=True)
class FaqValues:
    """A frequent question, its answer and the procedure it is about (by code), if any."""

    question: str
    answer: str
    procedure_code: str | None


def agency_values(form: Mapping[str, object]) -> AgencyValues:
    """The office described by ``form``; raises ``InvalidEntryError``."""
    problems: list[str] = []
    name = one_line(form.get("name"))
    address = one_line(form.get("address"))
    hours = one_line(form.get("opening_hours"))
    phone = one_line(form.get("phone"))
    map_url = one_line(form.get("map_url"))
    if not name:
        problems.append("Hãy nhập tên cơ quan.")
    _check_length(problems, name, NAME_MAX, "Tên cơ quan")
    _check_length(problems, address, ADDRESS_MAX, "Địa chỉ")
    _check_length(problems, hours, HOURS_MAX, "Giờ làm việc")
    _check_length(problems, phone, PHONE_MAX, "Số điện thoại")
    if phone and (not _PHONE.fullmatch(phone) or sum(c.isdigit() for c in phone) < 3):
        problems.append("Số điện thoại chỉ gồm chữ số, dấu cách và các dấu + ( ) . - / , ;")
    _check_length(problems, map_url, URL_MAX, "Đường dẫn bản đồ")
    if map_url and not is_web_address(map_url):
        problems.append("Đường dẫn bản đồ phải là địa chỉ web bắt đầu bằng http:// hoặc https://.")
    if problems:
        raise InvalidEntryError(problems)
    return AgencyValues(name, address or None, hours or None, phone or None, map_url or None)


def faq_values(form: Mapping[str, object]) -> FaqValues:
    """The question described by ``form``; raises ``InvalidEntryError`` (the code is checked on saving)."""
    problems: list[str] = []
    question = one_line(form.get("question"))
    answer = paragraphs(form.get("answer"))
    code = one_line(form.get("procedure_code"))
    if not question:
        problems.append("Hãy nhập câu hỏi.")
    _check_length(problems, question, QUESTION_MAX, "Câu hỏi")
    if not answer:
        problems.append("Hãy nhập câu trả lời.")
    _check_length(problems, answer, ANSWER_MAX, "Câu trả lời")
    _check_length(problems, code, CODE_MAX, "Mã thủ tục")
    if problems:
        raise InvalidEntryError(problems)
    return FaqValues(question, answer, code or None)


# ---------------------------------------------------------------------- agencies


def agency_snapshot(agency: Agency) -> dict[str, Any]:
    """The values of an office, as the audit log keeps them."""
    return {
        "name": agency.name,
        "address": agency.address,
        "opening_hours": agency.opening_hours,
        "phone": agency.phone,
        "map_url": agency.map_url,
        "is_active": agency.is_active,
    }


def _folded(name: str) -> str:
    return " ".join(fold(name).split())


def _check_unique(session: Session, name: str, agency_id: int | None) -> None:
    key = _folded(name)
    for other_id, other_name in session.execute(select(Agency.id, Agency.name)):
        if other_id != agency_id and _folded(other_name) == key:
            raise DuplicateAgencyError([f"Đã có cơ quan tên “{other_name}”."])


def get_agency(session: Session, agency_id: int) -> Agency:
    """The office ``agency_id``; raises ``LookupError``."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise LookupError(agency_id)
    return agency


def create_agency(session: Session, values: AgencyValues, actor: str) -> Agency:
    """Add an office (audited); raises ``DuplicateAgencyError``."""
    _check_unique(session, values.name, None)
    agency = Agency(**asdict(values), is_active=True)
    session.add(agency)
    session.flush()
    audit.record(session, actor, "create", AGENCY, agency.id, after=agency_snapshot(agency))
    return agency


def update_agency(session: Session, agency_id: int, values: AgencyValues, actor: str) -> bool:
    """Save an office's new values (audited); False when nothing changed."""
    agency = get_agency(session, agency_id)
    _check_unique(session, values.name, agency.id)
    before = agency_snapshot(agency)
    for name, value in asdict(values).items():
        setattr(agency, name, value)
    after = agency_snapshot(agency)
    if after == before:
        return False
    session.flush()
    audit.record(session, actor, "edit", AGENCY, agency.id, before=before, after=after)
    return True


def set_agency_active(session: Session, agency_id: int, active: bool, actor: str) -> bool:
    """Stop using an office in answers, or use it again (audited); False when already so."""
    agency = get_agency(session, agency_id)
    if agency.is_active == active:
        return False
    before = agency_snapshot(agency)
    agency.is_active = active
    session.flush()
    action = "activate" if active else "deactivate"
    audit.record(session, actor, action, AGENCY, agency.id, before=before, after=agency_snapshot(agency))
    return True


def matched_procedures(session: Session, agency_name: str, limit: int = 10) -> tuple[int, list[Procedure]]:
    """How many active procedures the bot's "where" answer would show this office for, and a few of them.

    The same rule as ``knowledge.agencies.matching_agencies`` (which also
    shows at most two offices per procedure).
    """
    statement = (
        select(Procedure)
        .options(
            load_only(
                Procedure.code,
                Procedure.name,
                Procedure.competent_agency,
                Procedure.executing_agency,
                Procedure.receiving_address,
            )
        )
        .where(Procedure.is_active.is_(True))
        .order_by(Procedure.code)
    )
    found: list[Procedure] = []
    count = 0
    for procedure in session.scalars(statement):
        texts = [procedure.competent_agency, procedure.executing_agency, procedure.receiving_address]
        published = _folded(" ".join(t for t in texts if t))
        if matches(agency_name, published_names(procedure), published):
            count += 1
            if len(found) < limit:
                found.append(procedure)
    return count, found


# -------------------------------------------------------------------------- FAQ


def faq_snapshot(faq: Faq) -> dict[str, Any]:
    """The values of a question, as the audit log keeps them."""
    return {
        "question": faq.question,
        "answer": faq.answer,
        "procedure_code": faq.procedure.code if faq.procedure is not None else None,
        "is_active": faq.is_active,
    }


def _procedure(session: Session, code: str | None) -> Procedure | None:
    if code is None:
        return None
    found = session.scalar(select(Procedure).where(Procedure.code == code))
    if found is None:
        raise InvalidEntryError([f"Không có thủ tục nào mang mã “{code}”. Hãy kiểm tra lại mã thủ tục."])
    return found


def get_faq(session: Session, faq_id: int) -> Faq:
    """The question ``faq_id``; raises ``LookupError``."""
    faq = session.get(Faq, faq_id)
    if faq is None:
        raise LookupError(faq_id)
    return faq


def create_faq(session: Session, values: FaqValues, actor: str) -> Faq:
    """Add a question (audited); raises ``InvalidEntryError`` for an unknown procedure code."""
    faq = Faq(
        question=values.question,
        answer=values.answer,
        procedure=_procedure(session, values.procedure_code),
        is_active=True,
    )
    session.add(faq)
    session.flush()
    audit.record(session, actor, "create", FAQ, faq.id, after=faq_snapshot(faq))
    return faq


def update_faq(session: Session, faq_id: int, values: FaqValues, actor: str) -> bool:
    """Save a question's new values (audited); False when nothing changed."""
    faq = get_faq(session, faq_id)
    procedure = _procedure(session, values.procedure_code)
    before = faq_snapshot(faq)
    faq.question, faq.answer, faq.procedure = values.question, values.answer, procedure
    after = faq_snapshot(faq)
    if after == before:
        return False
    session.flush()
    audit.record(session, actor, "edit", FAQ, faq.id, before=before, after=after)
    return True


def set_faq_active(session: Session, faq_id: int, active: bool, actor: str) -> bool:
    """Stop using a question, or use it again (audited); False when already so."""
    faq = get_faq(session, faq_id)
    if faq.is_active == active:
        return False
    before = faq_snapshot(faq)
    faq.is_active = active
    session.flush()
    action = "activate" if active else "deactivate"
    audit.record(session, actor, action, FAQ, faq.id, before=before, after=faq_snapshot(faq))
    return True
