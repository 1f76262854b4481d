"""The open data of the register: CSV, JSON and their DCAT-AP_IT catalogue (DOMAIN.md §7).

Contract, kept stable because other programs read it (``DATASET_VERSION``
changes whenever a column or key changes):

- ``poli.csv``: UTF-8 **without** BOM, comma-separated, RFC 4180 quoting, one
  row per member of each recognised polo, the columns of ``CSV_COLUMNS`` in
  that order. A BOM would become part of the first column's name for most
  programs that read data (Python's ``csv``, R, pandas with ``utf-8``); the
  open-data page tells spreadsheet users how to import. Dates are ISO 8601
  (``2026-11-23``): sortable and unambiguous for machines, while the pages
  show ``dd/mm/yyyy`` to people. Booleans are ``true``/``false``. Rows come by
  ``polo_id``, then in the order of the polo's members in its document.
- ``poli.json``: a list; per polo ``id``, the frozen ``ptp-network/1``
  document without its ``contact`` object (valid input for
  ``check_network``), the area's name, the decree (number, year, date,
  verification URL, download URL, SHA-256) and the recognition period; by ``id``.
  Every list of a document keeps the order the export gave it when the version was
  frozen: one order for the same data, ties broken by identifier and id
  (``eligibility.adapters``, ``FOUNDER_ORDER`` and the others).
- ``catalogo.jsonld``: DCAT-AP_IT (JSON-LD) describing both, licence CC-BY 4.0.

Every absolute URL starts from ``settings.PORTAL_BASE_URL``, never from the
request's Host header, and every label in the files (``membro_tipo_descrizione``,
the statistics' names) is in Italian (``LANGUAGE``) whatever language the
reader chose for the pages: the files are identical for every reader, so one
ETag names one content and the files are cacheable. Column names and keys are
identifiers, never translated. Only recognised poli are exported
(``selectors_public.recognised_poli``).
"""

import csv
import io
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from networks.selectors_public import (
    PublicPolo,
    RegisterSignature,
    public_poli,
    recognised_poli,
    register_first_published,
    register_signature,
)

DATASET_VERSION = "1"
LANGUAGE = "it"
DATASET_ID = "poli-tecnici-professionali"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/ITA"

CSV_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("polo_id", _("Identificativo stabile del polo nel portale")),
    ("polo_nome", _("Denominazione del polo")),
    ("area_codice", _("Codice dell'area economico-professionale (formato ptp-network/1)")),
    ("area_nome", _("Nome dell'area economico-professionale")),
    ("avviso", _("Titolo dell'avviso a cui è stata presentata la domanda")),
    ("decreto_numero", _("Numero del decreto di riconoscimento (progressivo per anno)")),
    ("decreto_anno", _("Anno del decreto")),
    ("decreto_data", _("Data di adozione del decreto, ISO 8601 (AAAA-MM-GG)")),
    ("decreto_url_verifica", _("Pagina pubblica di verifica del decreto")),
    ("riconoscimento_inizio", _("Inizio del riconoscimento, ISO 8601 (data del decreto)")),
    (
        "riconoscimento_fine",
        _(
            "Fine del riconoscimento, ISO 8601 (31 agosto dell'ultimo anno scolastico: la "
            "durata, in anni scolastici, è fissata dall'avviso)"
        ),
    ),
    ("membro_chiave", _("Chiave del membro nel documento ptp-network/1 del polo")),
    (
        "membro_tipo",
        _(
            "Tipo di membro: institute, company, accredited_body, its, university, research_centre, other"
        ),
    ),
    ("membro_tipo_descrizione", _("Tipo di membro in italiano")),
    ("membro_nome", _("Denominazione del membro")),
    ("membro_provincia", _("Sigla della provincia del membro (vuota se non indicata)")),
    ("membro_codice_meccanografico", _("Codice meccanografico (solo istituti scolastici)")),
    ("membro_partita_iva", _("Partita IVA (solo imprese)")),
    (
        "membro_codice_accreditamento",
        _("Identificativo di accreditamento regionale (solo enti accreditati)"),
    ),
    ("capofila", _("true se il membro è il capofila del polo, altrimenti false")),
    ("socio_fondatore_its", _("true se il membro è socio fondatore di un ITS del polo")),
)


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def verification_url(code: str) -> str:
    """Return the absolute URL of a decree's verification page."""
    return _absolute(reverse("decree_verify", args=[code]))


def download_url(code: str) -> str:
    """Return the absolute URL of a recognition decree's PDF."""
    return _absolute(reverse("decree_download_public", args=[code]))


def _flag(value: bool) -> str:
    return "true" if value else "false"


def all_public_poli() -> list[PublicPolo]:
    """Return every recognised polo with its members (two queries)."""
    return public_poli(recognised_poli().order_by("pk"))


def register_rows(poli: list[PublicPolo]) -> list[list[str | int]]:
    """Return the CSV rows (without header) of ``poli``: one per member."""
    rows: list[list[str | int]] = []
    for polo in poli:
        head: list[str | int] = [
            polo.pk,
            polo.name,
            polo.area_code,
            polo.area_name,
            polo.call_title,
            polo.decree_number,
            polo.decree_year,
            polo.decree_adopted_on.isoformat(),
            verification_url(polo.decree_code),
            polo.decree_adopted_on.isoformat(),
            polo.recognised_until.isoformat(),
        ]
        accreditation = {
            member["key"]: member.get("accreditation_id", "")
            for member in polo.network.get("members", [])
        }
        for member in polo.members:
            rows.append(
                [
                    *head,
                    member.key,
                    member.kind,
                    member.kind_label,
                    member.name,
                    member.province,
                    member.school_code,
                    member.vat_number,
                    accreditation.get(member.key, ""),
                    _flag(member.is_lead),
                    _flag(member.is_its_founder),
                ]
            )
    return rows


