"""Views of the public area: anyone, without logging in, may use them.

Decree verification, the register of recognised poli, open data, statistics
and the eligibility simulator. Each view parses its input with a form, reads
through ``networks.selectors_public`` and renders; none writes to the
database (the simulator's rate limit lives in the cache).
"""

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from functools import partial, wraps
from typing import Any, Concatenate

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import condition, require_http_methods, require_safe

from eligibility.adapters import NetworkInputError, composition_from_network
from eligibility.core import evaluate, get_ruleset
from networks import opendata, stats
from networks.constants import RULE_STATUS_LABELS, DecreeKind
from networks.forms_public import (
    MAX_DECREE_UPLOAD_BYTES,
    MAX_SIMULATOR_MEMBERS,
    DecreeCheckForm,
    DecreeCodeForm,
    ErrorSummaryItem,
    RegisterFilter,
    SimulatorMemberFormSet,
    SimulatorNetworkForm,
    attach_input_errors,
    error_summary,
    network_from_forms,
    posted_rows,
)
from networks.pagecache import cached_titled_fragment, cached_value, page_query, query_key
from networks.pagination import Paginator, list_title
from networks.ratelimit import count_in_window
from networks.selectors import decree_get_by_code, submitted_applications_version
from networks.selectors_public import (
    RegisterSignature,
    decree_get_public_approval,
    polo_get_public,
    public_poli,
    recognised_poli,
    register_signature,
)
from networks.views.downloads import decree_filename, pdf_response
from ptp_portal.client_ip import client_ip

REGISTER_PAGE_SIZE = 25
# How long a change the register's version does not see (a renamed member) may take to show.
REGISTER_CACHE_SECONDS = 300
# What the register reads from the query string: the filters and the page number; any other
# parameter is ignored, and shares the cache entry of the page without it.
REGISTER_PARAMETERS = (*RegisterFilter.base_filters, "page")
SIMULATOR_LIMIT = 30  # evaluations per IP per window
SIMULATOR_WINDOW_SECONDS = 60
# Room for the multipart envelope around a 20 MB file.
MAX_VERIFY_REQUEST_BYTES = MAX_DECREE_UPLOAD_BYTES + 64 * 1024


# --- decree verification ------------------------------------------------------------------------


