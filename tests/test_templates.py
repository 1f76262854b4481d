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
