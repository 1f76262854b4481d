"""Small helpers shared by test modules (factories and fixtures live in factories.py and conftest.py)."""

import re


def page_without_tokens(response) -> str:
    """Return the page with its per-response CSP nonces and masked CSRF tokens blanked."""
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
