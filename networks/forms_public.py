"""Forms of the public area: decree verification, the register's filters, the simulator.

Nothing submitted here is ever saved: the verification form hashes an upload
and forgets it, the simulator evaluates a network and forgets it. Upload
limits are checked on the content (a PDF starts with ``%PDF-``), never on the
name or the declared content type.
"""

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.formats import date_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from eligibility.adapters import (
    REFERENCE_DATE_RANGE,
    InputError,
    NetworkInputError,
    parse_network_json,
)
from networks.constants import OrganisationKind, SchoolStatus
from networks.filters import SEARCH_MAX_LENGTH
from networks.forms import ErrorSummaryItem, form_errors
from networks.models import Call, EconomicArea
from networks.models.decrees import normalise_verification_code
from networks.search import fold
from networks.validators import ascii_int, normalise_ateco
from networks.widgets import DATE_INVALID, BootstrapItaliaMixin

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
        error_messages={
            "required": _(
                "Scrivi il codice di verifica stampato sul decreto, accanto al codice QR."
            )
        },
    )

    def clean_code(self) -> str:
        """Return the code in its printed form, however it was typed."""
        return normalise_verification_code(self.cleaned_data["code"])

    def add_unknown_code_error(self) -> None:
        """Say that no decree has the code (the view looks it up through the selectors)."""
        self.add_error(
            "code",
            ValidationError(
                _(
                    "Nessun decreto del portale ha il codice di verifica «%(code)s». Controlla il "
                    "codice stampato sul decreto, accanto al codice QR: sono 16 lettere e cifre."
                ),
                params={"code": self.cleaned_data["code"] or self.data.get("code", "")},
            ),
        )