def register_csv() -> str:
    """Return ``poli.csv`` (see the module's contract), its labels in ``LANGUAGE``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _description in CSV_COLUMNS])
    with translation.override(LANGUAGE):
        writer.writerows(register_rows(all_public_poli()))
    return buffer.getvalue()


def polo_json(polo: PublicPolo) -> dict[str, Any]:
    """Return one item of ``poli.json``."""
    return {
        "id": polo.pk,
        "network": polo.network,
        "area_name": polo.area_name,
        "call": polo.call_title,
        "decree": {
            "kind": "approval",
            "number": polo.decree_number,
            "year": polo.decree_year,
            "date": polo.decree_adopted_on.isoformat(),
            "verification_code": polo.decree_code,
            "verification_url": verification_url(polo.decree_code),
            "download_url": download_url(polo.decree_code),
            "sha256": polo.decree_sha256,
        },
        "recognition": {
            "from": polo.decree_adopted_on.isoformat(),
            "to": polo.recognised_until.isoformat(),
        },
    }


def register_json() -> list[dict[str, Any]]:
    """Return ``poli.json`` (see the module's contract)."""
    return [polo_json(polo) for polo in all_public_poli()]


def _iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def dcat_catalogue(signature: RegisterSignature | None = None) -> dict[str, Any]:
    """Return the DCAT-AP_IT catalogue of the register's datasets as JSON-LD.

    ``signature`` is ``register_signature()`` when the caller has read it already.
    The dataset was issued when its first polo was published; before that it
    has no ``dct:issued`` (an optional property), rather than a date that moves.
    """
    latest = (signature or register_signature()).latest
    modified = _iso(latest) or timezone.localdate().isoformat()
    issued = _iso(register_first_published())
    ipa = settings.PORTAL_IPA_CODE
    region = settings.PORTAL_REGION_NAME
    catalogue_url = _absolute(reverse("opendata_dcat"))
    page_url = _absolute(reverse("opendata"))
    publisher = {
        "@id": f"{page_url}#publisher",
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "dct:identifier": ipa,
        "foaf:name": region,
    }
    licence = {
        "@id": LICENCE_URL,
        "@type": ["dct:LicenseDocument"],
        "dct:type": {"@id": "http://purl.org/adms/licencetype/Attribution"},
        "foaf:name": LICENCE_NAME,
    }

    def distribution(
        name: str, url_name: str, file_type: str, media_type: str, title: str
    ) -> dict[str, Any]:
        url = _absolute(reverse(url_name))
        return {
            "@id": f"{url}#distribution",
            "@type": ["dcat:Distribution", "dcatapit:Distribution"],
            "dct:title": title,
            "dct:description": title,
            "dct:format": {"@id": EU_FILE_TYPE + file_type},
            "dcat:mediaType": media_type,
            "dcat:accessURL": {"@id": page_url},
            "dcat:downloadURL": {"@id": url},
            "dct:license": licence,
            "dct:modified": {"@value": modified, "@type": "xsd:date"},
            "dct:identifier": f"{ipa}:{DATASET_ID}:{name}",
        }

    dataset = {
        "@id": f"{page_url}#dataset",
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": f"{ipa}:{DATASET_ID}",
        "dct:title": "Registro dei Poli Tecnici Professionali riconosciuti",
        "dct:description": (
            f"I Poli Tecnici Professionali riconosciuti da {region} con decreto dirigenziale "
            "(DGR X/124/2013): area economico-professionale, decreto, periodo di riconoscimento "
            "e composizione della rete (istituti, imprese, enti accreditati, ITS e altri membri)."
        ),
        "dct:modified": {"@value": modified, "@type": "xsd:date"},
        **({"dct:issued": {"@value": issued, "@type": "xsd:date"}} if issued else {}),
        "dct:language": {"@id": EU_LANGUAGE},
        "dcat:theme": [{"@id": EU_THEME + "EDUC"}],
        "dcat:keyword": ["poli tecnici professionali", "istruzione", "formazione", "ITS"],
        "dct:accrualPeriodicity": {"@id": EU_FREQUENCY + "IRREG"},
        "dct:publisher": publisher,
        "dct:rightsHolder": publisher,
        "dcat:contactPoint": {
            "@id": f"{page_url}#contact",
            "@type": ["vcard:Organization", "dcatapit:Organization"],
            "vcard:fn": f"{region} – {settings.PORTAL_DIRECTORATE}",
            "vcard:hasURL": {"@id": page_url},
        },
        "dcat:landingPage": {"@id": _absolute(reverse("register_list"))},
        "dcat:distribution": [
            distribution("csv", "opendata_csv", "CSV", "text/csv", "Poli e membri (CSV, UTF-8)"),
            distribution(
                "json",
                "opendata_json",
                "JSON",
                "application/json",
                "Poli in formato ptp-network/1 con i dati del decreto (JSON)",
            ),
        ],
    }
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": catalogue_url,
        "@type": ["dcat:Catalog", "dcatapit:Catalog"],
        "dct:title": f"Catalogo open data dei Poli Tecnici Professionali – {region}",
        "dct:description": "I dati aperti del registro dei Poli Tecnici Professionali riconosciuti.",
        "dct:publisher": publisher,
        "dct:modified": {"@value": modified, "@type": "xsd:date"},
        "dct:language": {"@id": EU_LANGUAGE},
        "foaf:homepage": {"@id": page_url},
        "dcat:themeTaxonomy": {
            "@id": "http://publications.europa.eu/resource/authority/data-theme"
        },
        "dcat:dataset": [dataset],
    }
