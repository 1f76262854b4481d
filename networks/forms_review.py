"""Forms of the review: one per action the officer or the manager fires, and the private notes.

The forms only parse: whether an action applies, who may fire it and what it
needs beyond well-formed input (a 10-bis notice before a rejection, an
assessment for each rule with observations) is decided by
``networks.services.workflow``, whose errors the view shows on the same form.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from eligibility.core import Verdict
from networks.filters import OfficerField
from networks.forms import LongTextField, show_hidden_field_error
from networks.roles import display_name
from networks.services.workflow import (
    MAX_SUSPENSION_DAYS,
    check_request_deadline,
    latest_request_deadline,
)
from networks.widgets import DATE_INPUT, DATE_INVALID

# Free text the decree or the applicant reads: long enough for a few pages of reasons, short
# enough that a pasted document does not become a 50-page act. Notes and assessments: shorter.
LONG_TEXT = 20_000
SHORT_TEXT = 5_000


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ReviewActionForm(forms.Form):
    """The base of every action form: the ``prefix`` keeps each action's fields apart on the page."""

    def service_kwargs(self) -> dict[str, Any]:
        """Return the keyword arguments the action's service takes from this form."""
        return {}


class TakeChargeForm(ReviewActionForm):
    """Become the responsabile del procedimento: nothing to write."""


