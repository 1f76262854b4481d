"""Importing a network file into a draft: bad input is listed by JSON path, never a 500, nothing saved.

Also the live panel's area preview and the version diff, which read numbers
from the address: a number they cannot use is no area, or a 404.
"""

import copy
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from eligibility.adapters import application_queryset_for_evaluation, network_from_application
from networks.models import Application, Organisation
from networks.schoolyears import current_school_year, format_school_year
from networks.services.workflow import evaluate_application
from tests.factories import (
    MINIMAL_PDF,
    OrganisationFactory,
    draft_application,
    pdf_upload,
    submitted_application,
)
from tests.helpers import page_messages
from tests.networks.public.helpers import network_document

pytestmark = pytest.mark.django_db

# What one more new organisation costs an import: two conditional unique constraints checked by
# the check and again by the save (a savepoint, the query, its release each), and its insert.
QUERIES_PER_NEW_MEMBER = 2 * 2 * 3 + 1

# The example of network-format.md, as a file an applicant would upload.
FORMAT_EXAMPLE: dict[str, Any] = {
    "format": "ptp-network/1",
    "name": "Polo Meccanica-navalmeccanica, robotica e automazione industriale",
    "area": "meccanica",
    "reference_date": "2026-11-23",
    "lead_partner": "capellini-sauro",
    "contact": {"name": "Mario Rossi", "email": "referente@example.org", "phone": "+39 0187 000000"},
    "members": [
        {"key": "capellini-sauro", "kind": "institute", "name": "IISS Capellini Sauro",
         "school_code": "SPIS00600X", "main_school_code": "SPIS00600X",
         "status": "statale", "province": "SP",
         "offerings": [{"programme": "IT-TRL", "from": "2010/11", "to": None}]},
        {"key": "fincantieri", "kind": "company", "name": "Fincantieri S.p.A.",
         "vat_number": "00397130584", "ateco": ["30.11"], "ateco_edition": "2025",
         "chamber_registered": True, "commitment_signed": True, "province": "SP"},
        {"key": "cisita", "kind": "accredited_body", "name": "Cisita Formazione Superiore",
         "sections": ["A"], "labour_services": False, "accreditation_id": "LOM-123",
         "offerings": [{"programme": "IEFP-MEC", "from": "2012/13", "to": None}]},
        {"key": "its-meccanica", "kind": "its",
         "name": "ITS Innovazione di Processi e Prodotti Meccanici",
         "founders": ["fincantieri"],
         "offerings": [{"programme": "ITSO-MI-MEC", "from": "2011/12", "to": "2023/24"},
                       {"programme": "ITS-06", "from": "2024/25", "to": None}]},
        {"key": "unige", "kind": "university", "name": "Polo Universitario della Spezia"},
        {"key": "ismar", "kind": "research_centre", "name": "CNR ISMAR"},
        {"key": "confindustria-sp", "kind": "other", "name": "Confindustria La Spezia"},
    ],
}  # fmt: skip


def example() -> dict[str, Any]:
    return copy.deepcopy(FORMAT_EXAMPLE)


def upload(client, application, content: dict[str, Any] | bytes):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(
        reverse("network_import", args=[application.pk]), {"file": pdf_upload("rete.json", raw)}
    )


def snapshot(application: Application) -> tuple:
    """Return what an import could change: the registry, the network, the polo's details."""
    application.refresh_from_db()
    return (
        sorted(Organisation.objects.values_list("pk", "name", "school_code", "vat_number")),
        sorted(application.members.values_list("organisation_id", "key")),
        (application.name, application.contact_email, application.revision),
    )


def refused(client, applicant, document: dict[str, Any] | bytes) -> str:
    """Upload ``document`` into a fresh draft; check the refusal saved nothing; return the page."""
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    before = snapshot(application)
    response = upload(client, application, document)
    assert response.status_code == 400
    assert snapshot(application) == before
    return response.content.decode()


