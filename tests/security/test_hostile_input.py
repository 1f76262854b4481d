"""Hostile form data on every form of the portal: never a server error, never lost input.

For every URL that accepts a POST, and every GET form with query parameters
(the desk's and the register's filters, the partner search, the live panel,
the decree code, the statistics table), as the role entitled to use it and on
an object in a state where the action is possible, each field in turn gets
hostile values while the other fields stay valid: a NUL byte inside text
(PostgreSQL refuses it in a string literal), invalid UTF-8 in urlencoded and
multipart bodies and in file names, 100,000 characters, white space only,
characters that reverse the text or are invisible, emoji, numbers beyond
every column (1e309, -1, 2**63, NaN), impossible dates, the field sent twice,
the field left out; file fields get an empty file, one that is not a PDF (or
not JSON), one over the limit, a huge declared size and two files at once.

Each answer is checked: no 500 and no traceback in the log; a refusal is a
400, or a page (or a redirect) with an error, or the address's convention
(404, 403, 413); its errors are in Italian and show on the page; the other
fields' values come back in the form shown again.

Every request runs in a savepoint that is rolled back, so one world serves
all the requests of a test and an accepted value (an emoji in a name) leaves
nothing for the next request to trip on.
"""

import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode

from networks.constants import DocumentKind
from networks.models import Application, EconomicArea, StudyProgramme
from networks.services.applications import DETAIL_FIELDS
from tests.factories import (
    MINIMAL_PDF,
    PASSWORD,
    OrganisationFactory,
    company_registration,
    fictitious_vat,
)
from tests.procedure import bring_to, expire_open_request
from tests.security.test_url_matrix import (  # noqa: F401 - other_officer, world: fixtures
    ACTION_CASES,
    World,
    other_officer,
    world,
)

# --- the hostile values ---------------------------------------------------------------------------

MISSING = object()  # the field is left out
TWICE = object()  # the field is sent twice: its valid value, then another
BAD_UTF8 = b"Polo \xff\xfe\xc3( valido"  # raw bytes: invalid UTF-8 in the body

HOSTILE: dict[str, Any] = {
    "nul": "Polo\x00Ostile",
    "bad-utf8": BAD_UTF8,
    "long": "a" * 100_000,
    "blank": " \t\r\n \u00a0 ",
    "rtl-zero-width": "\u202eolop\u200b\u2066x\u2069",
    "control": "Polo\x01\x1b[31m\x7f\x85Ostile",
    "emoji": "Polo 🏫🎓👩‍🔧",
    "1e309": "1e309",
    "-1": "-1",
    "2**63": str(2**63),
    "NaN": "NaN",
    "31/02/2026": "31/02/2026",
    "0000-00-00": "0000-00-00",
    "twice": TWICE,
    "missing": MISSING,
}
# A free-text field reads a number or a date as text: it gets what can break text.
TEXT_HOSTILE = {
    label: HOSTILE[label]
    for label in (
        "nul",
        "bad-utf8",
        "long",
        "blank",
        "rtl-zero-width",
        "control",
        "emoji",
        "twice",
        "missing",
    )
}


@dataclass(frozen=True)
class Upload:
    name: bytes
    content: bytes
    headers: tuple[bytes, ...] = ()


def _pdf(name: bytes = b"documento.pdf", content: bytes = MINIMAL_PDF, *headers: bytes) -> Upload:
    return Upload(name, content, headers)


