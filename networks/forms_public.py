"""Forms of the public area: decree verification, the register's filters, the simulator.

Nothing submitted here is ever saved: the verification form hashes an upload
and forgets it, the simulator evaluates a network and forgets it. Upload
limits are checked on the content (a PDF starts with ``%PDF-``), never on the
name or the declared content type.
"""

import hashlib
import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from eligibility.adapters import NetworkInputError, parse_network_json
from networks.constants import OrganisationKind, SchoolStatus
from networks.models import Call, Decree, DecreeRenderStatus, EconomicArea
from networks.models.decrees import normalise_verification_code
from networks.widgets import BootstrapItaliaMixin

MAX_DECREE_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_NETWORK_UPLOAD_BYTES = 1024 * 1024
PDF_MAGIC = b"%PDF-"


# --- decree verification ------------------------------------------------------------------------


class DecreeCodeForm(BootstrapItaliaMixin, forms.Form):
    """Enter a decree's verification code (printed on the decree, next to its QR code)."""

    code = forms.CharField(
        label=_("Codice di verifica"),
        max_length=40,
        help_text=_("Il codice stampato sul decreto, per esempio K7QF-2M9X-ABCD-EF23."),
    )

    def clean_code(self) -> str:
        """Return the code of a rendered decree in its printed form, however it was typed."""
        code = normalise_verification_code(self.cleaned_data["code"])
        if not Decree.objects.filter(
            verification_code=code, render_status=DecreeRenderStatus.RENDERED
        ).exists():
            raise ValidationError(
                _(
                    "Nessun decreto del portale ha il codice di verifica «%(code)s». Controlla il "
                    "codice stampato sul decreto, accanto al codice QR: sono 16 lettere e cifre."
                ),
                params={"code": code or self.cleaned_data["code"]},
            )
        return code


