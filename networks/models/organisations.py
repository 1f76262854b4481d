"""The organisation registry and the study offerings of training subjects.

One table for every kind of organisation (the kinds of ``ptp-network/1``):
kind-specific fields stay blank for the other kinds, and ``clean`` enforces
what each kind must have. Real-world identifiers are unique where the real
world makes them unique: one codice meccanografico, one partita IVA.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from networks.constants import (
    PROGRAMME_KINDS_BY_ORGANISATION,
    AtecoEdition,
    OrganisationKind,
    SchoolStatus,
)
from networks.schoolyears import SchoolYearField, current_school_year, format_school_year
from networks.validators import (
    normalise_ateco,
    normalise_school_code,
    normalise_vat_number,
    validate_ateco_code,
    validate_school_code,
    validate_vat_number,
)


class Organisation(models.Model):
    kind = models.CharField(_("tipo"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("denominazione"), max_length=255)
    province = models.CharField(_("provincia"), max_length=2, choices=PROVINCE_CHOICES, blank=True)
    city = models.CharField(_("comune"), max_length=120, blank=True)
    website = models.URLField(_("sito web"), blank=True)

    # Institutes
    school_code = models.CharField(
        _("codice meccanografico"),
        max_length=10,
        blank=True,
        help_text=_("10 caratteri, per esempio SPIS00600X."),
    )
    main_institution = models.ForeignKey(
        "self",
        verbose_name=_("istituzione principale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sites",
        help_text=_(
            "Per un plesso: l'istituto di cui fa parte. Vuoto per l'istituzione principale."
        ),
    )
    school_status = models.CharField(
        _("stato giuridico"), max_length=20, choices=SchoolStatus.choices, blank=True
    )

    # Companies
    vat_number = models.CharField(_("partita IVA"), max_length=11, blank=True)
    ateco_codes = models.JSONField(
        _("codici ATECO"),
        default=list,
        blank=True,
        help_text=_("Il primo è l'attività prevalente."),
    )
    ateco_edition = models.CharField(
        _("edizione ATECO"),
        max_length=4,
        choices=AtecoEdition.choices,
        default=AtecoEdition.ATECO_2025,
    )
    chamber_registered = models.BooleanField(
        _("iscritta alla CCIAA"), default=True, help_text=_("Iscrizione al Registro delle imprese.")
    )

    # Accredited bodies
    section_a = models.BooleanField(_("accreditato sezione A"), default=False)
    section_b = models.BooleanField(_("accreditato sezione B"), default=False)
    labour_services = models.BooleanField(_("accreditato ai servizi per il lavoro"), default=False)
    accreditation_id = models.CharField(
        _("identificativo di accreditamento"), max_length=40, blank=True
    )

    # ITS
    founders = models.ManyToManyField(
        "self",
        verbose_name=_("soci fondatori"),
        symmetrical=False,
        related_name="founded_its",
        blank=True,
        help_text=_("Scuole e imprese socie fondatrici della fondazione ITS."),
    )

    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rappresentanti"),
        related_name="organisations",
        blank=True,
        help_text=_("Utenti che possono presentare domande per conto dell'organizzazione."),
    )
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificata il"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["school_code"],
                condition=~Q(school_code=""),
                name="unique_school_code",
                violation_error_message=_(
                    "Un istituto con questo codice meccanografico è già nell'anagrafe: cercalo "
                    "per codice e usa quello."
                ),
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=~Q(vat_number=""),
                name="unique_vat_number",
                violation_error_message=_(
                    "Un'organizzazione con questa partita IVA è già nell'anagrafe: cercala per "
                    "partita IVA e usa quella."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "name"]),
            # The registry's lists (back office, search, autocomplete) read it in name order.
            models.Index(fields=["name"], name="organisation_name"),
        ]

    def __str__(self) -> str:
        code = self.school_code or self.vat_number
        return f"{self.name} ({code})" if code else self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:networks_organisation_change", args=[self.pk])

    def is_in_use(self) -> bool:
        """Return whether an application, as member or applicant, or a plesso refers to it."""
        return self.memberships.exists() or self.filed_applications.exists() or self.sites.exists()

    @property
    def main_school_code(self) -> str:
        """Return the code of the main institution (the own code for a main institution)."""
        if self.main_institution_id and self.main_institution is not None:
            return self.main_institution.school_code
        return self.school_code

    @property
    def sections(self) -> list[str]:
        """Return the accreditation sections, e.g. ``["A"]``."""
        return [name for name, flag in (("A", self.section_a), ("B", self.section_b)) if flag]

    def clean(self) -> None:
        """Normalise identifiers and require what the organisation's kind needs."""
        errors: dict[str, list[str]] = {}
        self.school_code = normalise_school_code(self.school_code)
        self.vat_number = normalise_vat_number(self.vat_number)
        self.ateco_codes = [
            normalise_ateco(code) for code in self.ateco_codes or [] if code.strip()
        ]
        if self.kind == OrganisationKind.INSTITUTE:
            if not self.school_code:
                errors.setdefault("school_code", []).append(
                    _("Indica il codice meccanografico dell'istituto.")
                )
            else:
                try:
                    validate_school_code(self.school_code)
                except ValidationError as error:
                    errors.setdefault("school_code", []).extend(error.messages)
            if not self.school_status:
                errors.setdefault("school_status", []).append(
                    _("Indica se l'istituto è statale, paritario o non paritario.")
                )
            if self.main_institution_id:
                main = self.main_institution
                if main.pk == self.pk or main.kind != OrganisationKind.INSTITUTE:
                    errors.setdefault("main_institution", []).append(
                        _("L'istituzione principale deve essere un altro istituto scolastico.")
                    )
                elif main.main_institution_id:
                    errors.setdefault("main_institution", []).append(
                        _(
                            "L'istituzione principale indicata è a sua volta un plesso: scegli l'istituto principale."
                        )
                    )
        else:
            if self.school_code:
                errors.setdefault("school_code", []).append(
                    _("Il codice meccanografico vale solo per gli istituti scolastici.")
                )
            if self.main_institution_id:
                errors.setdefault("main_institution", []).append(
                    _("L'istituzione principale vale solo per gli istituti scolastici.")
                )
        if self.kind == OrganisationKind.COMPANY:
            if not self.vat_number:
                errors.setdefault("vat_number", []).append(_("Indica la partita IVA dell'impresa."))
            else:
                try:
                    validate_vat_number(self.vat_number)
                except ValidationError as error:
                    errors.setdefault("vat_number", []).extend(error.messages)
            if not self.ateco_codes:
                errors.setdefault("ateco_codes", []).append(
                    _("Indica almeno un codice ATECO: il primo è l'attività prevalente.")
                )
            for code in self.ateco_codes:
                try:
                    validate_ateco_code(code, self.ateco_edition)
                except ValidationError as error:
                    errors.setdefault("ateco_codes", []).extend(error.messages)
            if len(set(self.ateco_codes)) != len(self.ateco_codes):
                errors.setdefault("ateco_codes", []).append(
                    _("Un codice ATECO è ripetuto: toglilo.")
                )
        elif self.vat_number:
            try:
                validate_vat_number(self.vat_number)
            except ValidationError as error:
                errors.setdefault("vat_number", []).extend(error.messages)
        if self.kind == OrganisationKind.ACCREDITED_BODY:
            if not (self.section_a or self.section_b or self.labour_services):
                errors.setdefault("section_a", []).append(
                    _(
                        "Indica almeno un accreditamento: sezione A, sezione B o servizi per il lavoro."
                    )
                )
            if not self.accreditation_id.strip():
                errors.setdefault("accreditation_id", []).append(
                    _(
                        "Indica l'identificativo di iscrizione all'albo regionale degli operatori accreditati."
                    )
                )
        if errors:
            raise ValidationError(errors)


