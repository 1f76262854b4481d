"""PTP-INSTITUTES, PTP-ACCREDITED-A, PTP-ITS and PTP-ITS-FOUNDERS."""

from datetime import date

import pytest

from ..builders import (
    body,
    company,
    institute,
    its,
    minimal_members,
    network,
    offering,
    other,
    run_rule,
)

I1, I2 = institute("i1"), institute("i2")
REST = (company("c1"), company("c2"), body("b1"), its("t1"))


class TestInstitutes:
    @pytest.mark.parametrize(
        "institutes",
        [
            (I1, I2),
            (I1, institute("i2", school_status="paritaria")),
            (I1, institute("i2", offerings=(offering("IPO-MAT", "2015/16", "2017/18"),
                                            offering("IP-MAT", "2018/19")))),
            (I1, institute("i2", offerings=(offering("IEFP-MEC", "2010/11"),
                                            offering("IT-TRL", "2026/27")))),
            # The contract asks for a tecnico or professionale programme, of any area: the
            # area is the three-year offer's, which the IeFP course makes.
            (I1, institute("i2", offerings=(offering("IEFP-MEC", "2010/11"),
                                            offering("IT-AFM", "2010/11")))),
            (I1, I2, institute("i3", school_status="non_paritaria")),
        ],
        ids=["two-statali", "paritaria", "across-reform", "iefp-then-tecnico",
             "iefp-of-the-area-and-tecnico-of-another", "plus-excluded"],
    )  # fmt: skip
    def test_passes_two_counting_institutes(self, institutes):
        result = run_rule("PTP-INSTITUTES", network(*institutes, *REST))
        assert result.status == "pass"
        assert (result.counted, result.required) == (2, 2)
        assert result.message.startswith("2 istituti su 2 richiesti")

    @pytest.mark.parametrize(
        ("second", "reason"),
        [
            (
                institute("x", name="Liceo X", school_status="non_paritaria"),
                "Liceo X: non paritario",
            ),
            (institute("x", school_status=""), "né statale né paritario"),
            (
                institute("x", name="Liceo X", offerings=()),
                "Liceo X: nessun indirizzo tecnico o professionale nel 2026/27, "
                "nessuna offerta dell'area Meccanica nel 2026/27",
            ),
            (
                institute("x", offerings=(offering("IT-TUR", "2010/11"),)),
                "IIS x: nessuna offerta dell'area Meccanica nel 2026/27",
            ),
            (
                institute("x", offerings=(offering("IEFP-MEC", "2010/11"),)),
                "IIS x: nessun indirizzo tecnico o professionale nel 2026/27",
            ),
            (
                institute("x", offerings=(offering("IT-MME", "2025/26"),)),
                "offerta dell'area da 2 anni scolastici consecutivi su 3 richiesti",
            ),
            (
                institute("x", offerings=(offering("IT-MME", "2010/11", "2025/26"),)),
                "IIS x: nessun indirizzo tecnico o professionale nel 2026/27, "
                "nessuna offerta dell'area Meccanica nel 2026/27",
            ),
        ],
        ids=[
            "non-paritaria",
            "no-status",
            "liceo",
            "other-area",
            "only-iefp",
            "two-years",
            "stopped",
        ],
    )
    def test_fails_naming_the_excluded_institute_and_why(self, second, reason):
        result = run_rule("PTP-INSTITUTES", network(I1, second, *REST))
        assert result.status == "fail"
        assert (result.counted, result.required) == (1, 2)
        assert result.message.startswith("1 istituto su 2 richiesti")
        assert result.message.endswith(reason)
        assert result.members == ("i1",)
        assert result.hint == (
            "Aggiungi almeno 1 istituto tecnico o professionale, statale o paritario, con "
            "percorsi dell'area Meccanica offerti da almeno 3 anni scolastici consecutivi, "
            "oppure rimuovi le cause di esclusione indicate"
        )

    @pytest.mark.parametrize(
        ("offerings", "reasons"),
        [
            (
                (),
                "nessun indirizzo tecnico o professionale nel 2026/27, "
                "nessuna offerta dell'area Meccanica nel 2026/27",
            ),
            (
                (offering("IEFP-MEC", "2025/26"),),
                "nessun indirizzo tecnico o professionale nel 2026/27, "
                "offerta dell'area da 2 anni scolastici consecutivi su 3 richiesti",
            ),
        ],
        ids=["nothing-offered", "short-iefp-offer"],
    )
    def test_gives_every_reason_once(self, offerings, reasons):
        result = run_rule("PTP-INSTITUTES", network(I1, institute("x", offerings=offerings)))
        assert result.message.endswith(f"Non contano — IIS x: {reasons}")

    def test_counts_two_sites_of_one_school_once(self):
        main = institute("main", name="IISS Capellini Sauro", school_code="SPIS00600X")
        site = institute("site", name="IISS Capellini Sauro – Sarzana", school_code="SPTF00601A",
                         main_school_code="SPIS00600X")  # fmt: skip
        result = run_rule("PTP-INSTITUTES", network(main, site, *REST))
        assert result.status == "fail"
        assert result.counted == 1
        assert set(result.members) == {"main", "site"}
        assert "contano come un solo istituto" in result.message
        assert "Aggiungi almeno 1 istituto" in result.hint

    def test_excludes_founders_of_an_its_of_the_network(self):
        founder = institute("i2", name="IIS Fondatore")
        founded = its("t1", name="ITS Meccanica", founders=("i2",))
        result = run_rule("PTP-INSTITUTES", network(I1, founder, founded))
        assert result.status == "fail"
        assert "IIS Fondatore: tra i soci fondatori di ITS Meccanica" in result.message

    def test_excludes_the_sites_of_a_founding_school_whichever_the_its_names(self):
        """Founding is the institution's (DOMAIN.md §3, rules 1 and 8): its plessi do not count."""
        main = institute("main", name="IISS Capellini Sauro", school_code="SPIS00600X")
        site = institute("site", name="IISS Capellini Sauro – Sarzana", school_code="SPRI00601A",
                         main_school_code="SPIS00600X")  # fmt: skip
        for founder in ("main", "site"):
            founded = its("t1", name="ITS Meccanica", founders=(founder,))
            result = run_rule("PTP-INSTITUTES", network(I1, main, site, founded))
            assert result.status == "fail"
            assert result.members == ("i1",)
            named, other_site = (main, site) if founder == "main" else (site, main)
            assert f"{named.name}: tra i soci fondatori di ITS Meccanica" in result.message
            assert (
                f"{other_site.name}: stessa istituzione di un socio fondatore di ITS Meccanica"
                in result.message
            )

    def test_reads_the_minimum_from_the_ruleset(self):
        composition = network(I1, *REST)
        assert (
            run_rule("PTP-INSTITUTES", composition, params={"min_institutes": 1}).status == "pass"
        )
        result = run_rule(
            "PTP-INSTITUTES", network(*minimal_members()), params={"min_institutes": 3}
        )
        assert result.status == "fail"
        assert result.message.startswith("2 istituti su 3 richiesti")

    def test_asks_for_the_plural_when_several_are_missing(self):
        result = run_rule("PTP-INSTITUTES", network(*REST))
        assert result.message == "0 istituti su 2 richiesti"
        assert result.hint.startswith("Aggiungi almeno 2 istituti tecnici o professionali, statali")

    def test_reports_a_missing_parameter_instead_of_raising(self):
        result = run_rule("PTP-INSTITUTES", network(), params={"min_institutes": None})
        assert result.status == "fail"
        assert "min_institutes" in result.message


