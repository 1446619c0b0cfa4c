"""The catalog follows the knowledge base: staff changes become searchable."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from knowledge import aliases
from knowledge.catalog import Catalog, load_search_docs
from knowledge.models import Procedure, RequiredDocument


class Clock:
    """A clock the test moves, so the once-per-interval check runs when asked."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def add_procedures(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        session.add_all(
            [
                Procedure(code="9.000001", name="Đăng ký thường trú", level_commune=True),
                Procedure(
                    code="9.000002",
                    name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
                    level_province=True,
                    documents=[RequiredDocument(name="Bản vẽ thiết kế xây dựng", position=0)],
                ),
                Procedure(code="9.000003", name="Cấp giấy phép lái tàu bay", level_ministry=True),
            ]
        )


def top(catalog: Catalog, query: str) -> str | None:
    candidates = catalog.search(query, 3).candidates
    return candidates[0].code if candidates else None


def test_search_docs_carry_levels_aliases_and_documents(sessions: sessionmaker[Session]) -> None:
    add_procedures(sessions)
    with sessions.begin() as session:
        aliases.add(session, "nhập hộ khẩu", ["9.000001"])
    with sessions() as session:
        docs = {doc.code: doc for doc in load_search_docs(session)}
    assert docs["9.000001"].aliases == ("nhập hộ khẩu",)
    assert docs["9.000001"].levels == ("Cấp xã",)
    assert docs["9.000002"].documents == ("Bản vẽ thiết kế xây dựng",)


def test_a_new_alias_and_a_deactivation_become_searchable(sessions: sessionmaker[Session]) -> None:
    add_procedures(sessions)
    clock = Clock()
    catalog = Catalog(sessions, ("Cấp tỉnh", "Cấp xã"), clock=clock)
    assert top(catalog, "xin phép xây nhà") == "9.000002"
    assert top(catalog, "zorbla") is None

    with sessions.begin() as session:
        aliases.add(session, "zorbla", ["9.000003"])
    clock.now += 10  # past the check interval: the next search sees the change
    catalog.search("zorbla")
    assert catalog.wait(60)
    assert top(catalog, "zorbla") == "9.000003"

    with sessions.begin() as session:
        session.execute(update(Procedure).where(Procedure.code == "9.000002").values(is_active=False))
    clock.now += 10
    catalog.search("xây nhà")
    assert catalog.wait(60)
    assert top(catalog, "xin phép xây nhà") != "9.000002"


def test_no_check_before_the_interval(sessions: sessionmaker[Session]) -> None:
    add_procedures(sessions)
    clock = Clock()
    catalog = Catalog(sessions, ("Cấp tỉnh", "Cấp xã"), clock=clock)
    catalog.search("khởi động")
    with sessions.begin() as session:
        aliases.add(session, "quokka", ["9.000001"])
    clock.now += 0.1
    catalog.search("quokka")
    assert catalog.wait(60)
    assert top(catalog, "quokka") != "9.000001"  # not checked yet
    clock.now += 10
    catalog.search("quokka")
    assert catalog.wait(60)
    assert top(catalog, "quokka") == "9.000001"
