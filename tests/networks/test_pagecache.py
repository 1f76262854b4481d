"""The page cache's keys: canonical order, no collision between differently encoded queries."""

from django.http import QueryDict

from networks.pagecache import fragment_key, page_query, query_key


def test_parameter_order_does_not_matter():
    assert query_key(QueryDict("a=1&b=2")) == query_key(QueryDict("b=2&a=1"))


def test_an_encoded_ampersand_is_not_a_second_parameter():
    assert query_key(QueryDict("area=3&q=foo")) != query_key(QueryDict("area=3%26q%3Dfoo"))


def test_repeated_values_and_empty_values_are_kept_apart():
    assert query_key(QueryDict("a=1&a=2")) != query_key(QueryDict("a=1"))
    assert query_key(QueryDict("a=")) != query_key(QueryDict(""))


def test_page_query_keeps_only_the_parameters_the_page_reads():
    query = page_query(QueryDict("foo=1&q=a&page=2&q=b&utm_source=x"), ("q", "page", "area"))
    assert dict(query.lists()) == {"q": ["a", "b"], "page": ["2"]}
    assert query_key(page_query(QueryDict("foo=1"), ("q",))) == query_key(QueryDict(""))
    assert query_key(page_query(QueryDict("q="), ("q",))) != query_key(QueryDict(""))


def test_key_depends_on_language():
    from django.utils import translation

    with translation.override("it"):
        italian = fragment_key("register", ("v",))
    with translation.override("en"):
        english = fragment_key("register", ("v",))
    assert italian != english
