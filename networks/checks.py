"""System checks: every ruleset is sound, every rule has a legal citation, decrees a public URL
and a usable seal."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.checks import Warning as CheckWarning

from eligibility.core import RULESETS, registry, ruleset_problems
from networks.holidays import LocalHolidaysError, local_holidays
from networks.sealing import SealError, seal_certificate, seal_configured

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


@register(deploy=True)
def check_decree_seal(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Warn when decrees leave unsealed; refuse a seal that cannot be applied.

    A seal that fails would only show when the first decree is adopted, as a
    rendering failure: better at deployment.
    """
    if not seal_configured():
        return [
            CheckWarning(
                "I decreti non recano il sigillo elettronico della Regione (PAdES): "
                "DECREE_SEAL_PKCS12 non è impostata.",
                hint="Imposta DECREE_SEAL_PKCS12 (file PKCS#12 del certificato di sigillo "
                "qualificato) e DECREE_SEAL_PASSWORD; docs/operations.md.",
                id="networks.W004",
            )
        ]
    try:
        seal_certificate()
    except SealError as error:
        return [
            Error(
                str(error),
                hint="Controlla DECREE_SEAL_PKCS12 e DECREE_SEAL_PASSWORD.",
                id="networks.E005",
            )
        ]
    return []


@register()
def check_local_holidays(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Refuse a ``PORTAL_LOCAL_HOLIDAYS`` entry that is not a day of the year and a name."""
    try:
        local_holidays()
    except LocalHolidaysError as error:
        return [
            Error(
                f"PORTAL_LOCAL_HOLIDAYS: {str(error)!r} non è un giorno dell'anno seguito dal "
                "nome della festa.",
                hint="Scrivi ogni festa come MM-GG nome, separate da «;», es. "
                '"12-07 Sant\'Ambrogio, patrono di Milano".',
                id="networks.E006",
            )
        ]
    return []


CONTACT_SETTINGS = ("PORTAL_CONTACT_EMAIL", "PORTAL_DPO_EMAIL", "PORTAL_ACCESSIBILITY_EMAIL")


@register(deploy=True)
def check_public_contacts(app_configs: Any, **kwargs: Any) -> list[CheckWarning]:
    """Warn about a contact address the public pages would show that is no real one.

    The footer, the accessibility statement (L. 4/2004) and the privacy notice (art. 13
    GDPR) give them as the way to reach the office, the RPD and the accessibility desk.
    """
    warnings = []
    for name in CONTACT_SETTINGS:
        address = str(getattr(settings, name, "")).strip()
        domain = address.rpartition("@")[2].lower()
        if "@" in address and domain and domain not in LOCAL_HOSTS:
            continue
        warnings.append(
            CheckWarning(
                f"{name} è {address!r}: il piè di pagina, la dichiarazione di accessibilità e "
                "l'informativa privacy lo mostrano come recapito reale.",
                hint=f"Imposta la variabile d'ambiente {name} con l'indirizzo dell'ufficio.",
                id="networks.W007",
            )
        )
    return warnings


@register(deploy=True)
def check_pdf_checker(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Refuse an installation where the child process that checks uploads cannot run.

    It runs the portal's interpreter (``sys.executable``) on ``networks/pdfcheck.py``:
    a server started by another interpreter, or one without pikepdf, would refuse every
    upload. A one-page PDF is checked here, as an upload would be.
    """
    import io

    import pikepdf

    from networks import pdfcheck

    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    try:
        outcome = pdfcheck.check(buffer.getvalue())
    except pdfcheck.CheckerUnavailable as error:
        reason = str(error)
    else:
        if outcome == pdfcheck.Outcome.OK:
            return []
        reason = f"una pagina bianca risulta «{outcome.value}»"
    return [
        Error(
            f"Il controllo dei PDF caricati non funziona ({reason}): ogni caricamento "
            "sarebbe rifiutato.",
            hint="Avvia il portale con l'interprete del suo ambiente virtuale, in cui è "
            "installato pikepdf (docs/operations.md).",
            id="networks.E008",
        )
    ]
