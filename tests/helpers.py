"""Small helpers shared by test modules (factories and fixtures live in factories.py and conftest.py)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver


def page_title(response) -> str:
    """Return the text of the page's ``<title>`` (the HTML entities of its user text decoded)."""
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match, "the page has no <title>"
    return unescape(match[1])


def page_messages(response) -> list[str]:
    """Return the texts of the messages the response's page showed, in order."""
    return [str(message) for message in response.context["messages"]]


def page_without_tokens(response) -> str:
    """Return the page with its per-response CSP nonces and masked CSRF tokens blanked."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


class _FormReader(HTMLParser):
    """Collect the fields of one ``<form>`` the way a browser would submit it unchanged."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self.inputs: dict[str, dict[str, str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside or "name" not in attributes or "disabled" in attributes:
            if tag == "option" and self._select is not None and "selected" in attributes:
                self.data.append((self._select, attributes.get("value", "")))
            return
        name = attributes["name"]
        if tag == "input":
            self.inputs[name] = attributes
            kind = attributes.get("type", "text")
            value = attributes.get("value", "")
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.data.append((name, value or "on"))
                return
            if kind == "number" and not _is_html_number(value):
                # HTML's value sanitization: a number input drops a value it cannot parse.
                value = ""
            self.data.append((name, value))
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea, self._textarea_text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea_text)
            self.data.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text.append(data)


def _is_html_number(value: str) -> bool:
    return re.fullmatch(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?", value) is not None


def submitted_unchanged(response, form_id: str) -> tuple[dict[str, list[str]], dict]:
    """Return what a browser posts for form ``form_id`` left as rendered, and its inputs' attributes.

    The data maps each name to its list of values (for ``client.post``); the
    second dictionary maps each ``<input>`` name to its attributes.
    """
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data, reader.inputs


_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class _LanguageReader(HTMLParser):
    """Note the language (nearest ``lang`` attribute) of every text node that contains a string."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.stack: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_ELEMENTS:
            lang = dict(attrs).get("lang")
            self.stack.append(lang if lang is not None else (self.stack[-1] if self.stack else ""))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.text in data:
            self.found.append(self.stack[-1] if self.stack else "")


def languages_of(response, text: str) -> list[str]:
    """Return the language a screen reader would use for each place of the page showing ``text``."""
    reader = _LanguageReader(text)
    reader.feed(response.content.decode())
    return reader.found


CONTRACTS_DIR = Path(settings.BASE_DIR) / "docs" / "contracts"
SHARED_DOMAIN_DIR = Path(settings.BASE_DIR).parent / "shared" / "domain"


def recorded_contract(name: str) -> str:
    """Return the project's copy of a contract (``docs/contracts``).

    Beside ``shared/`` the copy must be the shared file itself: a change of the
    contract reaches the project, and the checks that read the copy, on purpose.
    """
    copy = (CONTRACTS_DIR / name).read_bytes()
    shared = SHARED_DOMAIN_DIR / name
    if shared.exists():
        assert copy == shared.read_bytes(), f"docs/contracts/{name} differs from {shared}"
    return copy.decode("utf-8")


def url_patterns() -> list[URLPattern]:
    """Return every URL pattern outside the Django admin."""
    found: list[URLPattern] = []

    def walk(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if not str(pattern.pattern).startswith("admin/"):
                    walk(pattern)
            else:
                found.append(pattern)

    walk(get_resolver())
    return found


@contextmanager
def migrated(before: tuple[str, str], after: tuple[str, str]) -> Iterator[None]:
    """Take the test database back to migration ``before``, run it forward to ``after``, and
    afterwards forward again to the latest: the tests after one in the process need today's
    schema. For tests of a migration's data step (``django_db(transaction=True)``)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    MigrationExecutor(connection).migrate([before])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    try:
        yield
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
