"""Rules on the minimum of training subjects: institutes, Section-A bodies, ITS, founders."""

from __future__ import annotations

from ..counting import Facts, Tally, consecutive_years_phrase, date_param
from ..types import Kind, RuleResult
from .base import MinimumRule, Rule, italian_date, labels, lowercase_first, registry


@registry.register
class InstitutesRule(MinimumRule):
    code = "PTP-INSTITUTES"
    citation = (
        "DGR X/124/2013, Allegato A, composizione minima della rete "
        "(istituti tecnici e/o professionali)"
    )
    description = "Numero minimo di istituti tecnici e/o professionali, statali o paritari"
    param_names = ("min_institutes", "min_offer_years")
    minimum_param = "min_institutes"
    singular = "istituto"
    plural = "istituti"

    def tally(self, facts: Facts) -> Tally:
        """Return the counting institutes, one per main institution."""
        return facts.institutes

    def missing_hint(self, facts: Facts, missing: int) -> str:
        """Ask for tecnico or professionale institutes with an area offer long enough."""
        what = (
            "istituto tecnico o professionale, statale o paritario"
            if missing == 1
            else "istituti tecnici o professionali, statali o paritari"
        )
        return (
            f"Aggiungi almeno {missing} {what}, con percorsi dell'area {facts.area_name} "
            f"offerti da almeno {consecutive_years_phrase(facts.min_offer_years)}"
        )


@registry.register
class AccreditedARule(MinimumRule):
    code = "PTP-ACCREDITED-A"
    citation = (
        "DGR X/124/2013, Allegato A, composizione minima della rete "
        "(soggetto accreditato alla sezione A)"
    )
    description = "Numero minimo di soggetti accreditati alla Sezione A dell'albo regionale"
    param_names = ("min_accredited_a", "min_offer_years")
    minimum_param = "min_accredited_a"
    singular = "soggetto accreditato in Sezione A"
    plural = "soggetti accreditati in Sezione A"

    def tally(self, facts: Facts) -> Tally:
        """Return the counting Section-A bodies."""
        return facts.section_a_bodies

    def missing_hint(self, facts: Facts, missing: int) -> str:
        """Ask for Section-A bodies with area courses offered long enough."""
        what = "soggetto accreditato" if missing == 1 else "soggetti accreditati"
        return (
            f"Aggiungi almeno {missing} {what} alla Sezione A dell'albo regionale con percorsi "
            f"dell'area {facts.area_name} offerti da almeno "
            f"{consecutive_years_phrase(facts.min_offer_years)}"
        )


@registry.register
class ItsRule(MinimumRule):
    code = "PTP-ITS"
    citation = (
        "DGR X/124/2013, Allegato A, composizione minima della rete (istituto tecnico "
        "superiore; nel primo triennio la partecipazione non è requisito vincolante)"
    )
    description = "Numero minimo di ITS, vincolante dopo il primo triennio"
    param_names = ("min_its", "its_binding_from", "min_offer_years")
    minimum_param = "min_its"
    singular = "ITS"
    plural = "ITS"

    def tally(self, facts: Facts) -> Tally:
        """Return the counting ITS."""
        return facts.its

    def missing_hint(self, facts: Facts, missing: int) -> str:
        """Ask for ITS with area courses offered long enough."""
        return (
            f"Aggiungi almeno {missing} ITS con percorsi dell'area {facts.area_name} attivi da "
            f"almeno {consecutive_years_phrase(facts.min_offer_years)}"
        )

    def shortfall(self, facts: Facts, tally: Tally, required: int, message: str) -> RuleResult:
        """Fail from the binding date on; before it, only warn."""
        binding_from = date_param(facts.params, "its_binding_from")
        if facts.as_of >= binding_from:
            return super().shortfall(facts, tally, required, message)
        return self.result(
            "warning",
            f"{message}. La partecipazione di un ITS è vincolante dal {italian_date(binding_from)}",
            members=tally.keys,
            counted=tally.units,
            required=required,
            hint=f"Dal {italian_date(binding_from)} sarà obbligatorio: "
            + lowercase_first(self.full_hint(facts, tally, required)),
        )


@registry.register
class ItsFoundersRule(Rule):
    code = "PTP-ITS-FOUNDERS"
    citation = (
        "DI 7 febbraio 2013, Allegato C (standard minimi dei poli tecnico-professionali: "
        "i soci fondatori dell'ITS non concorrono al numero minimo di istituti e imprese)"
    )
    description = "I soci fondatori di un ITS della rete non contano tra istituti e imprese"
    severity = "advisory"

    def assess(self, facts: Facts) -> RuleResult:
        """Warn, naming them, when institutes or companies are left out as ITS founders."""
        founders = [
            member
            for kind in (Kind.INSTITUTE, Kind.COMPANY)
            for member in facts.of_kind(kind)
            if member.key in facts.founded_by
        ]
        if not founders:
            return self.result(
                "pass", "Nessun istituto o impresa della rete è socio fondatore di un suo ITS"
            )
        details = "; ".join(f"{m.label} ({labels(facts.founded_by[m.key])})" for m in founders)
        return self.result(
            "warning",
            f"Non contano tra istituti e imprese perché soci fondatori di un ITS della rete: "
            f"{details}",
            members=tuple(m.key for m in founders),
            hint=(
                "Verifica che istituti e imprese non fondatori dell'ITS bastino a raggiungere i "
                "minimi (PTP-INSTITUTES, PTP-COMPANIES); se non bastano, aggiungine altri"
            ),
        )
