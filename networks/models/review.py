"""The review: the append-only audit trail, requests to the applicant, proposals, officers' notes.

``AuditEvent`` rows are written only by ``networks.services.workflow`` in the
same transaction as the status change they record; they are never updated or
deleted, and they are what the procedure's clock is computed from.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.constants import (
    ApplicationStatus,
    RequestOutcome,
    RequestState,
    applicant_status_label,
)
from networks.models.applications import ImmutableRecordError


class AuditEvent(models.Model):
    application = models.ForeignKey(
        "networks.Application",
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    at = models.DateTimeField(_("quando"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("azione"), max_length=40)
    from_status = models.CharField(
        _("da"), max_length=30, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("a"), max_length=30, choices=ApplicationStatus.choices)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("evento del procedimento")
        verbose_name_plural = _("eventi del procedimento")
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        """E.g. "01/12/2026 23:30, Presentata → In istruttoria" (Rome time, the statuses' names)."""
        moment = timezone.localtime(self.at) if timezone.is_aware(self.at) else self.at
        change = (
            f"{self.get_from_status_display()} → {self.get_to_status_display()}"
            if self.from_status and self.from_status != self.to_status
            else self.get_to_status_display()
        )
        return f"{moment:%d/%m/%Y %H:%M}, {change}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ImmutableRecordError(_("Gli eventi del procedimento non si modificano."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError(_("Gli eventi del procedimento non si eliminano."))

    def get_applicant_from_status_display(self) -> str:
        """Return the status left, as the applicant is told it (``constants.applicant_status``)."""
        return applicant_status_label(self.from_status)

    def get_applicant_to_status_display(self) -> str:
        """Return the status reached, as the applicant is told it."""
        return applicant_status_label(self.to_status)

    @property
    def note_for_applicant(self) -> str:
        """Return the note if the applicant may read it, else "" (see ``Transition.note_to_applicant``)."""
        from networks import workflow

        return self.note if workflow.note_to_applicant(self.action) else ""


class RequestKind(models.TextChoices):
    INTEGRATION = "integration", _("Richiesta di integrazione")
    REJECTION_NOTICE = "rejection_notice", _("Preavviso di rigetto")


#: A request still waiting to be closed: the one that suspends the term (at most one an application).
OPEN_REQUEST = Q(closed_at__isnull=True)


class ProcedureRequestQuerySet(models.QuerySet["ProcedureRequest"]):
    def open(self) -> "ProcedureRequestQuerySet":
        """Keep the requests not yet closed (answered, lapsed or closed by a withdrawal)."""
        return self.filter(OPEN_REQUEST)


class ProcedureRequest(models.Model):
    """A request to the applicant that suspends the term: integration (art. 6) or 10-bis notice."""

    application = models.ForeignKey(
        "networks.Application",
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=RequestKind.choices)
    text = models.TextField(_("testo"), help_text=_("Che cosa manca, o i motivi ostativi."))
    deadline = models.DateField(_("scadenza per la risposta"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inviata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("inviata il"))
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    outcome = models.CharField(
        _("esito"),
        max_length=20,
        choices=RequestOutcome.choices,
        blank=True,
        help_text=_("Vuoto finché la richiesta è aperta."),
    )
    answer = models.TextField(
        _("risposta"), blank=True, help_text=_("Le osservazioni o la nota del richiedente.")
    )
    unsent = models.JSONField(
        _("modifiche preparate e non inviate"),
        default=dict,
        blank=True,
        help_text=_(
            "Per un'integrazione non inviata entro il termine: ciò che il richiedente aveva "
            "preparato quando la domanda è tornata all'ultima versione presentata."
        ),
    )

    objects = ProcedureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("richiesta al richiedente")
        verbose_name_plural = _("richieste al richiedente")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=OPEN_REQUEST,
                name="one_open_request",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="request_outcome_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.application}"

    def state_on(self, today: date) -> RequestState:
        """Return where the request stands on ``today`` (a date in Rome's time zone)."""
        if self.closed_at is not None:
            return RequestState(self.outcome)
        return RequestState.EXPIRED if self.deadline < today else RequestState.AWAITING

    @property
    def answered_late(self) -> bool:
        """Whether the answer came after the deadline (Rome's day): the page and decree say so."""
        return (
            self.outcome == RequestOutcome.ANSWERED
            and self.closed_at is not None
            and timezone.localtime(self.closed_at).date() > self.deadline
        )


class ProposalKind(models.TextChoices):
    APPROVAL = "approval", _("Approvazione")
    REJECTION = "rejection", _("Rigetto")


class ProposalOutcome(models.TextChoices):
    PENDING = "pending", _("In attesa del dirigente")
    ADOPTED = "adopted", _("Adottata")
    RETURNED = "returned", _("Rinviata all'istruttore")
    WITHDRAWN = "withdrawn", _("Non decisa: domanda ritirata")


class Proposal(models.Model):
    """The officer's proposed outcome, with the findings the decree will carry."""

    application = models.ForeignKey(
        "networks.Application",
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=ProposalKind.choices)
    verdict = models.JSONField(_("esito della verifica al momento della proposta"))
    assessments = models.JSONField(
        _("valutazioni dell'istruttore"),
        default=dict,
        help_text=_("Per ogni regola con osservazioni, la valutazione scritta dell'istruttore."),
    )
    reasons = models.TextField(_("motivazione"), blank=True)
    observations_response = models.TextField(
        _("controdeduzioni alle osservazioni"),
        blank=True,
        help_text=_("Perché le osservazioni al preavviso di rigetto non sono accolte."),
    )
    obligations = models.TextField(_("prescrizioni"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposta da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposta il"))
    outcome = models.CharField(
        _("esito"), max_length=20, choices=ProposalOutcome.choices, default=ProposalOutcome.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decisa da"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    manager_note = models.TextField(_("motivazione del dirigente"), blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        verbose_name = _("proposta di provvedimento")
        verbose_name_plural = _("proposte di provvedimento")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.application}"


class OfficerNote(models.Model):
    """A private note between officers: never shown to the applicant or the public."""

    application = models.ForeignKey(
        "networks.Application",
        verbose_name=_("domanda"),
        on_delete=models.CASCADE,
        related_name="officer_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("nota"))
    created_at = models.DateTimeField(_("scritta il"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("nota interna")
        verbose_name_plural = _("note interne")

    def __str__(self) -> str:
        return f"{self.author} – {self.created_at:%d/%m/%Y}"
