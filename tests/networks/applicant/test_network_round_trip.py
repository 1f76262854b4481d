"""Property tests of the ``ptp-network/1`` contract: export → import → export round-trips.

Any valid network (unusual Unicode names, apostrophes, the longest names the
registry holds, every member kind, sites of an institute of the file, optional
fields absent) imports into a
draft and exports as the file it was, with the format's defaults filled in;
the export imports again unchanged and is valid input for the checker.
"""

import json
import unicodedata
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.adapters import (
    NetworkInputError,
    application_queryset_for_evaluation,
    catalogue_from_db,
    composition_from_network,
    network_from_application,
    parse_network_json,
)
from networks.models import Application, StudyProgramme
from networks.schoolyears import current_school_year
from networks.services.applications import application_import_network
from networks.validators import FORMULA_STARTS, PROVINCE_CODES
from tests.factories import draft_application, fictitious_school_code, fictitious_vat

pytestmark = pytest.mark.django_db

# Letters of any script, digits, marks, apostrophes (typographic too), punctuation, symbols
# and characters outside the BMP: everything a name may hold but what decision 0004 refuses
# (the angle brackets of markup among them).
NAME_CHARACTERS = st.characters(
    categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029<>"
)
# Letters that print as blanks, and the categories that show nothing on their own: a text made
# only of them is refused as invisible (networks.validators), a name or a key alike.
BLANKS = frozenset("\u2800\u115f\u1160\u3164\uffa0")
UNSEEN = frozenset({"Zs", "Mn", "Me"})


def publishable(text: str) -> bool:
    """Whether the registry keeps ``text`` as a name or key: visible, no formula, no spaces around."""
    return (
        text == text.strip()
        and text[0] not in FORMULA_STARTS
        and any(c not in BLANKS and unicodedata.category(c) not in UNSEEN for c in text)
    )


NAMES = (
    st.text(NAME_CHARACTERS, min_size=1, max_size=255)
    | st.sampled_from(["L'Aquila – Istituto «D'Annunzio»", "Caffè & Ottica S.r.l.", "É" * 255])
).filter(publishable)
# Any string without spaces around it (network-format.md), up to the registry's 255
# characters, that poli.csv can publish as it is (decision 0012: no formula, nothing hidden).
KEYS = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\u2028\u2029"),
    min_size=1,
    max_size=255,
).filter(publishable)
KINDS = ["institute", "company", "accredited_body", "its", "university", "research_centre", "other"]
PROVINCES = st.sampled_from(sorted(PROVINCE_CODES))
ATECO_2025 = st.sampled_from(["28.13", "30.11", "25.62.00", "10.71", "62.10", "85.32", "71.12"])
ATECO_2022 = st.sampled_from(["28.13.00", "30.11.01", "62.01.00"])


def _programmes(kinds: set[str]) -> list[StudyProgramme]:
    return list(StudyProgramme.objects.filter(kind__in=kinds).order_by("code"))


@st.composite
def offerings(draw: Any, kinds: set[str]) -> list[dict[str, Any]]:
    """Return offerings of distinct programmes, each within its validity, none starting later."""
    now = current_school_year()
    chosen = draw(st.lists(st.sampled_from(_programmes(kinds)), max_size=3, unique=True))
    result = []
    for programme in chosen:
        last_valid = min(programme.valid_to or now, now)
        first = draw(st.integers(programme.valid_from, last_valid))
        to = draw(st.none() | st.integers(first, programme.valid_to or now + 3))
        if programme.valid_to is not None and to is None:
            to = programme.valid_to
        result.append(
            {
                "programme": programme.code,
                "from": f"{first}/{(first + 1) % 100:02d}",
                "to": None if to is None else f"{to}/{(to + 1) % 100:02d}",
            }
        )
    return result


def _optional(draw: Any, member: dict[str, Any], name: str, values: Any) -> None:
    if draw(st.booleans()):
        member[name] = draw(values)


