"""PTP-OFFER-3Y: every training subject has offered the area long enough."""

import pytest

from eligibility.core import Kind

from ..builders import body, company, institute, its, minimal_members, network, offering, other
from ..builders import run_rule as _run


def run(*members, **kwargs):
    return _run("PTP-OFFER-3Y", network(*members), **kwargs)


@pytest.mark.parametrize(
    "members",
    [
        minimal_members(),
        (company("c"), other("u", Kind.UNIVERSITY)),
        (
            institute("i", offerings=(offering("IPO-MAT", "2015/16", "2017/18"),
                                      offering("IP-MAT", "2018/19"))),
        ),
        (institute("i", offerings=(offering("IT-MME", "2024/25"),)),),
        (
            institute("i", offerings=(offering("IT-MME", "2010/11", "2022/23"),
                                      offering("IT-MME", "2024/25", "2025/26"),
                                      offering("IT-ELE", "2026/27"))),
        ),
        (body("b", sections=frozenset(), labour_services=True, offerings=()),),
    ],
    ids=[
        "minimal",
        "no-training-subjects",
        "across-reform",
        "exactly-three",
        "three-after-a-gap",
        "labour-only",
    ],
)  # fmt: skip
def test_passes_when_every_training_subject_offers_the_area_long_enough(members):
    assert run(*members).status == "pass"


@pytest.mark.parametrize(
    ("member", "says"),
    [
        (institute("x", name="IIS X", offerings=(offering("IT-MME", "2025/26"),)),
         "IIS X: dal 2025/26, 2 anni scolastici"),
        (institute("x", name="Liceo X", offerings=()),
         "Liceo X: nessuna offerta dell'area nel 2026/27"),
        (body("x", name="Ente X", sections=frozenset({"B"}), offerings=()),
         "Ente X: nessuna offerta"),
        (its("x", name="ITS X", offerings=(offering("ITSO-MI-MEC", "2010/11", "2023/24"),)),
         "ITS X: nessuna offerta dell'area nel 2026/27"),
        (institute("x", name="IIS X", offerings=(offering("IPO-MAT", "2015/16", "2016/17"),
                                                 offering("IP-MAT", "2018/19", "2018/19"),
                                                 offering("IT-MME", "2025/26"))),
         "IIS X: dal 2025/26, 2 anni"),
    ],
    ids=["two-years", "liceo", "section-b", "its-old-order-ended", "gaps"],
)  # fmt: skip
def test_fails_naming_each_subject_short_of_the_offer(member, says):
    result = run(*minimal_members(), member)
    assert result.status == "fail"
    assert result.message.startswith(
        "1 soggetto formativo su 5 non offre un indirizzo dell'area Meccanica da almeno "
        "3 anni scolastici consecutivi — "
    )
    assert says in result.message
    assert result.members == ("x",)
    assert "dal 2024/25 al 2026/27" in result.hint


def test_names_every_subject_short_of_the_offer():
    short = institute("a", offerings=(offering("IT-MME", "2026/27"),))
    shorter = body("b", offerings=())
    result = run(short, shorter, its("t"))
    assert result.status == "fail"
    assert result.message.startswith("2 soggetti formativi su 3 non offrono")
    assert result.members == ("a", "b")


def test_reads_the_minimum_years_from_the_ruleset():
    member = institute("x", offerings=(offering("IT-MME", "2025/26"),))
    assert run(member, params={"min_offer_years": 2}).status == "pass"
    result = run(member, params={"min_offer_years": 5})
    assert result.status == "fail"
    assert "da almeno 5 anni scolastici" in result.message
    assert "dal 2022/23 al 2026/27" in result.hint
