"""Calls, applications (the network being built), their members, documents and snapshots.

An application is edited freely as a draft; submitting it freezes an
immutable ``ApplicationVersion`` (the network as ``ptp-network/1``, the
verdict, the documents' hashes) and gives it a protocol number. Every later
resubmission adds a version; versions are never changed or deleted.
"""

import uuid
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.constants import (
    ApplicationStatus,
    CounterKind,
    DocumentKind,
    applicant_status,
    applicant_status_label,
)
from networks.validators import validate_member_key


class ImmutableRecordError(Exception):
    """Raised when code tries to change a record that the procedure freezes."""


# A call opens and closes within these years: a date outside them is a typing slip (0001, 9999),
# and at the ends of the calendar a date cannot even be converted between time zones.
CALL_FIRST_YEAR = 2000
CALL_LAST_YEAR = 2100
# A limit of 0 MB would refuse every upload; above this one a PDF is no longer a document to read.
MAX_ATTACHMENT_MB = 50


def _ruleset_choices() -> list[tuple[str, str]]:
    from eligibility.core import RULESETS

    return [(name, ruleset.title) for name, ruleset in RULESETS.items()]


class Call(models.Model):
    title = models.CharField(_("titolo"), max_length=255)
    description = models.TextField(_("descrizione"), blank=True)
    ruleset = models.CharField(
        _("regole di ammissibilità"),
        max_length=60,
        choices=_ruleset_choices,
        default="lombardia-dgr-124-2013",
    )
    opens_at = models.DateTimeField(_("apertura"))
    closes_at = models.DateTimeField(_("chiusura"))
    term_days = models.PositiveSmallIntegerField(
        _("termine del procedimento (giorni)"),
        default=30,
        validators=[
            MinValueValidator(1, _("Il termine del procedimento è di almeno 1 giorno.")),
            MaxValueValidator(
                180,
                _(
                    "Il termine del procedimento non può superare %(limit_value)s giorni "
                    "(art. 2, comma 4, L. 241/1990)."
                ),
            ),
        ],
        help_text=_(
            "Giorni entro cui concludere il procedimento (art. 2 L. 241/1990): 30 se l'avviso "
            "non dice altro, al più 180. Ogni domanda registra il termine del giorno in cui è "
            "presentata: una modifica vale per le domande presentate dopo."
        ),
    )
    # The law leaves a recognition's length to the call: it is read from here, never assumed.
    recognition_school_years = models.PositiveSmallIntegerField(
        _("durata del riconoscimento (anni scolastici)"),
        default=3,
        validators=[
            MinValueValidator(1, _("Il riconoscimento dura almeno 1 anno scolastico.")),
            MaxValueValidator(
                10, _("Il riconoscimento non può durare più di %(limit_value)s anni scolastici.")
            ),
        ],
        help_text=_(
            "Compreso l'anno scolastico in cui il decreto è adottato; il riconoscimento termina "
            "il 31/08 dell'ultimo. Ogni decreto registra la durata del giorno in cui è adottato: "
            "una modifica vale per i decreti successivi."
        ),
    )
    max_attachment_mb = models.PositiveSmallIntegerField(
        _("dimensione massima degli allegati (MB)"),
        default=10,
        validators=[
            MinValueValidator(
                1, _("La dimensione massima degli allegati deve essere di almeno 1 MB.")
            ),
            MaxValueValidator(
                MAX_ATTACHMENT_MB,
                _("La dimensione massima degli allegati non può superare %(limit_value)s MB."),
            ),
        ],
        help_text=_("Per ciascun file PDF, da 1 a 50 MB."),
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    # The register and the open data print the call's title: a change is a new version of them.
    updated_at = models.DateTimeField(_("ultima modifica"), auto_now=True)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("avviso")
        verbose_name_plural = _("avvisi")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
                violation_error_message=_("La chiusura dell'avviso deve seguire la sua apertura."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Require plausible years and a closing after the opening, each error under its date.

        The database constraint says the same without naming a field, and on
        SQLite a year such as 0001 made checking it raise (500).
        """
        errors: dict[str, ValidationError] = {}
        messages = {
            "opens_at": _(
                "La data di apertura deve cadere tra il %(first)s e il %(last)s: controlla l'anno."
            ),
            "closes_at": _(
                "La data di chiusura deve cadere tra il %(first)s e il %(last)s: controlla l'anno."
            ),
        }
        for name, message in messages.items():
            value = getattr(self, name)
            if value is not None and not CALL_FIRST_YEAR <= value.year <= CALL_LAST_YEAR:
                errors[name] = ValidationError(
                    message,
                    code="implausible_year",
                    params={"first": CALL_FIRST_YEAR, "last": CALL_LAST_YEAR},
                )
        if (
            not errors
            and self.opens_at is not None
            and self.closes_at is not None
            and self.closes_at <= self.opens_at
        ):
            errors["closes_at"] = ValidationError(
                _("La data di chiusura deve essere successiva alla data di apertura."),
                code="closes_before_opening",
            )
        if not errors and self.pk is not None:
            errors.update(self._dates_against_filed_applications())
        if errors:
            raise ValidationError(errors)

    def _dates_against_filed_applications(self) -> dict[str, ValidationError]:
        """Keep the applications already filed inside the call's opening and closing.

        Moved past them, the call would say they were filed before it opened or
        after it closed, and the drafts of an open call could no longer be filed.
        """
        filed = self.applications.filter(submitted_at__isnull=False).aggregate(
            first=models.Min("submitted_at"), last=models.Max("submitted_at")
        )
        errors: dict[str, ValidationError] = {}

        def when(moment: datetime) -> dict[str, str]:
            local = timezone.localtime(moment)
            return {"date": local.strftime("%d/%m/%Y"), "time": local.strftime("%H:%M")}

        if self.opens_at is not None and filed["first"] and self.opens_at > filed["first"]:
            errors["opens_at"] = ValidationError(
                _(
                    "La prima domanda di questo avviso è stata presentata il %(date)s alle "
                    "%(time)s: l'apertura non può essere successiva."
                ),
                code="opens_after_filed",
                params=when(filed["first"]),
            )
        if self.closes_at is not None and filed["last"] and self.closes_at <= filed["last"]:
            errors["closes_at"] = ValidationError(
                _(
                    "L'ultima domanda di questo avviso è stata presentata il %(date)s alle "
                    "%(time)s: la chiusura deve essere successiva."
                ),
                code="closes_before_filed",
                params=when(filed["last"]),
            )
        return errors

    def is_in_use(self) -> bool:
        """Return whether applications (drafts too) name the call: it is part of their record."""
        return self.applications.exists()

    def is_open(self, at: datetime | None = None) -> bool:
        """Return whether applications may be filed at ``at`` (now by default)."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def max_attachment_bytes(self) -> int:
        return self.max_attachment_mb * 1024 * 1024


class Application(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("avviso"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant_organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organizzazione richiedente"),
        on_delete=models.PROTECT,
        related_name="filed_applications",
        help_text=_("Chi la rappresenta può vedere e modificare la domanda."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creata da"),
        on_delete=models.PROTECT,
        related_name="created_applications",
    )
    name = models.CharField(_("denominazione del polo"), max_length=255)
    area = models.ForeignKey(
        "networks.EconomicArea",
        verbose_name=_("area economico-professionale"),
        on_delete=models.PROTECT,
        related_name="applications",
        null=True,
        blank=True,
    )
    description = models.TextField(_("descrizione del polo"), blank=True)
    objectives = models.TextField(_("obiettivi"), blank=True)
    alternanza_actions = models.TextField(
        _("azioni di alternanza (PCTO)"),
        blank=True,
        help_text=_(
            "Le azioni di alternanza scuola-lavoro che le imprese garantiscono agli studenti."
        ),
    )
    flessibilita_actions = models.TextField(
        _("azioni di flessibilità"),
        blank=True,
        help_text=_("Gli spazi di flessibilità curricolare e organizzativa che il polo attua."),
    )
    laboratories = models.TextField(_("laboratori condivisi"), blank=True)
    commitments = models.TextField(
        _("impegni dei partner"),
        blank=True,
        help_text=_("Per esempio orientamento, formazione dei docenti, servizi alle imprese."),
    )
    contact_name = models.CharField(_("referente"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email del referente"), blank=True)
    contact_phone = models.CharField(_("telefono del referente"), max_length=40, blank=True)
    status = models.CharField(
        _("stato"),
        max_length=30,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    protocol_year = models.PositiveSmallIntegerField(_("anno di protocollo"), null=True, blank=True)
    protocol_seq = models.PositiveIntegerField(_("numero di protocollo"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("presentata il"), null=True, blank=True)
    # The call's term when the application was filed: the procedure's term for good, whatever
    # the call says later (art. 2 L. 241/1990). None for a draft.
    term_days = models.PositiveSmallIntegerField(
        _("termine del procedimento (giorni)"), null=True, blank=True
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsabile del procedimento"),
        on_delete=models.PROTECT,
        related_name="applications_in_charge",
        null=True,
        blank=True,
    )
    revision = models.PositiveIntegerField(
        _("revisione"),
        default=0,
        help_text=_(
            "Cresce a ogni salvataggio: un salvataggio basato su una revisione vecchia è rifiutato."
        ),
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        constraints = [
            models.UniqueConstraint(
                fields=["protocol_year", "protocol_seq"],
                condition=Q(protocol_seq__isnull=False),
                name="unique_protocol_number",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT) | Q(term_days__isnull=False),
                name="application_term_when_filed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-submitted_at"]),
            models.Index(fields=["officer", "status"]),
            # selectors.submitted_applications_version reads one entry of it, not the table.
            models.Index(
                fields=["updated_at"],
                condition=~Q(status=ApplicationStatus.DRAFT),
                name="application_desk_version",
            ),
            # The desk's default order (filters.DEFAULT_ORDERING): a page is read from the index,
            # not by sorting every submitted application with its joined rows.
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=~Q(status=ApplicationStatus.DRAFT),
                name="application_desk_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name or _("Domanda senza nome")

    def get_absolute_url(self) -> str:
        return reverse("application_detail", args=[self.pk])

    @property
    def protocol_number(self) -> str:
        """Return the protocol number as ``2026/0000123`` (7 digits, DPR 445/2000 art. 57)."""
        if self.protocol_seq is None:
            return ""
        return f"{self.protocol_year}/{self.protocol_seq:07d}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def applicant_status(self) -> str:
        """Return the status as the applicant is told it (``constants.applicant_status``)."""
        return applicant_status(self.status)

    def get_applicant_status_display(self) -> str:
        """Return the label of ``applicant_status``."""
        return applicant_status_label(self.status)


class ApplicationMember(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    # Any string the format allows (decision 0012): compared exactly as written, so not a slug.
    key = models.CharField(
        _("chiave"),
        max_length=255,
        validators=[validate_member_key],
        help_text=_("Identifica il membro nel file ptp-network/1."),
    )
    is_lead = models.BooleanField(_("capofila"), default=False)
    role = models.CharField(
        _("ruolo nella rete"),
        max_length=255,
        blank=True,
        help_text=_("Per esempio: sede dei laboratori, impresa ospitante, coordinamento."),
    )
    commitment_signed = models.BooleanField(
        _("impegno sottoscritto"),
        default=False,
        help_text=_("L'impresa si impegna a garantire le azioni di alternanza e flessibilità."),
    )
    position = models.PositiveIntegerField(_("ordine"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("membro della rete")
        verbose_name_plural = _("membri della rete")
        constraints = [
            models.UniqueConstraint(fields=["application", "organisation"], name="unique_member"),
            models.UniqueConstraint(fields=["application", "key"], name="unique_member_key"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_lead=True), name="one_lead_partner"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


def document_upload_to(instance: "Document", filename: str) -> str:
    """Store uploads under a random name: the user's file name is kept only as metadata."""
    suffix = PurePath(filename).suffix.lower()
    return (
        f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix if suffix == '.pdf' else ''}"
    )


class Document(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("tipo"), max_length=30, choices=DocumentKind.choices)
    member = models.ForeignKey(
        ApplicationMember,
        verbose_name=_("membro"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    request = models.ForeignKey(
        "networks.ProcedureRequest",
        verbose_name=_("allegato alla risposta"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        help_text=_("Per le osservazioni al preavviso di rigetto: la richiesta a cui rispondono."),
    )
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(_("nome del file"), max_length=255)
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("caricato da"), on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("caricato il"), auto_now_add=True)
    current = models.BooleanField(
        _("in uso"),
        default=True,
        help_text=_("Un documento sostituito resta conservato: le versioni presentate lo citano."),
    )

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")
        indexes = [models.Index(fields=["application", "current"])]

    def __str__(self) -> str:
        return self.original_name


class ApplicationVersion(models.Model):
    """A submitted version of an application, frozen: never updated, never deleted."""

    application = models.ForeignKey(
        Application, verbose_name=_("domanda"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("versione"))
    network = models.JSONField(_("rete (ptp-network/1)"))
    verdict = models.JSONField(_("esito della verifica (ptp-verdict/1)"))
    documents = models.JSONField(_("documenti (nome e SHA-256)"))
    # The polo's plan as submitted (``services.applications.DETAIL_TEXT_FIELDS``); empty in
    # the versions submitted before it was kept, whose SHA-256 does not cover it.
    details = models.JSONField(_("piano delle attività"), default=dict, blank=True)
    # What the live application held when this version was filed, by primary key, to set
    # it back when an integration's deadline passes unanswered
    # (``services.workflow.application_resume_review``): ``members`` (organisation, key,
    # lead, role, commitment, position) and ``documents`` (the current ones). Not covered by
    # the SHA-256, which is over what was filed; empty in versions filed before it was kept.
    filed_state = models.JSONField(_("stato della domanda all'invio"), default=dict, blank=True)
    sha256 = models.CharField(_("impronta SHA-256 della versione"), max_length=64)
    submitted_at = models.DateTimeField(_("presentata il"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("presentata da"), on_delete=models.PROTECT
    )
    receipt = models.FileField(_("ricevuta"), upload_to="receipts/%Y/", blank=True, max_length=255)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("versione presentata")
        verbose_name_plural = _("versioni presentate")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.application} – v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        """Refuse to change a stored version; only the receipt may be attached once."""
        if self.pk is not None:
            stored = ApplicationVersion.objects.get(pk=self.pk)
            frozen = (
                "network",
                "verdict",
                "documents",
                "details",
                "filed_state",
                "sha256",
                "number",
                "submitted_at",
            )
            if any(getattr(stored, name) != getattr(self, name) for name in frozen) or (
                stored.receipt and stored.receipt != self.receipt
            ):
                raise ImmutableRecordError(_("Una versione presentata non può essere modificata."))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError(_("Una versione presentata non può essere eliminata."))


class YearCounter(models.Model):
    """The last number given per kind and calendar year (protocol, decree): gapless by row lock."""

    kind = models.CharField(_("tipo"), max_length=20, choices=CounterKind.choices)
    year = models.PositiveSmallIntegerField(_("anno"))
    last = models.PositiveIntegerField(_("ultimo numero"), default=0)

    class Meta:
        verbose_name = _("contatore annuale")
        verbose_name_plural = _("contatori annuali")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="unique_counter")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.last}"
