"""The catalogue: economic areas, study programmes and the ATECO -> area mapping.

Codes are a contract with the ``ptp-network/1`` format and never change once
created; names, descriptions, mappings and the active flag are for admins to
maintain. Entries in use are deactivated, never deleted.

Codes have one spelling (areas lowercase, programmes uppercase, as in the
catalogue contract) and are unique regardless of case, and so are area names:
two entries that only differ in case could not be told apart in a select.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from networks.constants import AtecoEdition, ProgrammeKind
from networks.schoolyears import SchoolYearField, format_school_year, parse_school_year
from networks.validators import normalise_ateco, validate_ateco_prefix

validate_area_code = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*\Z",
    _(
        "Scrivi il codice dell'area in minuscolo, con lettere non accentate e cifre separate "
        "da trattini, per esempio servizi-persona."
    ),
    code="area_code_format",
)
validate_programme_code = RegexValidator(
    r"^[A-Z0-9]+(-[A-Z0-9]+)*\Z",
    _(
        "Scrivi il codice dell'indirizzo in maiuscolo, con lettere non accentate e cifre "
        "separate da trattini, per esempio IT-INF."
    ),
    code="programme_code_format",
)


class EconomicArea(models.Model):
    # A text with the portal's own check (validate_area_code), not a SlugField: its check runs
    # first in a form, and «Inserisci uno "slug" valido» says nothing of how codes are written.
    code = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        # Django's own message would read «… con questo Codice esiste già», capitalised.
        error_messages={"unique": _("Esiste già un'area con questo codice.")},
        validators=[validate_area_code],
        help_text=_(
            "Codice stabile, usato nei file ptp-network/1: minuscole, cifre e trattini "
            "(per esempio servizi-persona)."
        ),
    )
    name = models.CharField(_("nome"), max_length=120)
    description = models.TextField(_("ambito"), blank=True)
    active = models.BooleanField(
        _("attiva"),
        default=True,
        help_text=_(
            "Un'area non attiva non può essere scelta per nuovi poli, e le domande non ancora "
            "decise che la indicano non superano più il requisito PTP-AREA alla decisione."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordine"), default=0)
    # The register and the open data print the area's name: a change is a new version of them.
    updated_at = models.DateTimeField(_("ultima modifica"), auto_now=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area economico-professionale")
        verbose_name_plural = _("aree economico-professionali")
        constraints = [
            models.UniqueConstraint(
                Lower("code"),
                name="unique_area_code_any_case",
                violation_error_message=_(
                    "Esiste già un'area con questo codice (maiuscole e minuscole non contano)."
                ),
            ),
            models.UniqueConstraint(
                Lower("name"),
                name="unique_area_name_any_case",
                violation_error_message=_(
                    "Esiste già un'area con questo nome (maiuscole e minuscole non contano): "
                    "scegli un nome che la distingua nelle liste."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_in_use(self) -> bool:
        """Return whether programmes, ATECO mappings or applications refer to the area."""
        return (
            self.programmes.exists() or self.ateco_mappings.exists() or self.applications.exists()
        )


class StudyProgramme(models.Model):
    code = models.CharField(
        _("codice"),
        max_length=20,
        unique=True,
        error_messages={"unique": _("Esiste già un indirizzo con questo codice.")},
        validators=[validate_programme_code],
        help_text=_(
            "Codice stabile, usato nei file ptp-network/1: maiuscole, cifre e trattini "
            "(per esempio IT-INF)."
        ),
    )
    name = models.CharField(_("denominazione"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=20, choices=ProgrammeKind.choices)
    legal_basis = models.CharField(_("riferimento normativo"), max_length=120, blank=True)
    valid_from = SchoolYearField(
        _("valido dall'anno scolastico"),
        help_text=_("Primo anno scolastico in cui potevano avviarsi classi di questo indirizzo."),
    )
    valid_to = SchoolYearField(
        _("valido fino all'anno scolastico"),
        null=True,
        blank=True,
        help_text=_("Ultimo anno scolastico di avvio; vuoto se ancora in vigore."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("indirizzo successore"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("L'indirizzo che lo sostituisce dopo una riforma: l'offerta resta continua."),
    )
    areas = models.ManyToManyField(
        EconomicArea, verbose_name=_("aree"), related_name="programmes", blank=True
    )
    active = models.BooleanField(_("attivo"), default=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("indirizzo di studio")
        verbose_name_plural = _("indirizzi di studio")
        # Names are not unique: reforms keep names (IPO-MAT and IP-MAT are both
        # "Manutenzione e assistenza tecnica"), and selects show the code beside them.
        constraints = [
            models.UniqueConstraint(
                Upper("code"),
                name="unique_programme_code_any_case",
                violation_error_message=_(
                    "Esiste già un indirizzo con questo codice (maiuscole e minuscole non contano)."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        if (
            self.valid_to is not None
            and self.valid_from is not None
            and self.valid_to < self.valid_from
        ):
            raise ValidationError(
                {"valid_to": _("L'ultimo anno di validità non può precedere il primo.")}
            )
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": _("Un indirizzo non può succedere a se stesso.")})
        if self.pk is not None and self.successor_id is not None and self._successor_loops():
            raise ValidationError(
                {
                    "successor": _(
                        "L'indirizzo scelto è già, direttamente o tramite altri, un successore di "
                        "questo: la catena delle riforme tornerebbe indietro. Scegli un altro "
                        "indirizzo successore."
                    )
                }
            )
        if self.pk is not None:
            self._check_kind_unchanged_in_use()
        if self.pk is not None and self.valid_from is not None:
            self._check_offerings_within_validity()

    def _check_kind_unchanged_in_use(self) -> None:
        """Refuse a new kind for a programme that offerings or submitted networks name.

        The kind says who may offer it (an institute a tecnico or professionale
        programme, an ITS its own courses): the recorded offerings would no longer pass
        ``Offering.clean``, the frozen networks would be invalid input (the open data,
        ``check_network``) and the rules would count their members otherwise.
        """
        from networks.models.applications import ApplicationVersion
        from networks.selectors_public import MembersMatch

        stored = StudyProgramme.objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        if stored is None or stored == self.kind:
            return
        offerings = self.offerings.select_related("organisation").order_by("organisation__name")
        count = offerings.count()
        protocols = list(
            dict.fromkeys(
                version.application.protocol_number or str(version.application_id)
                for version in ApplicationVersion.objects.filter(MembersMatch(programme=self.code))
                .select_related("application")
                .only("application__protocol_year", "application__protocol_seq")
                .order_by("application__protocol_year", "application__protocol_seq")
            )
        )
        if not count and not protocols:
            return
        uses = []
        if count:
            examples = ", ".join(offering.organisation.name for offering in offerings[:3])
            uses.append(
                ngettext(
                    "lo offre %(count)d organizzazione (%(examples)s)",
                    "lo offrono %(count)d organizzazioni (per esempio %(examples)s)",
                    count,
                )
                % {"count": count, "examples": examples}
            )
        if protocols:
            shown = ", ".join(protocols[:5]) + (", …" if len(protocols) > 5 else "")
            uses.append(
                ngettext(
                    "lo cita la rete presentata con la domanda %(protocols)s",
                    "lo citano le reti presentate con %(count)d domande (%(protocols)s)",
                    len(protocols),
                )
                % {"count": len(protocols), "protocols": shown}
            )
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "Il tipo di un indirizzo già in uso non si cambia: %(uses)s, e quei dati "
                        "non sarebbero più validi. Lascia il tipo com'era; per un indirizzo di un "
                        "altro tipo crea un indirizzo nuovo e disattiva questo."
                    ),
                    code="kind_in_use",
                    params={"uses": "; ".join(uses)},
                )
            }
        )

    def _successor_loops(self) -> bool:
        """Return whether following the successors from the chosen one leads back to this one."""
        seen: set[int] = set()
        current: int | None = self.successor_id
        while current is not None and current not in seen:
            if current == self.pk:
                return True
            seen.add(current)
            current = (
                StudyProgramme.objects.filter(pk=current)
                .values_list("successor_id", flat=True)
                .first()
            )
        return False

    def _check_offerings_within_validity(self) -> None:
        """Refuse a validity that offerings already recorded would fall outside of.

        They would no longer pass ``Offering.clean``, and the frozen networks
        that name them (the open data, ``check_network``) would be refused as
        invalid input. The networks frozen in submitted versions are checked
        too (``_versions_outside_validity``): unlike the registry's offerings,
        nobody can correct them.
        """
        offerings = self.offerings.select_related("organisation")
        outside = {
            "valid_from": offerings.filter(first_year__lt=self.valid_from),
            "valid_to": (
                offerings.filter(
                    models.Q(first_year__gt=self.valid_to)
                    | models.Q(last_year__isnull=True)
                    | models.Q(last_year__gt=self.valid_to)
                )
                if self.valid_to is not None
                else offerings.none()
            ),
        }
        errors: dict[str, list[ValidationError]] = {}
        for field, queryset in outside.items():
            count = queryset.count()
            if not count:
                continue
            examples = ", ".join(
                f"{offering.organisation.name} ({format_school_year(offering.first_year)}–"
                f"{format_school_year(offering.last_year) or _('in corso')})"
                for offering in queryset[:3]
            )
            errors[field] = [
                ValidationError(
                    _(
                        "Con questa validità resterebbero fuori offerte formative già registrate "
                        "(in tutto %(count)s; per esempio %(examples)s): correggi prima quelle "
                        "offerte o lascia la validità com'era."
                    ),
                    code="offerings_outside_validity",
                    params={"count": count, "examples": examples},
                )
            ]
        for field, protocols in self._versions_outside_validity().items():
            shown = ", ".join(protocols[:5]) + (", …" if len(protocols) > 5 else "")
            errors.setdefault(field, []).append(
                ValidationError(
                    ngettext(
                        "Con questa validità resterebbero fuori offerte della rete presentata "
                        "con %(count)d domanda (protocollo %(protocols)s): una rete presentata "
                        "non si può correggere, e i suoi dati aperti e la sua verifica non "
                        "sarebbero più validi. Lascia la validità com'era; per non ammettere "
                        "nuove offerte, disattiva l'indirizzo.",
                        "Con questa validità resterebbero fuori offerte delle reti presentate "
                        "con %(count)d domande (protocolli %(protocols)s): una rete presentata "
                        "non si può correggere, e i suoi dati aperti e la sua verifica non "
                        "sarebbero più validi. Lascia la validità com'era; per non ammettere "
                        "nuove offerte, disattiva l'indirizzo.",
                        len(protocols),
                    ),
                    code="submitted_offerings_outside_validity",
                    params={"count": len(protocols), "protocols": shown},
                )
            )
        if errors:
            raise ValidationError(errors)

    def _versions_outside_validity(self) -> dict[str, list[str]]:
        """Return, by validity field, the applications whose submitted networks the change would break.

        Each is named by its protocol number, in protocol order. Only offerings
        within the stored validity and outside the new one count: a frozen
        network already outside it (the catalogue was changed before this
        check existed) cannot be corrected, and must not stop every later
        change of the programme. Versions are found in SQL (``MembersMatch``),
        their years read in Python.
        """
        from networks.models.applications import ApplicationVersion
        from networks.selectors_public import MembersMatch

        stored = (
            StudyProgramme.objects.filter(pk=self.pk).values_list("valid_from", "valid_to").first()
        )
        if stored is None or stored == (self.valid_from, self.valid_to):
            return {}
        versions = (
            ApplicationVersion.objects.filter(MembersMatch(programme=self.code))
            .select_related("application")
            .only("network", "application__protocol_year", "application__protocol_seq")
            .order_by("application__protocol_year", "application__protocol_seq", "number")
        )
        affected: dict[str, dict[str, None]] = {}
        for version in versions:
            for first, last in _frozen_years(version.network, self.code):
                broken = _outside_validity(
                    first, last, self.valid_from, self.valid_to
                ) - _outside_validity(first, last, *stored)
                for field in broken:
                    protocol = version.application.protocol_number or str(version.application_id)
                    affected.setdefault(field, {})[protocol] = None
        return {field: list(protocols) for field, protocols in affected.items()}

    @property
    def validity_label(self) -> str:
        """Return the validity as ``2010/11–2017/18`` or ``dal 2010/11``."""
        if self.valid_to is None:
            return _("dal %(start)s") % {"start": format_school_year(self.valid_from)}
        return f"{format_school_year(self.valid_from)}–{format_school_year(self.valid_to)}"

    def is_in_use(self) -> bool:
        """Return whether an offering, a predecessor or a submitted network refers to the programme.

        A submitted version is frozen with the codes it was filed with: the decree's
        Annex A, the open data (``poli.json``, valid input for ``check_network``) and
        ``export_network`` read it long after the registry's offering is gone.
        """
        from networks.models.applications import ApplicationVersion
        from networks.selectors_public import MembersMatch

        return (
            self.offerings.exists()
            or self.predecessors.exists()
            or ApplicationVersion.objects.filter(MembersMatch(programme=self.code)).exists()
        )


def _frozen_years(network: Any, code: str) -> list[tuple[int, int | None]]:
    """Return the years of the offerings of ``code`` in a frozen ``ptp-network/1`` network.

    A frozen network was valid when submitted; what is not readable as one is skipped.
    """
    years: list[tuple[int, int | None]] = []
    members = network.get("members") if isinstance(network, dict) else None
    for member in members if isinstance(members, list) else []:
        offerings = member.get("offerings") if isinstance(member, dict) else None
        for item in offerings if isinstance(offerings, list) else []:
            if not isinstance(item, dict) or item.get("programme") != code:
                continue
            try:
                first = parse_school_year(item.get("from"))
                last = parse_school_year(item["to"]) if item.get("to") is not None else None
            except (ValidationError, TypeError):
                continue
            years.append((first, last))
    return years


def _outside_validity(
    first: int, last: int | None, valid_from: int, valid_to: int | None
) -> set[str]:
    """Return the validity fields that an offering over these years falls outside of.

    As ``Offering.clean`` and the ``ptp-network/1`` validator judge it: not
    before the first year of validity; when the programme closes, neither
    starting after it nor ending after it (nor still open).
    """
    fields = set()
    if first < valid_from:
        fields.add("valid_from")
    if valid_to is not None and (first > valid_to or last is None or last > valid_to):
        fields.add("valid_to")
    return fields


class AtecoMapping(models.Model):
    edition = models.CharField(
        _("edizione ATECO"),
        max_length=4,
        choices=AtecoEdition.choices,
        default=AtecoEdition.ATECO_2025,
    )
    prefix = models.CharField(
        _("prefisso ATECO"),
        max_length=8,
        help_text=_("Divisione (30), gruppo (30.1) o classe (30.11): vale il prefisso più lungo."),
    )
    area = models.ForeignKey(
        EconomicArea,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="ateco_mappings",
    )

    class Meta:
        ordering = ["edition", "prefix", "area__position"]
        verbose_name = _("corrispondenza ATECO → area")
        verbose_name_plural = _("corrispondenze ATECO → area")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "prefix", "area"],
                name="unique_ateco_mapping",
                violation_error_message=_(
                    "Questo prefisso ATECO è già associato a quest'area nella stessa edizione."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"ATECO {self.edition} {self.prefix} → {self.area}"

    def clean(self) -> None:
        self.prefix = normalise_ateco(self.prefix)
        if self.edition != AtecoEdition.ATECO_2025:
            raise ValidationError(
                {
                    "edition": _(
                        "Le corrispondenze si definiscono sull'ATECO 2025: i codici delle edizioni "
                        "precedenti sono convertiti con la tavola di raccordo ISTAT."
                    )
                }
            )
        if not self.prefix:
            # The field already said it is required (or refused what was typed).
            return
        try:
            validate_ateco_prefix(self.prefix, self.edition)
        except ValidationError as error:
            raise ValidationError({"prefix": error.messages}) from None
