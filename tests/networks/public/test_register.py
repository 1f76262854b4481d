"""The register of recognised poli: filters, search, pagination, the polo page, 404s, query bound."""

import re

import pytest
from django.urls import reverse

from networks.models import Application, ApplicationVersion
from networks.views.public import REGISTER_PAGE_SIZE
from tests.factories import CallFactory, OrganisationFactory
from tests.helpers import page_title, page_without_tokens
from tests.networks.public.helpers import bulk_recognised_poli

pytestmark = pytest.mark.django_db
MAX_REGISTER_QUERIES = 8


def names(response) -> list[str]:
    """Return the poli listed on a register page, in order."""
    return re.findall(
        r'<th scope="row"[^>]*><a href="/poli/\d+/">([^<]+)</a>', response.content.decode()
    )


def test_lists_only_recognised_poli(client, register):
    listed = names(client.get(reverse("register_list")))
    assert len(listed) == 6
    assert register.approved.name in listed
    for hidden in ("Respinto", "Bozza", "Presentato", "Ritirato", "Non Ancora Reso"):
        assert not any(hidden in name for name in listed)


def test_row_shows_area_lead_province_decree_and_period(client, register):
    polo = register.meccanica[0]
    html = client.get(reverse("register_list"), {"q": polo.name}).content.decode()
    assert "Meccanica" in html
    assert "Istituto Tecnico 100 A" in html  # the lead partner
    assert "<td>MI</td>" in html
    assert "n. 100 del 15/10/2025" in html
    assert "dal 15/10/2025 al 31/08/2028" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "turismo"}, 2),
        ({"province": "CO"}, 2),
        ({"province": "BG"}, 5),  # a company of every bulk polo is in BG
        ({"kind": "university"}, 2),
        ({"kind": "its"}, 6),
        ({"year": "2024"}, 2),
        ({"year": "2025"}, 3),
        ({"area": "meccanica", "province": "CO"}, 0),
    ],
)
def test_filters(client, register, params, expected):
    """The area is named by its catalogue code, as a bookmark or another program writes it."""
    assert len(names(client.get(reverse("register_list"), params))) == expected


def test_the_area_filter_offers_and_refuses_by_catalogue_code(client, register):
    from networks.models import EconomicArea

    page = client.get(reverse("register_list")).content.decode()
    assert '<option value="turismo"' in page
    by_id = client.get(
        reverse("register_list"), {"area": EconomicArea.objects.get(code="turismo").pk}
    )
    assert "Scegli un&#x27;opzione valida" in by_id.content.decode()


def test_filters_by_call(client, register):
    response = client.get(reverse("register_list"), {"call": register.turismo[0].call_id})
    assert len(names(response)) == 5  # every bulk polo shares the call
    response = client.get(reverse("register_list"), {"call": register.approved.call_id})
    assert names(response) == [register.approved.name]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("polo turismo", 2),  # polo name, case-insensitive
        ("officine 101", 1),  # a member's name
        ("ITS ACADEMY 20", 2),  # members of 200 and 201 (factory ITS are "Fondazione ITS …")
        ("100%", 0),  # LIKE wildcards are literal
        ("referente", 0),  # the contact is never searched
        ("segreto.referente@example.org", 0),
    ],
)
def test_search_by_polo_or_member_name(client, register, query, expected):
    assert len(names(client.get(reverse("register_list"), {"q": query}))) == expected


def test_paginates(client, officer):
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(REGISTER_PAGE_SIZE + 3, **common)
    first = client.get(reverse("register_list"))
    second = client.get(reverse("register_list"), {"page": 2})
    assert len(names(first)) == REGISTER_PAGE_SIZE
    assert len(names(second)) == 3
    assert set(names(first)).isdisjoint(names(second))
    assert "Pagina 1 di 2" in first.content.decode()


def test_a_page_number_below_one_or_past_the_end_gives_the_nearest_page(client, officer):
    """Page 0 or -1 is the first page (as a page that is not a number); 99 is the last."""
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(REGISTER_PAGE_SIZE + 3, **common)
    first = names(client.get(reverse("register_list")))
    last = names(client.get(reverse("register_list"), {"page": 2}))
    for page in ("0", "-1", "abc"):
        assert names(client.get(reverse("register_list"), {"page": page})) == first, page
    assert names(client.get(reverse("register_list"), {"page": 99})) == last


