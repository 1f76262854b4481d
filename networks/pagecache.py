"""Versioned caching of the busiest public and staff pages and of the open-data exports.

A page's content is stored under a key made of everything it depends on:
a *version* of the data read with one index probe
(``selectors.submitted_applications_version``,
``selectors_public.register_signature``), the query string, the language, the day
(the procedure's clocks count days) and, for the desk, the user. Only the
parameters the page reads count (``page_query``): ``?foo=1``, ``?foo=2``...
share the entry of the page without them, so random parameters cannot fill
the cache and push the real pages out. Any
workflow action, decree or withdrawal changes the version, so the next
request renders afresh; what does not touch the version (an organisation
renamed in the registry, an officer appointed) shows within ``timeout``
seconds. The cache is Django's (``CACHES``): a local memory per process by
default, any shared backend in production.

A page whose ``<title>`` depends on what its fragment found (the desk's and the
register's result counts and page numbers, WCAG 2.4.2) caches the title with the
HTML (``cached_titled_fragment``): a hit serves both without a query, and the
title never describes another rendering than the content below it.
"""

import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

KEY_PREFIX = "ptp:fragment:"


def page_query(query: QueryDict, names: Iterable[str]) -> QueryDict:
    """Return the parameters of ``query`` named in ``names``, every value kept, as a new QueryDict.

    A page renders from this and keys its cache on it (``query_key``): a parameter the
    page does not read neither makes a new entry nor ends up in the cached links.
    """
    known = QueryDict(mutable=True)
    for name in names:
        values = query.getlist(name)
        if values:
            known.setlist(name, values)
    return known


def query_key(query: QueryDict) -> str:
    """Return the query string in a canonical order (``?a=1&b=2`` and ``?b=2&a=1`` agree).

    Names and values are encoded again, so ``?a=1%26b%3D2`` (one parameter) never shares
    a key with ``?a=1&b=2`` (two): a crafted query cannot put its page under another's key.
    """
    return urlencode(sorted((name, value) for name, values in query.lists() for value in values))


def fragment_key(name: str, parts: Iterable[object]) -> str:
    """Return the cache key of fragment ``name`` for ``parts``, language and day included."""
    material = repr(
        (name, translation.get_language(), timezone.localdate().isoformat(), *parts)
    ).encode()
    return KEY_PREFIX + name + ":" + hashlib.sha256(material).hexdigest()


def cached_value[T](
    name: str, parts: Iterable[object], compute: Callable[[], T], *, timeout: int
) -> T:
    """Return the cached value ``name`` for ``parts``, computing it on a miss."""
    key = fragment_key(name, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def cached_titled_fragment(
    name: str, parts: Iterable[object], render: Callable[[], tuple[str, str]], *, timeout: int
) -> tuple[str, SafeString]:
    """Return the cached ``(title, HTML)`` of fragment ``name`` for ``parts``, rendering on a miss.

    The names "desk" and "register" held the bare HTML before titles were cached with
    it: a shared cache may still hold such an entry, so they are not used again.
    """
    title, html = cached_value(name, parts, render, timeout=timeout)
    return title, mark_safe(html)  # noqa: S308 - HTML rendered by our own autoescaping templates