class TestAccreditedA:
    @pytest.mark.parametrize(
        "bodies",
        [
            (body("b1"),),
            (body("b1", sections=frozenset({"A", "B"}), labour_services=True),),
            (body("b1"), body("b2", sections=frozenset({"B"}))),
        ],
        ids=["section-a", "a-and-b", "plus-section-b"],
    )
    def test_passes_a_counting_section_a_body(self, bodies):
        result = run_rule("PTP-ACCREDITED-A", network(I1, *bodies))
        assert result.status == "pass"
        assert result.message.startswith("1 soggetto accreditato in Sezione A su 1 richiesto")

    @pytest.mark.parametrize(
        ("member", "reason"),
        [
            (body("b", sections=frozenset({"B"})), "accreditato solo in Sezione B"),
            (
                body("b", sections=frozenset(), labour_services=True),
                "accreditato solo ai servizi per il lavoro",
            ),
            (body("b", sections=frozenset()), "nessuna sezione di accreditamento"),
            (
                body("b", offerings=(offering("IEFP-MEC", "2025/26"),)),
                "offerta dell'area da 2 anni scolastici",
            ),
            (body("b", offerings=(offering("IEFP-RIS", "2010/11"),)), "nessuna offerta dell'area"),
        ],
        ids=["only-b", "labour-services", "no-section", "two-years", "other-area"],
    )
    def test_fails_without_a_counting_section_a_body(self, member, reason):
        result = run_rule("PTP-ACCREDITED-A", network(I1, member))
        assert result.status == "fail"
        assert result.message.startswith("0 soggetti accreditati in Sezione A su 1 richiesto")
        assert reason in result.message
        assert "Sezione A" in result.hint