class DecreeCheckForm(BootstrapItaliaMixin, forms.Form):
    """Upload a copy of a decree to compare its SHA-256 with the recorded one."""

    document = forms.FileField(
        label=_("Copia del decreto (PDF)"),
        help_text=_("File PDF, al massimo 20 MB. Il file non viene conservato."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_document(self) -> str:
        """Return the SHA-256 of the uploaded PDF, read in chunks; refuse anything else."""
        uploaded = self.cleaned_data["document"]
        if uploaded.size > MAX_DECREE_UPLOAD_BYTES:
            raise ValidationError(
                _("Il file supera i 20 MB: non può essere un decreto del portale.")
            )
        digest = hashlib.sha256()
        first = True
        for chunk in uploaded.chunks():
            if first and not chunk.startswith(PDF_MAGIC):
                raise ValidationError(_("Il file non è un PDF."))
            first = False
            digest.update(chunk)
        if first:
            raise ValidationError(_("Il file è vuoto."))
        return digest.hexdigest()


# --- register filters ---------------------------------------------------------------------------


class RegisterFilterForm(BootstrapItaliaMixin, forms.Form):
    """The register's filter form, styled for Bootstrap Italia."""


def _decree_years(_request: object = None) -> list[tuple[int, int]]:
    from networks.selectors_public import recognised_decree_years

    return [(year, year) for year in recognised_decree_years()]


class RegisterFilter(django_filters.FilterSet):
    """Filter the register of recognised poli (``selectors_public.recognised_poli``)."""

    q = django_filters.CharFilter(
        label=_("Cerca per nome del polo o di un membro"), method="filter_search"
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area economico-professionale"),
        queryset=EconomicArea.objects.all(),
        empty_label=_("Tutte le aree"),
    )
    province = django_filters.ChoiceFilter(
        label=_("Provincia di un membro"),
        choices=PROVINCE_CHOICES,
        method="filter_province",
        empty_label=_("Tutte le province"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Con almeno un membro di tipo"),
        choices=OrganisationKind.choices,
        method="filter_kind",
        empty_label=_("Qualsiasi tipo"),
    )
    call = django_filters.ModelChoiceFilter(
        label=_("Avviso"),
        queryset=Call.objects.all(),
        empty_label=_("Tutti gli avvisi"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Anno del decreto"),
        field_name="decree_year",
        choices=_decree_years,
        empty_label=_("Tutti gli anni"),
    )

    class Meta:
        form = RegisterFilterForm

    def filter_search(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        from networks.selectors_public import latest_version_has_member

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | latest_version_has_member(name=value))

    def filter_province(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        from networks.selectors_public import latest_version_has_member

        return queryset.filter(latest_version_has_member(province=value))

    def filter_kind(self, queryset: QuerySet, _name: str, value: str) -> QuerySet:
        from networks.selectors_public import latest_version_has_member

        return queryset.filter(latest_version_has_member(kind=value))


# --- simulator ----------------------------------------------------------------------------------

_OFFERING_LINE = re.compile(
    r"^\s*(?P<programme>[A-Za-z0-9_.-]+)\s+(?P<first>\d{4}/\d{2})\s*-\s*(?P<last>\d{4}/\d{2})?\s*$"
)


class SimulatorNetworkForm(BootstrapItaliaMixin, forms.Form):
    """The network's own fields; the members come from ``SimulatorMemberFormSet``."""

    name = forms.CharField(label=_("Denominazione del polo"), max_length=255, required=False)
    area = forms.ModelChoiceField(
        label=_("Area economico-professionale"),
        queryset=EconomicArea.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Scegli un'area"),
    )
    reference_date = forms.DateField(
        label=_("Data di riferimento"),
        required=False,
        help_text=_("Facoltativa, gg/mm/aaaa: se vuota vale la data di oggi."),
    )
    upload = forms.FileField(
        label=_("Oppure carica un file ptp-network/1 (JSON)"),
        required=False,
        help_text=_("Al massimo 1 MB. Se carichi un file, i campi del modulo sono ignorati."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
    )

    def clean_upload(self) -> Any:
        """Return the parsed JSON document of the upload (``None`` without upload)."""
        uploaded = self.cleaned_data.get("upload")
        if not uploaded:
            return None
        if uploaded.size > MAX_NETWORK_UPLOAD_BYTES:
            raise ValidationError(_("Il file supera 1 MB."))
        raw = uploaded.read(MAX_NETWORK_UPLOAD_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Il file non è testo UTF-8.")) from None
        try:
            return parse_network_json(text)
        except NetworkInputError as error:
            raise ValidationError(str(error.errors[0])) from None


class SimulatorMemberForm(BootstrapItaliaMixin, forms.Form):
    """One member of the hypothetical network; only the fields of its kind are used."""

    kind = forms.ChoiceField(
        label=_("Tipo"), choices=[("", "—"), *OrganisationKind.choices], required=False
    )
    name = forms.CharField(label=_("Denominazione"), max_length=255, required=False)
    province = forms.ChoiceField(
        label=_("Provincia"), choices=[("", "—"), *PROVINCE_CHOICES], required=False
    )
    lead = forms.BooleanField(label=_("Capofila"), required=False)
    school_code = forms.CharField(label=_("Codice meccanografico"), max_length=10, required=False)
    status = forms.ChoiceField(
        label=_("Stato giuridico dell'istituto"),
        choices=[("", "—"), *SchoolStatus.choices],
        required=False,
    )
    vat_number = forms.CharField(label=_("Partita IVA"), max_length=11, required=False)
    ateco = forms.CharField(
        label=_("Codici ATECO 2025"),
        required=False,
        help_text=_("Separati da virgola; il primo è l'attività prevalente."),
    )
    commitment_signed = forms.BooleanField(
        label=_("Impegno per alternanza e flessibilità sottoscritto"), required=False
    )
    sections = forms.MultipleChoiceField(
        label=_("Sezioni di accreditamento"),
        choices=[("A", _("Sezione A")), ("B", _("Sezione B"))],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    offerings = forms.CharField(
        label=_("Offerta formativa"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Una riga per indirizzo: codice, primo anno e, se concluso, ultimo anno. "
            "Per esempio «IT-MME 2019/20-» oppure «ITSO-MI-MEC 2015/16-2023/24»."
        ),
    )
    founders = forms.CharField(
        label=_("Soci fondatori (solo ITS)"),
        required=False,
        help_text=_("Numeri dei membri soci fondatori dell'ITS, separati da virgola, es. 3, 4."),
    )

    def clean_offerings(self) -> list[dict[str, str | None]]:
        """Return the offerings as ``ptp-network/1`` objects, one per non-empty line."""
        offerings = []
        for number, line in enumerate(self.cleaned_data["offerings"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _OFFERING_LINE.match(line)
            if match is None:
                raise ValidationError(
                    _("Riga %(number)d: scrivi «CODICE 2019/20-» o «CODICE 2015/16-2023/24».")
                    % {"number": number}
                )
            offerings.append(
                {
                    "programme": match["programme"].upper(),
                    "from": match["first"],
                    "to": match["last"],
                }
            )
        return offerings

    def clean_founders(self) -> list[int]:
        """Return the member numbers listed as founders."""
        numbers = []
        for part in re.split(r"[,;\s]+", self.cleaned_data["founders"].strip()):
            if not part:
                continue
            if not part.isdigit():
                raise ValidationError(_("Indica i numeri dei membri, separati da virgola."))
            numbers.append(int(part))
        return numbers

    def clean_ateco(self) -> list[str]:
        """Return the ATECO codes as a list."""
        return [code.strip() for code in self.cleaned_data["ateco"].split(",") if code.strip()]

    @property
    def is_blank(self) -> bool:
        """Return whether the row was left empty (it is then not a member)."""
        data = getattr(self, "cleaned_data", {})
        return not data.get("kind") and not data.get("name", "").strip()


class BaseSimulatorMemberFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        """Require at most one lead partner."""
        if any(self.errors):
            return
        leads = [form for form in self.forms if form.cleaned_data.get("lead")]
        if len(leads) > 1:
            raise ValidationError(_("Indica un solo capofila."))
        for form in self.forms:
            if form.is_blank:
                continue
            if not form.cleaned_data.get("kind"):
                form.add_error("kind", _("Scegli il tipo di membro."))
            if not form.cleaned_data.get("name", "").strip():
                form.add_error("name", _("Indica la denominazione."))


SimulatorMemberFormSet = forms.formset_factory(
    SimulatorMemberForm,
    formset=BaseSimulatorMemberFormSet,
    extra=7,
    max_num=60,
    absolute_max=60,
    validate_max=True,
)


def member_key(number: int) -> str:
    """Return the ``ptp-network/1`` key of the simulator's member number ``number`` (1-based)."""
    return f"membro-{number}"


def network_from_forms(
    network_form: SimulatorNetworkForm, formset: BaseSimulatorMemberFormSet
) -> dict[str, Any]:
    """Return the ``ptp-network/1`` document that the filled-in forms describe."""
    data = network_form.cleaned_data
    members: list[dict[str, Any]] = []
    lead = None
    for number, form in enumerate(formset.forms, start=1):
        if form.is_blank:
            continue
        row = form.cleaned_data
        kind = row["kind"]
        member: dict[str, Any] = {"key": member_key(number), "kind": kind, "name": row["name"]}
        if row["province"]:
            member["province"] = row["province"]
        if kind == OrganisationKind.INSTITUTE:
            member["school_code"] = row["school_code"].strip().upper()
            member["status"] = row["status"]
        elif kind == OrganisationKind.COMPANY:
            member["vat_number"] = row["vat_number"].strip()
            member["ateco"] = row["ateco"]
            member["commitment_signed"] = row["commitment_signed"]
        elif kind == OrganisationKind.ACCREDITED_BODY:
            member["sections"] = sorted(row["sections"])
        elif kind == OrganisationKind.ITS:
            member["founders"] = [member_key(n) for n in row["founders"]]
        if kind in {
            OrganisationKind.INSTITUTE,
            OrganisationKind.ACCREDITED_BODY,
            OrganisationKind.ITS,
        }:
            member["offerings"] = row["offerings"]
        if row["lead"]:
            lead = member["key"]
        members.append(member)
    document: dict[str, Any] = {
        "format": "ptp-network/1",
        "name": data.get("name") or str(_("Polo simulato")),
        "area": data["area"].code if data.get("area") else "",
        "members": members,
    }
    if data.get("reference_date"):
        document["reference_date"] = data["reference_date"].isoformat()
    if lead:
        document["lead_partner"] = lead
    return document