def test_pagination_links_keep_the_filters(client, officer):
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(REGISTER_PAGE_SIZE + 1, **common, province="PV")
    html = client.get(reverse("register_list"), {"province": "PV"}).content.decode()
    assert "?province=PV&amp;page=2" in html


def test_polo_page(client, register):
    polo = register.turismo[0]
    decree = polo.decrees.get()
    html = client.get(reverse("register_detail", args=[polo.pk])).content.decode()
    assert polo.name in html
    assert "Turismo" in html
    assert "Istituto Tecnico 200 A (CO)" in html  # lead partner
    for heading in (
        "Istituto scolastico",
        "Impresa",
        "Ente di formazione accreditato",
        "ITS Academy",
        "Università",
    ):
        assert heading in html
    assert "Meccanica 200 S.r.l. – BG" in html
    assert "n. 200 del 03/06/2024" in html
    assert "dal 03/06/2024 al 31/08/2026" in html
    assert reverse("decree_download_public", args=[decree.verification_code]) in html
    assert reverse("decree_verify", args=[decree.verification_code]) in html


@pytest.mark.parametrize("which", ["draft", "submitted", "rejected", "withdrawn", "unrendered"])
def test_polo_page_is_404_unless_recognised(client, register, which):
    application = getattr(register, which)
    assert client.get(reverse("register_detail", args=[application.pk])).status_code == 404


def test_polo_page_is_404_for_an_unknown_id(client, db):
    assert client.get(reverse("register_detail", args=[999999])).status_code == 404


def test_register_costs_a_fixed_number_of_queries_with_5000_poli(
    client, officer, django_assert_max_num_queries
):
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(2500, **common, year=2024, first_number=10_000, province="MI")
    bulk_recognised_poli(2500, **common, year=2025, first_number=20_000, province="BS")
    with django_assert_max_num_queries(MAX_REGISTER_QUERIES):
        response = client.get(reverse("register_list"))
    assert response.status_code == 200
    assert len(names(response)) == REGISTER_PAGE_SIZE
    assert "5000 poli riconosciuti" in response.content.decode()
    with django_assert_max_num_queries(MAX_REGISTER_QUERIES):
        response = client.get(
            reverse("register_list"),
            {"province": "BS", "kind": "company", "q": "officine", "year": "2025", "page": 7},
        )
    assert response.status_code == 200
    assert "2500 poli riconosciuti" in response.content.decode()
    assert len(names(response)) == REGISTER_PAGE_SIZE


@pytest.mark.parametrize(
    "params", [{"area": "abc"}, {"year": "1900"}, {"page": "nope"}, {"province": "XX"}]
)
def test_invalid_filter_values_do_not_break_the_page(client, register, params):
    response = client.get(reverse("register_list"), params)
    assert response.status_code == 200


def test_register_served_again_from_the_cache_until_a_decree_changes_it(
    client, officer, django_assert_max_num_queries
):
    """A repeated request reads only the register's version; a new recognition shows at once."""
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(3, **common, name_prefix="Polo Primo")
    first = client.get(reverse("register_list"))
    assert len(names(first)) == 3
    with django_assert_max_num_queries(1):
        again = client.get(reverse("register_list"))
    assert page_without_tokens(again) == page_without_tokens(first)
    bulk_recognised_poli(1, **common, first_number=2000, name_prefix="Polo Nuovo")
    after = names(client.get(reverse("register_list")))
    assert len(after) == 4
    assert any(name.startswith("Polo Nuovo") for name in after)


def test_register_cache_keeps_queries_apart(client, register):
    """The same page with other filters, in any parameter order, is its own cache entry."""
    everything = names(client.get(reverse("register_list")))
    turismo = names(client.get(reverse("register_list"), {"q": "Turismo", "province": "CO"}))
    reordered = client.get(reverse("register_list") + "?province=CO&q=Turismo")
    assert len(everything) == 6
    assert len(turismo) < len(everything)
    assert names(reordered) == turismo