# --- the same organisation twice ---------------------------------------------------------------


def test_two_institutes_with_one_school_code_are_refused_naming_both_members(client, applicant):
    document = example()
    twin = {**document["members"][0], "key": "capellini-bis", "name": "Capellini (doppione)"}
    document["members"].insert(1, twin)
    html = refused(client, applicant, document)
    assert (
        "members[1]: è la stessa organizzazione di members[0] (codice meccanografico "
        "SPIS00600X): nella rete compare una volta sola"
    ) in html


def test_two_companies_with_one_partita_iva_are_refused(client, applicant):
    document = example()
    document["members"].append({**document["members"][1], "key": "fincantieri-2"})
    html = refused(client, applicant, document)
    assert "members[7]: è la stessa organizzazione di members[1] (partita IVA 00397130584)" in html


def test_two_other_members_with_one_name_are_refused(client, applicant):
    document = example()
    document["members"].append({"key": "confindustria-bis", "kind": "other",
                                "name": "Confindustria La Spezia"})  # fmt: skip
    html = refused(client, applicant, document)
    assert "members[7]: è la stessa organizzazione di members[6]" in html
    assert "Confindustria La Spezia" in html


def test_two_file_members_matching_one_registry_record_are_refused(client, applicant):
    OrganisationFactory(accredited_body=True, name="Ente Lombardo", accreditation_id="LOM-REG-0001")
    document = example()
    document["members"].append(
        {"key": "ente-1", "kind": "accredited_body", "name": "Ente Lombardo", "sections": ["A"],
         "accreditation_id": "LOM-REG-0001"}
    )  # fmt: skip
    document["members"].append(
        {"key": "ente-2", "kind": "accredited_body", "name": "Ente Lombardo", "sections": ["A"]}
    )
    html = refused(client, applicant, document)
    assert "members[8]: è la stessa organizzazione di members[7]" in html


def test_the_checker_still_judges_a_repeated_organisation_as_a_verdict(client, applicant):
    """PTP-UNIQUE is a rule: the file is valid input, only the import into a draft refuses it."""
    from eligibility.adapters import composition_from_network
    from eligibility.core import evaluate

    document = example()
    document["members"].append({**document["members"][1], "key": "fincantieri-2"})
    verdict = evaluate(composition_from_network(document))
    unique = next(result for result in verdict.results if result.code == "PTP-UNIQUE")
    assert unique.status == "fail"


def test_an_offering_repeated_in_one_member_is_refused(client, applicant):
    document = example()
    offerings = document["members"][0]["offerings"]
    offerings.append(dict(offerings[0]))
    html = refused(client, applicant, document)
    assert "members[0].offerings[1]: offerta ripetuta" in html
    assert "members[0].offerings[0]" in html


def test_two_offerings_of_one_programme_from_the_same_year_are_refused(client, applicant):
    document = example()
    offerings = document["members"][0]["offerings"]
    offerings.append({"programme": "IT-TRL", "from": "2010/11", "to": "2012/13"})
    html = refused(client, applicant, document)
    assert "members[0].offerings[1]: offerta ripetuta" in html


def test_two_offerings_of_one_programme_whose_years_overlap_are_refused(client, applicant):
    document = example()
    offerings = document["members"][0]["offerings"]
    offerings.append({"programme": "IT-TRL", "from": "2021/22", "to": "2023/24"})
    html = refused(client, applicant, document)
    assert (
        "members[0].offerings[1]: l&#x27;offerta di IT-TRL dal 2021/22 si sovrappone a quella di "
        "members[0].offerings[0], dal 2010/11 (in corso): tieni una sola offerta per gli anni "
        "in comune, o indica anni che non si sovrappongono"
    ) in html


