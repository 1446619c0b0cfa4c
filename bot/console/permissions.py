"""Who may use which part of the console.

admin: everything, including accounts; editor: the knowledge base and
training; operator: dossiers and conversations (inbox, handoffs); viewer:
the dashboard. Every role sees the dashboard.
"""

from __future__ import annotations

from enum import StrEnum

from knowledge.models import StaffRole


class Section(StrEnum):
    DASHBOARD = "dashboard"
    KNOWLEDGE = "knowledge"
    DOSSIERS = "dossiers"
    INBOX = "inbox"
    TRAINING = "training"
    USERS = "users"


ALLOWED: dict[Section, frozenset[str]] = {
    Section.DASHBOARD: frozenset(role.value for role in StaffRole),
    Section.KNOWLEDGE: frozenset({StaffRole.ADMIN, StaffRole.EDITOR}),
    Section.TRAINING: frozenset({StaffRole.ADMIN, StaffRole.EDITOR}),
    Section.DOSSIERS: frozenset({StaffRole.ADMIN, StaffRole.OPERATOR}),
    Section.INBOX: frozenset({StaffRole.ADMIN, StaffRole.EDITOR, StaffRole.OPERATOR}),
    Section.USERS: frozenset({StaffRole.ADMIN}),
}

ROLE_LABELS = {
    StaffRole.ADMIN: "Quản trị",
    StaffRole.EDITOR: "Biên tập",
    StaffRole.OPERATOR: "Vận hành",
    StaffRole.VIEWER: "Xem",
}


def may(role: str, section: Section) -> bool:
    return role in ALLOWED[section]