class DecreeCheckForm(BootstrapItaliaMixin, forms.Form):
    """Upload a copy of a decree to compare its SHA-256 with the recorded one."""

    document = forms.FileField(
        label=_("Copia del decreto (PDF)"),
        help_text=_("File PDF, al massimo 20 MB. Il file non viene conservato."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Scegli il file PDF del decreto da confrontare con quello registrato."),
            "empty": _("Il file è vuoto."),
        },
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
        label=_("Cerca per nome del polo o di un membro"),
        method="filter_search",
        # SQLite refuses a LIKE pattern of more than 50,000 characters; no name is that long.
        max_length=SEARCH_MAX_LENGTH,
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area economico-professionale"),
        queryset=EconomicArea.objects.all(),
        # A public address names the area by the code of catalogue.md (?area=meccanica),
        # which other programs and bookmarks rely on, not by a database id.
        to_field_name="code",
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
        return queryset.filter(
            Q(name__folded__contains=fold(value)) | latest_version_has_member(name=value)
        )

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
MAX_SIMULATOR_MEMBERS = 60
# ASCII digits only: ``isdigit()`` takes «²» and «①», which ``int()`` refuses, and ``int()``
# takes «٣» and refuses a number of thousands of digits.
_ASCII_NUMBER = re.compile(r"[0-9]+")


def _ascii_digits(text: str) -> str:
    """Return ``text`` with every decimal digit (``\\d``: full-width, other scripts') in ASCII.

    The format writes school years in ASCII digits only (decision 0005); people
    type them as their keyboard gives them.
    """
    return re.sub(r"\d", lambda digit: str(unicodedata.decimal(digit.group())), text)


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
        error_messages={"invalid": DATE_INVALID},
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

    def clean_reference_date(self) -> date | None:
        """Return the reference date; refuse one the rules cannot be asked about."""
        value = self.cleaned_data.get("reference_date")
        first, last = REFERENCE_DATE_RANGE
        if value is not None and not first <= value <= last:
            raise ValidationError(
                _(
                    "La data %(date)s è fuori dall'intervallo ammesso: usa una data tra "
                    "%(first)s e %(last)s."
                ),
                params={"date": _day(value), "first": _day(first), "last": _day(last)},
            )
        return value

    def clean(self) -> dict[str, Any]:
        """Require the area when the network is typed in (a file brings its own)."""
        data = super().clean()
        typed_in = data.get("upload") is None and not self.has_error("upload")
        if typed_in and not data.get("area") and not self.has_error("area"):
            self.add_error("area", _("Scegli l'area economico-professionale del polo."))
        return data


def _day(value: date) -> str:
    return date_format(value, "d/m/Y")


def _choice_labels(choices: Any) -> str:
    """Return the labels of ``choices`` as the alternatives they are: «A, B o C»."""
    return get_text_list([str(label) for label in choices.labels], str(_("o")))


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
        """Return the offerings as ``ptp-network/1`` objects, one per non-empty line.

        ``offering_lines`` keeps the line number of each offering, for the errors
        that the document check finds in it.
        """
        offerings = []
        self.offering_lines: list[int] = []
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
                    "from": _ascii_digits(match["first"]),
                    "to": _ascii_digits(match["last"]) if match["last"] else None,
                }
            )
            self.offering_lines.append(number)
        return offerings

    def clean_founders(self) -> list[int]:
        """Return the member numbers listed as founders, each the number of a simulator row."""
        numbers = []
        for part in re.split(r"[,;\s]+", self.cleaned_data["founders"].strip()):
            if not part:
                continue
            shown = part if len(part) <= 10 else part[:10] + "…"
            if not _ASCII_NUMBER.fullmatch(part):
                raise ValidationError(
                    _(
                        "«%(value)s» non è il numero di una scheda: scrivi i numeri delle schede "
                        "dei soci fondatori, da 1 a %(max)d, separati da virgola (per esempio 3, 4)."
                    ),
                    code="invalid",
                    params={"value": shown, "max": MAX_SIMULATOR_MEMBERS},
                )
            number = ascii_int(part, maximum=MAX_SIMULATOR_MEMBERS)
            if not number:
                raise ValidationError(
                    _(
                        "La scheda %(value)s non esiste: scrivi i numeri delle schede dei soci "
                        "fondatori, da 1 a %(max)d."
                    ),
                    code="out_of_range",
                    params={"value": shown, "max": MAX_SIMULATOR_MEMBERS},
                )
            numbers.append(number)
        return numbers

    def clean_ateco(self) -> list[str]:
        """Return the ATECO codes as a list, each as the format writes it (``2811`` is 28.11)."""
        return [
            normalise_ateco(code) for code in self.cleaned_data["ateco"].split(",") if code.strip()
        ]

    def clean(self) -> dict[str, Any]:
        """Require the fields that the member's kind needs."""
        data = super().clean()
        kind = data.get("kind")
        required: dict[str, Any] = {}
        if kind == OrganisationKind.INSTITUTE:
            required = {
                "school_code": _("Indica il codice meccanografico dell'istituto."),
                "status": _("Scegli lo stato giuridico dell'istituto: %(choices)s.")
                % {"choices": _choice_labels(SchoolStatus)},
            }
        elif kind == OrganisationKind.COMPANY:
            required = {
                "vat_number": _("Indica la partita IVA dell'impresa."),
                "ateco": _("Indica almeno un codice ATECO 2025, quello dell'attività prevalente."),
            }
        for name, message in required.items():
            # A field absent from cleaned_data has an error of its own already.
            if name in data and not data[name]:
                self.add_error(name, message)
        return data

    @property
    def is_blank(self) -> bool:
        """Return whether nothing was typed in the row (it is then not a member)."""
        return not self.has_changed()


def _declared_rows(data: Any, key: str) -> int | None:
    """Return the row count that ``data`` declares under ``key``; ``None`` if it is not one."""
    values = data.getlist(key) if hasattr(data, "getlist") else [data[key]] if key in data else []
    if len(values) != 1:  # missing, or repeated
        return None
    return ascii_int(str(values[0]), maximum=999_999)  # more is out of range anyway


def _rows_sent(data: Any, prefix: str) -> int:
    """Return how many rows the fields in ``data`` reach: the highest row number sent."""
    start = f"{prefix}-"
    highest = 0
    for key in data:
        index, dash, _field = key.removeprefix(start).partition("-")
        if key.startswith(start) and dash and _ASCII_NUMBER.fullmatch(index):
            highest = max(highest, int(index) + 1 if len(index) <= 6 else 10**6)
    return highest


