"""check_network and export_network, exactly as network-format.md specifies them."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from eligibility.core import evaluate
from networks.services.workflow import evaluate_application
from tests.factories import draft_application, submitted_application

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        call_command("check_network", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


RULES = [
    "PTP-AREA", "PTP-LEAD-PARTNER", "PTP-UNIQUE", "PTP-INSTITUTES", "PTP-COMPANIES", "PTP-ACCREDITED-A",
    "PTP-ITS", "PTP-OFFER-3Y", "PTP-COMPANY-AREA", "PTP-COMPANY-COMMITMENT", "PTP-ITS-FOUNDERS", "PTP-MEMBER-TYPES",
]  # fmt: skip
RESULT_FIELDS = ["code", "status", "severity", "citation", "message", "members", "counted",
                 "required", "hint"]  # fmt: skip


def test_eligible_with_warnings_exits_zero_with_one_line_per_rule():
    code, out, err = run(str(DEMO / "liguria-meccanica.json"))
    assert code == 0
    lines = out.splitlines()
    assert [line[16:40].strip() for line in lines] == RULES
    assert lines[0].startswith("OK              PTP-AREA                Area Meccanica attiva")
    warning = lines[RULES.index("PTP-MEMBER-TYPES")]
    assert warning.startswith("ATTENZIONE      PTP-MEMBER-TYPES        Soggetti non previsti")
    assert " → Descrivi nella domanda il ruolo nel polo di " in warning
    # The summary is for the person at the terminal: stdout stays one line per rule.
    assert err == (
        "Esito: AMMISSIBILE CON OSSERVAZIONI (regole lombardia-dgr-124-2013, data di "
        "riferimento 23/11/2026)\n"
    )


def test_a_not_eligible_network_prints_the_summary_on_stderr_too():
    code, out, err = run(str(DEMO / "lombardia-agroalimentare.json"))
    assert code == 1
    assert [line[16:40].strip() for line in out.splitlines()] == RULES
    assert "Esito" not in out
    assert err.startswith("Esito: NON AMMISSIBILE (regole lombardia-dgr-124-2013")


def test_a_name_with_line_breaks_and_tabs_stays_on_its_rules_line():
    document = _liguria()
    other = next(m for m in document["members"] if m["key"] == "confindustria-sp")
    other["name"] = "Confindustria\nLa Spezia\t(sezione\u2028meccanica)\n"
    code, out, _err = run("-", stdin=json.dumps(document))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(RULES)
    assert "Confindustria La Spezia (sezione meccanica)" in lines[RULES.index("PTP-MEMBER-TYPES")]
    assert "\t" not in out


def test_not_eligible_exits_one_and_json_is_the_verdict_object():
    code, out, _err = run(str(DEMO / "lombardia-agroalimentare.json"), "--format", "json")
    assert code == 1
    verdict = json.loads(out)
    assert verdict["format"] == "ptp-verdict/1"
    assert verdict["ruleset"] == "lombardia-dgr-124-2013"
    assert verdict["verdict"] == "not_eligible"
    codes = [result["code"] for result in verdict["results"]]
    assert codes == RULES
    assert all(result["citation"] for result in verdict["results"])


def test_the_json_verdict_has_exactly_the_contracts_fields():
    """The portal stores each rule's description too; the contract has no such field."""
    _code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--format", "json")
    verdict = json.loads(out)
    assert err == ""
    assert list(verdict) == ["format", "ruleset", "reference_date", "verdict", "results"]
    assert [list(result) for result in verdict["results"]] == [RESULT_FIELDS] * len(RULES)


def test_as_of_changes_the_reference_date():
    code, out, _err = run(
        str(DEMO / "liguria-meccanica.json"), "--as-of", "2014-06-01", "--format", "json"
    )
    verdict = json.loads(out)
    assert verdict["reference_date"] == "2014-06-01"
    its = next(r for r in verdict["results"] if r["code"] == "PTP-ITS")
    assert its["status"] in {"pass", "warning"}
    assert code in {0, 1}


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        ("{non json", "JSON non valido alla riga 1"),
        ('{"format": "ptp-network/1"}', "name: campo obbligatorio mancante"),
        ("[]", "Il documento deve essere un oggetto JSON"),
    ],
)
def test_invalid_input_exits_two_with_errors_on_stderr_only(stdin, fragment):
    code, out, err = run("-", stdin=stdin)
    assert code == 2
    assert out == ""
    assert fragment in err


def test_unreadable_file_and_bad_date_exit_two():
    assert run("/non/esiste.json")[0] == 2
    code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--as-of", "23/11/2026")
    assert (code, out) == (2, "")
    assert "--as-of" in err