def test_adjacent_offerings_of_one_programme_are_imported(client, applicant):
    document = example()
    document["members"][0]["offerings"] = [
        {"programme": "IT-TRL", "from": "2010/11", "to": "2020/21"},
        {"programme": "IT-TRL", "from": "2021/22", "to": None},
    ]
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, document).status_code == 302
    institute = application.members.get(key="capellini-sauro").organisation
    assert list(institute.offerings.values_list("first_year", "last_year")) == [
        (2010, 2020),
        (2021, None),
    ]


def test_reimporting_a_file_is_not_an_overlap_with_the_offerings_it_replaces(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, example()).status_code == 302
    assert upload(client, application, example()).status_code == 302


def test_an_offering_starting_after_the_current_school_year_is_refused(client, applicant):
    next_year = format_school_year(current_school_year() + 1)
    document = example()
    document["members"][0]["offerings"].append({"programme": "IT-MME", "from": next_year})
    html = refused(client, applicant, document)
    assert (
        "members[0].offerings[1].from: Il primo anno non può essere successivo all&#x27;anno "
        f"scolastico in corso, il {format_school_year(current_school_year())}"
    ) in html


# --- characters a database or a page cannot hold -------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        (b'"name": "Polo \\ud800"', "name:"),
        (b'"name": "Polo\\u0000"', "name:"),
        (b'"name": "Polo \\udc00 bis"', "name:"),
    ],
    ids=["lone-high-surrogate", "nul", "lone-low-surrogate"],
)
def test_a_name_with_an_impossible_character_is_refused_with_its_path(client, applicant, raw, path):
    document = json.dumps(example()).encode()
    document = document.replace(f'"name": "{FORMAT_EXAMPLE["name"]}"'.encode(), raw, 1)
    assert raw in document
    html = refused(client, applicant, document)
    assert path in html
    assert "carattere" in html


def test_a_member_name_with_a_nul_is_refused_with_the_member_path(client, applicant):
    document = example()
    document["members"][4]["name"] = "Polo\x00Universitario"
    html = refused(client, applicant, document)
    assert "members[4].name:" in html


def test_a_bad_character_is_listed_with_what_the_format_and_the_models_refuse(client, applicant):
    document = example()
    document["members"][0]["name"] = "IISS\x00Capellini"
    document["members"][1]["vat_number"] = "00397130585"
    document["members"][4]["key"] = "=polo"
    html = refused(client, applicant, json.dumps(document).encode())
    assert "members[0].name: contiene un carattere di controllo non ammesso (U+0000)" in html
    assert "members[1].vat_number: La partita IVA 00397130585 non è valida" in html
    assert "members[4].key: La chiave non può iniziare con =" in html  # the models refuse it


def test_a_key_no_page_can_show_is_not_quoted_by_any_refusal(client, applicant):
    """The lead partner's refusal lists the file's keys: one of them has a lone surrogate."""
    document = example()
    document["lead_partner"] = "nessuno"
    text = json.dumps(document).replace('"key": "unige"', '"key": "unige\\ud800"')
    html = refused(client, applicant, text.encode())
    assert "members[4].key: contiene un carattere non valido (U+D800" in html
    assert "lead_partner: «nessuno» non è la chiave di un membro della rete" in html
    assert "«unige\ufffd»" in html


