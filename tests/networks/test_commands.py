"""check_network and export_network, exactly as network-format.md specifies them."""

import io
import json
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


def test_eligible_with_warnings_exits_zero_with_one_line_per_rule():
    code, out, err = run(str(DEMO / "liguria-meccanica.json"))
    assert code == 0
    assert err == ""
    for rule in ("PTP-AREA", "PTP-INSTITUTES", "PTP-ITS-FOUNDERS", "PTP-MEMBER-TYPES"):
        assert rule in out
    assert "AMMISSIBILE CON OSSERVAZIONI" in out


def test_not_eligible_exits_one_and_json_is_the_verdict_object():
    code, out, _err = run(str(DEMO / "lombardia-agroalimentare.json"), "--format", "json")
    assert code == 1
    verdict = json.loads(out)
    assert verdict["format"] == "ptp-verdict/1"
    assert verdict["ruleset"] == "lombardia-dgr-124-2013"
    assert verdict["verdict"] == "not_eligible"
    codes = [result["code"] for result in verdict["results"]]
    assert codes == [
        "PTP-AREA", "PTP-LEAD-PARTNER", "PTP-UNIQUE", "PTP-INSTITUTES", "PTP-COMPANIES", "PTP-ACCREDITED-A",
        "PTP-ITS", "PTP-OFFER-3Y", "PTP-COMPANY-AREA", "PTP-COMPANY-COMMITMENT", "PTP-ITS-FOUNDERS", "PTP-MEMBER-TYPES",
    ]  # fmt: skip
    assert all(result["citation"] for result in verdict["results"])


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
        ("[]", "il documento deve essere un oggetto JSON"),
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
    web = evaluate_application(application).to_dict()
    assert json.loads(cli)["results"] == web["results"]
    assert json.loads(cli)["verdict"] == web["verdict"]


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


def test_a_file_with_a_reference_date_ahead_counts_the_offerings_begun_by_then(tmp_path):
    from networks.schoolyears import current_school_year

    later = current_school_year() + 3
    document = _liguria()
    document["reference_date"] = f"{later}-10-01"
    member = next(m for m in document["members"] if m["key"] == "fossati-da-passano")
    member["offerings"] = [{"programme": "IT-ELE", "from": f"{later - 2}/{(later - 1) % 100:02d}"}]
    path = tmp_path / "futuro.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run(str(path), "--format", "json")
    assert (code, err) == (0, "")
    verdict = json.loads(out)
    assert verdict["reference_date"] == f"{later}-10-01"
    offer = next(r for r in verdict["results"] if r["code"] == "PTP-OFFER-3Y")
    assert offer["status"] == "pass"


def test_a_file_with_overlapping_offerings_is_still_judged(tmp_path):
    document = _liguria()
    member = next(m for m in document["members"] if m["key"] == "capellini-sauro")
    member["offerings"].append({"programme": "IT-TRL", "from": "2015/16", "to": "2019/20"})
    path = tmp_path / "sovrapposte.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = run(str(path))
    assert (code, err) == (0, "")
    assert "AMMISSIBILE CON OSSERVAZIONI" in out