def _file_variants(valid: Upload, limit: int, *, json_file: bool) -> dict[str, Any]:
    """Return the hostile uploads of a file field whose valid file is ``valid``."""
    variants: dict[str, Any] = {
        "missing": MISSING,
        "empty": Upload(valid.name, b""),
        "not-the-format": Upload(valid.name, b"GIF89a\x01\x00\x01\x00\x00\xff\xfe binario"),
        "over-the-limit": Upload(valid.name, valid.content[:5] + b" " * limit),
        "huge-declared-size": Upload(
            valid.name, valid.content, (b"Content-Length: 99999999999999999999999",)
        ),
        "negative-declared-size": Upload(valid.name, valid.content, (b"Content-Length: -1",)),
        "bad-utf8-name": Upload(b"doc\xff\xfe\xc3(.pdf", valid.content),
        "nul-name": Upload(b"doc\x00umento.pdf", valid.content),
        # Longer than any file system allows (255 bytes), shorter than Django's header limit.
        "long-name": Upload(b"a" * 300 + b".pdf", valid.content),
        # Past Django's limit on a part's headers: its own 400 page, in Italian (DJANGO_400).
        "header-too-long": Upload(b"a" * 100_000 + b".pdf", valid.content),
        "rtl-name": Upload("\u202efdp.exe\u200b.pdf".encode(), valid.content),
        "emoji-name": Upload("🏫 accordo.pdf".encode(), valid.content),
        "blank-name": Upload(b"   ", valid.content),
        "twice": TWICE,
    }
    if json_file:
        document = json.loads(valid.content)
        with_nul = json.loads(valid.content)
        with_nul["name"] = "Polo\u0000Ostile"
        for member in with_nul.get("members", []):
            member["name"] = member.get("name", "") + "\u0000"
            if "school_code" in member:
                member["school_code"] = "MI\u0000S00001X"
        variants |= {
            "json-nul": Upload(valid.name, json.dumps(with_nul).encode()),
            "json-bad-utf8": Upload(valid.name, valid.content.replace(b'"', b'"\xff', 1)),
            "json-1e309": Upload(
                valid.name,
                json.dumps({**document, "reference_date": 1}).replace("1}", "1e309}").encode(),
            ),
            "json-NaN": Upload(
                valid.name, json.dumps({**document, "members": float("nan")}).encode()
            ),
            "json-2**63": Upload(
                valid.name, json.dumps({**document, "name": 2**63, "area": -1}).encode()
            ),
            "json-bad-date": Upload(
                valid.name, json.dumps({**document, "reference_date": "2026-02-31"}).encode()
            ),
            "json-zero-date": Upload(
                valid.name, json.dumps({**document, "reference_date": "0000-00-00"}).encode()
            ),
            "json-long": Upload(
                valid.name, json.dumps({**document, "name": "a" * 100_000}).encode()
            ),
        }
    return variants


# --- the forms ------------------------------------------------------------------------------------


@dataclass
class Case:
    """One form: who sends it, where, its valid values, and which of them must come back."""

    label: str
    role: str
    url: str
    valid: dict[str, Any]
    method: str = "post"
    files: dict[str, Upload] = field(default_factory=dict)
    file_limits: dict[str, int] = field(default_factory=dict)
    json_files: frozenset[str] = frozenset()
    echo: tuple[str, ...] = ()  # text fields shown again, as typed, when the form is refused
    text: tuple[str, ...] | None = None  # free-text fields (default: ``echo``)
    conventions: frozenset[int] = frozenset()  # other refusals this URL answers with
    fuzz: tuple[str, ...] | None = None  # the fields to fuzz (default: all of them)


ERROR_STATUSES = {400}
# Bodies Django itself cannot parse: it answers with the portal's 400 page before any view runs.
DJANGO_400 = frozenset({"header-too-long"})
ACCEPTED = {200, 302}


def _code(text: str) -> str:
    return text.lower().replace("-", "_")


@dataclass
class Scene:
    world: World
    users: dict[str, User | None]
    by_status: dict[str, Application]


