"""HEAD is answered wherever GET is: link checkers, monitors and open-data harvesters use it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", {}),
    ("health", {}),
    ("register_list", {}),
    ("opendata", {}),
    ("opendata_csv", {}),
    ("opendata_json", {}),
    ("opendata_dcat", {}),
    ("statistics", {}),
    ("statistics_csv", {"table": "aree"}),
    ("decree_verify_form", {}),
    ("simulator", {}),
]


@pytest.mark.parametrize(("name", "query"), PAGES)
def test_head_answers_like_get_without_a_body(client, name, query):
    got = client.get(reverse(name), query)
    head = client.head(reverse(name), query)
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head.content == b""
