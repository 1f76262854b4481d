"""Rules on the shape of the network: its area, its lead partner, who is in it."""

from __future__ import annotations

from ..counting import Facts, canonical_school_code, canonical_vat_number
from ..types import Kind, Member, RuleResult
from .base import Rule, labels, registry

# Members that may join but are not part of the minimum composition: the DGR
# does not say who may lead, so a lead of these kinds is flagged, not refused.
_PERIPHERAL_KINDS = frozenset({Kind.UNIVERSITY, Kind.RESEARCH_CENTRE, Kind.OTHER})


@registry.register
class AreaRule(Rule):
    code = "PTP-AREA"
    citation = (
        "DGR X/124/2013, Allegato A: il polo si riferisce a una delle aree economiche professionali"
    )
    description = "L'area economico-professionale del polo è attiva nel catalogo"

    def assess(self, facts: Facts) -> RuleResult:
        """Pass when the area exists in the catalogue and is active."""
        areas = facts.catalogue.areas
        area = areas.get(facts.area)
        if area is not None and area.active:
            return self.result("pass", f"Area {area.name} attiva nel catalogo")
        active = [a.name for a in areas.values() if a.active]
        hint = (
            "Scegli una delle aree attive: " + ", ".join(active)
            if active
            else "Nessuna area è attiva nel catalogo: rivolgiti all'amministratore del catalogo"
        )
        if area is None:
            return self.result("fail", f"L'area «{facts.area}» non esiste nel catalogo", hint=hint)
        return self.result("fail", f"L'area {area.name} non è più attiva nel catalogo", hint=hint)


@registry.register
class LeadPartnerRule(Rule):
    code = "PTP-LEAD-PARTNER"
    citation = "DGR X/124/2013 (accordo di rete: capofila)"
    description = "Il capofila è un membro della rete"

    def assess(self, facts: Facts) -> RuleResult:
        """Fail without a lead among the members; warn when it is a peripheral member."""
        key = facts.composition.lead_partner
        lead = facts.by_key.get(key) if key else None
        if lead is None:
            message = (
                f"Il capofila «{key}» non è un membro della rete"
                if key
                else "Capofila non indicato"
            )
            return self.result(
                "fail",
                message,
                hint="Indica come capofila uno dei membri della rete, di norma un istituto",
            )
        message = f"Capofila: {lead.label} ({lead.kind.label})"
        if lead.kind in _PERIPHERAL_KINDS:
            return self.result(
                "warning",
                message + ", soggetto che può aderire alla rete ma non è tra quelli della "
                "composizione minima",
                members=(lead.key,),
                hint=(
                    "Indica come capofila un istituto, un soggetto accreditato, un ITS o "
                    "un'impresa della rete, oppure motiva la scelta nella domanda"
                ),
            )
        return self.result("pass", message, members=(lead.key,))


@registry.register
class UniqueRule(Rule):
    code = "PTP-UNIQUE"
    citation = "DGR X/124/2013 (accordo di rete: ogni soggetto vi partecipa una sola volta)"
    description = "Nessuna organizzazione compare due volte nella rete"

    def assess(self, facts: Facts) -> RuleResult:
        """Fail when two members share a key, a codice meccanografico or a partita IVA."""
        groups: dict[tuple[str, str], list[Member]] = {}
        for member in facts.composition.members:
            groups.setdefault(("chiave", member.key), []).append(member)
            if member.school_code.strip():
                code = canonical_school_code(member.school_code)
                groups.setdefault(("codice meccanografico", code), []).append(member)
            if member.vat_number.strip():
                number = canonical_vat_number(member.vat_number)
                groups.setdefault(("partita IVA", number), []).append(member)
        duplicates = [(what, members) for what, members in groups.items() if len(members) > 1]
        if not duplicates:
            return self.result("pass", "Nessuna organizzazione compare due volte")
        involved = dict.fromkeys(m.key for _, members in duplicates for m in members)
        message = "; ".join(
            f"stessa {field} {value}: {labels(members)}"
            if field in {"chiave", "partita IVA"}
            else f"stesso {field} {value}: {labels(members)}"
            for (field, value), members in duplicates
        )
        return self.result(
            "fail",
            message[:1].upper() + message[1:],
            members=tuple(involved),
            hint=(
                "Tieni un solo membro per ciascuna organizzazione e rimuovi gli altri; una sede "
                "(plesso) va inserita con il proprio codice meccanografico e il codice "
                "dell'istituto principale"
            ),
        )


@registry.register
class MemberTypesRule(Rule):
    code = "PTP-MEMBER-TYPES"
    citation = (
        "DGR X/124/2013, Allegato A (soggetti della rete: composizione minima e altri soggetti "
        "che possono farne parte)"
    )
    description = "I membri sono di tipi previsti dalla DGR"
    severity = "advisory"

    def assess(self, facts: Facts) -> RuleResult:
        """Warn about members the DGR does not foresee, for the officer to assess."""
        others = facts.of_kind(Kind.OTHER)
        if not others:
            return self.result("pass", "Tutti i membri sono di tipi previsti dalla DGR")
        return self.result(
            "warning",
            f"Soggetti non previsti dalla DGR, da valutare: {labels(others)}",
            members=tuple(m.key for m in others),
            hint=(
                f"Descrivi nella domanda il ruolo nel polo di {labels(others)}: "
                "l'istruttore ne valuterà la partecipazione"
            ),
        )