def test_the_simulator_explains_an_upload_with_a_lone_surrogate(client, db):
    content = json.dumps(network_document(1, name="Polo")).replace(
        '"name": "Polo"', '"name": "Polo \\ud800"'
    )
    response = client.post(
        reverse("simulator"),
        {
            "name": "Polo simulato",
            "area": "meccanica",
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "60",
            "upload": pdf_upload("rete.json", content.encode()),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-verdict" not in html
    # Listed by its JSON path with the document's other errors, as an import lists them.
    assert "<code>name</code>: " in html
    assert "carattere" in html


# --- what the models would refuse -------------------------------------------------------------


def test_every_field_the_models_refuse_is_listed_with_its_path_at_once(client, applicant):
    document = example()
    document["name"] = "P" * 10_001
    document["contact"] = {"name": "M" * 121, "email": "not-an-email", "phone": "0" * 41}
    document["members"][4]["key"] = "chiave con spazi " + "x" * 283
    document["members"][5]["name"] = "N" * 300
    document["members"][1]["vat_number"] = "00397130585"  # the validator's own error
    html = refused(client, applicant, document)
    for path in (
        "name: Assicurati che questo valore non contenga più di 255 caratteri (ne ha 10001)",
        "contact.name: ",
        "contact.email: ",
        "contact.phone: ",
        "members[4].key: ",
        "members[5].name: Assicurati che questo valore non contenga più di 255 caratteri "
        "(ne ha 300)",
        "members[1].vat_number: ",
    ):
        assert path in html, path


def test_a_new_accredited_body_without_its_accreditation_id_is_refused_with_the_path(
    client, applicant
):
    document = example()
    del document["members"][2]["accreditation_id"]
    html = refused(client, applicant, document)
    assert "members[2].accreditation_id: " in html


def test_a_site_whose_main_institution_is_itself_a_site_is_refused_with_the_path(client, applicant):
    document = example()
    document["members"][0]["main_school_code"] = "SPIS00700X"
    document["members"].append(
        {"key": "plesso", "kind": "institute", "name": "Plesso di Sarzana",
         "school_code": "SPTF00601A", "main_school_code": "SPIS00600X", "status": "statale"}
    )  # fmt: skip
    html = refused(client, applicant, document)
    assert "members[7].main_school_code: " in html


def test_a_site_whose_main_institution_is_nowhere_is_refused_not_made_autonomous(client, applicant):
    """Saved without its main institution, each site would count as an institute of its own."""
    document = example()
    document["members"][0] |= {"school_code": "SPTF00601A", "main_school_code": "SPIS00900X"}
    document["members"].append(
        {"key": "plesso", "kind": "institute", "name": "Plesso di Sarzana",
         "school_code": "SPRI00602B", "main_school_code": "SPIS00900X", "status": "statale"}
    )  # fmt: skip
    html = refused(client, applicant, document)
    for index in (0, 7):
        assert (
            f"members[{index}].main_school_code: l&#x27;istituto principale SPIS00900X non è "
            "nell&#x27;anagrafe del portale né tra i membri di questo file"
        ) in html


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("vat_number", "IT00397130584", "scrivi la partita IVA con le sole 11 cifre"),
        ("vat_number", "003 971 305 84", "(00397130584)"),
    ],
)
def test_a_partita_iva_not_written_as_11_digits_is_refused_with_the_path(
    client, applicant, field, value, expected
):
    document = example()
    document["members"][1][field] = value
    html = refused(client, applicant, document)
    assert f"members[1].{field}: " in html
    assert expected in html


def test_a_school_code_in_lower_case_is_refused_with_the_path(client, applicant):
    document = example()
    document["members"][0]["school_code"] = "sp is 00600x"
    html = refused(client, applicant, document)
    assert "members[0].school_code: " in html
    assert "SPIS00600X" in html


# --- what a good file does --------------------------------------------------------------------


def test_an_accredited_body_is_matched_by_its_accreditation_id_not_its_name(client, applicant):
    registered = OrganisationFactory(
        accredited_body=True, name="Cisita Formazione Superiore", accreditation_id="LOM-DEMO-0001"
    )
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, example()).status_code == 302
    member = application.members.get(key="cisita")
    assert member.organisation.accreditation_id == "LOM-123"
    assert member.organisation_id != registered.pk
    registered.refresh_from_db()
    assert registered.accreditation_id == "LOM-DEMO-0001"


def test_an_accredited_body_without_an_id_is_matched_by_name_and_keeps_its_id(client, applicant):
    registered = OrganisationFactory(
        accredited_body=True, name="Cisita Formazione Superiore", accreditation_id="LOM-DEMO-0001"
    )
    document = example()
    del document["members"][2]["accreditation_id"]
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, document).status_code == 302
    assert application.members.get(key="cisita").organisation_id == registered.pk
    registered.refresh_from_db()
    assert registered.accreditation_id == "LOM-DEMO-0001"


