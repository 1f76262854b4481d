"""Forms of the applicant's journey. They parse and show errors; services decide and write."""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from localflavor.it.it_province import PROVINCE_CHOICES

from networks.constants import ApplicationStatus, OrganisationKind, SchoolStatus
from networks.forms import (
    AtecoCodesField,
    LongTextField,
    OrganisationInputForm,
    PlainTextField,
    add_text_check,
    drop_null_check,
    show_hidden_field_error,
)
from networks.models import Application, Call, EconomicArea, Organisation, StudyProgramme
from networks.schoolyears import SchoolYearFormField
from networks.services.applications import (
    DETAIL_FIELDS,
    DETAIL_TEXT_FIELDS,
    DETAIL_TEXT_MAX,
    area_locked_text,
)
from networks.services.workflow import MAX_OBSERVATION_DOCUMENTS
from networks.validators import (
    ascii_int,
    normalise_phone,
    validate_long_text,
    validate_phone,
    validate_plain_name,
    validate_plain_text,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024


class ApplicationStartForm(forms.Form):
    call = forms.ModelChoiceField(label=_("Avviso"), queryset=Call.objects.none(), empty_label=None)
    organisation = forms.ModelChoiceField(
        label=_("Organizzazione richiedente"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_(
            "La domanda è presentata per conto di questa organizzazione, che è la prima "
            "capofila: nel passaggio dei partner puoi indicare come capofila un altro membro."
        ),
    )
    name = PlainTextField(
        label=_("Denominazione del polo"), max_length=255, check=validate_plain_name
    )

    def __init__(self, *args: Any, calls: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.has_error("call", "invalid_choice"):
            # Chosen from the page a moment ago, the call may have closed since.
            chosen = Call.objects.filter(pk=ascii_int(self.data.get("call", ""))).first()
            if chosen is not None and chosen.closes_at <= timezone.now():
                self.errors["call"] = self.error_class(
                    [
                        _(
                            "L'avviso «%(call)s» non accetta più domande: si è chiuso il "
                            "%(date)s alle %(time)s. Scegli uno degli avvisi aperti."
                        )
                        % {
                            "call": chosen.title,
                            "date": f"{timezone.localtime(chosen.closes_at):%d/%m/%Y}",
                            "time": f"{timezone.localtime(chosen.closes_at):%H:%M}",
                        }
                    ]
                )
        return cleaned


class ApplicationDetailsForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Application
        fields = list(DETAIL_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in DETAIL_TEXT_FIELDS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        area.queryset = EconomicArea.objects.filter(active=True)
        area.required = True
        area.empty_label = _("Scegli l'area")
        if self.instance.status == ApplicationStatus.INTEGRATION_REQUESTED:
            # What the polo applied for stays as submitted, even if the catalogue retired it since.
            area.queryset = EconomicArea.objects.filter(pk=self.instance.area_id)
            area.disabled = True
            area.empty_label = None
            # crispy renders help texts as markup: the area's name is catalogue text.
            area.help_text = escape(area_locked_text(self.instance))
        elif self.instance.area_id is not None and not self.instance.area.active:
            # The list offers active areas only: without a word the chosen one would just vanish.
            area.help_text = escape(
                _(
                    "L'area scelta finora, «%(area)s», non è più attiva nel catalogo della "
                    "Regione: con essa la domanda non si può presentare, scegline un'altra."
                )
                % {"area": self.instance.area.name}
            )
        self.fields["revision"].initial = self.instance.revision
        self.fields["contact_phone"].widget.input_type = "tel"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        add_text_check(self.fields["name"], validate_plain_name)
        add_text_check(self.fields["contact_name"], validate_plain_text)
        drop_null_check(self.fields["contact_email"])
        for name in DETAIL_TEXT_FIELDS:
            self.fields[name].validators.append(MaxLengthValidator(DETAIL_TEXT_MAX))
            add_text_check(self.fields[name], validate_long_text)
            self.fields[name].widget.attrs["maxlength"] = str(DETAIL_TEXT_MAX)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        show_hidden_field_error(
            self,
            "revision",
            _(
                "Il modulo è arrivato incompleto e non è stato salvato: ricarica la pagina "
                "e salva di nuovo (quanto hai scritto è qui sotto)."
            ),
        )
        return cleaned

    def clean_contact_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["contact_phone"])
        validate_phone(phone)
        return phone


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cerca nell'anagrafe"),
        min_length=2,
        max_length=100,
        help_text=_(
            "Denominazione, codice meccanografico (anche solo l'inizio), partita IVA o "
            "identificativo di accreditamento."
        ),
    )


class MemberForm(forms.Form):
    role = PlainTextField(
        label=_("Ruolo nella rete"),
        max_length=255,
        required=False,
        check=validate_plain_text,
    )
    is_lead = forms.BooleanField(label=_("Capofila"), required=False)
    # The box as the page showed it: left as it was, it does not undo a lead chosen meanwhile.
    lead_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisation_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every card of the step has these fields: their names say whose they are (WCAG 2.4.6).
        for name in ("role", "is_lead"):
            self.fields[name].label = format_html(
                '{}<span class="visually-hidden"> – {}</span>',
                self.fields[name].label,
                organisation_name,
            )

    def lead_choice(self, current: bool) -> bool:
        """Return the lead flag to save: the box if the user changed it, else ``current``."""
        if self.cleaned_data["is_lead"] == self.cleaned_data["lead_shown"]:
            return current
        return self.cleaned_data["is_lead"]


class OrganisationRegisterForm(OrganisationInputForm):
    """A new organisation for the registry, with the fields of its kind (validated by the model)."""

    ateco_codes = AtecoCodesField(label=_("Codici ATECO"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "province",
            "city",
            "school_code",
            "school_status",
            "vat_number",
            "ateco_codes",
            "ateco_edition",
            "chamber_registered",
            "section_a",
            "section_b",
            "labour_services",
            "accreditation_id",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *PROVINCE_CHOICES]
        self.fields["school_status"].choices = [("", "—"), *SchoolStatus.choices]
        self.fields["kind"].choices = OrganisationKind.choices


class OfferingForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Indirizzo di studio"),
        queryset=StudyProgramme.objects.filter(active=True),
    )
    first_year = SchoolYearFormField(label=_("Dal (anno scolastico)"))
    last_year = SchoolYearFormField(
        label=_("Al (anno scolastico)"), required=False, help_text=_("Vuoto se ancora offerto.")
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File PDF"),
        help_text=_("Solo PDF, entro il limite di dimensione dell'avviso."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class NetworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("File ptp-network/1 (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/json,.json"}),
        help_text=_(
            "Il file sostituisce i membri della rete e anche la denominazione e l'area del "
            "polo, e il referente se lo indica. Delle organizzazioni già nell'anagrafe che "
            "puoi modificare prende i dati, l'offerta formativa e i soci fondatori: valgono "
            "per ogni domanda in cui compaiono."
        ),
    )

    def clean_file(self) -> Any:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("Il file supera 2 MB: non è un file ptp-network/1 plausibile.")
            )
        return uploaded


class DraftDeleteForm(forms.Form):
    """The deliberate tick that deleting a draft asks for: it cannot be undone."""

    confirm = forms.BooleanField(
        label=_(
            "Elimino la bozza con la sua rete e i documenti caricati: non si potrà recuperare."
        ),
        error_messages={"required": _("Spunta la conferma per eliminare la bozza.")},
    )


class ReasonForm(forms.Form):
    text = LongTextField(
        label=_("Motivazione"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class PdfFilesInput(forms.ClearableFileInput):
    """A file input that lets the user choose several PDFs at once."""

    allow_multiple_selected = True


class PdfFilesField(forms.FileField):
    """Zero or more uploaded files, each one checked as a ``FileField`` checks one.

    Whether they are PDFs, and how many may go, the service decides.
    """

    widget = PdfFilesInput(attrs={"accept": "application/pdf"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = list(data) if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned, errors = [], []
        for item in files:
            try:
                cleaned.append(super().clean(item, initial))
            except forms.ValidationError as error:
                # With several files, say which one: "the file is empty" names none.
                name = getattr(item, "name", "") or _("senza nome")
                errors.extend(
                    _("«%(name)s»: %(problem)s") % {"name": name, "problem": message}
                    for message in error.messages
                )
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class ObservationsForm(forms.Form):
    """The applicant's observations on a 10-bis notice, with documents if any."""

    text = LongTextField(
        label=_("Osservazioni"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )
    attachments = PdfFilesField(
        label=_("Documenti a sostegno (facoltativi)"),
        required=False,
        help_text=format_lazy(
            _("Fino a {count} file PDF, ciascuno entro il limite di dimensione dell'avviso."),
            count=MAX_OBSERVATION_DOCUMENTS,
        ),
    )


class AnswerForm(forms.Form):
    text = LongTextField(
        label=_("Nota per l'istruttore"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
        help_text=_("Che cosa hai modificato o aggiunto."),
    )