def applicant_cases(scene: Scene) -> list[Case]:
    w = scene.world
    draft, integration = w.draft, w.integration
    own = draft.members.get(organisation=draft.applicant_organisation)
    institute = own.organisation
    programme = StudyProgramme.objects.filter(active=True, code="IT-MME").get()
    outsider = OrganisationFactory()
    notice = scene.by_status["rejection_notice"]
    network = _network_file(draft)
    return [
        Case(
            "application_new",
            "applicant",
            reverse("application_new"),
            {"call": str(draft.call_id), "organisation": str(institute.pk), "name": "Polo Nuovo"},
            echo=("name",),
        ),
        Case(
            "application_edit polo",
            "applicant",
            reverse("application_edit", args=[draft.pk, "polo"]),
            {
                "name": "Polo Meccatronica Valida",
                "area": str(draft.area_id),
                "description": "Descrizione valida del polo",
                "objectives": "Obiettivi validi del polo",
                "alternanza_actions": "Azioni di alternanza valide",
                "flessibilita_actions": "Azioni di flessibilita valide",
                "laboratories": "Laboratori validi del polo",
                "commitments": "Impegni validi del polo",
                "contact_name": "Maria Referente",
                "contact_email": "referente.valida@example.org",
                "contact_phone": "02 1234 5678",
                "revision": str(draft.revision),
                "next": "1",
            },
            # Every detail typed as text comes back (the area is a choice).
            echo=tuple(field for field in DETAIL_FIELDS if field != "area"),
            # The six descriptions are alike (a textarea of 10,000 characters): two stand for all.
            fuzz=(
                "name",
                "area",
                "description",
                "commitments",
                "contact_name",
                "contact_email",
                "contact_phone",
                "revision",
                "next",
            ),
        ),
        Case(
            "application_edit partner (search)",
            "applicant",
            reverse("application_edit", args=[draft.pk, "partner"]),
            {"q": "Istituto"},
            method="get",
        ),
        Case(
            "application_panel",
            "applicant",
            reverse("application_panel", args=[draft.pk]),
            {"area": str(draft.area_id)},
            method="get",
        ),
        Case(
            "member_add",
            "applicant",
            reverse("member_add", args=[draft.pk]),
            {"organisation": str(outsider.pk)},
            conventions=frozenset({404}),  # an id that names no organisation
        ),
        Case(
            "member_update",
            "applicant",
            reverse("member_update", args=[draft.pk, own.pk]),
            {f"m{own.pk}-role": "Capofila della rete", f"m{own.pk}-is_lead": "on"},
            echo=(f"m{own.pk}-role",),
        ),
        Case(
            "organisation_register",
            "applicant",
            reverse("organisation_register", args=[draft.pk]),
            company_registration(),
            echo=("name", "city", "vat_number", "ateco_codes"),
        ),
        Case(
            "offering_add",
            "applicant",
            reverse("offering_add", args=[draft.pk, institute.pk]),
            {
                f"o{institute.pk}-programme": str(programme.pk),
                f"o{institute.pk}-first_year": "2016/17",
                f"o{institute.pk}-last_year": "2017/18",
            },
            echo=(f"o{institute.pk}-first_year", f"o{institute.pk}-last_year"),
        ),
        Case(
            "document_upload",
            "applicant",
            reverse("document_upload", args=[draft.pk]),
            {"kind": DocumentKind.NETWORK_AGREEMENT.value, "back": "steps"},
            files={"file": _pdf(b"accordo.pdf")},
            file_limits={"file": draft.call.max_attachment_bytes},
            conventions=frozenset({404}),  # a kind that is none of the three
        ),
        Case(
            "document_upload (commitment)",
            "applicant",
            reverse("document_upload", args=[draft.pk]),
            {"kind": DocumentKind.COMMITMENT.value, "member": str(own.pk)},
            files={"file": _pdf(b"impegno.pdf")},
            file_limits={"file": draft.call.max_attachment_bytes},
            conventions=frozenset({404}),  # a member that is not in the network
            fuzz=("member",),
        ),
        Case(
            "network_import",
            "applicant",
            reverse("network_import", args=[draft.pk]),
            {},
            files={"file": Upload(b"rete.json", network)},
            file_limits={"file": 2 * 1024 * 1024},
            json_files=frozenset({"file"}),
        ),
        Case(
            "application_submit (integrations)",
            "applicant",
            reverse("application_submit", args=[integration.pk]),
            {"text": "Nota valida per l'istruttore"},
            text=("text",),
        ),
        Case(
            "application_withdraw",
            "applicant",
            reverse("application_withdraw", args=[integration.pk]),
            {"text": "Motivo valido del ritiro"},
            text=("text",),
        ),
        Case(
            "application_observations",
            "applicant",
            reverse("application_observations", args=[notice.pk]),
            {"text": "Osservazioni valide del richiedente"},
            files={"attachments": _pdf(b"osservazioni.pdf")},
            file_limits={"attachments": notice.call.max_attachment_bytes},
            echo=("text",),
        ),
    ]