def posted_rows(data: Any, prefix: str = "form") -> tuple[int | None, int]:
    """Return the simulator's row count as ``data`` declares it (``None`` if unusable) and sent."""
    return _declared_rows(data, f"{prefix}-{TOTAL_FORM_COUNT}"), _rows_sent(data, prefix)


class BaseSimulatorMemberFormSet(forms.BaseFormSet):
    """The simulator's member rows, sound whatever management form comes with them.

    The page always sends one row count, at least ``extra``, and only fields
    of rows within it. A count that is missing, repeated, not a number, out of
    range or smaller than the rows sent is replaced with the rows sent, so
    that nothing typed is lost, and the formset is invalid with a message that
    says so: a tampered count never empties a network that is then evaluated.
    The simulator has no initial rows, so its initial count is always 0.
    """

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.rows_recovered = False
        if data is not None:
            prefix = kwargs.get("prefix") or self.get_default_prefix()
            declared, sent = posted_rows(data, prefix)
            self.rows_recovered = (
                declared is None or not 1 <= declared <= self.absolute_max or sent > declared
            )
            total_key = f"{prefix}-{TOTAL_FORM_COUNT}"
            initial_key = f"{prefix}-{INITIAL_FORM_COUNT}"
            if self.rows_recovered or data.get(initial_key) != "0":
                data = data.copy()
                data[initial_key] = "0"
                if self.rows_recovered:
                    data[total_key] = str(min(max(sent, self.extra), self.absolute_max))
        super().__init__(data, *args, **kwargs)

    def clean(self) -> None:
        """Check every filled-in row against the others: kind, name, founders, one lead.

        The checks run even when some rows have errors of their own, so that one
        submission shows every error found rather than one round at a time.
        """
        errors = []
        if self.rows_recovered:
            errors.append(
                ValidationError(
                    _(
                        "Il modulo è incompleto: il numero delle schede dei membri manca o non è "
                        "valido. Le schede compilate sono state recuperate: controllale e premi di "
                        "nuovo «Verifica la rete». Se l'errore si ripete, ricarica la pagina."
                    ),
                    code="rows_recovered",
                )
            )
        filled = {number for number, form in enumerate(self.forms, start=1) if not form.is_blank}
        for number, form in enumerate(self.forms, start=1):
            if number not in filled:
                continue
            data = form.cleaned_data
            if not data.get("kind") and not form.has_error("kind"):
                form.add_error("kind", _("Scegli il tipo di membro."))
            if not data.get("name", "").strip() and not form.has_error("name"):
                form.add_error("name", _("Indica la denominazione."))
            if data.get("kind") == OrganisationKind.ITS:
                self._check_founders(form, number, filled)
        if sum(1 for form in self.forms if form.cleaned_data.get("lead")) > 1:
            errors.append(ValidationError(_("Indica un solo capofila.")))
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _check_founders(form: SimulatorMemberForm, number: int, filled: set[int]) -> None:
        for founder in form.cleaned_data.get("founders", []):
            if founder == number:
                form.add_error("founders", _("Un ITS non può essere socio fondatore di se stesso."))
            elif founder not in filled:
                form.add_error(
                    "founders",
                    _(
                        "La scheda %(number)d è vuota o non esiste: indica i numeri delle schede "
                        "dei soci fondatori."
                    )
                    % {"number": founder},
                )


SimulatorMemberFormSet = forms.formset_factory(
    SimulatorMemberForm,
    formset=BaseSimulatorMemberFormSet,
    extra=7,
    max_num=MAX_SIMULATOR_MEMBERS,
    absolute_max=MAX_SIMULATOR_MEMBERS,
    validate_max=True,
)


def member_key(number: int) -> str:
    """Return the ``ptp-network/1`` key of the simulator's member number ``number`` (1-based)."""
    return f"membro-{number}"


_KIND_FIELDS = {
    OrganisationKind.INSTITUTE: ("school_code", "status", "offerings"),
    OrganisationKind.COMPANY: ("vat_number", "ateco", "commitment_signed"),
    OrganisationKind.ACCREDITED_BODY: ("sections", "offerings"),
    OrganisationKind.ITS: ("founders", "offerings"),
}