class ReassignForm(ReviewActionForm):
    """The manager chooses the officer who takes over the procedure."""

    officer = OfficerField(
        label=_("Nuovo responsabile del procedimento"),
        queryset=User.objects.none(),
        empty_label=_("Scegli un istruttore"),
        error_messages={
            "required": _("Scegli l'istruttore a cui assegnare la domanda."),
            "invalid_choice": _(
                "L'istruttore scelto non è più tra quelli disponibili: scegline un altro."
            ),
        },
        help_text=_("Il richiedente riceve il nome del nuovo responsabile (art. 8 L. 241/1990)."),
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[User] | None = None,
        current: User | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers if officers is not None else User.objects.none()
        self.current = current
        if current is None:  # nobody is in charge yet: the manager assigns, not reassigns
            self.fields["officer"].label = _("Responsabile del procedimento")

    def full_clean(self) -> None:
        super().full_clean()
        # The officer already in charge is not among the choices: a form sent twice, or a
        # page left open, names them. Say so, rather than "no longer available".
        chosen = self.data.get(self.add_prefix("officer")) if self.is_bound else None
        if (
            self.current is not None
            and "officer" in self._errors
            and chosen == str(self.current.pk)
        ):
            self._errors["officer"] = self.error_class(
                [
                    _("La domanda è già assegnata a %(name)s: scegli un altro istruttore.")
                    % {"name": display_name(self.current)}
                ]
            )

    def service_kwargs(self) -> dict[str, Any]:
        return {"officer_id": self.cleaned_data["officer"].pk}


class RequestIntegrationForm(ReviewActionForm):
    text = LongTextField(
        label=_("Che cosa deve integrare o correggere il richiedente"),
        widget=_textarea(6),
        max_length=LONG_TEXT,
        help_text=_("Il testo è inviato al referente del polo (art. 6 c. 1 lett. b L. 241/1990)."),
    )
    deadline = forms.DateField(
        label=_("Scadenza per la risposta"),
        widget=DATE_INPUT,
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": DATE_INVALID},
    )

    def __init__(
        self, *args: Any, suspends: bool = True, term_ends: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        values = {
            "days": MAX_SUSPENSION_DAYS,
            "latest": formats.date_format(latest_request_deadline(today), "SHORT_DATE_FORMAT"),
        }
        # The last day said as a date: «30 giorni» alone would not say that a holiday moves it.
        if suspends:
            help_text = _(
                "Nel formato gg/mm/aaaa: un giorno lavorativo, al più tardi il %(latest)s "
                "(%(days)s giorni da oggi o, se il trentesimo è festivo, il primo giorno "
                "lavorativo seguente). Il termine del procedimento resta sospeso fino ad allora."
            )
        else:
            help_text = _(
                "Nel formato gg/mm/aaaa: un giorno lavorativo, al più tardi il %(latest)s "
                "(%(days)s giorni da oggi o, se il trentesimo è festivo, il primo giorno "
                "lavorativo seguente). Il termine del procedimento non si sospende di nuovo: la "
                "sospensione per integrazioni è ammessa una sola volta (art. 2, comma 7, "
                "L. 241/1990)."
            )
        help_text %= values
        if not suspends and term_ends is not None:
            # The term runs on: an answer due after it would come when the term has passed.
            said = (
                _(
                    "Il termine del procedimento è già scaduto, il %(term)s: la risposta "
                    "arriverà comunque dopo."
                )
                if term_ends < today
                else _(
                    "Il termine del procedimento scade il %(term)s: una scadenza successiva lo "
                    "supererebbe."
                )
            )
            help_text += " " + said % {"term": formats.date_format(term_ends, "SHORT_DATE_FORMAT")}
        self.fields["deadline"].help_text = help_text

    def clean_deadline(self) -> date:
        deadline: date = self.cleaned_data["deadline"]
        check_request_deadline(deadline)
        return deadline

    def service_kwargs(self) -> dict[str, Any]:
        return {"text": self.cleaned_data["text"], "deadline": self.cleaned_data["deadline"]}


class ProposeApprovalForm(ReviewActionForm):
    """One required assessment per rule with observations, then the obligations of the decree."""

    obligations = LongTextField(
        label=_("Prescrizioni"),
        required=False,
        widget=_textarea(3),
        max_length=SHORT_TEXT,
        help_text=_(
            "Una per riga, all'infinito: ciascuna diventa un punto del DECRETA «di prescrivere al "
            "Polo di …» (per esempio: aderire a una fondazione ITS entro il 31/08/2027)."
        ),
    )
    note = LongTextField(
        label=_("Nota per il dirigente"),
        required=False,
        widget=_textarea(3),
        max_length=SHORT_TEXT,
    )

    def __init__(self, *args: Any, verdict: Verdict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.warning_codes: list[str] = []
        assessments: dict[str, forms.Field] = {}
        for result in verdict.results if verdict else ():
            if result.status != "warning":
                continue
            self.warning_codes.append(result.code)
            assessments[self.assessment_field(result.code)] = LongTextField(
                label=_("Valutazione di %(code)s") % {"code": result.code},
                widget=_textarea(3),
                max_length=SHORT_TEXT,
                # The rule's message is Italian on a page in any language (WCAG 3.1.2); the
                # form renders help texts as HTML, so the message is escaped here.
                help_text=format_html('<span lang="it">{}</span>', result.message),
            )
        # The assessments come first: they are what the decree's CONSIDERATO carries.
        self.fields = {**assessments, **self.fields}

    @staticmethod
    def assessment_field(code: str) -> str:
        return "assessment_" + code.lower().replace("-", "_")

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "assessments": {
                code: self.cleaned_data.get(self.assessment_field(code), "")
                for code in self.warning_codes
            },
            "obligations": self.cleaned_data["obligations"],
            "note": self.cleaned_data["note"],
        }


class SendRejectionNoticeForm(ReviewActionForm):
    reasons = LongTextField(
        label=_("Motivi ostativi all'accoglimento"),
        widget=_textarea(6),
        max_length=LONG_TEXT,
        help_text=_(
            "Il richiedente ha 10 giorni per presentare osservazioni (art. 10-bis); se il "
            "decimo cade in un giorno festivo, fino al primo giorno lavorativo seguente."
        ),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"reasons": self.cleaned_data["reasons"]}


class ProposeRejectionForm(ReviewActionForm):
    reasons = LongTextField(
        label=_("Motivazione del rigetto"), widget=_textarea(6), max_length=LONG_TEXT
    )
    observations_response = LongTextField(
        label=_("Perché le osservazioni non sono accolte"),
        required=False,
        widget=_textarea(4),
        max_length=LONG_TEXT,
        help_text=_("Obbligatorio se il richiedente ha presentato osservazioni."),
    )

    def __init__(self, *args: Any, observations: bool | None = None, **kwargs: Any) -> None:
        """``observations``: whether the applicant answered the 10-bis notice (None: unknown).

        The decree says either why the observations are not accepted or that none
        came: the field is asked for exactly when there is something to answer.
        """
        super().__init__(*args, **kwargs)
        if observations is False:
            del self.fields["observations_response"]
        elif observations:
            field = self.fields["observations_response"]
            field.required = True
            field.help_text = _(
                "Il richiedente ha presentato osservazioni: il decreto riporta perché non sono "
                "accolte."
            )
            field.error_messages["required"] = _(
                "Il richiedente ha presentato osservazioni: spiega perché non sono accolte."
            )

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "reasons": self.cleaned_data["reasons"],
            "observations_response": self.cleaned_data.get("observations_response", ""),
        }


class ProposalDecisionForm(ReviewActionForm):
    """A manager's decision on the pending proposal: it names the proposal the page showed.

    A page left open while the proposal was returned and another one made would
    otherwise adopt (or return) a proposal the manager never read.
    """

    proposal = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, proposal_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposal"].initial = proposal_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        show_hidden_field_error(
            self,
            "proposal",
            _(
                "Il modulo è arrivato incompleto e non è stato inviato: controlla la "
                "proposta mostrata nella pagina e invia di nuovo."
            ),
        )
        return cleaned

    def show_proposal(self, proposal_id: int | None) -> None:
        """Make a bound form carry ``proposal_id`` when shown again (the proposal now pending)."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("proposal")] = "" if proposal_id is None else str(proposal_id)

    def service_kwargs(self) -> dict[str, Any]:
        return {"proposal_id": self.cleaned_data.get("proposal")}


class AdoptForm(ProposalDecisionForm):
    note = LongTextField(
        label=_("Nota del dirigente"),
        required=False,
        widget=_textarea(3),
        max_length=SHORT_TEXT,
        help_text=_("Facoltativa: resta nella cronologia del procedimento."),
    )
    # Adoption cannot be undone from the portal: a deliberate tick, not a stray click.
    confirm = forms.BooleanField(
        label=_(
            "Adotto il decreto: prende il numero successivo dell'anno, è notificato al "
            "richiedente e non si può annullare dal portale."
        ),
        error_messages={"required": _("Spunta la conferma per adottare il decreto.")},
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "note": self.cleaned_data["note"]}


class ResumeReviewForm(ReviewActionForm):
    note = LongTextField(
        label=_("Nota per il richiedente"),
        required=False,
        widget=_textarea(3),
        max_length=SHORT_TEXT,
        help_text=_(
            "Facoltativa: il termine per le integrazioni è scaduto senza risposta e "
            "l'istruttoria prosegue sugli atti presentati; la nota va al referente."
        ),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class ResumeAfterNoticeForm(ReviewActionForm):
    note = LongTextField(
        label=_("Perché l'istruttoria prosegue"),
        widget=_textarea(3),
        max_length=SHORT_TEXT,
        help_text=_(
            "Il termine per le osservazioni al preavviso di rigetto è scaduto senza risposta: "
            "spiega al referente perché l'istruttoria prosegue invece di concludersi con il "
            "rigetto."
        ),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class ReturnProposalForm(ProposalDecisionForm):
    reasons = LongTextField(
        label=_("Motivi del rinvio all'istruttore"),
        widget=_textarea(4),
        max_length=LONG_TEXT,
        help_text=_("Art. 6 c. 1 lett. e L. 241/1990: il dirigente motiva se si discosta."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "reasons": self.cleaned_data["reasons"]}


class OfficerNoteForm(forms.Form):
    text = LongTextField(
        label=_("Nuova nota interna"),
        widget=_textarea(3),
        max_length=SHORT_TEXT,
        help_text=_("Visibile solo agli istruttori e ai dirigenti."),
    )


# The workflow's action name → the form the page shows for it.
ACTION_FORMS: dict[str, type[ReviewActionForm]] = {
    "take_charge": TakeChargeForm,
    "request_integration": RequestIntegrationForm,
    "resume_review": ResumeReviewForm,
    "resume_after_notice": ResumeAfterNoticeForm,
    "propose_approval": ProposeApprovalForm,
    "send_rejection_notice": SendRejectionNoticeForm,
    "propose_rejection": ProposeRejectionForm,
    "adopt_approval": AdoptForm,
    "adopt_rejection": AdoptForm,
    "return_proposal": ReturnProposalForm,
    "assign": ReassignForm,
    "reassign": ReassignForm,
}