def review_cases(scene: Scene) -> list[Case]:
    integration = scene.world.integration
    users = scene.users
    cases = [
        Case(
            "review_note_add",
            "officer",
            reverse("review_note_add", args=[integration.pk]),
            {"note-text": "Nota interna valida"},
            text=("note-text",),
        )
    ]
    states = {
        "request_integration": "in_review",
        "propose_approval": "in_review",
        "send_rejection_notice": "in_review",
        "reassign": "in_review",
        "resume_review": "integration_expired",
        "propose_rejection": "rejection_notice_expired",
        "resume_after_notice": "rejection_notice_expired",
        "adopt_approval": "approval_proposed",
        "return_proposal": "approval_proposed",
        "adopt_rejection": "rejection_proposed",
    }
    extra = {
        "propose_approval": {
            "propose_approval-obligations": "Prescrizione valida",
            "propose_approval-note": "Nota valida per il dirigente",
        },
        "resume_review": {"resume_review-note": "Nota valida per il richiedente"},
        "adopt_approval": {
            "adopt_approval-note": "Nota valida del dirigente",
            "adopt_approval-confirm": "on",
        },
        "adopt_rejection": {
            "adopt_rejection-note": "Nota valida del dirigente",
            "adopt_rejection-confirm": "on",
        },
    }
    for action, state in states.items():
        application = scene.by_status[state]
        case = ACTION_CASES[action]
        data = {
            name: str(value)
            for name, value in {
                **case.data(application, users),  # type: ignore[arg-type]
                **extra.get(action, {}),
            }.items()
        }
        echo = tuple(
            name
            for name, value in data.items()
            if not value.isdigit() and not re.fullmatch(r"\d\d/\d\d/\d{4}", value)
        )
        cases.append(
            Case(
                f"review_action {action}",
                case.allowed,
                reverse("review_action", args=[application.pk, action]),
                data,
                echo=echo,
            )
        )
    return cases


def public_cases(scene: Scene) -> list[Case]:
    w = scene.world
    decree = w.approved.decrees.get()
    area = EconomicArea.objects.get(pk=w.draft.area_id)
    applicant = scene.users["applicant"]
    uid = urlsafe_base64_encode(force_bytes(applicant.pk))
    token = default_token_generator.make_token(applicant)
    simulated = {
        "name": "Polo Simulato Valido",
        "area": area.code,
        "reference_date": "15/01/2027",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "institute",
        "form-0-name": "Istituto Simulato Valido",
        "form-0-province": "MI",
        "form-0-lead": "on",
        "form-0-school_code": "MIIS00100X",
        "form-0-status": "statale",
        "form-0-offerings": "IT-MME 2019/20-",
        "form-1-kind": "company",
        "form-1-name": "Impresa Simulata Valida",
        "form-1-vat_number": fictitious_vat(777),
        "form-1-ateco": "28.13",
        "form-1-commitment_signed": "on",
        "form-2-kind": "its",
        "form-2-name": "ITS Simulato Valido",
        "form-2-founders": "1, 2",
    }
    return [
        Case(
            "login",
            "anonymous",
            reverse("login"),
            {"username": "richiedente", "password": "non-la-password", "next": "/domande/"},
            echo=("username",),
        ),
        Case("logout", "applicant", reverse("logout"), {"next": "/"}),
        Case(
            "set_language",
            "anonymous",
            reverse("set_language"),
            {"language": "en", "next": "/poli/"},
        ),
        Case(
            "password_change",
            "applicant",
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "Nuova-parola-2026!",
                "new_password2": "Nuova-parola-2026!",
            },
        ),
        Case(
            "password_reset",
            "anonymous",
            reverse("password_reset"),
            {"email": "nessuno@example.org"},
        ),
        Case(
            "password_reset_confirm",
            "anonymous",
            reverse("password_reset_confirm", args=[uid, token]),
            {"new_password1": "Nuova-parola-2026!", "new_password2": "Nuova-parola-2026!"},
        ),
        Case(
            "decree_verify",
            "anonymous",
            reverse("decree_verify", args=[decree.verification_code]),
            {},
            files={"document": _pdf(b"decreto.pdf", bytes(decree.pdf.read()))},
            file_limits={"document": 20 * 1024 * 1024},
        ),
        Case(
            "decree_verify_form",
            "anonymous",
            reverse("decree_verify_form"),
            {"code": decree.verification_code},
            method="get",
        ),
        Case(
            "simulator",
            "anonymous",
            reverse("simulator"),
            simulated,
            # A second row's name, kind or check box is parsed as the first's: one of each.
            fuzz=tuple(
                name
                for name in simulated
                if name
                not in {
                    "form-1-kind",
                    "form-1-name",
                    "form-2-kind",
                    "form-2-name",
                    "form-0-province",
                    "form-1-commitment_signed",
                }
            ),
            echo=tuple(
                name
                for name in simulated
                if name in {"name", "reference_date"}
                or name.endswith(("-name", "-ateco"))
                or name.endswith(("-school_code", "-vat_number", "-offerings", "-founders"))
            ),
        ),
        Case(
            "simulator (add rows)",
            "anonymous",
            reverse("simulator"),
            {**simulated, "add_rows": "1"},
            fuzz=("form-TOTAL_FORMS", "form-INITIAL_FORMS", "add_rows"),
        ),
        Case(
            "simulator (upload)",
            "anonymous",
            reverse("simulator"),
            {},
            files={"upload": Upload(b"rete.json", _network_file(w.draft))},
            file_limits={"upload": 1024 * 1024},
            json_files=frozenset({"upload"}),
        ),
        Case(
            "register_list",
            "anonymous",
            reverse("register_list"),
            {
                "q": "Polo",
                "area": str(area.pk),
                "province": "MI",
                "kind": "company",
                "call": str(w.approved.call_id),
                "year": str(decree.adopted_at.year),
                "page": "1",
            },
            method="get",
        ),
        Case(
            "statistics_csv",
            "anonymous",
            reverse("statistics_csv"),
            {"table": "aree"},
            method="get",
        ),
        Case(
            "review_queue",
            "officer",
            reverse("review_queue"),
            {
                "q": "Polo",
                "status": "integration_requested",  # the world's application awaiting them
                "area": str(area.pk),
                "province": "MI",
                "call": str(w.integration.call_id),
                "officer": str(scene.users["officer"].pk),
                "overdue": "no",
                "order": "-name",
                "page": "1",
                "per_page": "25",
            },
            method="get",
        ),
    ]