@pytest.mark.parametrize("as_of", ["20261123", "2026-W48-1", "2026-11-23T10:00"])
def test_as_of_is_read_only_as_yyyy_mm_dd(as_of):
    """``date.fromisoformat`` reads these as dates; the contract names one form."""
    code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--as-of", as_of)
    assert (code, out) == (2, "")
    assert f"--as-of: {as_of!r} non è una data AAAA-MM-GG" in err


def test_web_flow_and_command_line_agree_on_the_same_network(applicant, tmp_path):
    application = draft_application(applicant)
    out = io.StringIO()
    call_command("export_network", str(application.pk), stdout=out)
    path = tmp_path / "rete.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    _code, cli, _err = run(str(path), "--format", "json")
    web = evaluate_application(application)
    assert json.loads(cli)["results"] == web.to_contract()["results"]
    assert json.loads(cli)["verdict"] == web.verdict
    # What the workflow stores and the pages show keeps each rule's description.
    stored = web.to_dict()["results"]
    assert [result.pop("description") for result in stored] == [
        result.description for result in web.results
    ]
    assert stored == json.loads(cli)["results"]


def test_export_network_of_a_version_is_the_frozen_snapshot(applicant):
    application = submitted_application(applicant)
    out = io.StringIO()
    call_command("export_network", str(application.pk), "--submitted-version", "1", stdout=out)
    assert json.loads(out.getvalue()) == application.versions.get().network


def test_the_liguria_demo_polo_exported_from_the_portal_gets_the_documented_verdict():
    from eligibility.adapters import composition_from_network
    from networks.models import Application

    call_command("seed_demo", stdout=io.StringIO())
    liguria = Application.objects.get(name__startswith="Polo Meccanica-navalmeccanica")
    out = io.StringIO()
    call_command("export_network", str(liguria.pk), "--submitted-version", "1", stdout=out)
    verdict = evaluate(composition_from_network(json.loads(out.getvalue())))
    statuses = {result.code: result.status for result in verdict.results}
    assert verdict.verdict == "eligible_with_warnings"
    assert statuses == {
        "PTP-AREA": "pass", "PTP-LEAD-PARTNER": "pass", "PTP-UNIQUE": "pass", "PTP-INSTITUTES": "pass",
        "PTP-COMPANIES": "pass", "PTP-ACCREDITED-A": "pass", "PTP-ITS": "pass", "PTP-OFFER-3Y": "pass",
        "PTP-COMPANY-AREA": "pass", "PTP-COMPANY-COMMITMENT": "pass", "PTP-ITS-FOUNDERS": "warning",
        "PTP-MEMBER-TYPES": "warning",
    }  # fmt: skip
    assert verdict.result("PTP-INSTITUTES").counted == 6
    assert verdict.result("PTP-COMPANIES").counted == 8
    assert verdict.result("PTP-ACCREDITED-A").counted == 3


def test_a_file_with_a_byte_order_mark_is_read_like_one_without(tmp_path):
    text = (DEMO / "liguria-meccanica.json").read_text(encoding="utf-8")
    with_bom = tmp_path / "rete.json"
    with_bom.write_text("\ufeff" + text, encoding="utf-8")
    assert run(str(with_bom))[0] == run(str(DEMO / "liguria-meccanica.json"))[0] in {0, 1}


# The registry refuses overlapping offerings and first years after the current school year
# (tests/networks/test_offering_years.py); a file is judged at its own reference date, and
# frozen networks (poli.json, export_network) stay the valid input they were.


def _liguria() -> dict:
    return json.loads((DEMO / "liguria-meccanica.json").read_text(encoding="utf-8"))


def test_a_file_with_a_reference_date_ahead_counts_the_offerings_begun_by_then():
    from networks.schoolyears import current_school_year

    later = current_school_year() + 3
    document = _liguria()
    document["reference_date"] = f"{later}-10-01"
    member = next(m for m in document["members"] if m["key"] == "fossati-da-passano")
    member["offerings"] = [{"programme": "IT-ELE", "from": f"{later - 2}/{(later - 1) % 100:02d}"}]
    code, out, err = run("-", "--format", "json", stdin=json.dumps(document))
    assert (code, err) == (0, "")
    verdict = json.loads(out)
    assert verdict["reference_date"] == f"{later}-10-01"
    offer = next(r for r in verdict["results"] if r["code"] == "PTP-OFFER-3Y")
    assert offer["status"] == "pass"