def network_from_forms(
    network_form: SimulatorNetworkForm, formset: BaseSimulatorMemberFormSet
) -> dict[str, Any]:
    """Return the ``ptp-network/1`` document that the filled-in forms describe.

    The forms need not be valid: a row without a kind is left out, a field
    with an error of its own is left out of its member, so that the document
    check can still report what is wrong in the rest.
    """
    data = network_form.cleaned_data
    rows = {
        member_key(number): form.cleaned_data
        for number, form in enumerate(formset.forms, start=1)
        if not form.is_blank and form.cleaned_data.get("kind")
    }
    members: list[dict[str, Any]] = []
    lead = None
    for key, row in rows.items():
        kind = row["kind"]
        member: dict[str, Any] = {"key": key, "kind": kind, "name": row.get("name", "")}
        if row.get("province"):
            member["province"] = row["province"]
        for name in _KIND_FIELDS.get(kind, ()):
            if name not in row:
                continue
            value = row[name]
            if name == "school_code":
                value = value.strip().upper()
            elif name == "vat_number":
                value = value.strip()
            elif name == "sections":
                value = sorted(value)
            elif name == "founders":
                # A founder row left out for its own errors is not reported again here.
                value = [member_key(n) for n in value if member_key(n) in rows]
            member[name] = value
        if row.get("lead"):
            lead = key
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


_MEMBER_PATH = re.compile(r"^members\[(?P<index>\d+)\]\.(?P<field>\w+)(?:\[(?P<item>\d+)\])?")
# The document check's words for a missing value, said as the form says them.
_MISSING = {"campo obbligatorio mancante", "non può essere vuoto"}


def attach_input_errors(
    network_form: SimulatorNetworkForm,
    formset: BaseSimulatorMemberFormSet,
    document: dict[str, Any],
    errors: list[InputError],
) -> list[str]:
    """Attach each error of a document built by ``network_from_forms`` to the field it came from.

    The JSON path (``members[0].school_code``) becomes the member's form and
    field; an offering's error names its line of the offering field. A field
    with an error of its own keeps only that one: the document's error on it
    is a consequence (a value left out). Return the messages that belong to
    no field.
    """
    forms_by_key = {member_key(n): form for n, form in enumerate(formset.forms, start=1)}
    elsewhere = []
    for error in errors:
        message = error.message
        if message in _MISSING:
            message = str(forms.Field.default_error_messages["required"])
        if error.path in network_form.fields:
            if not network_form.has_error(error.path):
                network_form.add_error(error.path, _sentence(message))
            continue
        match = _MEMBER_PATH.match(error.path)
        if match is None:
            elsewhere.append(_sentence(message))
            continue
        member = document["members"][int(match["index"])]
        form = forms_by_key[member["key"]]
        field = match["field"] if match["field"] in form.fields else None
        if field is not None and form.has_error(field):
            continue
        kind = OrganisationKind(member["kind"])
        message = message.replace(f"di tipo {kind.value}", f"di tipo «{kind.label}»")
        if field == "offerings" and match["item"] is not None:
            line = form.offering_lines[int(match["item"])]
            message = str(_("Riga %(number)d: %(message)s")) % {
                "number": line,
                "message": message,
            }
        form.add_error(field, _sentence(message))
    return elsewhere


def _sentence(message: str) -> str:
    message = str(message)
    return capfirst(message) + ("" if message.endswith((".", "?", "!")) else ".")


def error_summary(
    network_form: SimulatorNetworkForm,
    formset: BaseSimulatorMemberFormSet,
    elsewhere: Sequence[str] = (),
) -> list[ErrorSummaryItem]:
    """Return every error of the typed-in network, in the order of the page, each with its place."""
    items = [ErrorSummaryItem("", str(message)) for message in formset.non_form_errors()]
    items += [ErrorSummaryItem("", message) for message in elsewhere]
    items += form_errors(network_form, "", exclude=frozenset({"upload"}))
    for number, form in enumerate(formset.forms, start=1):
        prefix = str(_("Membro %(number)s") % {"number": number})
        items += form_errors(form, prefix)
    return items
