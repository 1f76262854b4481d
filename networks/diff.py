"""A readable diff between two submitted versions: their ``ptp-network/1`` documents, plans and files.

Sentences in the user's language, one per change, for the applicant and the officer: which
members joined or left, which fields of the polo or of a member changed, which
texts of the polo's plan changed, and which documents were added or taken away
(a document is its kind and its content: the same SHA-256 under another name is
the same document, under another kind another one).
"""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.constants import DocumentKind

FIELD_LABELS = {
    "name": gettext_lazy("denominazione"),
    "area": gettext_lazy("area"),
    "lead_partner": gettext_lazy("capofila"),
    "contact": gettext_lazy("referente"),
    "province": gettext_lazy("provincia"),
    "school_code": gettext_lazy("codice meccanografico"),
    "main_school_code": gettext_lazy("istituzione principale"),
    "status": gettext_lazy("stato giuridico"),
    "vat_number": gettext_lazy("partita IVA"),
    "ateco": gettext_lazy("codici ATECO"),
    "ateco_edition": gettext_lazy("edizione ATECO"),
    "chamber_registered": gettext_lazy("iscrizione CCIAA"),
    "commitment_signed": gettext_lazy("impegno sottoscritto"),
    "sections": gettext_lazy("sezioni di accreditamento"),
    "labour_services": gettext_lazy("servizi per il lavoro"),
    "accreditation_id": gettext_lazy("identificativo di accreditamento"),
    "founders": gettext_lazy("soci fondatori"),
    "offerings": gettext_lazy("offerta formativa"),
    "kind": gettext_lazy("tipo"),
}
# The polo's plan (``ApplicationVersion.details``), as the form names it.
DETAIL_LABELS = {
    "description": gettext_lazy("descrizione del polo"),
    "objectives": gettext_lazy("obiettivi"),
    "alternanza_actions": gettext_lazy("azioni di alternanza (PCTO)"),
    "flessibilita_actions": gettext_lazy("azioni di flessibilità"),
    "laboratories": gettext_lazy("laboratori condivisi"),
    "commitments": gettext_lazy("impegni dei partner"),
}
# A changed text is quoted up to this many characters before and after.
EXCERPT_CHARS = 160
# The referente's fields (``contact``).
SUBFIELD_LABELS = {
    "name": gettext_lazy("nome"),
    "email": gettext_lazy("email"),
    "phone": gettext_lazy("telefono"),
}
_IGNORED = {"format", "reference_date", "members", "key"}


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and "programme" in value[0]:
            return ", ".join(
                f"{o['programme']} {o['from']}–{o.get('to') or _('in corso')}" for o in value
            )
        return ", ".join(str(item) for item in value)
    return str(value)


def _changes(old: dict[str, Any], new: dict[str, Any], prefix: str) -> list[str]:
    lines = []
    for field in sorted((set(old) | set(new)) - _IGNORED):
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        label = FIELD_LABELS.get(field, field)
        if isinstance(before, dict) or isinstance(after, dict):
            before, after = before or {}, after or {}
            for subfield in sorted(set(before) | set(after)):
                if before.get(subfield) != after.get(subfield):
                    sublabel = SUBFIELD_LABELS.get(subfield, subfield)
                    lines.append(
                        f"{prefix}{label}, {sublabel}: "
                        f"{_show(before.get(subfield))} → {_show(after.get(subfield))}"
                    )
            continue
        lines.append(f"{prefix}{label}: {_show(before)} → {_show(after)}")
    return lines


def network_diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return one sentence per difference between two network documents."""
    lines = _changes(old, new, _("Polo") + " – ")
    old_members = {m["key"]: m for m in old.get("members", [])}
    new_members = {m["key"]: m for m in new.get("members", [])}
    lines.extend(
        _("Entra nella rete: %(name)s") % {"name": new_members[key]["name"]}
        for key in new_members
        if key not in old_members
    )
    lines.extend(
        _("Esce dalla rete: %(name)s") % {"name": old_members[key]["name"]}
        for key in old_members
        if key not in new_members
    )
    for key, member in new_members.items():
        if key in old_members:
            lines.extend(_changes(old_members[key], member, f"{member['name']} – "))
    return lines


def _words(text: str) -> str:
    return " ".join(text.split())


def _excerpt(text: str) -> str:
    text = _words(text)
    if not text:
        return "—"
    if len(text) <= EXCERPT_CHARS:
        return f"«{text}»"
    return f"«{text[:EXCERPT_CHARS].rstrip()}…»"


def details_diff(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """Return one sentence per text of the polo's plan that changed.

    A version submitted before the plan was kept has none (``{}``): against it
    nothing can be said, and nothing is.
    """
    if not old or not new:
        return []
    return [
        _("Piano delle attività") + f" – {label}: {_excerpt(old.get(field, ''))} → "
        f"{_excerpt(new.get(field, ''))}"
        for field, label in DETAIL_LABELS.items()
        if _words(old.get(field, "")) != _words(new.get(field, ""))
    ]


def versions_diff(old: Any, new: Any) -> dict[str, Any]:
    """Return what changed from submitted version ``old`` to ``new``, for the diff page."""
    return {
        "old": old,
        "new": new,
        "changes": network_diff(old.network, new.network) + details_diff(old.details, new.details),
        "document_changes": documents_diff(old.documents, new.documents),
        # Versions submitted before the plan was kept: its texts cannot be compared.
        "details_unknown": not old.details or not new.details,
    }


def unsent_changes(version: Any, unsent: dict[str, Any]) -> dict[str, Any]:
    """Return what the applicant had prepared against ``version`` and never sent.

    ``unsent`` is a lapsed request's record (``ProcedureRequest.unsent``). The plan's
    texts that differ are given whole, not as excerpts: they are there to be taken up
    again.
    """
    details = unsent.get("details", {})
    return {
        "changes": network_diff(version.network, unsent.get("network", version.network)),
        "texts": [
            {"field": field, "label": label, "text": details[field]}
            for field, label in DETAIL_LABELS.items()
            if field in details and _words(version.details.get(field, "")) != _words(details[field])
        ],
    }


def documents_diff(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> list[str]:
    """Return one sentence per document added or taken away between two versions."""
    kinds = dict(DocumentKind.choices)

    def line(verb: str, document: dict[str, Any]) -> str:
        kind = kinds.get(document["kind"], document["kind"])
        return f"{verb} – {kind}: {document['name']}"

    def identity(document: dict[str, Any]) -> tuple[str, str]:
        # The same content filed as another kind (an agreement sent again as an integration
        # document) is a document of its own.
        return document["kind"], document["sha256"]

    old_ids = {identity(document) for document in old}
    new_ids = {identity(document) for document in new}
    added, removed = _("Documento aggiunto"), _("Documento tolto")
    return [line(added, d) for d in new if identity(d) not in old_ids] + [
        line(removed, d) for d in old if identity(d) not in new_ids
    ]
