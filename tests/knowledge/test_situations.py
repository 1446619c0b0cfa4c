"""Life situations and the province's offices: curated data that must fit the seed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import situations
from knowledge.agencies import matches, published_names
from knowledge.models import Procedure


def test_every_situation_code_is_an_active_procedure(seeded_session: Session) -> None:
    codes = {code for s in situations.load() for code in s.codes}
    active = set(
        seeded_session.scalars(
            select(Procedure.code).where(Procedure.code.in_(codes), Procedure.is_active.is_(True))
        )
    )
    assert codes - active == set()


def test_situations_match_whole_words_with_or_without_diacritics() -> None:
    assert situations.procedure_codes("tôi mới sinh con thì làm giấy tờ gì")[0] == "2.000986"
    assert situations.procedure_codes("toi moi sinh con thi lam giay to gi")[0] == "2.000986"
    assert situations.procedure_codes("Mình bị MẤT CCCD rồi")[0] == "1.014064"  # cccd expanded
    # Whole words only: "sinh conan" is not "sinh con".
    assert situations.procedure_codes("xem phim sinh conan") == []
    assert situations.procedure_codes("") == []


def test_a_situation_file_of_staff_is_read(tmp_path: Path) -> None:
    path = tmp_path / "situations.yml"
    path.write_text(
        '- situation: Nuôi chó\n  when: ["Nuôi Chó"]\n  procedures: ["9.999"]\n', encoding="utf-8"
    )
    known = situations.load(path)
    assert situations.procedure_codes("nhà tôi nuôi chó", known) == ["9.999"]


def test_offices_match_published_agency_names_both_ways() -> None:
    procedure = Procedure(
        code="x",
        name="x",
        competent_agency="Sở Tư pháp",
        executing_agency="Sở Tư pháp; Ủy ban nhân dân cấp xã",
    )
    names = published_names(procedure)
    assert names == ["so tu phap", "so tu phap", "uy ban nhan dan cap xa"]
    assert matches("Sở Tư pháp tỉnh Sơn La", names, "")
    assert not matches("Sở Xây dựng tỉnh Sơn La", names, "")
    assert matches("Trung tâm Phục vụ hành chính công", [], "nop tai trung tam phuc vu hanh chinh cong tinh")
    # A short office name never matches by containment.
    assert not matches("Sở", [], "so tu phap")
