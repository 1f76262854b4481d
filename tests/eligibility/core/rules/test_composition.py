"""PTP-AREA, PTP-LEAD-PARTNER, PTP-UNIQUE and PTP-MEMBER-TYPES."""

import pytest

from eligibility.core import Kind

from ..builders import body, company, institute, its, minimal_members, network, other, run_rule
from ..catalogue_data import build_catalogue


class TestArea:
    def test_passes_an_active_area(self):
        result = run_rule("PTP-AREA", network())
        assert result.status == "pass"
        assert "Meccanica" in result.message

    @pytest.mark.parametrize(
        ("area", "catalogue", "says"),
        [
            ("spazio", build_catalogue(), "«spazio» non esiste"),
            ("meccanica", build_catalogue(inactive=frozenset({"meccanica"})), "non è più attiva"),
        ],
        ids=["unknown", "inactive"],
    )
    def test_fails_an_unknown_or_inactive_area(self, area, catalogue, says):
        result = run_rule("PTP-AREA", network(area=area, catalogue=catalogue))
        assert result.status == "fail"
        assert says in result.message
        assert "Turismo" in result.hint
        assert "Meccanica" not in result.hint or area == "spazio"

    def test_says_whom_to_ask_when_no_area_is_active(self):
        catalogue = build_catalogue(inactive=frozenset(build_catalogue().areas))
        result = run_rule("PTP-AREA", network(catalogue=catalogue))
        assert result.status == "fail"
        assert "amministratore del catalogo" in result.hint


class TestLeadPartner:
    @pytest.mark.parametrize(
        "lead", [institute("l"), company("l"), body("l"), its("l")], ids=lambda m: m.kind
    )
    def test_passes_a_lead_of_the_minimum_composition(self, lead):
        result = run_rule("PTP-LEAD-PARTNER", network(lead, *minimal_members()))
        assert result.status == "pass"
        assert result.members == ("l",)

    @pytest.mark.parametrize(
        ("lead", "says"),
        [(None, "Capofila non indicato"), ("nobody", "«nobody» non è un membro")],
    )
    def test_fails_without_a_lead_among_the_members(self, lead, says):
        result = run_rule("PTP-LEAD-PARTNER", network(*minimal_members(), lead=lead))
        assert result.status == "fail"
        assert says in result.message

    @pytest.mark.parametrize("kind", [Kind.UNIVERSITY, Kind.RESEARCH_CENTRE, Kind.OTHER])
    def test_warns_when_a_peripheral_member_leads(self, kind):
        lead = other("l", kind, name="Confindustria La Spezia")
        result = run_rule("PTP-LEAD-PARTNER", network(lead, *minimal_members()))
        assert result.status == "warning"
        assert "Confindustria La Spezia" in result.message
        assert kind.label in result.message


class TestUnique:
    def test_passes_distinct_organisations(self):
        assert run_rule("PTP-UNIQUE", network()).status == "pass"

    def test_passes_two_sites_of_one_school(self):
        main = institute("main", school_code="SPIS00600X")
        site = institute("site", school_code="SPTF00601A", main_school_code="SPIS00600X")
        assert run_rule("PTP-UNIQUE", network(main, site)).status == "pass"

    @pytest.mark.parametrize(
        ("first", "second", "says"),
        [
            (
                institute("a", school_code="SPIS00600X"),
                institute("b", school_code="spis00600x "),
                "Stesso codice meccanografico SPIS00600X: IIS a e IIS b",
            ),
            (
                company("a", vat_number="00397130584"),
                company("b", vat_number="00397130584"),
                "Stessa partita IVA 00397130584: a S.r.l. e b S.r.l.",
            ),
            (company("a"), institute("a"), "Stessa chiave a: a S.r.l. e IIS a"),
        ],
        ids=["school-code", "vat-number", "key"],
    )
    def test_fails_a_duplicate(self, first, second, says):
        result = run_rule("PTP-UNIQUE", network(first, second, *minimal_members()))
        assert result.status == "fail"
        assert result.message == says
        assert set(result.members) == {first.key, second.key}
        assert "un solo membro" in result.hint


class TestMemberTypes:
    def test_passes_kinds_the_dgr_foresees(self):
        members = (
            *minimal_members(),
            other("u", Kind.UNIVERSITY),
            other("r", Kind.RESEARCH_CENTRE),
        )
        result = run_rule("PTP-MEMBER-TYPES", network(*members))
        assert result.status == "pass"

    def test_warns_about_other_members_by_name(self):
        confindustria = other("conf", name="Confindustria La Spezia")
        result = run_rule("PTP-MEMBER-TYPES", network(*minimal_members(), confindustria))
        assert result.status == "warning"
        assert result.members == ("conf",)
        assert "Confindustria La Spezia" in result.message
        assert "Confindustria La Spezia" in result.hint
