"""Fuzzing with hypothesis: no input to the importer or the forms causes a server error."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eligibility.adapters import NetworkInputError, catalogue_from_db, composition_from_network

JSON_SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)
MEMBER_KEYS = st.sampled_from(
    ["key", "kind", "name", "province", "school_code", "main_school_code", "status", "vat_number", "ateco",
     "ateco_edition", "chamber_registered", "commitment_signed", "sections", "labour_services",
     "accreditation_id", "founders", "offerings"]
)  # fmt: skip
KINDS = st.sampled_from(
    [
        "institute",
        "company",
        "accredited_body",
        "its",
        "university",
        "research_centre",
        "other",
        "x",
    ]
)
MEMBERS = st.lists(
    st.fixed_dictionaries(
        # Any JSON may stand where a string is expected: a list as "kind" once crashed the importer.
        {"key": st.text(max_size=6) | JSON_VALUES, "kind": KINDS | JSON_VALUES},
        optional={"name": st.text(max_size=10)},
    ).flatmap(
        lambda base: st.dictionaries(MEMBER_KEYS, JSON_VALUES, max_size=6).map(
            lambda extra: {**extra, **base}
        )
    ),
    max_size=6,
)
DOCUMENTS = st.fixed_dictionaries(
    {"format": st.sampled_from(["ptp-network/1", "ptp-network/2", 1]) | JSON_VALUES},
    optional={
        "name": JSON_VALUES,
        "area": st.sampled_from(["meccanica", "turismo", "ignota", 3]) | JSON_VALUES,
        "reference_date": st.sampled_from(["2026-11-23", "2026-02-30", "ieri", None]) | JSON_VALUES,
        "lead_partner": JSON_VALUES,
        "contact": JSON_VALUES,
        "members": MEMBERS | JSON_VALUES,
    },
)


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for a fuzz test: ``examples`` draws, no deadline, fixtures allowed."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.django_db
@fuzz_settings(300)
@given(document=DOCUMENTS | JSON_VALUES)
def test_the_importer_only_ever_accepts_or_lists_errors(document):
    catalogue = catalogue_from_db()
    errors = []
    try:
        composition_from_network(document, catalogue=catalogue)
    except NetworkInputError as error:
        errors = error.errors
        assert errors, "a refusal must list at least one error"
    assert all(str(item) for item in errors)


FORM_TEXT = st.text(max_size=40) | st.sampled_from(
    ["", "0", "-1", "9" * 30, "2026/27", "31/02/2026", "<script>"]
)


@pytest.mark.django_db
@fuzz_settings(60)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "area",
                "reference_date",
                "lead_partner",
                "form-TOTAL_FORMS",
                "form-INITIAL_FORMS",
                "form-0-kind",
                "form-0-name",
                "form-0-vat_number",
                "form-0-ateco",
                "form-0-offerings",
                "form-0-school_code",
            ]
        ),
        FORM_TEXT,
        max_size=8,
    )
)
def test_the_public_simulator_never_fails_with_a_server_error(client, data):
    from django.core.cache import cache

    cache.clear()
    response = client.post("/simulatore/", data)
    assert response.status_code < 500


@pytest.mark.django_db
@fuzz_settings(60)
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "area", "contact_email", "revision", "objectives", "next"]),
        FORM_TEXT,
        max_size=6,
    )
)
def test_the_details_form_never_fails_with_a_server_error(client, applicant, data):
    from tests.factories import draft_application

    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    response = client.post(f"/domande/{application.pk}/modifica/polo/", data)
    assert response.status_code < 500


@pytest.mark.django_db
@fuzz_settings(40)
@given(payload=st.binary(max_size=300) | JSON_VALUES.map(lambda value: json.dumps(value).encode()))
def test_network_import_never_fails_with_a_server_error(client, applicant, payload):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import draft_application

    application = draft_application(applicant, eligible=False, documents=False)
    client.force_login(applicant)
    response = client.post(
        f"/domande/{application.pk}/importa/", {"file": SimpleUploadedFile("rete.json", payload)}
    )
    assert response.status_code < 500