class TestIts:
    def test_passes_a_counting_its(self):
        result = run_rule("PTP-ITS", network())
        assert result.status == "pass"
        assert result.members == ("t1",)

    @pytest.mark.parametrize(
        ("as_of", "status"),
        [
            (date(2015, 11, 23), "warning"),
            (date(2016, 5, 13), "warning"),
            (date(2016, 5, 14), "fail"),
            (date(2026, 11, 23), "fail"),
        ],
    )
    def test_missing_its_warns_before_the_binding_date_and_fails_from_it(self, as_of, status):
        result = run_rule("PTP-ITS", network(I1, I2), as_of=as_of)
        assert result.status == status
        assert result.counted == 0
        assert "ggiungi almeno 1 ITS con percorsi dell'area Meccanica" in result.hint
        if status == "warning":
            assert "vincolante dal 14/05/2016" in result.message
            assert result.hint.startswith("Dal 14/05/2016 sarà obbligatorio: aggiungi")

    def test_an_its_short_of_the_offer_does_not_count(self):
        young = its("t1", name="ITS Giovane", offerings=(offering("ITS-06", "2025/26"),))
        result = run_rule("PTP-ITS", network(I1, young))
        assert result.status == "fail"
        assert "ITS Giovane: offerta dell'area da 2 anni scolastici" in result.message

    def test_reads_the_binding_date_from_the_ruleset(self):
        result = run_rule("PTP-ITS", network(I1), params={"its_binding_from": date(2030, 1, 1)})
        assert result.status == "warning"
        assert "01/01/2030" in result.message


class TestItsFounders:
    def test_passes_without_founders_among_institutes_and_companies(self):
        members = (I1, body("b1"), its("t1", founders=("b1", "not-a-member")))
        assert run_rule("PTP-ITS-FOUNDERS", network(*members)).status == "pass"

    def test_warns_naming_the_founders_left_out_of_the_count(self):
        members = (
            I1,
            institute("i2", name="IIS Fondatore"),
            company("c1", name="Fincantieri S.p.A."),
            company("c2"),
            its("t1", name="ITS Meccanica", founders=("i2", "c1")),
            other("u"),
        )
        result = run_rule("PTP-ITS-FOUNDERS", network(*members))
        assert result.status == "warning"
        assert result.members == ("i2", "c1")
        assert "IIS Fondatore (ITS Meccanica)" in result.message
        assert "Fincantieri S.p.A." in result.message

    def test_names_the_sites_of_a_founding_school_too(self):
        main = institute("main", name="IISS Capellini Sauro", school_code="SPIS00600X")
        site = institute("site", name="IISS Capellini Sauro – Sarzana", school_code="SPRI00601A",
                         main_school_code="SPIS00600X")  # fmt: skip
        founders = (
            its("t1", name="ITS Meccanica", founders=("main",)),
            its("t2", founders=("site",)),
        )
        result = run_rule("PTP-ITS-FOUNDERS", network(I1, main, site, *founders))
        assert result.status == "warning"
        assert result.members == ("main", "site")
        assert "IISS Capellini Sauro – Sarzana (ITS Meccanica e ITS t2)" in result.message
