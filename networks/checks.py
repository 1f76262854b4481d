"""System checks: every ruleset is sound, every rule has a legal citation, decrees a public URL."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from eligibility.core import RULESETS, registry, ruleset_problems

# Hosts a decree must never name: this machine, and the documentation's placeholders.
LOCAL_HOSTS = frozenset(
    {"localhost", "127.0.0.1", "::1", "0.0.0.0", "example.org", "example.com"}  # noqa: S104
)


@register()
def check_rulesets(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Report unknown rules, missing parameters and rules without a citation."""
    errors = [
        Error(problem, id="networks.E001")
        for ruleset in RULESETS.values()
        for problem in ruleset_problems(ruleset, registry)
    ]
    for ruleset in RULESETS.values():
        for code in ruleset.rule_codes:
            rule = registry.get(code) if code in registry else None
            citation = ruleset.citations.get(code) or getattr(rule, "citation", "")
            if rule is not None and not citation.strip():
                errors.append(
                    Error(
                        f"{ruleset.name}: la regola {code} non ha una citazione normativa",
                        id="networks.E002",
                    )
                )
    return errors


@register(deploy=True)
def check_portal_base_url(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Refuse a production base URL that is not public HTTPS.

    Decrees print it, with its QR code, as the place where they are verified, and
    the open data link to it: an act issued with ``http://127.0.0.1:8000`` would
    point nowhere for good.
    """
    parts = urlsplit(settings.PORTAL_BASE_URL)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host and host not in LOCAL_HOSTS and not host.endswith(".local"):
        return []
    return [
        Error(
            f"PORTAL_BASE_URL è {settings.PORTAL_BASE_URL!r}: in produzione deve essere "
            "l'indirizzo HTTPS pubblico del portale (es. https://ptp.regione.lombardia.it), "
            "che i decreti stampano per la verifica.",
            hint="Imposta la variabile d'ambiente PORTAL_BASE_URL.",
            id="networks.E003",
        )
    ]