def _network_file(application: Application) -> bytes:
    from eligibility.adapters import network_from_application

    full = Application.objects.get(pk=application.pk)
    return json.dumps(network_from_application(full), ensure_ascii=False).encode()


# --- sending --------------------------------------------------------------------------------------

BOUNDARY = "OstileConfine7MA4YWxkTrZu0gW"


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _urlencoded(pairs: list[tuple[str, str | bytes]]) -> str:
    return "&".join(f"{quote_plus(name)}={quote_plus(_as_bytes(value))}" for name, value in pairs)


def _multipart(pairs: list[tuple[str, str | bytes]], files: list[tuple[str, Upload]]) -> bytes:
    boundary = BOUNDARY.encode()
    lines: list[bytes] = []
    for name, value in pairs:
        disposition = f'Content-Disposition: form-data; name="{name}"'.encode()
        lines += [b"--" + boundary, disposition, b"", _as_bytes(value)]
    for name, upload in files:
        lines += [
            b"--" + boundary,
            f'Content-Disposition: form-data; name="{name}"; filename="'.encode()
            + upload.name
            + b'"',
            b"Content-Type: application/octet-stream",
            *upload.headers,
            b"",
            upload.content,
        ]
    lines += [b"--" + boundary + b"--", b""]
    return b"\r\n".join(lines)


