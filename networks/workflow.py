"""The procedure as a pure transition table: which action moves which status where, and who may.

No database, no clock: ``networks.services.workflow`` asks this module whether
a transition exists (``InvalidTransition`` if not) and, separately, whether the
actor may fire it (``NotAllowed``), then writes. Views ask ``available_actions``
to show only the buttons that would work.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from networks.constants import ApplicationStatus as S
from networks.constants import RequestOutcome, Role


class Actor(StrEnum):
    """Who fires an action, relative to the application."""

    APPLICANT = "applicant"  # a representative of the applicant organisation
    ANY_OFFICER = "any_officer"  # any Istruttore
    OFFICER_IN_CHARGE = "officer_in_charge"  # the responsabile del procedimento
    MANAGER = "manager"  # a Dirigente


class InvalidTransition(Exception):
    """The action does not apply to the application's current status."""


class NotAllowed(Exception):
    """The user may not fire this action on this application."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[S]
    target: S | None  # None: the status stays (a new officer in charge)
    actor: Actor
    label: str | Promise
    needs_note: bool = False
    # Whether the note goes to the applicant (history and mail). The others are
    # the officers' and the manager's words to each other (a proposal, a return,
    # an adoption note): the applicant reads the reasons in the decree, not there.
    note_to_applicant: bool = False
    # A condition on the application's history, checked by the service: the
    # caller passes the names of the conditions that hold to ``available_actions``.
    guard: str | None = None

    def leads_to(self, status: str) -> str:
        """Return the status the transition leaves an application in that was in ``status``."""
        return self.target or status


# Before rejecting, the applicant must have had the 10-bis notice and either
# answered it or let its 10 days pass (art. 10-bis L. 241/1990).
NOTICE_GIVEN = "notice_given"
# The integration request's deadline has passed unanswered: its suspension is over (at most
# 30 days, art. 2 c. 7 L. 241/1990) and the officer may go on with what the file holds.
INTEGRATION_LAPSED = "integration_lapsed"
# Another active officer exists to take the procedure over.
OFFICER_AVAILABLE = "officer_available"
# The pending proposal is not the manager's own: who investigated proposes and another
# adopts (art. 6 c. 1 e L. 241/1990), also when one user holds both roles.
PROPOSED_BY_ANOTHER = "proposed_by_another"

# Steps between the officer and the manager: the applicant's history and mail leave them out
# and read their statuses as «In istruttoria» (``constants.INTERNAL_STATUSES``).
INTERNAL_ACTIONS = frozenset({"propose_approval", "propose_rejection", "return_proposal"})


# A draft is not an application yet: it cannot be withdrawn (nothing was filed), and
# everything past the draft is what the officers see.
_BEFORE_DECISION = frozenset(
    {
        S.SUBMITTED,
        S.IN_REVIEW,
        S.INTEGRATION_REQUESTED,
        S.APPROVAL_PROPOSED,
        S.REJECTION_NOTICE,
        S.REJECTION_PROPOSED,
    }
)

# An officer is in charge from taking charge to the decision.
_IN_CHARGE = _BEFORE_DECISION - {S.SUBMITTED}

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({S.DRAFT}),
        S.SUBMITTED,
        Actor.APPLICANT,
        _("Presenta la domanda"),
        note_to_applicant=True,
    ),
    Transition(
        "take_charge",
        frozenset({S.SUBMITTED}),
        S.IN_REVIEW,
        Actor.ANY_OFFICER,
        _("Prendi in carico"),
        # The note names the responsabile del procedimento, whom the applicant is told (art. 8).
        note_to_applicant=True,
    ),
    Transition(
        # Nobody took the application: the manager assigns the procedure to an officer
        # (art. 5 c. 1 L. 241/1990), who is then in charge as if they had taken it.
        "assign",
        frozenset({S.SUBMITTED}),
        S.IN_REVIEW,
        Actor.MANAGER,
        _("Assegna a un istruttore"),
        note_to_applicant=True,
        guard=OFFICER_AVAILABLE,
    ),
    Transition(
        "request_integration",
        frozenset({S.IN_REVIEW}),
        S.INTEGRATION_REQUESTED,
        Actor.OFFICER_IN_CHARGE,
        _("Richiedi integrazioni"),
        needs_note=True,
        note_to_applicant=True,
    ),
    Transition(
        "resubmit",
        frozenset({S.INTEGRATION_REQUESTED}),
        S.IN_REVIEW,
        Actor.APPLICANT,
        _("Invia le integrazioni"),
        note_to_applicant=True,
    ),
    Transition(
        "resume_review",
        frozenset({S.INTEGRATION_REQUESTED}),
        S.IN_REVIEW,
        Actor.OFFICER_IN_CHARGE,
        _("Riprendi l'istruttoria senza le integrazioni"),
        note_to_applicant=True,
        guard=INTEGRATION_LAPSED,
    ),
    Transition(
        "propose_approval",
        frozenset({S.IN_REVIEW}),
        S.APPROVAL_PROPOSED,
        Actor.OFFICER_IN_CHARGE,
        _("Proponi l'approvazione"),
    ),
    Transition(
        "send_rejection_notice",
        frozenset({S.IN_REVIEW}),
        S.REJECTION_NOTICE,
        Actor.OFFICER_IN_CHARGE,
        _("Invia il preavviso di rigetto"),
        needs_note=True,
        note_to_applicant=True,
    ),
    Transition(
        "submit_observations",
        frozenset({S.REJECTION_NOTICE}),
        S.IN_REVIEW,
        Actor.APPLICANT,
        _("Invia le osservazioni"),
        needs_note=True,
        note_to_applicant=True,
    ),
    Transition(
        # A 10-bis notice does not bind the office to reject: once its days have passed
        # unanswered, the officer may go on with the review instead (a new assessment, a
        # request for integrations, an approval), saying why.
        "resume_after_notice",
        frozenset({S.REJECTION_NOTICE}),
        S.IN_REVIEW,
        Actor.OFFICER_IN_CHARGE,
        _("Riprendi l'istruttoria senza proporre il rigetto"),
        needs_note=True,
        note_to_applicant=True,
        guard=NOTICE_GIVEN,
    ),
    Transition(
        "propose_rejection",
        frozenset({S.IN_REVIEW, S.REJECTION_NOTICE}),
        S.REJECTION_PROPOSED,
        Actor.OFFICER_IN_CHARGE,
        _("Proponi il rigetto"),
        needs_note=True,
        guard=NOTICE_GIVEN,
    ),
    Transition(
        "adopt_approval",
        frozenset({S.APPROVAL_PROPOSED}),
        S.APPROVED,
        Actor.MANAGER,
        _("Adotta il decreto di riconoscimento"),
        guard=PROPOSED_BY_ANOTHER,
    ),
    Transition(
        "adopt_rejection",
        frozenset({S.REJECTION_PROPOSED}),
        S.REJECTED,
        Actor.MANAGER,
        _("Adotta il decreto di diniego"),
        guard=PROPOSED_BY_ANOTHER,
    ),
    Transition(
        "return_proposal",
        frozenset({S.APPROVAL_PROPOSED, S.REJECTION_PROPOSED}),
        S.IN_REVIEW,
        Actor.MANAGER,
        _("Rinvia all'istruttore"),
        needs_note=True,
    ),
    Transition(
        # The manager assigns the procedure to another officer (art. 5 c. 1 L. 241/1990): the
        # one in charge is away or leaves. The status and the clock stay as they are.
        "reassign",
        _IN_CHARGE,
        None,
        Actor.MANAGER,
        _("Assegna a un altro istruttore"),
        note_to_applicant=True,
        guard=OFFICER_AVAILABLE,
    ),
    Transition(
        "withdraw",
        _BEFORE_DECISION,
        S.WITHDRAWN,
        Actor.APPLICANT,
        _("Ritira la domanda"),
        needs_note=True,
        note_to_applicant=True,
    ),
)

_BY_ACTION = {transition.action: transition for transition in TRANSITIONS}


def note_to_applicant(action: str) -> bool:
    """Return whether the note of an ``action`` event is for the applicant's eyes too."""
    transition = _BY_ACTION.get(action)
    return transition is not None and transition.note_to_applicant


