"""The curated aliases (knowledge/data/aliases.yml) and their management."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import aliases
from knowledge.models import Alias, Procedure
from knowledge.sources import ALIASES_FILE
from nlu.textnorm import normalize

REQUIRED = (
    "sổ đỏ",
    "sổ hồng",
    "làm giấy khai sinh",
    "làm căn cước",
    "cccd",
    "gplx",
    "hộ khẩu",
    "đăng ký kinh doanh",
)


def test_seed_file_has_at_least_80_aliases_on_existing_codes(seed_records: dict[str, dict[str, Any]]) -> None:
    seed = aliases.load_seed(ALIASES_FILE)
    assert len(seed) >= 80
    missing = {text: [c for c in codes if c not in seed_records] for text, codes in seed.items()}
    assert {text: codes for text, codes in missing.items() if codes} == {}
    assert all(codes for codes in seed.values())
    assert {normalize(text) for text in REQUIRED} <= {normalize(text) for text in seed}


def test_seed_prefers_provincial_and_commune_records(seed_records: dict[str, dict[str, Any]]) -> None:
    links = [code for codes in aliases.load_seed(ALIASES_FILE).values() for code in codes]

    def local(code: str) -> bool:
        levels = seed_records[code].get("cap_thuc_hien") or seed_records[code]["metadata"]["cấp_thực_hiện"]
        return "tỉnh" in levels.lower() or "xã" in levels.lower()

    assert sum(map(local, links)) / len(links) > 0.85


def test_seeded_aliases_in_the_knowledge_base(seeded_session: Session) -> None:
    alias = aliases.find(seeded_session, "SỔ ĐỎ")
    assert alias is not None and alias.text == "sổ đỏ"
    assert "1.013978" in {p.code for p in alias.procedures}
    cccd = aliases.find(seeded_session, "căn cước công dân")  # "cccd" expanded
    assert cccd is not None and cccd.text == "cccd"
    khai_sinh = seeded_session.scalars(select(Procedure).where(Procedure.code == "1.001193")).one()
    assert {"giấy khai sinh", "làm giấy khai sinh"} <= {a.text for a in khai_sinh.aliases}


def add_procedures(session: Session, *codes: str) -> None:
    session.add_all(Procedure(code=code, name=f"Thủ tục {code}") for code in codes)
    session.flush()


def test_add_list_remove(session: Session) -> None:
    add_procedures(session, "1.001193", "1.004884")
    aliases.add(session, "làm khai sinh", ["1.001193"])
    aliases.add(session, "Làm  khai sinh", ["1.004884"])  # same alias, one more procedure
    [alias] = aliases.list_aliases(session)
    assert (alias.text, [p.code for p in alias.procedures]) == ("làm khai sinh", ["1.001193", "1.004884"])
    assert [a.text for a in aliases.list_aliases(session, code="1.004884")] == ["làm khai sinh"]
    assert aliases.remove(session, "làm khai sinh", ["1.004884"])
    assert [p.code for p in alias.procedures] == ["1.001193"]
    assert aliases.remove(session, "lam khai sinh")
    assert aliases.list_aliases(session, include_inactive=True) == []
    assert not aliases.remove(session, "không có")


def test_unknown_code_is_refused(session: Session) -> None:
    try:
        aliases.add(session, "sổ xanh", ["9.999999"])
    except LookupError as error:
        assert "9.999999" in str(error)
    else:
        raise AssertionError("an alias to an unknown code was accepted")


def test_seeding_is_idempotent_and_keeps_removals(session: Session, tmp_path: Any) -> None:
    seed_file = tmp_path / "aliases.yml"
    seed_file.write_text('sổ đỏ: ["1.013978"]\nlàm sổ đỏ: ["1.013978", "9.000404"]\n', encoding="utf-8")
    add_procedures(session, "1.013978")
    first = aliases.seed(session, seed_file)
    assert (first.aliases, first.created, first.links_added) == (2, 2, 2)
    assert first.missing_codes == {"làm sổ đỏ": ["9.000404"]}
    second = aliases.seed(session, seed_file)
    assert (second.created, second.links_added) == (0, 0)
    aliases.remove(session, "sổ đỏ")
    third = aliases.seed(session, seed_file)
    assert third.kept_removed == 1
    removed = session.scalars(select(Alias).where(Alias.text == "sổ đỏ")).one()
    assert (removed.is_active, removed.procedures) == (False, [])
    assert [a.text for a in aliases.list_aliases(session)] == ["làm sổ đỏ"]


def test_linking_marks_the_alias_changed(session: Session) -> None:
    # The search catalog watches aliases' updated_at to know when to rebuild.
    add_procedures(session, "1.001193", "1.004884")
    alias = aliases.add(session, "làm khai sinh", ["1.001193"])
    session.commit()
    before = alias.updated_at
    aliases.add(session, "làm khai sinh", ["1.004884"])
    session.commit()
    assert alias.updated_at > before
