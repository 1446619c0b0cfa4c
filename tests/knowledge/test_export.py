"""Export to JSON Lines and import it back: the same procedures."""

from __future__ import annotations

import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from knowledge import aliases
from knowledge.export import FORMAT, export_procedures, procedure_record
from knowledge.importer import import_files
from knowledge.models import Procedure, SubmissionChannel
from tests.knowledge.conftest import WriteJsonl

CODES = [
    "1.001193",
    "1.014061",
    "1.013978",
    "3.000368",
    "1.004281",
    "2.000693",
    "3.000337",
    "1.013124",
    "1.013518",
    "3.000422",
    "2.000815",
    "1.001456",
]


def records(session: Session) -> dict[str, dict[str, object]]:
    procedures = session.scalars(
        select(Procedure).options(
            selectinload(Procedure.channels),
            selectinload(Procedure.documents),
            selectinload(Procedure.legal_bases),
            selectinload(Procedure.aliases),
        )
    )
    return {p.code: procedure_record(p) for p in procedures}


def test_export_round_trips_through_import(
    seeded_session: Session, session: Session, write_jsonl: WriteJsonl
) -> None:
    out = io.StringIO()
    assert export_procedures(seeded_session, out, CODES) == len(CODES)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {line["format"] for line in lines} == {FORMAT}
    assert [line["code"] for line in lines] == sorted(CODES)

    report = import_files(session, [write_jsonl(lines, name="export.jsonl")])
    session.commit()
    assert report.created == len(CODES)
    session.expire_all()
    exported = {line["code"]: line for line in lines}
    assert records(session) == exported
    # Importing the export again changes nothing.
    assert import_files(session, [write_jsonl(lines, name="export.jsonl")]).unchanged == len(CODES)


def test_export_carries_staff_edits_and_aliases(
    session: Session, write_jsonl: WriteJsonl, sessions: object
) -> None:
    item = Procedure(code="9.000001", name="Thủ tục thử do cán bộ nhập", level_commune=True, source="staff")
    item.channels.append(
        SubmissionChannel(
            position=0, channel="truc_tiep", channel_text="Trực tiếp", time_value=3, time_unit="days"
        )
    )
    item.mark_edited("name", "channels")
    session.add(item)
    session.flush()
    aliases.add(session, "thủ tục thử", ["9.000001"])
    session.commit()
    out = io.StringIO()
    export_procedures(session, out)
    [line] = [json.loads(text) for text in out.getvalue().splitlines()]
    assert line["edited_fields"] == ["channels", "name"]
    assert line["aliases"] == [{"text": "thủ tục thử", "origin": "staff"}]

    session.delete(session.scalars(select(Procedure)).one())
    for alias in aliases.list_aliases(session, include_inactive=True):
        session.delete(alias)
    session.commit()
    import_files(session, [write_jsonl([line])])
    session.commit()
    session.expire_all()
    assert records(session) == {"9.000001": line}