def action_label(action: str) -> str:
    """Return the name of ``action`` as its button shows it (the code itself if unknown)."""
    transition = _BY_ACTION.get(action)
    return str(transition.label) if transition is not None else action


def get_transition(action: str, status: str, *, shown_status: str | None = None) -> Transition:
    """Return the transition of ``action`` from ``status``; raise ``InvalidTransition`` otherwise.

    The refusal names ``shown_status`` when given: the status as its reader is told it
    (the applicant's, ``constants.applicant_status``).
    """
    transition = _BY_ACTION.get(action)
    if transition is None:
        raise InvalidTransition(_("Azione sconosciuta: %(action)s.") % {"action": action})
    if status not in transition.sources:
        raise InvalidTransition(
            _("L'azione «%(action)s» non è possibile per una domanda nello stato «%(status)s».")
            % {"action": transition.label, "status": S(shown_status or status).label}
        )
    return transition


def actor_may(
    transition: Transition, *, roles: Iterable[str], is_representative: bool, is_in_charge: bool
) -> bool:
    """Return whether a user with ``roles`` and this relation to the application may fire it.

    Who represents the organisation that filed it abstains from the review and the
    decision (art. 6-bis L. 241/1990), whatever other role they hold.
    """
    roles = set(roles)
    match transition.actor:
        case Actor.APPLICANT:
            return Role.APPLICANT.value in roles and is_representative
        case Actor.ANY_OFFICER:
            return Role.OFFICER.value in roles and not is_representative
        case Actor.OFFICER_IN_CHARGE:
            return Role.OFFICER.value in roles and is_in_charge and not is_representative
        case Actor.MANAGER:
            return Role.MANAGER.value in roles and not is_representative
    return False


def available_actions(
    status: str,
    *,
    roles: Iterable[str],
    is_representative: bool,
    is_in_charge: bool,
    conditions: Iterable[str] = (),
) -> list[Transition]:
    """Return the transitions this user may fire now, in table order."""
    roles = set(roles)
    conditions = set(conditions)
    return [
        transition
        for transition in TRANSITIONS
        if status in transition.sources
        and (transition.guard is None or transition.guard in conditions)
        and actor_may(
            transition, roles=roles, is_representative=is_representative, is_in_charge=is_in_charge
        )
    ]


# How leaving a suspension closes its request, by the action that leaves it: the applicant's
# answer, a withdrawal, or any other action (the rejection proposal once a 10-bis notice's days
# have passed), which closes it without an answer.
_CLOSING_OUTCOMES = {
    "resubmit": RequestOutcome.ANSWERED,
    "submit_observations": RequestOutcome.ANSWERED,
    "withdraw": RequestOutcome.WITHDRAWN,
    "resume_after_notice": RequestOutcome.SET_ASIDE,
}


def request_outcome(action: str) -> RequestOutcome:
    """Return how leaving a suspension through ``action`` closes the request that suspended it."""
    return _CLOSING_OUTCOMES.get(action, RequestOutcome.LAPSED)