@require_safe
def decree_verify_form(request: HttpRequest) -> HttpResponse:
    """Ask for a verification code, then go to that decree's verification page."""
    # Bound only when a code was sent: a link with other parameters (?utm_source=qr) is a first visit.
    form = DecreeCodeForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        try:
            decree = decree_get_by_code(form.cleaned_data["code"])
        except Http404:
            form.add_unknown_code_error()
        else:
            return redirect("decree_verify", code=decree.verification_code)
    return render(request, "networks/public/decree_verify_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def decree_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Show a decree's metadata and check whether an uploaded PDF is that decree, byte for byte."""
    decree = decree_get_by_code(code)
    matches: bool | None = None
    uploaded_sha256 = ""
    upload_error = ""
    status = 200
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:  # a malformed header: Django reads it as no body, so do we
            declared = 0
        if declared > MAX_VERIFY_REQUEST_BYTES:
            # Refused before Django reads the body, so there is no bound form to add to.
            form = DecreeCheckForm()
            upload_error = _("Il file supera i 20 MB: non può essere un decreto del portale.")
            status = 413
        else:
            form = DecreeCheckForm(files=request.FILES)
            if form.is_valid():
                uploaded_sha256 = form.cleaned_data["document"]
                matches = uploaded_sha256 == decree.sha256
            else:
                status = 400
    else:
        form = DecreeCheckForm()
    application = decree.application
    context = {
        "decree": decree,
        "application": application,
        "adopted_on": timezone.localtime(decree.adopted_at).date(),
        "is_approval": decree.kind == DecreeKind.APPROVAL,
        "form": form,
        "matches": matches,
        "uploaded_sha256": uploaded_sha256,
        "upload_error": upload_error,
    }
    return render(request, "networks/public/decree_verify.html", context, status=status)


@require_safe
def decree_download_public(request: HttpRequest, code: str) -> FileResponse:
    """Serve the PDF of a recognition decree as an attachment (rejections are not public)."""
    decree = decree_get_public_approval(code)
    if not decree.pdf:
        raise Http404
    return pdf_response(decree.pdf, decree_filename(decree))


# --- the register -------------------------------------------------------------------------------


@require_safe
def register_list(request: HttpRequest) -> HttpResponse:
    """List the recognised poli, filtered, searched and paginated.

    The list and its title are cached per query and version of the register
    (``pagecache``): a new decree shows at the next request.
    """
    query = page_query(request.GET, REGISTER_PARAMETERS)
    title, content = cached_titled_fragment(
        "register-titled",
        (register_signature(), query_key(query)),
        partial(_render_register_content, request, query),
        timeout=REGISTER_CACHE_SECONDS,
    )
    return render(
        request, "networks/public/register_list.html", {"content": content, "page_title": title}
    )


def _register_title(filterset: RegisterFilter, page: Any) -> str:
    """Return the register's title: the count when filtered, the page when there are several.

    Each search and page of the register is a page of its own, so it says which (WCAG 2.4.2).
    """
    parts = [_("Registro dei Poli Tecnici Professionali")]
    # Filtering cleaned the form (``filterset.qs``): what it kept is what the page shows.
    chosen = filterset.form.cleaned_data if filterset.is_bound else {}
    if any(value not in (None, "") for value in chosen.values()):
        count = page.paginator.count
        parts.append(
            ngettext("%(counter)s polo riconosciuto", "%(counter)s poli riconosciuti", count)
            % {"counter": count}
        )
    return list_title(parts, page)


def _render_register_content(request: HttpRequest, known: QueryDict) -> tuple[str, str]:
    filterset = RegisterFilter(known or None, queryset=recognised_poli())
    queryset = filterset.qs if filterset.is_bound else filterset.queryset
    paginator = Paginator(queryset, REGISTER_PAGE_SIZE)
    page = paginator.get_page(known.get("page"))
    query = known.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page_obj": page,
        "poli": public_poli(page.object_list),
        "query": query.urlencode(),
    }
    html = render_to_string("networks/public/_register_content.html", context, request=request)
    return _register_title(filterset, page), html


@require_safe
def register_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a recognised polo: area, lead partner, members by kind, decree, recognition period."""
    polo = polo_get_public(pk)
    return render(request, "networks/public/register_detail.html", {"polo": polo})


# --- open data ----------------------------------------------------------------------------------


def _signature(request: HttpRequest) -> RegisterSignature:
    """Return ``register_signature()``, read once per request: ETag, Last-Modified and body."""
    if not hasattr(request, "register_signature"):
        request.register_signature = register_signature()  # type: ignore[attr-defined]
    return request.register_signature  # type: ignore[attr-defined]


def _signature_tag(signature: RegisterSignature) -> str:
    """Return the register's signature as the part of an ETag that follows its changes."""
    stamp = signature.latest.isoformat() if signature.latest else "none"
    return f"{stamp}-{signature.count}-{signature.areas}"


def _dataset_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    return f"{opendata.DATASET_VERSION}-{_signature_tag(_signature(request))}"


def _dataset_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return _signature(request).latest


_cacheable = condition(etag_func=_dataset_etag, last_modified_func=_dataset_last_modified)


