"""Markup conventions every template of the site keeps."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
BREADCRUMB_ITEM = re.compile(
    r'<li class="breadcrumb-item(?P<classes>[^"]*)"[^>]*>(?P<body>.*?)</li>'
)
SEPARATOR = '<span class="separator" aria-hidden="true">/</span>'


def test_every_breadcrumb_step_but_the_current_page_ends_with_a_separator() -> None:
    """Bootstrap Italia draws no divider of its own: each link is followed by its "/" span."""
    items = [
        (path.relative_to(TEMPLATES), match)
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in BREADCRUMB_ITEM.finditer(path.read_text())
    ]
    assert len(items) >= 10  # five breadcrumbs: applicant (2), officer, register, verification
    wrong = [
        f"{path}: {match[0]}"
        for path, match in items
        if match["body"].endswith(SEPARATOR) == ("active" in match["classes"].split())
    ]
    assert wrong == []


SCROLLING_TABLE = re.compile(
    r'<div class="table-responsive"(?P<attributes>[^>]*)>\s*<table[^>]*>\s*<caption(?P<caption>[^>]*)>'
)


def test_every_scrolling_table_is_a_region_named_by_its_caption() -> None:
    """A wrapper that takes the focus (so that a keyboard scrolls it) says what it holds: a
    region named by its table's caption, not a nameless stop (WCAG 4.1.2)."""
    wrappers = [
        (path.relative_to(TEMPLATES), match)
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in SCROLLING_TABLE.finditer(path.read_text())
    ]
    every = sum(
        path.read_text().count('class="table-responsive"') for path in TEMPLATES.rglob("*.html")
    )
    assert len(wrappers) == every >= 8  # lists, register, statistics, open data, desk, application
    wrong = []
    for path, match in wrappers:
        labelled = re.search(r'aria-labelledby="([^"]+)"', match["attributes"])
        caption = re.search(r'id="([^"]+)"', match["caption"])
        if (
            'role="region"' not in match["attributes"]
            or not labelled
            or not caption
            or labelled[1] != caption[1]
        ):
            wrong.append(f"{path}: {match[0]}")
    assert wrong == []
