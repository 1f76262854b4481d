"""Properties of the verdict over generated networks (Hypothesis).

The networks mix every kind of member with values drawn from small pools, so
that sites, duplicates, founders, unmapped codes and gaps in the offer all
occur; half of them start from a network at the Lombardia minimums so that
eligible networks occur too.
"""

from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.core import (
    LOMBARDIA_DGR_124_2013,
    AtecoCode,
    Composition,
    Kind,
    Member,
    Offering,
    Ruleset,
    SchoolYear,
    Verdict,
    evaluate,
    evaluate_ruleset,
)

from .builders import body, company, institute, its, minimal_members
from .catalogue_data import CATALOGUE

PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
COUNT_RULES = ("PTP-INSTITUTES", "PTP-COMPANIES", "PTP-ACCREDITED-A", "PTP-ITS")

# From 2013/14 on, an offer started in 2010/11 lasts at least the 3 years the rules ask.
dates = st.dates(date(2013, 9, 1), date(2030, 12, 31))
programmes = {
    Kind.INSTITUTE: ["IT-MME", "IT-TRL", "IT-TUR", "IPO-MAT", "IP-MAT", "IEFP-MEC"],
    Kind.ACCREDITED_BODY: ["IEFP-MEC", "IEFP-RIS"],
    Kind.ITS: ["ITSO-MI-MEC", "ITS-06", "ITS-09"],
}


def offerings(kind):
    return st.lists(
        st.builds(
            lambda programme, first, length: Offering(
                programme, SchoolYear(first), None if length is None else SchoolYear(first + length)
            ),
            st.sampled_from(programmes[kind]),
            # Biased towards long-running offers, so that eligible networks are common.
            st.just(2010) | st.integers(2010, 2028),
            st.none() | st.none() | st.integers(0, 8),
        ),
        min_size=1,
        max_size=3,
    ).map(tuple)


@st.composite
def member(draw, key, earlier):
    kind = draw(st.sampled_from(list(Kind)))
    name = f"Membro {key}"
    if kind is Kind.INSTITUTE:
        return Member(
            key,
            kind,
            name,
            school_code=draw(st.sampled_from(["SPIS00600X", "SPTF00601A", f"MIIS{key}"])),
            main_school_code=draw(st.sampled_from(["", "SPIS00600X"])),
            school_status=draw(st.sampled_from(["statale", "paritaria", "non_paritaria"])),
            offerings=draw(offerings(kind)),
        )
    if kind is Kind.COMPANY:
        codes = draw(st.lists(st.sampled_from(["28.11", "30.11", "47.11", "55.10", "72.19"])))
        return Member(
            key,
            kind,
            name,
            vat_number=draw(st.sampled_from(["00397130584", f"vat-{key}"])),
            ateco=tuple(AtecoCode.current(code) for code in codes),
            chamber_registered=draw(st.booleans()),
            commitment_signed=draw(st.booleans()),
        )
    if kind is Kind.ACCREDITED_BODY:
        return Member(
            key,
            kind,
            name,
            sections=draw(st.frozensets(st.sampled_from(["A", "B"]))),
            labour_services=draw(st.booleans()),
            offerings=draw(offerings(kind)),
        )
    if kind is Kind.ITS:
        founders = draw(st.lists(st.sampled_from([*earlier, "outsider"]), max_size=3))
        return Member(key, kind, name, founders=tuple(founders), offerings=draw(offerings(kind)))
    return Member(key, kind, name)


@st.composite
def networks(draw):
    members = list(minimal_members()) if draw(st.booleans()) else []
    for index in range(draw(st.integers(0, 8))):
        members.append(draw(member(f"m{index}", [m.key for m in members])))
    lead = draw(st.sampled_from([*(m.key for m in members), None])) if members else None
    return Composition("meccanica", draw(dates), lead, tuple(members), CATALOGUE)


def qualifying(kind):
    """Return a fresh member of ``kind`` that qualifies at any date the strategies draw."""
    return {
        Kind.INSTITUTE: institute("new"),
        Kind.COMPANY: company("new"),
        Kind.ACCREDITED_BODY: body("new"),
        Kind.ITS: its("new"),
    }[kind]


def failures(verdict: Verdict) -> set[str]:
    return {r.code for r in verdict.results if r.status == "fail"}


def summary(verdict: Verdict):
    return verdict.verdict, [(r.code, r.status, r.counted, r.required) for r in verdict.results]