def _client(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _send(case: Case, client: Client, fuzzed: str, value: Any) -> Any:
    pairs: list[tuple[str, str | bytes]] = []
    files: list[tuple[str, Upload]] = []
    for name, valid in case.valid.items():
        if name != fuzzed:
            pairs.append((name, valid))
        elif value is TWICE:
            pairs += [(name, valid), (name, "altro")]
        elif value is not MISSING:
            pairs.append((name, value))
    for name, valid_file in case.files.items():
        if name != fuzzed:
            files.append((name, valid_file))
        elif value is TWICE:
            files += [(name, valid_file), (name, valid_file)]
        elif value is not MISSING:
            files.append((name, value))
    if case.method == "get":
        return client.get(f"{case.url}?{_urlencoded(pairs)}")
    if files:
        return client.generic(
            "POST",
            case.url,
            _multipart(pairs, files),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
    return client.generic(
        "POST", case.url, _urlencoded(pairs), content_type="application/x-www-form-urlencoded"
    )


# --- judging --------------------------------------------------------------------------------------

# Words of Django's English messages: an error that has them was not translated.
ENGLISH = re.compile(
    r"\b(this field|enter a|select a|ensure|the submitted|please|must be|characters|"
    r"invalid|not a valid|required)\b",
    re.IGNORECASE,
)


def _forms_in(response: Any) -> Iterator[BaseForm | BaseFormSet]:
    seen: set[int] = set()
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            candidates = value if isinstance(value, list | tuple) else [value]
            for candidate in candidates:
                if isinstance(candidate, dict):
                    candidates_in = list(candidate.values())
                else:
                    candidates_in = [candidate]
                for item in candidates_in:
                    if isinstance(item, BaseForm | BaseFormSet) and id(item) not in seen:
                        seen.add(id(item))
                        yield item
                    form = getattr(item, "form", None)  # a filter set
                    if isinstance(form, BaseForm) and id(form) not in seen:
                        seen.add(id(form))
                        yield form


def _form_errors(form: BaseForm | BaseFormSet) -> list[str]:
    if not form.is_bound:
        return []
    if isinstance(form, BaseFormSet):
        texts = [str(e) for e in form.non_form_errors()]
        for member in form.forms:
            texts += _form_errors(member)
        return texts
    return [str(message) for messages in form.errors.values() for message in messages]


def _errors(response: Any) -> tuple[list[str], list[str]]:
    """Return the errors the response shows on the page, and those it keeps for the next page."""
    on_page: list[str] = []
    for form in _forms_in(response):
        on_page += _form_errors(form)
    for context in response.context or []:
        flat = context.flatten() if hasattr(context, "flatten") else {}
        for key in ("action_error", "upload_error"):
            if flat.get(key):
                on_page.append(str(flat[key]))
        for key in ("import_errors", "input_errors", "error_summary"):
            on_page += [str(getattr(e, "message", e)) for e in flat.get(key) or []]
    messages = [
        str(m) for m in get_messages(response.wsgi_request) if m.level_tag in {"error", "warning"}
    ]
    return list(dict.fromkeys(on_page)), messages


def _judge(case: Case, fuzzed: str, label: str, response: Any, records: list[Any]) -> list[str]:
    where = f"{case.label} [{fuzzed}={label}]"
    status = response.status_code
    problems = []
    # Django answers a body it cannot parse (a file name longer than its header limit) with
    # its 400 page and logs the reason as a warning, traceback included: that is no crash.
    crashed = [r for r in records if r.levelno >= logging.ERROR or (r.exc_info and status != 400)]
    if status >= 500 or crashed:
        problems.append(f"{where}: {status}, {[r.getMessage()[:200] for r in records]}")
        return problems
    if status not in ACCEPTED | ERROR_STATUSES | case.conventions | {413}:
        problems.append(f"{where}: risposta {status}")
        return problems
    if status in case.conventions or status == 413:
        return problems
    if label in DJANGO_400:
        if status != 400 or "400.html" not in [t.name for t in response.templates]:
            problems.append(f"{where}: {status}, attesa la pagina 400 di Django")
        return problems
    html = response.content.decode("utf-8", "replace")
    is_html = response.get("Content-Type", "").startswith("text/html")
    on_page, for_next_page = _errors(response)
    refused = status == 400 or bool(on_page) or bool(for_next_page)
    if not refused:
        return problems
    texts = on_page + for_next_page
    if not texts and is_html:
        problems.append(f"{where}: {status} senza un messaggio che dica che cosa correggere")
    elif not texts and status == 400 and not html.strip():
        problems.append(f"{where}: 400 senza messaggio")
    problems += [
        f"{where}: messaggio non in italiano: {t[:120]!r}" for t in texts if ENGLISH.search(t)
    ]
    if status == 302:
        return problems
    if is_html:
        missing = [t[:80] for t in on_page if escape(t) not in html and t not in html]
        if missing:
            problems.append(f"{where}: errori non mostrati nella pagina: {missing}")
        lost = [
            name for name in case.echo if name != fuzzed and escape(case.valid[name]) not in html
        ]
        if lost:
            problems.append(f"{where}: {status}, valori persi: {lost}")
    return problems


def _run(scene: Scene, cases: list[Case], caplog: pytest.LogCaptureFixture) -> list[str]:
    problems: list[str] = []
    for case in cases:
        user = scene.users[case.role]
        client = _client(user)
        fields = case.fuzz if case.fuzz is not None else (*case.valid, *case.files)
        for fuzzed in fields:
            if fuzzed in case.files:
                values = _file_variants(
                    case.files[fuzzed],
                    case.file_limits[fuzzed],
                    json_file=fuzzed in case.json_files,
                )
            elif fuzzed in (case.echo if case.text is None else case.text):
                values = TEXT_HOSTILE
            else:
                values = HOSTILE
            for label, value in values.items():
                cache.clear()  # the simulator's rate limit, the cached pages
                caplog.clear()
                with transaction.atomic():
                    response = _send(case, client, fuzzed, value)
                    transaction.set_rollback(True)
                records = [
                    r
                    for r in caplog.records
                    if r.levelno >= logging.WARNING
                    and r.name.startswith(("django", "networks"))
                    and (r.exc_info or r.levelno >= logging.ERROR)
                ]
                problems += _judge(case, fuzzed, label, response, records)
                if case.label == "logout" or (
                    response.status_code == 302 and case.role != "anonymous"
                ):
                    client = _client(user)  # a fresh session: logged out, or messages left
    return problems


# --- the tests ------------------------------------------------------------------------------------


@pytest.fixture
def scene(request, applicant, officer, manager) -> Scene:
    """The URL matrix's world (its fixtures, imported above), and a notice of intended rejection."""
    built: World = request.getfixturevalue("world")
    statuses: dict[str, Application] = {}
    statuses["rejection_notice"] = bring_to(
        "rejection_notice", applicant=applicant, officer=officer, manager=manager
    )
    return Scene(world=built, users=built.users, by_status=statuses)


def _with_review_states(scene: Scene, applicant: User, officer: User, manager: User) -> Scene:
    people = {"applicant": applicant, "officer": officer, "manager": manager}
    statuses = scene.by_status
    statuses["in_review"] = bring_to("in_review", **people)
    statuses["approval_proposed"] = bring_to("approval_proposed", **people)
    statuses["rejection_proposed"] = bring_to("rejection_proposed", **people)
    expired = bring_to("integration_requested", **people)
    expire_open_request(expired)
    statuses["integration_expired"] = expired
    notice = bring_to("rejection_notice", notice_for_rejection=True, **people)
    statuses["rejection_notice_expired"] = notice
    return scene


GROUPS: dict[str, Callable[[Scene], list[Case]]] = {
    "applicant": applicant_cases,
    "review": review_cases,
    "public and accounts": public_cases,
}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_hostile_values_never_crash_and_never_lose_input(
    group, scene, applicant, officer, manager, caplog
):
    """Each field in turn gets every hostile value, the other fields valid (see the module)."""
    if group == "review":
        _with_review_states(scene, applicant, officer, manager)
    caplog.set_level(logging.WARNING)
    problems = _run(scene, GROUPS[group](scene), caplog)
    assert problems == [], "\n".join(problems)


BAD_CODES = ["K7QF\x00", "%00", "%FF%FE", "a" * 10_000, "🏫", " ", "-1", str(2**63)]


@pytest.mark.parametrize("name", ["decree_verify", "decree_download_public"])
def test_a_hostile_verification_code_in_the_path_is_not_found(name, client, db, caplog):
    """A code printed on a decree, typed into the address bar with anything in it."""
    client.raise_request_exception = False
    caplog.set_level(logging.WARNING)
    prefix = reverse(name, args=["X"]).split("X")
    for code in BAD_CODES:
        response = client.get(prefix[0] + code.replace("\x00", "%00") + prefix[1])
        assert response.status_code == 404, code
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def test_a_username_longer_than_any_account_is_refused_before_authenticating(client, db):
    """It once reached django-axes, whose record of the failure PostgreSQL refused: a 500."""
    from axes.models import AccessAttempt

    client.raise_request_exception = False
    for url in (reverse("login"), reverse("admin:login")):
        response = client.post(url, {"username": "a" * 300, "password": "non-la-password"})
        assert response.status_code == 200, url
        assert "più di 150 caratteri" in response.content.decode(), url
    assert not AccessAttempt.objects.exists()
