"""Rules on companies: how many, in which area, and their signed commitment."""

from __future__ import annotations

from ..counting import CompanyFit, Facts, Tally
from ..types import CURRENT_ATECO_EDITION, AtecoCode, Catalogue, Kind, Member, RuleResult
from .base import MinimumRule, Rule, labels, registry


def _describe_code(code: AtecoCode, catalogue: Catalogue) -> str:
    """Return ``47.11 (Servizi commerciali e trasporti)`` or why the code has no area."""
    areas = catalogue.areas_for_code(code)
    if areas is not None:
        names = ", ".join(sorted(catalogue.area_name(a) for a in areas))
        if code.edition != CURRENT_ATECO_EDITION:
            # One bracket, not «62.01 (ATECO 2022) (Cultura)».
            return f"{code.code} (ATECO {code.edition}: {names})"
        return f"{code} ({names})"
    if not code.codes_2025:
        return f"{code}, senza corrispondenza in ATECO 2025"
    return f"{code}, non associato ad alcuna area"


def _describe_codes(member: Member, catalogue: Catalogue) -> str:
    if not member.ateco:
        return f"{member.label}: nessun codice ATECO indicato"
    return f"{member.label}: " + "; ".join(_describe_code(c, catalogue) for c in member.ateco)


@registry.register
class CompaniesRule(MinimumRule):
    code = "PTP-COMPANIES"
    citation = "DGR X/124/2013, Allegato A, composizione minima della rete (imprese)"
    description = "Numero minimo di imprese dell'area iscritte alla Camera di commercio"
    param_names = ("min_companies",)
    minimum_param = "min_companies"
    singular = "impresa"
    plural = "imprese"
    feminine = True

    def tally(self, facts: Facts) -> Tally:
        """Return the counting companies, one per partita IVA."""
        return facts.companies

    def missing_hint(self, facts: Facts, missing: int) -> str:
        """Ask for registered companies of the area that did not found the ITS."""
        what = "impresa iscritta" if missing == 1 else "imprese iscritte"
        return (
            f"Aggiungi almeno {missing} {what} alla Camera di commercio, con un codice ATECO "
            f"dell'area {facts.area_name} e non tra i soci fondatori dell'ITS della rete"
        )


@registry.register
class CompanyAreaRule(Rule):
    code = "PTP-COMPANY-AREA"
    citation = (
        "DGR X/124/2013, Allegato A, requisiti per partecipare (le aziende devono essere "
        "appartenenti all'area economica e professionale prescelta)"
    )
    description = "Ogni impresa ha un codice ATECO riferito all'area del polo"

    def assess(self, facts: Facts) -> RuleResult:
        """Fail on companies of other areas; warn on companies whose codes map nowhere."""
        companies = facts.of_kind(Kind.COMPANY)
        other = [m for m in companies if facts.company_fits[m.key] is CompanyFit.OTHER_AREAS]
        unmapped = [m for m in companies if facts.company_fits[m.key] is CompanyFit.UNMAPPED]
        area = facts.area_name
        if not other and not unmapped:
            if not companies:
                return self.result("pass", "Nessuna impresa nella rete")
            return self.result(
                "pass",
                f"Tutte le imprese ({len(companies)}) hanno un codice ATECO dell'area {area}",
                members=tuple(m.key for m in companies),
            )
        sentences = []
        if other:
            sentences.append(
                f"Imprese con codici ATECO di aree diverse da {area} — "
                + "; ".join(_describe_codes(m, facts.catalogue) for m in other)
            )
        if unmapped:
            sentences.append(
                "Imprese con codici ATECO non associati ad alcuna area, da valutare — "
                + "; ".join(_describe_codes(m, facts.catalogue) for m in unmapped)
            )
        message = ". ".join(sentences)
        if other:
            return self.result(
                "fail",
                message,
                members=tuple(m.key for m in (*other, *unmapped)),
                hint=(
                    f"Indica per {labels(other)} il codice ATECO di un'attività dell'area "
                    f"{area}, se la svolge, oppure togli l'impresa dalla rete"
                ),
            )
        return self.result(
            "warning",
            message,
            members=tuple(m.key for m in unmapped),
            hint=(
                f"Descrivi nella domanda l'attività di {labels(unmapped)}: l'istruttore valuterà "
                f"se rientra nell'area {area}"
            ),
        )


@registry.register
class CompanyCommitmentRule(Rule):
    code = "PTP-COMPANY-COMMITMENT"
    citation = (
        "DGR X/124/2013, Allegato A, requisiti per partecipare (impegno delle aziende a "
        "garantire a tutti gli studenti le azioni di alternanza e flessibilità)"
    )
    description = "Ogni impresa ha firmato l'impegno su alternanza e flessibilità"

    def assess(self, facts: Facts) -> RuleResult:
        """Fail while any company has not signed the commitment."""
        companies = facts.of_kind(Kind.COMPANY)
        unsigned = [m for m in companies if not m.commitment_signed]
        if not unsigned:
            message = (
                f"Tutte le imprese ({len(companies)}) hanno firmato l'impegno"
                if companies
                else "Nessuna impresa nella rete"
            )
            return self.result("pass", message, members=tuple(m.key for m in companies))
        return self.result(
            "fail",
            f"Impegno su alternanza e flessibilità non firmato da: {labels(unsigned)}",
            members=tuple(m.key for m in unsigned),
            hint=(
                "Allega la dichiarazione d'impegno su alternanza e flessibilità firmata dal legale "
                f"rappresentante di {labels(unsigned)}"
            ),
        )