def test_the_format_example_imports_and_exports_unchanged(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, example()).status_code == 302
    exported = network_from_application(
        application_queryset_for_evaluation(Application.objects.all()).get(pk=application.pk)
    )
    by_key = {member["key"]: member for member in exported["members"]}
    for member in FORMAT_EXAMPLE["members"]:
        for name, value in member.items():
            if name != "commitment_signed":
                assert by_key[member["key"]][name] == value, (member["key"], name)


def exported(application: Application) -> dict[str, Any]:
    return network_from_application(
        application_queryset_for_evaluation(Application.objects.all()).get(pk=application.pk)
    )


@pytest.mark.parametrize(
    "key", ["Università di Pavia", "q.u", "università", "u" * 255, "Polo #1 (sede) – Pavia"]
)
def test_any_key_the_format_allows_imports_and_exports_as_written(client, applicant, key):
    """A key is any string without spaces around it (network-format.md), not a slug."""
    document = example()
    document["members"][4]["key"] = key
    document["lead_partner"] = key
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, document).status_code == 302
    network = exported(application)
    assert [m["key"] for m in network["members"]].count(key) == 1
    assert network["lead_partner"] == key


@pytest.mark.parametrize("key", ["=polo", "+polo", "-polo", "@polo", "polo\u200b"])
def test_a_key_a_spreadsheet_would_run_or_that_hides_a_character_is_refused(client, applicant, key):
    """poli.csv publishes the keys (decision 0012), as it publishes the names."""
    document = example()
    document["members"][4]["key"] = key
    html = refused(client, applicant, document)
    assert "members[4].key: " in html


def test_a_key_longer_than_the_registry_holds_is_refused_with_its_path(client, applicant):
    document = example()
    document["members"][4]["key"] = "u" * 256
    html = refused(client, applicant, document)
    assert "members[4].key: " in html
    assert "255" in html


def test_founders_of_the_its_outside_the_network_stay_in_the_registry(client, applicant):
    """The file's ``founders`` speak of its members only: an export imported back changes nothing."""
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    assert upload(client, application, example()).status_code == 302
    its = Organisation.objects.get(name=FORMAT_EXAMPLE["members"][3]["name"])
    outsider = OrganisationFactory(name="Cantieri Navali Valdettaro S.r.l.")
    its.founders.add(outsider)
    document = example()
    document["members"][3]["founders"] = []  # the company of the file no longer a founder
    assert upload(client, application, document).status_code == 302
    assert list(its.founders.all()) == [outsider]
    document["members"][3]["founders"] = ["fincantieri"]
    assert upload(client, application, document).status_code == 302
    assert set(its.founders.values_list("name", flat=True)) == {
        "Cantieri Navali Valdettaro S.r.l.",
        "Fincantieri S.p.A.",
    }
    its_member = next(m for m in exported(application)["members"] if m["kind"] == "its")
    assert its_member["founders"] == ["fincantieri"]


