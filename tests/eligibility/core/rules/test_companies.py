"""PTP-COMPANIES, PTP-COMPANY-AREA and PTP-COMPANY-COMMITMENT."""

import pytest

from eligibility.core import AtecoCode

from ..builders import company, institute, its, network, run_rule

C1 = company("c1")


class TestCompanies:
    @pytest.mark.parametrize(
        "second",
        [
            company("c2"),
            company("c2", "47.11", "30.11"),
            company("c2", "72.19"),  # unmapped codes count, pending assessment
            company("c2", ateco=(AtecoCode("29.10.00", "2007", ("29.10",)),)),
            company("c2", commitment_signed=False),  # the commitment is another rule
        ],
        ids=["in-area", "one-code-in-area", "unmapped", "older-edition", "unsigned"],
    )
    def test_passes_two_counting_companies(self, second):
        result = run_rule("PTP-COMPANIES", network(institute("i1"), C1, second))
        assert result.status == "pass"
        assert result.message == "2 imprese su 2 richieste"
        assert result.members == ("c1", "c2")

    @pytest.mark.parametrize(
        ("second", "reason"),
        [
            (company("c2", chamber_registered=False), "non iscritta alla Camera di commercio"),
            (company("c2", "47.11"), "codici ATECO di aree diverse da Meccanica"),
        ],
        ids=["not-registered", "other-area"],
    )
    def test_fails_naming_the_excluded_company_and_why(self, second, reason):
        result = run_rule("PTP-COMPANIES", network(institute("i1"), C1, second))
        assert result.status == "fail"
        assert result.message.startswith("1 impresa su 2 richieste. Non contano — c2 S.r.l.: ")
        assert reason in result.message
        assert result.hint == (
            "Aggiungi almeno 1 impresa iscritta alla Camera di commercio, con un codice ATECO "
            "dell'area Meccanica e non tra i soci fondatori dell'ITS della rete, oppure rimuovi "
            "le cause di esclusione indicate"
        )

    def test_excludes_founders_of_an_its_of_the_network(self):
        founder = company("c2", name="Fincantieri S.p.A.")
        composition = network(institute("i1"), C1, founder, its("t1", founders=("c2",)))
        result = run_rule("PTP-COMPANIES", composition)
        assert result.status == "fail"
        assert "Fincantieri S.p.A.: tra i soci fondatori di ITS t1" in result.message

    def test_counts_one_legal_entity_once(self):
        twin = company("c2", vat_number=C1.vat_number)
        result = run_rule("PTP-COMPANIES", network(institute("i1"), C1, twin))
        assert result.status == "fail"
        assert result.counted == 1
        assert "contano come una sola impresa" in result.message

    def test_reads_the_minimum_from_the_ruleset(self):
        result = run_rule(
            "PTP-COMPANIES", network(institute("i1"), C1), params={"min_companies": 1}
        )
        assert result.status == "pass"
        assert result.message == "1 impresa su 1 richiesta"


class TestCompanyArea:
    @pytest.mark.parametrize(
        "companies",
        [(), (C1,), (C1, company("c2", "72.19", "30.11"))],
        ids=["none", "in-area", "mixed-with-unmapped"],
    )
    def test_passes_companies_with_a_code_of_the_area(self, companies):
        assert run_rule("PTP-COMPANY-AREA", network(institute("i"), *companies)).status == "pass"

    def test_fails_a_company_whose_codes_map_only_to_other_areas(self):
        shop = company("shop", "47.11", "72.19", name="Bottega")
        result = run_rule("PTP-COMPANY-AREA", network(C1, shop))
        assert result.status == "fail"
        assert "Bottega: 47.11 (Servizi commerciali e trasporti); 72.19, non associato" in (
            result.message
        )
        assert result.members == ("shop",)
        assert "Bottega" in result.hint
        assert "Meccanica" in result.hint

    def test_names_the_edition_and_the_area_of_an_older_code_in_one_bracket(self):
        shop = company("shop", ateco=(AtecoCode("47.11", "2022", ("47.11",)),), name="Bottega")
        result = run_rule("PTP-COMPANY-AREA", network(C1, shop))
        assert result.status == "fail"
        assert "Bottega: 47.11 (ATECO 2022: Servizi commerciali e trasporti)" in result.message
        assert ") (" not in result.message

    @pytest.mark.parametrize(
        ("member", "says"),
        [
            (company("lab", "72.19"), "72.19, non associato ad alcuna area"),
            (
                company("lab", ateco=(AtecoCode("73.10.00", "2007", ()),)),
                "73.10.00 (ATECO 2007), senza corrispondenza in ATECO 2025",
            ),
            (company("lab", ateco=()), "nessun codice ATECO indicato"),
        ],
        ids=["unmapped", "no-correspondence", "no-code"],
    )
    def test_warns_about_a_company_whose_codes_map_nowhere(self, member, says):
        result = run_rule("PTP-COMPANY-AREA", network(C1, member))
        assert result.status == "warning"
        assert says in result.message
        assert result.members == ("lab",)
        assert "istruttore" in result.hint

    def test_a_failure_also_lists_the_unmapped_ones(self):
        composition = network(company("shop", "47.11"), company("lab", "72.19"))
        result = run_rule("PTP-COMPANY-AREA", composition)
        assert result.status == "fail"
        assert result.members == ("shop", "lab")
        assert "da valutare" in result.message


class TestCompanyCommitment:
    @pytest.mark.parametrize("companies", [(), (C1, company("c2"))], ids=["none", "all-signed"])
    def test_passes_when_every_company_signed(self, companies):
        result = run_rule("PTP-COMPANY-COMMITMENT", network(institute("i"), *companies))
        assert result.status == "pass"

    def test_fails_naming_every_unsigned_company(self):
        members = (
            C1,
            company("c2", name="Alfa", commitment_signed=False),
            company("c3", name="Beta", commitment_signed=False, chamber_registered=False),
        )
        result = run_rule("PTP-COMPANY-COMMITMENT", network(*members))
        assert result.status == "fail"
        assert result.members == ("c2", "c3")
        assert result.message.endswith("non firmato da: Alfa e Beta")
        assert "Alfa e Beta" in result.hint
