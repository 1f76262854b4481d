"""The shared counting helpers: years of offer, continuity, linkage, company fit, sites."""

from datetime import date

import pytest

from eligibility.core import (
    AtecoCode,
    CompanyFit,
    Facts,
    Kind,
    Member,
    Programme,
    SchoolYear,
    company_fit,
    coverage,
    is_linked,
    is_training_subject,
    offer_years,
    organisation_key,
)
from eligibility.core.rulesets import LOMBARDIA_DGR_124_2013

from .builders import body, company, institute, its, network, offering, other, sy
from .catalogue_data import CATALOGUE, build_catalogue

REF = sy("2026/27")


def years(*offerings, area="meccanica", ref=REF, catalogue=CATALOGUE):
    return offer_years(institute("x", offerings=offerings), area, catalogue, ref)


@pytest.mark.parametrize(
    ("offerings", "expected"),
    [
        ((), 0),
        ((offering("IT-MME", "2010/11"),), 17),
        ((offering("IT-MME", "2024/25"),), 3),
        ((offering("IT-MME", "2025/26"),), 2),
        ((offering("IT-MME", "2026/27"),), 1),
        ((offering("IT-MME", "2027/28"),), 0),  # starts after the reference year
        ((offering("IT-MME", "2010/11", "2025/26"),), 0),  # no longer offered
        ((offering("IT-TUR", "2010/11"),), 0),  # another area
        ((offering("UNKNOWN", "2010/11"),), 0),
        # a gap breaks the run: only the years after it count
        ((offering("IT-MME", "2010/11", "2022/23"), offering("IT-ELE", "2024/25")), 3),
        # two programmes that touch make one run
        ((offering("IT-MME", "2010/11", "2023/24"), offering("IEFP-MEC", "2024/25")), 17),
        # overlapping offers are not counted twice
        ((offering("IT-MME", "2020/21"), offering("IT-ELE", "2022/23")), 7),
    ],
)
def test_counts_consecutive_years_ending_with_the_reference_year(offerings, expected):
    assert years(*offerings) == expected


def test_an_offer_continues_across_the_reform_of_professional_courses():
    """IPO-MAT 2015/16–2017/18 then IP-MAT from 2018/19 is one continuous offer."""
    offerings = (offering("IPO-MAT", "2015/16", "2017/18"), offering("IP-MAT", "2018/19"))
    assert years(*offerings) == 12
    assert years(*offerings, ref=sy("2018/19")) == 4


def test_an_old_programme_links_to_its_successor_s_area():
    """A reform may move a course to another area: the successor chain decides too."""
    catalogue = build_catalogue(
        extra_programmes=(
            Programme("IPO-OLD", "Vecchio", "professionale", frozenset({"manifattura"}),
                      SchoolYear(2010), SchoolYear(2017), "IPO-MID"),
            Programme("IPO-MID", "Intermedio", "professionale", frozenset({"manifattura"}),
                      SchoolYear(2018), SchoolYear(2019), "IP-MAT"),
        )
    )  # fmt: skip
    assert is_linked("IPO-OLD", "meccanica", catalogue)
    assert is_linked("IPO-OLD", "manifattura", catalogue)
    assert not is_linked("IP-MAT", "manifattura", catalogue)
    offerings = (offering("IPO-OLD", "2016/17", "2017/18"), offering("IP-MAT", "2018/19"))
    assert years(*offerings, catalogue=catalogue) == 11


def test_a_successor_cycle_does_not_loop():
    catalogue = build_catalogue(
        extra_programmes=(
            Programme("A", "A", "iefp", frozenset(), SchoolYear(2010), None, "B"),
            Programme("B", "B", "iefp", frozenset(), SchoolYear(2010), None, "A"),
        )
    )
    assert not is_linked("A", "meccanica", catalogue)


def test_coverage_merges_touching_ranges_and_stops_at_the_reference_year():
    member = institute(
        "x",
        offerings=(
            offering("IT-MME", "2010/11", "2012/13"),
            offering("IT-ELE", "2013/14", "2014/15"),
            offering("IT-MME", "2020/21"),
            offering("IT-TUR", "2015/16"),
        ),
    )
    assert coverage(member, "meccanica", CATALOGUE, sy("2022/23")) == (
        (sy("2010/11"), sy("2014/15")),
        (sy("2020/21"), sy("2022/23")),
    )


@pytest.mark.parametrize(
    ("codes", "fit"),
    [
        (("28.11",), CompanyFit.IN_AREA),
        (("47.11", "28.11"), CompanyFit.IN_AREA),  # any code in the area is enough
        (("47.11",), CompanyFit.OTHER_AREAS),
        (("47.11", "72.19"), CompanyFit.OTHER_AREAS),
        (("72.19",), CompanyFit.UNMAPPED),
        ((), CompanyFit.UNMAPPED),
    ],
)
def test_tells_whether_a_company_is_in_the_area(codes, fit):
    member = company("c", *codes) if codes else company("c", ateco=())
    assert company_fit(member, "meccanica", CATALOGUE) is fit


def test_an_older_edition_code_fits_through_its_correspondence():
    member = company("c", ateco=(AtecoCode("29.22.01", "2007", ("28.22",)),))
    assert company_fit(member, "meccanica", CATALOGUE) is CompanyFit.IN_AREA


def test_sites_of_one_school_are_one_organisation():
    main = institute("main", school_code="SPIS00600X")
    site = institute("site", school_code="SPTF00601A", main_school_code="spis00600x")
    assert organisation_key(main) == organisation_key(site)
    assert organisation_key(company("a", vat_number="1")) == organisation_key(
        company("b", vat_number="1")
    )
    assert organisation_key(other("u", Kind.UNIVERSITY)) != organisation_key(other("v"))


@pytest.mark.parametrize(
    ("member", "trains"),
    [
        (institute("i"), True),
        (its("t"), True),
        (body("b"), True),
        (body("b", sections=frozenset({"B"})), True),
        (body("b", sections=frozenset(), labour_services=True), False),
        (company("c"), False),
        (other("u", Kind.UNIVERSITY), False),
    ],
)
def test_training_subjects_are_institutes_accredited_bodies_and_its(member, trains):
    assert is_training_subject(member) is trains


def test_founders_are_only_members_named_by_an_its_of_the_network():
    composition = network(
        institute("i1"),
        company("c1"),
        its("t1", founders=("i1", "outsider", "i1")),
        its("t2", founders=("c1",)),
        company("c2"),
    )
    facts = Facts(composition, params=LOMBARDIA_DGR_124_2013.params, as_of=date(2026, 11, 23))
    assert set(facts.founded_by) == {"i1", "c1"}
    assert [m.key for m in facts.founded_by["i1"]] == ["t1"]


def test_facts_describe_only_the_inputs_they_were_built_from():
    composition = network()
    params = LOMBARDIA_DGR_124_2013.params
    facts = Facts(composition, params=params, as_of=date(2026, 11, 23))
    assert facts.describes(composition, params, date(2026, 11, 23))
    assert not facts.describes(network(), params, date(2026, 11, 23))
    assert not facts.describes(composition, params, date(2026, 11, 24))
    assert not facts.describes(composition, dict(params), date(2026, 11, 23))


def test_a_member_that_is_not_a_training_subject_has_no_offer_years():
    facts = Facts(
        network(company("c1"), Member("u", Kind.UNIVERSITY, "U")),
        params=LOMBARDIA_DGR_124_2013.params,
        as_of=date(2026, 11, 23),
    )
    assert facts.offer_years == {}