def test_unknown_parameters_share_the_cache_entry_of_the_page_without_them(
    client, officer, django_assert_max_num_queries
):
    """``?foo=1``, ``?foo=2``... cannot fill the cache: they are served the plain page's entry."""
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(REGISTER_PAGE_SIZE + 1, **common, name_prefix="Polo Primo")
    first = client.get(reverse("register_list"), {"foo": "1"})
    assert len(names(first)) == REGISTER_PAGE_SIZE
    # The cached list does not carry the unknown parameter into its links.
    content = first.context["content"]
    assert "foo=" not in content
    assert 'href="?page=2"' in content
    for params in ({}, {"foo": "2"}, {"utm_source": "x", "foo": "3"}):
        with django_assert_max_num_queries(1):
            again = client.get(reverse("register_list"), params)
        assert again.context["content"] == content


def test_a_real_filter_still_gets_its_own_cache_entry(
    client, officer, django_assert_max_num_queries
):
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(3, **common, name_prefix="Polo Primo")
    client.get(reverse("register_list"), {"foo": "1"})
    with django_assert_max_num_queries(MAX_REGISTER_QUERIES) as captured:
        filtered = client.get(reverse("register_list"), {"q": "nessuno", "foo": "1"})
    assert len(captured) > 1  # rendered, not served from the unfiltered entry
    assert names(filtered) == []


def test_each_search_and_page_of_the_register_has_a_title_of_its_own(
    client, officer, django_assert_max_num_queries
):
    """The <title> names the page and, filtered, the count (WCAG 2.4.2); cached with the list."""
    common = {"user": officer, "call": CallFactory(), "organisation": OrganisationFactory()}
    bulk_recognised_poli(REGISTER_PAGE_SIZE, **common, name_prefix="Polo Primo")
    bulk_recognised_poli(2, **common, first_number=2000, province="BS", name_prefix="Polo Bs")
    register = "Registro dei Poli Tecnici Professionali"
    titles = [
        page_title(client.get(reverse("register_list"), params))
        for params in ({}, {"page": 2}, {"province": "BS"})
    ]
    assert titles == [
        f"{register} – Pagina 1 di 2 – Regione Lombardia",
        f"{register} – Pagina 2 di 2 – Regione Lombardia",
        f"{register} – 2 poli riconosciuti – Regione Lombardia",
    ]
    with django_assert_max_num_queries(1):
        again = client.get(reverse("register_list"), {"page": 2})
    assert page_title(again) == titles[1]


def rename_recognised(register, *, polo: str, member: str) -> None:
    """Give the recognised polo and its second member, as its last version records it, new names."""
    Application.objects.filter(pk=register.approved.pk).update(name=polo)
    version = register.approved.versions.order_by("-number").first()
    network = version.network
    network["members"][1]["name"] = member
    ApplicationVersion.objects.filter(pk=version.pk).update(network=network)


def test_search_treats_typed_and_typeset_apostrophes_alike(client, register):
    """A name pasted from a letter (’) is found as typed on a keyboard ('), and back."""
    rename_recognised(register, polo="Polo dell’Adda", member="Officina dell'Olio")
    for query in ("dell'adda", "dell’adda"):
        assert names(client.get(reverse("register_list"), {"q": query})) == ["Polo dell’Adda"]
    for query in ("officina dell’olio", "officina dell'olio"):
        assert names(client.get(reverse("register_list"), {"q": query})) == ["Polo dell’Adda"]


def test_search_finds_a_name_whatever_its_accents_and_case(client, register):
    """«cantu» finds «Cantù», «CITTÀ» finds «città»: a member's name and the polo's."""
    rename_recognised(register, polo="Polo di Cantù", member="Officine della Città Alta")
    for query in ("cantu", "CANTÙ", "Cantú"):
        assert names(client.get(reverse("register_list"), {"q": query})) == ["Polo di Cantù"]
    for query in ("citta alta", "CITTÀ ALTA", "città"):
        assert names(client.get(reverse("register_list"), {"q": query})) == ["Polo di Cantù"]
    assert names(client.get(reverse("register_list"), {"q": "cantuccio"})) == []
    # A LIKE wildcard typed in the search is a letter like any other.
    assert names(client.get(reverse("register_list"), {"q": "c_ntu"})) == []
