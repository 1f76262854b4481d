"""Decrees: numbered per calendar year without gaps, archived as PDF/A, verifiable by hash.

The number is taken from ``YearCounter`` in the transaction that adopts the
decree; the unique constraint is the safety net. The PDF is rendered after
commit by a background task and may be retried: a numbered decree whose PDF
is missing is visible as such, never lost.
"""

import re
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.constants import DecreeKind

VERIFICATION_CODE_LENGTH = 16  # characters, printed in groups of four


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def new_verification_code() -> str:
    """Return a random, unguessable, readable verification code (e.g. ``K7QF-2M9X-...``)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return _grouped("".join(secrets.choice(alphabet) for _ in range(VERIFICATION_CODE_LENGTH)))


def normalise_verification_code(text: str) -> str:
    """Return a code as typed (any case, with or without dashes or spaces) in its printed form."""
    raw = re.sub(r"[^A-Z0-9]", "", text.upper())
    return _grouped(raw) if len(raw) == VERIFICATION_CODE_LENGTH else raw


class DecreeRenderStatus(models.TextChoices):
    PENDING = "pending", _("In preparazione")
    RENDERED = "rendered", _("Pronto")
    FAILED = "failed", _("Generazione non riuscita")


class Decree(models.Model):
    application = models.ForeignKey(
        "networks.Application",
        verbose_name=_("domanda"),
        on_delete=models.PROTECT,
        related_name="decrees",
    )
    proposal = models.OneToOneField(
        "networks.Proposal",
        verbose_name=_("proposta"),
        on_delete=models.PROTECT,
        related_name="decree",
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=DecreeKind.choices)
    year = models.PositiveSmallIntegerField(_("anno"))
    number = models.PositiveIntegerField(_("numero"))
    adopted_at = models.DateTimeField(_("adottato il"))
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adottato da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    verification_code = models.CharField(
        _("codice di verifica"), max_length=19, unique=True, default=new_verification_code
    )
    render_status = models.CharField(
        _("stato del documento"),
        max_length=20,
        choices=DecreeRenderStatus.choices,
        default=DecreeRenderStatus.PENDING,
    )
    render_error = models.TextField(_("errore di generazione"), blank=True)
    pdf = models.FileField(_("PDF/A"), upload_to="decrees/%Y/", blank=True, max_length=255)
    sha256 = models.CharField(_("impronta SHA-256 del PDF"), max_length=64, blank=True)
    # The seal's certificate (holder, serial number, expiry) when the stored PDF is sealed.
    sealed_by = models.CharField(_("sigillo elettronico"), max_length=500, blank=True)
    # The area's name and the call's title as the act states them, kept when the catalogue
    # changes later: the verification page and a retried rendering read these.
    area_name = models.CharField(_("area economico-professionale"), max_length=120, blank=True)
    call_title = models.CharField(_("avviso"), max_length=255, blank=True)
    # When the PDF was stored: an approval joins the public register then, not at adoption
    # (a decree whose rendering is retried joins it after later ones).
    rendered_at = models.DateTimeField(_("generato il"), null=True, blank=True)
    # The call's recognition length when the decree was adopted: what the act says for good,
    # whatever the call says later. None for a rejection.
    recognition_school_years = models.PositiveSmallIntegerField(
        _("durata del riconoscimento (anni scolastici)"), null=True, blank=True
    )
    # When the applicant's contact was mailed the decree (once, after its first rendering).
    notified_at = models.DateTimeField(_("comunicato al richiedente il"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("decreto")
        verbose_name_plural = _("decreti")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_decree_number"),
            models.CheckConstraint(
                condition=Q(kind=DecreeKind.APPROVAL, recognition_school_years__isnull=False)
                | Q(kind=DecreeKind.REJECTION, recognition_school_years__isnull=True),
                name="decree_recognition_length_when_approval",
            ),
            models.CheckConstraint(
                condition=Q(rendered_at__isnull=False)
                | ~Q(render_status=DecreeRenderStatus.RENDERED),
                name="decree_rendered_at_when_rendered",
            ),
        ]
        indexes = [
            # The register's version (selectors_public.register_signature), read on every
            # request of the public register: an index-only scan, not a join of two tables.
            models.Index(
                fields=["rendered_at"],
                condition=models.Q(
                    kind=DecreeKind.APPROVAL, render_status=DecreeRenderStatus.RENDERED
                ),
                name="decree_register_version",
            )
        ]

    def __str__(self) -> str:
        return _("Decreto n. %(number)s del %(date)s") % {
            "number": self.number,
            "date": timezone.localtime(self.adopted_at).strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("decree_verify", args=[self.verification_code])
