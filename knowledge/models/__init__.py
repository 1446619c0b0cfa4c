"""The knowledge base's models (SQLAlchemy 2 typed ORM).

Import models from here; ``Base.metadata`` is the target of the migrations
in ``knowledge/migrations``.
"""

from knowledge.models.base import Base
from knowledge.models.conversation import ConversationMessage, Direction, Feedback, Rating
from knowledge.models.directory import Agency, Faq
from knowledge.models.dossier import (
    Dossier,
    DossierEvent,
    DossierEventReceipt,
    DossierStatus,
    EventSource,
    LookupFailure,
    ReceiptOutcome,
    Subscription,
)
from knowledge.models.inbox import InboxItem, InboxKind, InboxStatus
from knowledge.models.procedure import (
    EDITABLE_FIELDS,
    Alias,
    AliasOrigin,
    ChannelKind,
    DocumentGroup,
    LegalBasis,
    Procedure,
    RequiredDocument,
    SubmissionChannel,
    TimeUnit,
    alias_procedures,
)
from knowledge.models.staff import AuditEntry, StaffRole, StaffSession, StaffUser
from knowledge.models.training import TrainingExample, TrainingOutcome, TrainingRun, TrainingStage

__all__ = [
    "EDITABLE_FIELDS",
    "Agency",
    "Alias",
    "AliasOrigin",
    "AuditEntry",
    "Base",
    "ChannelKind",
    "ConversationMessage",
    "Direction",
    "DocumentGroup",
    "Dossier",
    "DossierEvent",
    "DossierEventReceipt",
    "DossierStatus",
    "EventSource",
    "Faq",
    "Feedback",
    "InboxItem",
    "InboxKind",
    "InboxStatus",
    "LegalBasis",
    "LookupFailure",
    "Procedure",
    "Rating",
    "ReceiptOutcome",
    "RequiredDocument",
    "StaffRole",
    "StaffSession",
    "StaffUser",
    "SubmissionChannel",
    "Subscription",
    "TimeUnit",
    "TrainingExample",
    "TrainingOutcome",
    "TrainingRun",
    "TrainingStage",
    "alias_procedures",
]