@st.composite
def networks(draw: Any) -> dict[str, Any]:
    """Return a valid ``ptp-network/1`` document, every optional field present or not."""
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    keys = draw(st.lists(KEYS, min_size=len(kinds), max_size=len(kinds), unique=True))
    # Without an identifier, two members of one kind and one name are one organisation.
    names = draw(st.lists(NAMES, min_size=len(kinds), max_size=len(kinds), unique=True))
    members = []
    main_codes: list[str] = []  # institutes of the file that a site may point to
    for position, (kind, key, name) in enumerate(zip(kinds, keys, names, strict=True)):
        member: dict[str, Any] = {"key": key, "kind": kind, "name": name}
        _optional(draw, member, "province", PROVINCES)
        if kind == "institute":
            member["school_code"] = fictitious_school_code(9000 + position)
            own = member["school_code"]
            _optional(draw, member, "main_school_code", st.sampled_from([own, *main_codes]))
            if member.get("main_school_code", own) == own:
                main_codes.append(own)
            member["status"] = draw(st.sampled_from(["statale", "paritaria", "non_paritaria"]))
            _optional(draw, member, "offerings", offerings({"tecnico", "professionale", "iefp"}))
        elif kind == "company":
            member["vat_number"] = fictitious_vat(9000 + position)
            edition = draw(st.sampled_from([None, "2022", "2025"]))
            codes = ATECO_2022 if edition == "2022" else ATECO_2025
            member["ateco"] = draw(st.lists(codes, min_size=1, max_size=3, unique=True))
            if edition is not None:
                member["ateco_edition"] = edition
            _optional(draw, member, "chamber_registered", st.booleans())
            _optional(draw, member, "commitment_signed", st.booleans())
        elif kind == "accredited_body":
            member["sections"] = draw(st.sampled_from([[], ["A"], ["B"], ["A", "B"]]))
            if member["sections"]:
                _optional(draw, member, "labour_services", st.booleans())
            else:  # accredited only for labour services (network-format.md)
                member["labour_services"] = True
            member["accreditation_id"] = f"LOM-RT-{position}"
            _optional(draw, member, "offerings", offerings({"iefp"}))
        elif kind == "its":
            others = [other for other in keys if other != key]
            if others:
                _optional(draw, member, "founders", st.lists(st.sampled_from(others), unique=True))
            _optional(draw, member, "offerings", offerings({"its"}))
        members.append(member)
    document: dict[str, Any] = {
        "format": "ptp-network/1",
        "name": draw(NAMES),
        "area": draw(st.sampled_from(["meccanica", "turismo", "servizi-persona"])),
        "members": members,
    }
    if draw(st.booleans()):
        document["lead_partner"] = draw(st.sampled_from(keys))
    if draw(st.booleans()):
        document["contact"] = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "name": st.sampled_from(["Maria D'Amico", "Zoë Ørsted"]),
                    "email": st.just("referente@example.org"),
                    "phone": st.just("+39 02 1234 5678"),
                },
            )
        )
    return document


# What an export writes for what a file leaves out (network-format.md).
DEFAULTS: dict[str, dict[str, Any]] = {
    "institute": {"offerings": []},
    "company": {"ateco_edition": "2025", "chamber_registered": True, "commitment_signed": False},
    "accredited_body": {"labour_services": False, "offerings": []},
    "its": {"founders": [], "offerings": []},
}


def with_defaults(member: dict[str, Any]) -> dict[str, Any]:
    """Return ``member`` as an export of a draft without documents writes it.

    Defaults filled, offerings in the registry's order, no commitment signed.
    """
    expected = DEFAULTS.get(member["kind"], {}) | member
    if "offerings" in expected:
        expected["offerings"] = sorted(
            expected["offerings"], key=lambda item: (item["from"], item["programme"])
        )
    if member["kind"] == "institute":
        expected.setdefault("main_school_code", member["school_code"])
    if member["kind"] == "company":
        # Signed is a declaration uploaded, which a file cannot carry (the import says so).
        expected["commitment_signed"] = False
    return expected


def unordered_founders(member: dict[str, Any]) -> dict[str, Any]:
    """Return ``member`` with its founders sorted: a set, which an export lists in its own order."""
    return member | {"founders": sorted(member["founders"])} if "founders" in member else member


def exported(application: Application) -> dict[str, Any]:
    """Return the draft's network as the export view sends it, read back as a file."""
    fresh = application_queryset_for_evaluation(Application.objects.all()).get(pk=application.pk)
    return parse_network_json(json.dumps(network_from_application(fresh), ensure_ascii=False))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=networks())
def test_any_valid_network_round_trips_through_import_and_export(applicant, document):
    composition_from_network(document)  # valid input, as the strategy means it
    with transaction.atomic():
        application = draft_application(applicant, eligible=False, documents=False)
        application_import_network(application=application, data=document, by=applicant)
        first = exported(application)
        by_key = {member["key"]: member for member in first["members"]}
        assert [member["key"] for member in first["members"]][: len(document["members"])] == [
            member["key"] for member in document["members"]
        ]
        for member in document["members"]:
            assert unordered_founders(by_key[member["key"]]) == unordered_founders(
                with_defaults(member)
            )
        assert first["name"] == document["name"]
        assert first["area"] == document["area"]
        assert first["lead_partner"] == document.get("lead_partner")
        composition_from_network(first, catalogue=catalogue_from_db())

        application_import_network(application=application, data=first, by=applicant)
        assert exported(application) == first
        transaction.set_rollback(True)


# One problem planted in a valid file, and the JSON path its error must name.
CORRUPTIONS = [
    ("name", lambda member: member.__setitem__("name", "")),
    ("name", lambda member: member.__setitem__("name", "=SOMMA(A1)")),
    ("kind", lambda member: member.__setitem__("kind", "scuola")),
    ("province", lambda member: member.__setitem__("province", "mi")),
    ("surplus", lambda member: member.__setitem__("surplus", 1)),
    ("key", lambda member: member.__setitem__("key", "=chiave")),
]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=networks(), data=st.data())
def test_a_file_with_a_problem_is_refused_whole_naming_where(applicant, document, data):
    index = data.draw(st.integers(0, len(document["members"]) - 1))
    field, corrupt = data.draw(st.sampled_from(CORRUPTIONS))
    corrupt(document["members"][index])
    with transaction.atomic():
        application = draft_application(applicant, eligible=False, documents=False)
        before = exported(application)
        with pytest.raises(NetworkInputError) as refusal:
            application_import_network(application=application, data=document, by=applicant)
        paths = [error.path for error in refusal.value.errors]
        assert f"members[{index}].{field}" in paths
        assert all(error.message for error in refusal.value.errors)
        assert exported(application) == before
        transaction.set_rollback(True)
