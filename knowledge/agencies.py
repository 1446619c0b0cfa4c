"""The province's own offices behind a procedure's published agency names.

The national records name agencies generically ("Sở Tư pháp", "Ủy ban nhân
dân cấp xã"); staff enter their province's offices (``Agency``: "Sở Tư pháp
tỉnh Sơn La", its address, hours, phone, map). An office matches a procedure
when, without diacritics and case, one name contains the other: the office's
name contains a published agency name, or the published text (agencies and
receiving address) contains the office's name.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models import Agency, Procedure
from nlu.textnorm import fold

# Published names shorter than this ("Sở", "Bộ") would match every office.
MIN_NAME_CHARS = 8
_PARTS = re.compile(r"[;,\n]|\s-\s")


def _folded(text: str) -> str:
    return " ".join(fold(text).lower().split())


def published_names(procedure: Procedure) -> list[str]:
    """The agency names of the record, folded, one per part."""
    texts = [procedure.competent_agency, procedure.executing_agency]
    parts = (_folded(part) for text in texts if text for part in _PARTS.split(text))
    return [part for part in parts if len(part) >= MIN_NAME_CHARS]


def matches(agency_name: str, names: list[str], published_text: str) -> bool:
    """Whether an office is one of the published agencies."""
    office = _folded(agency_name)
    return any(name in office for name in names) or (
        len(office) >= MIN_NAME_CHARS and office in published_text
    )


def matching_agencies(session: Session, procedure: Procedure, limit: int = 2) -> list[Agency]:
    """The province's active offices that handle ``procedure``, at most ``limit``."""
    names = published_names(procedure)
    published_text = _folded(
        " ".join(
            filter(
                None, [procedure.competent_agency, procedure.executing_agency, procedure.receiving_address]
            )
        )
    )
    offices = session.scalars(select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name))
    return [office for office in offices if matches(office.name, names, published_text)][:limit]