@PROPERTY_SETTINGS
@given(composition=networks(), data=st.data())
def test_the_verdict_does_not_depend_on_the_order_of_members(composition, data):
    shuffled = data.draw(st.permutations(composition.members))
    assert summary(evaluate(replace(composition, members=tuple(shuffled)))) == summary(
        evaluate(composition)
    )


@PROPERTY_SETTINGS
@given(
    composition=networks(),
    kind=st.sampled_from([Kind.INSTITUTE, Kind.COMPANY, Kind.ACCREDITED_BODY, Kind.ITS]),
)
def test_adding_a_qualifying_member_never_adds_a_failure(composition, kind):
    before = evaluate(composition)
    after = evaluate(replace(composition, members=(*composition.members, qualifying(kind))))
    assert failures(after) <= failures(before)
    if before.verdict != "not_eligible":
        assert after.verdict != "not_eligible"


@PROPERTY_SETTINGS
@given(composition=networks(), data=st.data())
def test_removing_a_counted_member_never_removes_a_failure(composition, data):
    """Remove a member the count rules counted and no failing rule names.

    Two exclusions are the rules' own logic, not gaps in the property: a
    member named by a failure (say, a counted company that has not signed the
    commitment) takes that failure away with it; an ITS takes away its
    founders' exclusion, so they may start to count.
    """
    before = evaluate(composition)
    named = {key for r in before.results if r.status == "fail" for key in r.members}
    counted = {key for code in COUNT_RULES for key in before.result(code).members}
    founding_its = {
        m.key
        for m in composition.members
        if m.kind is Kind.ITS and any(f in {n.key for n in composition.members} for f in m.founders)
    }
    candidates = sorted(counted - named - founding_its)
    if not candidates:
        return
    key = data.draw(st.sampled_from(candidates))
    after = evaluate(
        replace(composition, members=tuple(m for m in composition.members if m.key != key))
    )
    assert failures(before) <= failures(after)
    if before.verdict == "not_eligible":
        assert after.verdict == "not_eligible"


@st.composite
def minimums(draw):
    return {
        "min_institutes": draw(st.integers(1, 4)),
        "min_companies": draw(st.integers(0, 4)),
        "min_accredited_a": draw(st.integers(0, 3)),
        "min_its": draw(st.integers(0, 3)),
        "min_offer_years": draw(st.integers(1, 3)),
        "its_binding_from": draw(st.dates(date(2013, 1, 1), date(2031, 12, 31))),
    }


def at_minimum(params) -> list[Member]:
    build = [
        ("min_institutes", institute, "i"),
        ("min_companies", company, "c"),
        ("min_accredited_a", body, "b"),
        ("min_its", its, "t"),
    ]
    return [make(f"{prefix}{n}") for name, make, prefix in build for n in range(params[name])]


@PROPERTY_SETTINGS
@given(params=minimums(), as_of=dates, data=st.data())
def test_a_network_at_every_minimum_is_eligible_and_one_below_any_is_not(params, as_of, data):
    ruleset = Ruleset("test", "Prova", "Legge di prova", params, LOMBARDIA_DGR_124_2013.rule_codes)
    members = at_minimum(params)

    def verdict(chosen):
        composition = Composition("meccanica", as_of, "i0", tuple(chosen), CATALOGUE)
        return evaluate_ruleset(composition, ruleset)

    assert verdict(members).verdict == "eligible"
    # Drop one member of a category that has a minimum (never the lead, i0, if others exist).
    category = data.draw(
        st.sampled_from([n for n in COUNT_RULES if params[_PARAM[n]] > 0]), label="category"
    )
    prefix = _PREFIX[category]
    dropped = [m for m in members if m.key.startswith(prefix)][-1]
    below = verdict([m for m in members if m is not dropped])
    if category == "PTP-ITS" and as_of < params["its_binding_from"]:
        assert below.verdict == "eligible_with_warnings"
    else:
        assert below.verdict == "not_eligible"
    assert below.result(category).status != "pass"


_PARAM = {
    "PTP-INSTITUTES": "min_institutes",
    "PTP-COMPANIES": "min_companies",
    "PTP-ACCREDITED-A": "min_accredited_a",
    "PTP-ITS": "min_its",
}
_PREFIX = {"PTP-INSTITUTES": "i", "PTP-COMPANIES": "c", "PTP-ACCREDITED-A": "b", "PTP-ITS": "t"}
