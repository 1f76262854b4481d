"""A readable diff between two ``ptp-network/1`` documents (two submitted versions).

Sentences in Italian, one per change, for the applicant and the officer: which
members joined or left, and which fields of the polo or of a member changed.
"""

from typing import Any

FIELD_LABELS = {
    "name": "denominazione",
    "area": "area",
    "lead_partner": "capofila",
    "contact": "referente",
    "province": "provincia",
    "school_code": "codice meccanografico",
    "main_school_code": "istituzione principale",
    "status": "stato giuridico",
    "vat_number": "partita IVA",
    "ateco": "codici ATECO",
    "ateco_edition": "edizione ATECO",
    "chamber_registered": "iscrizione CCIAA",
    "commitment_signed": "impegno sottoscritto",
    "sections": "sezioni di accreditamento",
    "labour_services": "servizi per il lavoro",
    "accreditation_id": "identificativo di accreditamento",
    "founders": "soci fondatori",
    "offerings": "offerta formativa",
    "kind": "tipo",
}
_IGNORED = {"format", "reference_date", "members", "key"}


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and "programme" in value[0]:
            return ", ".join(
                f"{o['programme']} {o['from']}–{o.get('to') or 'in corso'}" for o in value
            )
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return str(value)


def _changes(old: dict[str, Any], new: dict[str, Any], prefix: str) -> list[str]:
    lines = []
    for field in sorted((set(old) | set(new)) - _IGNORED):
        before, after = old.get(field), new.get(field)
        if before != after:
            label = FIELD_LABELS.get(field, field)
            lines.append(f"{prefix}{label}: {_show(before)} → {_show(after)}")
    return lines


def network_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return one Italian sentence per difference between two network documents."""
    lines = _changes(old, new, "Polo – ")
    old_members = {m["key"]: m for m in old.get("members", [])}
    new_members = {m["key"]: m for m in new.get("members", [])}
    lines.extend(
        f"Entra nella rete: {new_members[key]['name']}"
        for key in new_members
        if key not in old_members
    )
    lines.extend(
        f"Esce dalla rete: {old_members[key]['name']}"
        for key in old_members
        if key not in new_members
    )
    for key, member in new_members.items():
        if key in old_members:
            lines.extend(_changes(old_members[key], member, f"{member['name']} – "))
    return lines
