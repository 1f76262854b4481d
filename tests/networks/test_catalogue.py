"""The catalogue data migration loads exactly the contract of ``shared/domain/catalogue.md``.

The project keeps the version it implements in ``docs/contracts/catalogue.md``:
a clone away from ``shared/`` (a temporary directory) still checks against it,
and beside ``shared/`` the two must be the same file.
"""

import re

import ateco
import pytest

from networks.models import AtecoMapping, EconomicArea, StudyProgramme
from tests.helpers import recorded_contract

UNMAPPED_DIVISIONS = {
    *(f"{n:02d}" for n in range(5, 10)),
    "72",
    "80",
    "81",
    "84",
    "85",
    "92",
    "94",
    "95",
    "97",
    "98",
    "99",
}


def _contract() -> dict:
    """Parse the tables of catalogue.md: areas, programmes (areas, successor), ATECO divisions."""
    areas, programmes, divisions = {}, {}, {}
    section = ""
    for line in recorded_contract("catalogue.md").splitlines():
        if line.startswith("## "):
            section = line
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("| ") or len(cells) < 2:
            continue
        if section.startswith("## Economic areas") and cells[0].startswith("`"):
            areas[cells[0].strip("`")] = cells[1]
        elif section.startswith("## Study programmes") and cells[0].startswith("`"):
            successor = cells[3].strip("`") if len(cells) > 3 else None
            programmes[cells[0].strip("`")] = (
                cells[1],
                {area.strip() for area in cells[2].split(",")},
                successor,
            )
        elif section.startswith("## ATECO") and re.match(r"^[0-9, ]+$", cells[1]):
            divisions[cells[0]] = {division.strip() for division in cells[1].split(",")}
    return {"areas": areas, "programmes": programmes, "divisions": divisions}


@pytest.mark.django_db
def test_every_area_of_the_contract_is_loaded_with_its_name():
    contract = _contract()["areas"]
    loaded = dict(EconomicArea.objects.values_list("code", "name"))
    assert loaded == contract
    assert len(loaded) == 7


@pytest.mark.django_db
def test_every_programme_is_loaded_with_its_areas_and_successor():
    contract = _contract()["programmes"]
    loaded = {
        programme.code: (
            programme.name,
            {area.code for area in programme.areas.all()},
            programme.successor.code if programme.successor else None,
        )
        for programme in StudyProgramme.objects.prefetch_related("areas").select_related(
            "successor"
        )
    }
    assert loaded == contract
    assert len(loaded) == 67


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "kind", "valid_from", "valid_to"),
    [
        ("IT-MME", "tecnico", 2010, None),
        ("IPO-MAT", "professionale", 2010, 2017),
        ("IP-MAT", "professionale", 2018, None),
        ("IEFP-BEN", "iefp", 2010, None),
        ("ITSO-ICT", "its", 2010, 2023),
        ("ITS-10", "its", 2024, None),
    ],
)
def test_programme_kinds_and_validity_follow_their_reform(code, kind, valid_from, valid_to):
    programme = StudyProgramme.objects.get(code=code)
    assert (programme.kind, programme.valid_from, programme.valid_to) == (
        kind,
        valid_from,
        valid_to,
    )


@pytest.mark.django_db
def test_ateco_mapping_is_the_documented_one():
    contract = _contract()["divisions"]
    loaded: dict[str, set[str]] = {}
    for prefix, area_code in AtecoMapping.objects.filter(edition="2025").values_list(
        "prefix", "area__code"
    ):
        loaded.setdefault(area_code, set()).add(prefix)
    assert loaded == contract


@pytest.mark.django_db
def test_every_ateco_2025_division_is_mapped_or_documented_as_unmapped():
    from ateco._load import load_nodes

    divisions = {code for code, node in load_nodes("2025").items() if node["level"] == "division"}
    mapped = set(AtecoMapping.objects.filter(edition="2025").values_list("prefix", flat=True))
    assert mapped & UNMAPPED_DIVISIONS == set()
    assert divisions - mapped == UNMAPPED_DIVISIONS
    assert mapped <= divisions
    for prefix in mapped:
        assert ateco.lookup(prefix, edition="2025").level == "division"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "name", "field"),
    [
        ("MECCANICA", "Meccanica pesante", "code"),
        ("meccanica2", "Meccanica", "__all__"),
        ("meccanica2", "mEcCaNiCa", "__all__"),
    ],
)
def test_area_validation_refuses_codes_and_names_differing_only_in_case(code, name, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        EconomicArea(code=code, name=name).full_clean()
    assert field in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "values"),
    [
        (EconomicArea, {"code": "MECCANICA", "name": "Meccanica pesante"}),
        (EconomicArea, {"code": "meccanica2", "name": "MECCANICA"}),
        (StudyProgramme, {"code": "it-inf", "name": "Informatica", "valid_from": 2010}),
    ],
)
def test_the_database_refuses_entries_differing_only_in_case(model, values):
    """Writes that skip validation (shell, bulk scripts) meet the same rule."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)


@pytest.mark.django_db
def test_every_code_of_the_contract_has_the_spelling_validation_requires():
    for entry in [*EconomicArea.objects.all(), *StudyProgramme.objects.all()]:
        entry.full_clean()