def test_a_file_with_overlapping_offerings_is_still_judged():
    document = _liguria()
    member = next(m for m in document["members"] if m["key"] == "capellini-sauro")
    member["offerings"].append({"programme": "IT-TRL", "from": "2015/16", "to": "2019/20"})
    code, out, err = run("-", stdin=json.dumps(document))
    assert code == 0
    assert len(out.splitlines()) == len(RULES)
    assert err.startswith("Esito: AMMISSIBILE CON OSSERVAZIONI")


# --- exit 3: an error of the program, no verdict -------------------------------------------------


def test_a_database_without_tables_exits_three_saying_to_migrate(tmp_path):
    """Exit 1 would tell a caller that the network is not eligible: nothing was checked."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'vuoto.sqlite3'}",
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "check_network", str(DEMO / "liguria-meccanica.json")],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 3
    assert completed.stdout == ""
    assert "Errore del programma, nessun esito: il catalogo non può essere letto" in (
        completed.stderr
    )
    assert "python manage.py migrate" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("output", ["text", "json"])
def test_an_unexpected_error_exits_three_with_its_traceback(monkeypatch, output):
    from networks.management.commands import check_network

    def broken(composition):
        raise KeyError("regola")

    monkeypatch.setattr(check_network, "evaluate", broken)
    code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--format", output)
    assert (code, out) == (3, "")
    assert "Traceback (most recent call last)" in err
    assert "KeyError: 'regola'" in err
    assert err.rstrip().endswith("Errore del programma, nessun esito.")


def test_the_help_names_every_exit_code():
    from networks.management.commands.check_network import Command

    assert "3 per un errore del programma, senza esito" in Command.help
    for code in ("0 se la rete è ammissibile", "1 se non è ammissibile", "2 se il file"):
        assert code in Command.help


# --- --as-of and the file's own reference date ---------------------------------------------------


def test_the_files_reference_date_is_checked_with_as_of_too():
    document = _liguria()
    document["reference_date"] = "garbage"
    code, out, err = run("-", "--as-of", "2026-11-23", stdin=json.dumps(document))
    assert (code, out) == (2, "")
    assert err == "reference_date: deve essere una data ISO, per esempio 2026-11-23\n"


def test_an_empty_as_of_is_refused_not_ignored():
    code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--as-of", "")
    assert (code, out) == (2, "")
    assert err.startswith("--as-of: manca la data: scrivila nella forma AAAA-MM-GG")


@pytest.mark.parametrize("as_of", ["1999-12-31", "2100-01-01", "0001-01-01"])
def test_an_as_of_out_of_range_is_reported_under_as_of(as_of):
    code, out, err = run(str(DEMO / "liguria-meccanica.json"), "--as-of", as_of)
    assert (code, out) == (2, "")
    assert err == (
        f"--as-of: la data {as_of} è fuori dall'intervallo ammesso: usa una data tra "
        "2000-01-01 e 2099-12-31\n"
    )


def test_a_bad_as_of_and_the_files_errors_are_listed_together():
    document = _liguria()
    document["area"] = "astronautica"
    code, out, err = run("-", "--as-of", "23/11/2026", stdin=json.dumps(document))
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == "--as-of: '23/11/2026' non è una data AAAA-MM-GG"
    assert err.splitlines()[1].startswith("area: area sconosciuta 'astronautica'")


# --- the command line itself ---------------------------------------------------------------------


def _command_line(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ptp_portal.settings.test"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        ((), "errore: mancano gli argomenti obbligatori: file"),
        (("rete.json", "--format", "xml"),
         "errore: argomento --format: 'xml' non è tra le scelte ammesse ('text', 'json')"),
        (("rete.json", "altro.json"), "errore: argomenti non riconosciuti: altro.json"),
        (("rete.json", "--as-of"), "errore: argomento --as-of: manca il valore"),
    ],
)  # fmt: skip
def test_a_command_line_that_cannot_be_read_is_told_in_italian_with_exit_two(arguments, said):
    completed = _command_line("check_network", *arguments)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith("uso: manage.py check_network")
    assert f"manage.py check_network: {said}\n" in completed.stderr
    assert "error" not in completed.stderr.replace("errore", "")


@pytest.mark.parametrize("command", ["check_network", "export_network", "render_document"])
def test_the_help_of_the_portals_commands_is_in_italian(command):
    completed = _command_line(command, "--help")
    assert completed.returncode == 0
    assert completed.stdout.startswith(f"uso: manage.py {command}")
    assert "\nopzioni:\n" in completed.stdout
    assert "mostra questo aiuto ed esce" in completed.stdout
    for english in ("usage:", "options:", "show this help", "Verbosity level", "stack trace"):
        assert english not in completed.stdout