def test_the_success_message_says_member_in_the_singular_for_one(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    document = client.get(reverse("network_export", args=[application.pk])).json()
    assert len(document["members"]) == 1  # the applicant organisation alone
    response = upload(client, application, document)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Rete importata: 1 membro." in page
    assert "resta nella rete" not in page


def test_the_applicant_organisation_left_out_of_the_file_is_counted_and_named(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    document = example()
    document["members"] = [document["members"][0]]
    page = client.get(upload(client, application, document).url).content.decode()
    assert "Rete importata: 2 membri." in page
    assert "presenta la domanda e resta nella rete, anche se il file non la elenca" in page


def test_the_success_message_says_members_in_the_plural(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    response = upload(client, application, example())
    # The file's seven and the applicant organisation, which stays.
    assert "Rete importata: 8 membri." in client.get(response.url).content.decode()


# --- numbers in the address -------------------------------------------------------------------


@pytest.mark.parametrize(
    "area",
    ["\u00b2", "\u0663", "9" * 5000, "99999999999999999999", "-1", " 1", "1.0", "0x1"],
    ids=[
        "superscript",
        "arabic-digit",
        "5000-digits",
        "over-range",
        "minus",
        "space",
        "dot",
        "hex",
    ],
)
def test_the_panel_ignores_an_area_it_cannot_read_and_shows_the_saved_one(client, applicant, area):
    application = draft_application(applicant)
    client.force_login(applicant)
    response = client.get(reverse("application_panel", args=[application.pk]), {"area": area})
    assert response.status_code == 200
    assert 'data-verdict="eligible"' in response.content.decode()


@pytest.mark.parametrize("number", [10**30, 2**31, 2**63])
def test_a_version_number_out_of_range_is_404(client, applicant, number):
    application = submitted_application(applicant)
    client.force_login(applicant)
    url = reverse("version_diff", args=[application.pk, 1]).replace(
        "/versioni/1/", f"/versioni/{number}/"
    )
    assert client.get(url).status_code == 404


def test_names_a_spreadsheet_would_run_as_formulas_are_refused_with_their_paths(client, applicant):
    document = example()
    document["name"] = '=HYPERLINK("http://evil.example/","clic")'
    document["members"][1]["name"] = "@Fincantieri"
    html = refused(client, applicant, document)
    assert "name: Il nome non può iniziare con =" in html
    assert "members[1].name: Il nome non può iniziare con @" in html


def test_a_phone_the_details_form_would_refuse_is_refused_in_a_file_too(client, applicant):
    document = example()
    document["contact"]["phone"] = "chiamare in segreteria"
    html = refused(client, applicant, document)
    assert "contact.phone: Scrivi un numero di telefono" in html


def test_an_unknown_lead_partner_is_refused_not_dropped(client, applicant):
    document = example()
    document["lead_partner"] = "nessuno"
    html = refused(client, applicant, document)
    assert "lead_partner: «nessuno» non è la chiave di un membro della rete" in html
    keys = [member["key"] for member in document["members"]]
    listed = ", ".join(f"«{key}»" for key in keys[:5])
    assert escape(f"una di {listed} e altre {len(keys) - 5}.") in html


def test_a_lead_partner_of_a_network_without_members_says_there_are_none(client, applicant):
    document = example()
    document["lead_partner"] = "nessuno"
    document["members"] = []
    html = refused(client, applicant, document)
    assert (
        escape("«nessuno» non è la chiave di un membro della rete: la rete del file non ha membri.")
        in html
    )
    assert "una di ." not in html


def test_a_pdf_chosen_as_the_network_file_is_named_as_such(client, applicant):
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    html = upload(client, application, MINIMAL_PDF).content.decode()
    assert "Il file è un PDF o un altro file binario, non un file di rete" in html
    assert "UTF-8" not in html


@pytest.mark.parametrize(
    ("path", "value", "refusal"),
    [
        ("members[6].name", "Confindustria \u202eaizepS aL", "un carattere invisibile"),
        ("members[6].name", "Confindustria\nLa Spezia", "scrivilo su una riga"),
        ("members[2].accreditation_id", "=1+1", "Non può iniziare con ="),
        ("contact.name", "+39 Rossi", "Non può iniziare con +"),
    ],
)
def test_hidden_characters_and_formulas_are_refused_in_names_and_codes(
    client, applicant, path, value, refusal
):
    document = example()
    if path == "contact.name":
        document["contact"]["name"] = value
    else:
        index, field = int(path[8]), path.split(".")[1]
        document["members"][index][field] = value
    html = refused(client, applicant, document)
    assert f"{path}: " in html
    assert refusal in html


# --- how many members -----------------------------------------------------------------------


def test_a_network_over_the_member_limit_is_refused_before_anything_is_read(client, applicant):
    """20,000 members fit in the file size limit and held a worker for ten minutes."""
    from networks.services.applications import MAX_NETWORK_MEMBERS

    document = example()
    document["members"] += [
        {"key": f"altro-{index}", "kind": "other", "name": f"Associazione n. {index}"}
        for index in range(MAX_NETWORK_MEMBERS)
    ]
    html = refused(client, applicant, document)
    assert f"La rete ha {MAX_NETWORK_MEMBERS + 7} membri" in html
    assert f"al più {MAX_NETWORK_MEMBERS}" in html


def test_the_member_limit_holds_for_members_added_one_by_one(client, applicant, monkeypatch):
    from networks.services import applications as application_services

    application = draft_application(applicant, eligible=False, documents=False)
    count = application.members.count()
    monkeypatch.setattr(application_services, "MAX_NETWORK_MEMBERS", count)
    with pytest.raises(application_services.ApplicationError, match="al più"):
        application_services.application_member_add(
            application=application, organisation=OrganisationFactory(), by=applicant
        )
    assert application.members.count() == count


# --- how many queries -----------------------------------------------------------------------


def import_queries(client, applicant, count: int) -> tuple[int, int]:
    """Import a network of ``count`` members; return its queries, and those reading the registry."""
    document = example()
    document["members"] = document["members"][:5] + [
        {"key": f"altro-{index}", "kind": "other", "name": f"Associazione n. {index}"}
        for index in range(count - 5)
    ]
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as captured:
        response = upload(client, application, document)
    assert response.status_code == 302
    assert application.members.count() == count + 1  # and the applicant organisation
    lookups = [q for q in captured if q["sql"].startswith('SELECT "networks_organisation"."id"')]
    return len(captured), len(lookups)


def test_an_import_looks_up_the_registry_in_queries_that_do_not_grow_with_the_members(
    client, applicant
):
    """The members' records are read in one query by the check and one by the import.

    What still grows is the writing: each new organisation is validated (its
    conditional unique constraints, twice: by the check and by the save) and
    inserted; the network's members are inserted in one query.
    """
    import_queries(client, applicant, 5)  # both imports then update the same five records
    few, few_lookups = import_queries(client, applicant, 5)
    many, many_lookups = import_queries(client, applicant, 25)
    assert many_lookups == few_lookups
    assert many - few <= 20 * QUERIES_PER_NEW_MEMBER


def test_a_commitment_the_file_declares_is_missing_until_its_declaration_is_uploaded(
    client, applicant
):
    """The file's ``commitment_signed`` is no upload: the rule and the documents step ask for the PDF.

    The live check does not say «tutte le imprese hanno firmato» while submission asks for
    their declarations; the import says so instead.
    """
    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    response = upload(client, application, example())
    assert response.status_code == 302
    fincantieri = application.members.get(key="fincantieri")
    assert not fincantieri.commitment_signed
    told = page_messages(client.get(response.url))
    assert any(
        message.startswith("Il file dice firmato l'impegno di ") and "Fincantieri S.p.A." in message
        for message in told
    ), told
    verdict = evaluate_application(application)
    commitment = next(r for r in verdict.results if r.code == "PTP-COMPANY-COMMITMENT")
    assert commitment.status == "fail"
    assert "fincantieri" in commitment.members
    documents_step = reverse("application_edit", args=[application.pk, "documenti"])

    def status_of_fincantieri() -> str:
        html = client.get(documents_step).content.decode()
        heading = html[html.index("Fincantieri S.p.A. –") :]
        return heading[: heading.index("</h4>")]

    assert "impegno mancante" in status_of_fincantieri()
    response = client.post(
        reverse("document_upload", args=[application.pk]),
        {"kind": "commitment", "member": fincantieri.pk, "file": pdf_upload("impegno.pdf")},
    )
    assert response.status_code == 302
    assert "impegno caricato" in status_of_fincantieri()
