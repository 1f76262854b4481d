"""Kinds, statuses and role names as ``TextChoices`` with Italian labels.

The values are the codes of the ``ptp-network/1`` format (network-format.md):
other programs read them, so they never change; only labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    INSTITUTE = "institute", _("Istituto scolastico")
    COMPANY = "company", _("Impresa")
    ACCREDITED_BODY = "accredited_body", _("Ente di formazione accreditato")
    ITS = "its", _("ITS Academy")
    UNIVERSITY = "university", _("Università")
    RESEARCH_CENTRE = "research_centre", _("Centro di ricerca")
    OTHER = "other", _("Altro soggetto")


TRAINING_KINDS = frozenset(
    {OrganisationKind.INSTITUTE, OrganisationKind.ACCREDITED_BODY, OrganisationKind.ITS}
)


class SchoolStatus(models.TextChoices):
    STATALE = "statale", _("Statale")
    PARITARIA = "paritaria", _("Paritaria")
    NON_PARITARIA = "non_paritaria", _("Non paritaria")


class ProgrammeKind(models.TextChoices):
    TECNICO = "tecnico", _("Istruzione tecnica")
    PROFESSIONALE = "professionale", _("Istruzione professionale")
    IEFP = "iefp", _("Istruzione e formazione professionale (IeFP)")
    ITS = "its", _("Istruzione tecnica superiore (ITS)")


# Which kinds of organisation may offer which kinds of programme.
PROGRAMME_KINDS_BY_ORGANISATION = {
    OrganisationKind.INSTITUTE: {
        ProgrammeKind.TECNICO,
        ProgrammeKind.PROFESSIONALE,
        ProgrammeKind.IEFP,
    },
    OrganisationKind.ACCREDITED_BODY: {ProgrammeKind.IEFP},
    OrganisationKind.ITS: {ProgrammeKind.ITS},
}


class AtecoEdition(models.TextChoices):
    ATECO_2007 = "2007", _("ATECO 2007")
    ATECO_2022 = "2022", _("ATECO 2007 aggiornamento 2022")
    ATECO_2025 = "2025", _("ATECO 2025")


class Role(models.TextChoices):
    """The four roles of DOMAIN.md §2; the value is the name of the auth group."""

    APPLICANT = "Richiedente", _("Richiedente")
    OFFICER = "Istruttore", _("Istruttore")
    MANAGER = "Dirigente", _("Dirigente")
    CATALOGUE_ADMIN = "Amministratore catalogo", _("Amministratore catalogo")


class ApplicationStatus(models.TextChoices):
    """The stages of the procedure (Legge 241/1990), see ``networks.workflow``."""

    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Presentata")
    IN_REVIEW = "in_review", _("In istruttoria")
    INTEGRATION_REQUESTED = "integration_requested", _("Integrazione richiesta")
    APPROVAL_PROPOSED = "approval_proposed", _("Proposta di approvazione")
    REJECTION_NOTICE = "rejection_notice", _("Preavviso di rigetto")
    REJECTION_PROPOSED = "rejection_proposed", _("Proposta di rigetto")
    APPROVED = "approved", _("Approvata")
    REJECTED = "rejected", _("Respinta")
    WITHDRAWN = "withdrawn", _("Ritirata")


FINAL_STATUSES = frozenset(
    {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}
)
# The applicant changes the network only in these: a draft, and during integrations. They read
# the registry live; every other status is decided on the network as filed.
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.INTEGRATION_REQUESTED})
# Between the officer and the manager: the applicant is told «In istruttoria» until the decision
# (a proposal, and a manager's return of it, are internal steps of the review).
INTERNAL_STATUSES = frozenset(
    {ApplicationStatus.APPROVAL_PROPOSED, ApplicationStatus.REJECTION_PROPOSED}
)


def applicant_status(status: str) -> str:
    """Return ``status`` as the applicant is told it (``INTERNAL_STATUSES`` read «In istruttoria»)."""
    return ApplicationStatus.IN_REVIEW if status in INTERNAL_STATUSES else status


def applicant_status_label(status: str) -> str:
    """Return the label of ``applicant_status(status)``; "" for no status."""
    return str(ApplicationStatus(applicant_status(status)).label) if status else ""


# While these last, the procedure's term is suspended (art. 2 c. 7 and art. 10-bis L. 241/1990).
SUSPENDING_STATUSES = frozenset(
    {ApplicationStatus.INTEGRATION_REQUESTED, ApplicationStatus.REJECTION_NOTICE}
)


class DocumentKind(models.TextChoices):
    NETWORK_AGREEMENT = "network_agreement", _("Accordo di rete")
    COMMITMENT = "commitment", _("Dichiarazione di impegno dell'impresa")
    INTEGRATION = "integration", _("Documento integrativo")
    OBSERVATIONS = "observations", _("Osservazioni al preavviso di rigetto")


class DecreeKind(models.TextChoices):
    APPROVAL = "approval", _("Riconoscimento")
    REJECTION = "rejection", _("Diniego")


class CounterKind(models.TextChoices):
    PROTOCOL = "protocol", _("Protocollo")
    DECREE = "decree", _("Decreto")


class RequestOutcome(models.TextChoices):
    """How a closed request ended; recorded by the action that left the suspension."""

    ANSWERED = "answered", _("Risposta del richiedente")
    LAPSED = "lapsed", _("Chiusa senza risposta")
    WITHDRAWN = "withdrawn", _("Chiusa dal ritiro della domanda")
    # A 10-bis notice whose days passed unanswered, after which the officer went on with the
    # review instead of proposing the rejection: a rejection needs a notice of its own again.
    SET_ASIDE = "set_aside", _("Superata: istruttoria ripresa senza rigetto")


class RequestState(models.TextChoices):
    """Where a request stands on a given day: the outcome once closed, or the term while open."""

    AWAITING = "awaiting", _("in attesa di risposta")
    EXPIRED = "expired", _("scaduta senza risposta")
    ANSWERED = RequestOutcome.ANSWERED.value, _("risposta ricevuta")
    # Only a 10-bis notice lapses: an integration request is left by resubmitting or withdrawing.
    LAPSED = RequestOutcome.LAPSED.value, _("chiusa senza risposta")
    WITHDRAWN = RequestOutcome.WITHDRAWN.value, _("chiusa dal ritiro della domanda")
    SET_ASIDE = RequestOutcome.SET_ASIDE.value, _("superata: l'istruttoria è ripresa senza rigetto")


#: A rule's outcome (``eligibility``'s ``pass``, ``warning``, ``fail``), as the pages name it.
RULE_STATUS_LABELS = {
    "pass": _("Soddisfatto"),
    "warning": _("Da valutare"),
    "fail": _("Non soddisfatto"),
}
