"""The three-year offer: every training subject has offered the area long enough."""

from __future__ import annotations

from ..counting import Facts, consecutive_years_phrase, years_phrase
from ..types import RuleResult
from .base import Rule, labels, registry


@registry.register
class OfferYearsRule(Rule):
    code = "PTP-OFFER-3Y"
    citation = (
        "DGR X/124/2013, Allegato A, requisiti per partecipare (i soggetti formativi hanno "
        "da almeno 3 anni un indirizzo di studio riferibile all'area)"
    )
    description = (
        "Ogni soggetto formativo offre un indirizzo dell'area da almeno il minimo di anni "
        "scolastici consecutivi"
    )
    param_names = ("min_offer_years",)

    def assess(self, facts: Facts) -> RuleResult:
        """Fail, naming each one and its years, when a training subject falls short."""
        subjects = facts.training_subjects
        minimum = facts.min_offer_years
        area = facts.area_name
        short = [m for m in subjects if not facts.offers_enough(m)]
        if not short:
            message = (
                f"Tutti i soggetti formativi ({len(subjects)}) offrono un indirizzo dell'area "
                f"{area} da almeno {consecutive_years_phrase(minimum)}"
                if subjects
                else "Nessun soggetto formativo nella rete"
            )
            return self.result("pass", message, members=tuple(m.key for m in subjects))
        details = []
        for member in short:
            years = facts.offer_years[member.key]
            if years == 0:
                details.append(f"{member.label}: nessuna offerta dell'area nel {facts.ref_year}")
            else:
                since = facts.ref_year - (years - 1)
                details.append(f"{member.label}: dal {since}, {years_phrase(years)}")
        earliest = facts.ref_year - (minimum - 1)
        if len(short) == 1:
            subject, verb = "soggetto formativo", "offre"
        else:
            subject, verb = "soggetti formativi", "offrono"
        return self.result(
            "fail",
            f"{len(short)} {subject} su {len(subjects)} non {verb} un indirizzo dell'area "
            f"{area} da almeno {consecutive_years_phrase(minimum)} — " + "; ".join(details),
            members=tuple(m.key for m in short),
            hint=(
                f"Per {labels(short)} inserisci le offerte dell'area {area} di ogni anno "
                f"scolastico dal {earliest} al {facts.ref_year}, se ci sono state, oppure "
                "togli il soggetto dalla rete"
            ),
        )