def _public_dataset[**P](
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Give an open-data file and its 304 the same caching and CORS headers.

    ``condition`` answers 304 before the view runs, and a 304 must carry the
    ``Cache-Control`` its 200 would (RFC 9110, 15.4.5). A refused request (the
    statistics' 400) gets none of them.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code in {200, 304}:
            response["Cache-Control"] = "public, max-age=300"
            response["Access-Control-Allow-Origin"] = "*"
            response["Content-Language"] = opendata.LANGUAGE
        return response

    return wrapped


def _dataset_body[T](request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """Return an open-data file, the same for every reader: computed and cached in Italian.

    The ETag does not name a language, so neither may the file: a reader of
    the pages in English revalidates the very file that a reader in Italian got.
    """
    with translation.override(opendata.LANGUAGE):
        return cached_value(name, (_signature(request),), compute, timeout=REGISTER_CACHE_SECONDS)


@require_safe
def opendata_page(request: HttpRequest) -> HttpResponse:
    """Describe the datasets, their columns and the licence."""
    signature = register_signature()
    context = {
        "columns": opendata.CSV_COLUMNS,
        "count": signature.count,
        "modified": signature.latest,
        "licence_url": opendata.LICENCE_URL,
    }
    return render(request, "networks/public/opendata.html", context)


@require_safe
@_public_dataset
@_cacheable
def opendata_csv(request: HttpRequest) -> HttpResponse:
    """Return the register as CSV, one row per member of each recognised polo."""
    body = _dataset_body(request, "opendata-csv", opendata.register_csv)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="poli.csv"'
    return response


@require_safe
@_public_dataset
@_cacheable
def opendata_json(request: HttpRequest) -> HttpResponse:
    """Return the register as JSON: per polo its ptp-network/1 document and its decree."""
    body = _dataset_body(
        request,
        "opendata-json",
        lambda: json.dumps(
            opendata.register_json(), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1
        ),
    )
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="poli.json"'
    return response


@require_safe
@_public_dataset
@_cacheable
def opendata_dcat(request: HttpRequest) -> HttpResponse:
    """Return the DCAT-AP_IT catalogue of the datasets (JSON-LD)."""
    body = _dataset_body(
        request,
        "opendata-dcat",
        lambda: json.dumps(
            opendata.dcat_catalogue(_signature(request)), ensure_ascii=False, indent=1
        ),
    )
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


# --- statistics ---------------------------------------------------------------------------------


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Show the register's statistics as SVG bar charts, each with its data table."""
    return render(
        request, "networks/public/statistics.html", {"report": _statistics_report(request)}
    )


def _statistics_report(request: HttpRequest) -> stats.Report:
    """Return the statistics, computed again only when the register or an application changed.

    They count recognised poli (the register's version) and submitted
    applications by status and procedure time (the desk's version), both read
    once per request (the CSV's ETag reads them too).
    """
    return cached_value(
        "statistics",
        (_signature(request), _desk_version(request)),
        stats.statistics_report,
        timeout=REGISTER_CACHE_SECONDS,
    )


def _desk_version(request: HttpRequest) -> Any:
    """Return ``submitted_applications_version()``, read once per request."""
    if not hasattr(request, "desk_version"):
        request.desk_version = submitted_applications_version()  # type: ignore[attr-defined]
    return request.desk_version  # type: ignore[attr-defined]


def _statistics_versions(request: HttpRequest) -> tuple[RegisterSignature, Any] | None:
    """Return the register's signature and the desk's version, read once; None for a bad table."""
    if request.GET.get("table", "") not in stats.TABLES:
        return None  # refused with a 400: nothing to revalidate
    return _signature(request), _desk_version(request)


def _statistics_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    """The table, the register's version and the desk's: what the statistics' cache is keyed on."""
    versions = _statistics_versions(request)
    if versions is None:
        return None
    signature, desk = versions
    stamp = desk.isoformat() if desk else "none"
    # Opaque: the desk's version is the moment of the last step of any review, internal
    # ones included, which the public is not told (nor is it told when they happened).
    tag = f"{opendata.DATASET_VERSION}-{request.GET['table']}-{_signature_tag(signature)}-{stamp}"
    return hashlib.sha256(tag.encode()).hexdigest()[:32]


@require_safe
@_public_dataset
@condition(etag_func=_statistics_etag)
def statistics_csv(request: HttpRequest) -> HttpResponse:
    """Return one table of the statistics as CSV (``?table=`` one of ``stats.TABLES``).

    Open data like the register's files: its labels are in Italian whatever the
    language of the pages, its column names are identifiers (``stats.table_csv``).
    """
    name = request.GET.get("table", "")
    if name not in stats.TABLES:
        return HttpResponseBadRequest(
            _("Indica una tabella: %(names)s.") % {"names": ", ".join(stats.TABLES)},
            content_type="text/plain; charset=utf-8",
        )
    with translation.override(opendata.LANGUAGE):
        body = stats.table_csv(_statistics_report(request).table(name))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistiche-{name}.csv"'
    return response


# --- simulator ----------------------------------------------------------------------------------


def _over_rate_limit(request: HttpRequest) -> bool:
    """Count one evaluation for the client's IP; return whether it exceeds the limit."""
    key = f"ptp:simulator:{client_ip(request) or 'unknown'}"
    return count_in_window(key, SIMULATOR_WINDOW_SECONDS) > SIMULATOR_LIMIT


ADD_ROWS = 4


@require_http_methods(["GET", "HEAD", "POST"])
def simulator(request: HttpRequest) -> HttpResponse:
    """Evaluate a hypothetical network, typed in or uploaded, without saving anything.

    An uploaded file's errors are listed by JSON path, as the format defines
    them; a typed-in network's errors are attached to the fields they come
    from, the form's own checks and the document's together.
    """
    verdict = None
    input_errors: list[Any] = []
    summary: list[ErrorSummaryItem] = []
    document: dict[str, Any] | None = None
    if request.method == "POST" and "add_rows" in request.POST:
        data = request.POST.copy()
        # A tampered row count starts again from the empty rows, but never drops a row sent.
        declared, sent = posted_rows(data)
        total = max((declared or 0) + ADD_ROWS, sent)
        data["form-TOTAL_FORMS"] = str(min(total, MAX_SIMULATOR_MEMBERS))
        network_form = SimulatorNetworkForm(data)
        formset = SimulatorMemberFormSet(data)
        return _render_simulator(request, network_form, formset, None, [], None, added=True)
    if request.method == "POST":
        if _over_rate_limit(request):
            # Nothing is evaluated, but the forms come back filled in: nothing typed is lost.
            network_form = SimulatorNetworkForm(request.POST)
            formset = SimulatorMemberFormSet(request.POST)
            return _render_simulator(
                request, network_form, formset, None, [], None, status=429, rate_limited=True
            )
        network_form = SimulatorNetworkForm(request.POST, request.FILES)
        formset = SimulatorMemberFormSet(request.POST)
        # A list, not ``and``: both are validated, so that every error shows at once.
        forms_valid = all([network_form.is_valid(), formset.is_valid()])
        uploaded = network_form.cleaned_data.get("upload")
        if uploaded is not None:
            if network_form.is_valid():
                document = uploaded
                try:
                    verdict = evaluate(composition_from_network(document))
                except NetworkInputError as error:
                    input_errors = error.errors
        elif not network_form.has_error("upload"):
            document = network_from_forms(network_form, formset)
            try:
                composition = composition_from_network(document)
            except NetworkInputError as error:
                elsewhere = attach_input_errors(network_form, formset, document, error.errors)
                summary = error_summary(network_form, formset, elsewhere)
            else:
                if forms_valid:
                    verdict = evaluate(composition)
                else:
                    summary = error_summary(network_form, formset)
        return _render_simulator(
            request, network_form, formset, verdict, input_errors, document, summary=summary
        )
    return _render_simulator(
        request, SimulatorNetworkForm(), SimulatorMemberFormSet(), None, [], None
    )


def _render_simulator(
    request: HttpRequest,
    network_form: SimulatorNetworkForm,
    formset: Any,
    verdict: Any,
    input_errors: list[Any],
    document: dict[str, Any] | None,
    *,
    summary: list[ErrorSummaryItem] | None = None,
    status: int = 200,
    added: bool = False,
    rate_limited: bool = False,
) -> HttpResponse:
    context = {
        "network_form": network_form,
        "formset": formset,
        "verdict": verdict,
        "verdict_label": stats.VERDICT_LABELS.get(verdict.verdict, "") if verdict else "",
        # The public reads the rules by their title; the name is an identifier for files and tools.
        "ruleset_title": get_ruleset(verdict.ruleset).title if verdict else "",
        "input_errors": input_errors,
        "error_summary": summary or [],
        "rate_limited": rate_limited,
        "limit": SIMULATOR_LIMIT,
        "seconds": SIMULATOR_WINDOW_SECONDS,
        "document_name": (document or {}).get("name", "") if isinstance(document, dict) else "",
        "added": added,
        "status_labels": RULE_STATUS_LABELS,
        "format_url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("opendata"),
    }
    return render(request, "networks/public/simulator.html", context, status=status)