class Offering(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizzazione"),
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    programme = models.ForeignKey(
        "networks.StudyProgramme",
        verbose_name=_("indirizzo di studio"),
        on_delete=models.PROTECT,
        related_name="offerings",
    )
    first_year = SchoolYearField(_("primo anno scolastico"))
    last_year = SchoolYearField(
        _("ultimo anno scolastico"), null=True, blank=True, help_text=_("Vuoto se ancora offerto.")
    )

    class Meta:
        ordering = ["organisation", "first_year", "programme__code"]
        verbose_name = _("offerta formativa")
        verbose_name_plural = _("offerte formative")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme", "first_year"], name="unique_offering_start"
            )
        ]

    # Whether ``clean`` looks for overlaps among the organisation's stored offerings. Whoever
    # checks a whole set of offerings at once turns it off: the admin's inline (rows changed or
    # removed in the same save) and an import (which replaces every stored offering).
    check_stored_overlaps = True

    def __str__(self) -> str:
        end = format_school_year(self.last_year) if self.last_year else _("in corso")
        return f"{self.programme.code} {format_school_year(self.first_year)}–{end}"

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Any, values: Any, *, fetch_mode: Any = None
    ) -> "Offering":
        """Return the loaded offering, remembering its programme and years as stored."""
        instance = super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        loaded = dict(zip(field_names, values, strict=True))
        instance._stored_years = tuple(
            loaded.get(name) for name in ("programme_id", "first_year", "last_year")
        )
        return instance

    @property
    def is_new_or_changed(self) -> bool:
        """Return whether the programme or the years differ from what is stored (or nothing is)."""
        stored = getattr(self, "_stored_years", None)
        return stored != (self.programme_id, self.first_year, self.last_year)

    @property
    def years_label(self) -> str:
        """Return the years as ``dal 2019/20 (in corso)`` or ``dal 2019/20 al 2023/24``."""
        start = format_school_year(self.first_year)
        if self.last_year is None:
            return _("dal %(start)s (in corso)") % {"start": start}
        return _("dal %(start)s al %(end)s") % {
            "start": start,
            "end": format_school_year(self.last_year),
        }

    def overlaps(self, other: "Offering") -> bool:
        """Return whether ``other`` offers the same programme in at least one of these years."""
        return (
            self.programme_id == other.programme_id
            and (other.last_year is None or self.first_year <= other.last_year)
            and (self.last_year is None or other.first_year <= self.last_year)
        )

    def overlap_error(self, other: "Offering", *, stored: bool = True) -> ValidationError:
        """Return the refusal of these years because of ``other`` (stored, or another row).

        The error goes under the year that makes the two meet: the first year,
        or the last one when this offering starts before ``other``.
        """
        params = {
            "code": self.programme.code,
            "start": format_school_year(self.first_year),
            "other": other.years_label,
        }
        if stored:
            message = _(
                "L'offerta di %(code)s dal %(start)s si sovrappone a quella già registrata "
                "%(other)s: togli quella e registra l'offerta con tutti gli anni, o indica anni che non si sovrappongono."
            )
        else:
            message = _(
                "L'offerta di %(code)s dal %(start)s si sovrappone a quella %(other)s di "
                "un'altra riga: correggi una delle due, o indica anni che non si sovrappongono."
            )
        field = "last_year" if self.first_year < other.first_year else "first_year"
        return ValidationError(
            {field: ValidationError(message % params, code="overlapping_offering")}
        )

    def clean(self) -> None:
        """Check the years against each other, the programme's validity and the calendar.

        An offering starts in a school year already begun: a class planned for
        a later year is not an offering yet (the three-year offer counts the
        years up to the current one). Nor may it overlap another offering of
        the same programme by the same organisation. An offering stored as it
        is now is not judged by these two again: a row recorded before them
        must not stop the organisation's other changes in the admin.
        """
        if self.programme_id is None or self.first_year is None:
            return
        programme = self.programme
        errors: dict[str, list[str]] = {}
        if self.last_year is not None and self.last_year < self.first_year:
            errors.setdefault("last_year", []).append(
                _("L'ultimo anno scolastico non può precedere il primo.")
            )
        if self.first_year < programme.valid_from:
            errors.setdefault("first_year", []).append(
                _("L'indirizzo %(code)s è valido solo dal %(start)s: correggi il primo anno.")
                % {"code": programme.code, "start": format_school_year(programme.valid_from)}
            )
        if programme.valid_to is not None:
            if self.first_year > programme.valid_to:
                errors.setdefault("first_year", []).append(
                    _("L'indirizzo %(code)s non ammette nuove classi dopo il %(end)s.")
                    % {"code": programme.code, "end": format_school_year(programme.valid_to)}
                )
            if self.last_year is None or self.last_year > programme.valid_to:
                errors.setdefault("last_year", []).append(
                    _(
                        "L'indirizzo %(code)s è valido fino al %(end)s: indica un ultimo anno non successivo."
                    )
                    % {"code": programme.code, "end": format_school_year(programme.valid_to)}
                )
        # An admin inline on an organisation being added assigns the organisation object
        # while it has no id yet: the kind is known all the same, so check it.
        organisation = None
        if self.organisation_id is not None or Offering.organisation.is_cached(self):
            organisation = self.organisation
        if organisation is not None:
            allowed = PROGRAMME_KINDS_BY_ORGANISATION.get(organisation.kind)
            if allowed is None:
                errors.setdefault("programme", []).append(
                    _("Solo istituti, enti accreditati e ITS hanno un'offerta formativa.")
                )
            elif programme.kind not in allowed:
                errors.setdefault("programme", []).append(
                    _(
                        "Un'organizzazione di tipo «%(kind)s» non può offrire un indirizzo di tipo «%(pkind)s»."
                    )
                    % {
                        "kind": organisation.get_kind_display(),
                        "pkind": programme.get_kind_display(),
                    }
                )
        if not errors and self.is_new_or_changed:
            current = current_school_year()
            if self.first_year > current:
                errors["first_year"] = [
                    _(
                        "Il primo anno non può essere successivo all'anno scolastico in corso, "
                        "il %(current)s: un'offerta si registra quando le sue classi sono "
                        "avviate, non quando sono previste."
                    )
                    % {"current": format_school_year(current)}
                ]
            elif (
                self.check_stored_overlaps
                and organisation is not None
                and organisation.pk is not None
                and (other := self._stored_overlap(organisation)) is not None
            ):
                raise self.overlap_error(other)
        if errors:
            raise ValidationError(errors)

    def _stored_overlap(self, organisation: Organisation) -> "Offering | None":
        """Return the earliest stored offering of ``organisation`` that overlaps this one."""
        others = Offering.objects.filter(
            organisation=organisation, programme_id=self.programme_id
        ).filter(Q(last_year__isnull=True) | Q(last_year__gte=self.first_year))
        if self.last_year is not None:
            others = others.filter(first_year__lte=self.last_year)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        return others.select_related("programme").order_by("first_year").first()
