"""The portal's models, one module per concept."""

from .applications import (
    Application,
    ApplicationMember,
    ApplicationVersion,
    Call,
    Document,
    ImmutableRecordError,
    YearCounter,
)
from .catalogue import AtecoMapping, EconomicArea, StudyProgramme
from .decrees import Decree, DecreeRenderStatus
from .organisations import Offering, Organisation
from .review import (
    AuditEvent,
    OfficerNote,
    ProcedureRequest,
    Proposal,
    ProposalKind,
    ProposalOutcome,
    RequestKind,
)

__all__ = [
    "Application",
    "ApplicationMember",
    "ApplicationVersion",
    "AtecoMapping",
    "AuditEvent",
    "Call",
    "Decree",
    "DecreeRenderStatus",
    "Document",
    "EconomicArea",
    "ImmutableRecordError",
    "Offering",
    "OfficerNote",
    "Organisation",
    "ProcedureRequest",
    "Proposal",
    "ProposalKind",
    "ProposalOutcome",
    "RequestKind",
    "StudyProgramme",
    "YearCounter",
]
