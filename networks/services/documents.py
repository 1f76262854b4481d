"""Render, hash and store the PDF/A documents of the procedure: receipts and decrees.

Called by background tasks after commit. Each function is idempotent: a
receipt or decree already rendered is left alone; a failed decree render is
recorded on the decree (``render_status``) and a retry renders it again, so a
decree number is never left without its document.
"""

import hashlib
import logging
import re
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from eligibility.core import get_ruleset
from networks.constants import OrganisationKind, RequestOutcome
from networks.documents import (
    DOCUMENT_LANGUAGE,
    DecreeDocument,
    MemberRow,
    ReceiptDocument,
    RuleRow,
    render_decree,
    render_receipt,
)
from networks.models import (
    Application,
    ApplicationVersion,
    Decree,
    DecreeRenderStatus,
    EconomicArea,
    RequestKind,
)
from networks.roles import display_name
from networks.sealing import seal_configured, seal_pdf
from networks.selectors import application_clock, last_version

logger = logging.getLogger(__name__)
VERDICT_LABELS = {
    "eligible": gettext_lazy("Ammissibile"),
    "eligible_with_warnings": gettext_lazy("Ammissibile con osservazioni"),
    "not_eligible": gettext_lazy("Non ammissibile"),
}
KIND_LABELS = dict(OrganisationKind.choices)
# A member's identifier in a ptp-network/1 document, and how the documents call it.
IDENTIFIERS = (
    ("school_code", gettext_lazy("codice meccanografico")),
    ("vat_number", gettext_lazy("partita IVA")),
    ("accreditation_id", gettext_lazy("codice di accreditamento")),
)


def member_rows(network: dict) -> tuple[MemberRow, ...]:
    """Return the rows of Annex A / the receipt from a ``ptp-network/1`` document."""
    founders = {key for member in network["members"] for key in member.get("founders", [])}
    rows = []
    for member in network["members"]:
        identifier, identifier_label = next(
            ((member[field], str(label)) for field, label in IDENTIFIERS if member.get(field)),
            ("", ""),
        )
        notes = _("socio fondatore dell'ITS") if member["key"] in founders else ""
        rows.append(
            MemberRow(
                name=member["name"],
                kind_label=str(KIND_LABELS.get(member["kind"], member["kind"])),
                identifier=identifier,
                identifier_label=identifier_label,
                province=member.get("province", ""),
                is_lead=member["key"] == network.get("lead_partner"),
                notes=notes,
            )
        )
    return tuple(rows)


# What a list typed into the textarea starts its lines with: «- », «• », «1. », «a) ».
_LIST_MARKER = re.compile(r"^(?:[-–—•*·]+|\(?\d{1,2}[.)]|\(?[a-z][)])\s+", re.IGNORECASE)


def obligation_points(obligations: str) -> tuple[str, ...]:
    """Return a DECRETA point for each line of the officer's prescriptions that says something.

    Blank lines and lines of list markers or punctuation alone («•», «-», «;;») are not
    obligations and give no point.
    """
    return tuple(
        obligation_point(line)
        for line in obligations.splitlines()
        if any(character.isalnum() for character in _LIST_MARKER.sub("", line.strip()))
    )


def obligation_point(obligation: str) -> str:
    """Return an officer's obligation as a DECRETA point: «di prescrivere al Polo di …;».

    The officer writes it in the infinitive ("Aderire a un ITS entro il 31/08/2027."): the
    first letter is lowered unless the first word is an acronym, a leading "di" and the
    closing punctuation are dropped.
    """
    text = " ".join(_LIST_MARKER.sub("", obligation.strip()).split())
    text = re.sub(r"^di\s+", "", text, flags=re.IGNORECASE).rstrip(" .;:,")
    first_word = text.split(maxsplit=1)[0] if text else ""
    if first_word and not first_word.isupper():
        text = text[0].lower() + text[1:]
    return _("di prescrivere al Polo di %(obligation)s;") % {"obligation": text}


# PRESO ATTO items, by the request's kind and whether the applicant answered it in time.
_REQUEST_POINTS = {
    (RequestKind.INTEGRATION, True): gettext_lazy(
        "della richiesta di integrazioni del %(sent)s, ai sensi dell'articolo 6, comma 1, "
        "lettera b), della legge 241/1990, e delle integrazioni pervenute il %(when)s"
    ),
    (RequestKind.INTEGRATION, False): gettext_lazy(
        "della richiesta di integrazioni del %(sent)s, ai sensi dell'articolo 6, comma 1, "
        "lettera b), della legge 241/1990, alla quale non è pervenuta risposta entro il "
        "termine del %(deadline)s"
    ),
    (RequestKind.REJECTION_NOTICE, True): gettext_lazy(
        "della comunicazione del %(sent)s dei motivi ostativi all'accoglimento della domanda, "
        "ai sensi dell'articolo 10-bis della legge 241/1990, e delle osservazioni pervenute il "
        "%(when)s"
    ),
    (RequestKind.REJECTION_NOTICE, False): gettext_lazy(
        "della comunicazione del %(sent)s dei motivi ostativi all'accoglimento della domanda, "
        "ai sensi dell'articolo 10-bis della legge 241/1990, alla quale non sono pervenute "
        "osservazioni entro il termine del %(deadline)s"
    ),
}


def request_points(application: Application) -> tuple[str, ...]:
    """Return a PRESO ATTO item for each request made to the applicant, and how it ended.

    Each names the day it was sent and either the day of the answer or the deadline
    that passed. An answer to an integration request (art. 6 c. 1 b) names the version
    it filed (the first one submitted after the request); observations on a 10-bis
    notice, the documents that came with them.
    """
    requests = application.requests.exclude(outcome=RequestOutcome.WITHDRAWN).order_by("created_at")
    versions = list(application.versions.order_by("number").values_list("number", "submitted_at"))
    attached = dict(
        application.documents.filter(request__isnull=False)
        .values("request")
        .annotate(count=Count("pk"))
        .values_list("request", "count")
    )
    points = []
    for request in requests:
        answered = request.outcome == RequestOutcome.ANSWERED and request.closed_at is not None
        point = _REQUEST_POINTS[request.kind, answered] % {
            "sent": timezone.localtime(request.created_at).strftime("%d/%m/%Y"),
            "when": timezone.localtime(request.closed_at).strftime("%d/%m/%Y") if answered else "",
            "deadline": request.deadline.strftime("%d/%m/%Y"),
        }
        if request.answered_late:
            point += _(", oltre il termine del %(deadline)s") % {
                "deadline": request.deadline.strftime("%d/%m/%Y")
            }
        if answered and request.kind == RequestKind.INTEGRATION:
            number = next((n for n, at in versions if at > request.created_at), None)
            if number is not None:
                point += _(" (versione n. %(number)d della domanda)") % {"number": number}
        elif request.outcome == RequestOutcome.SET_ASIDE and request.closed_at is not None:
            point += _(", e della ripresa dell'istruttoria il %(when)s") % {
                "when": timezone.localtime(request.closed_at).strftime("%d/%m/%Y")
            }
        elif answered and (count := attached.get(request.pk, 0)):
            point += ngettext(
                ", con %(count)d documento allegato", ", con %(count)d documenti allegati", count
            ) % {"count": count}
        points.append(point + ";")
    return tuple(points)


def rule_rows(verdict: dict, assessments: dict[str, str] | None = None) -> tuple[RuleRow, ...]:
    """Return the rule rows of a ``ptp-verdict/1`` object, with the officer's assessments."""
    assessments = assessments or {}
    return tuple(
        RuleRow(
            code=result["code"],
            description=result.get("description", ""),
            citation=result["citation"],
            status=result["status"],
            message=result["message"],
            assessment=assessments.get(result["code"], ""),
        )
        for result in verdict["results"]
    )


def _lead_name(network: dict) -> str:
    lead = network.get("lead_partner")
    return next((m["name"] for m in network["members"] if m["key"] == lead), "")


def _applicant_name(application: Application, version: ApplicationVersion | None) -> str:
    """Return the name of the organisation that filed, as filed, if it is not the lead; else "".

    The name and key come from the version (its network and filed state) like Annex A's,
    not from the registry, where the organisation may have been renamed since.
    """
    network = version.network if version else {"members": []}
    filed = version.filed_state.get("members", []) if version else []
    key = next(
        (m["key"] for m in filed if m["organisation"] == application.applicant_organisation_id),
        None,
    )
    if key is None:
        member = application.members.filter(
            organisation_id=application.applicant_organisation_id
        ).first()
        key = member.key if member else None
    if key is not None and key == network.get("lead_partner"):
        return ""
    return next(
        (m["name"] for m in network["members"] if m["key"] == key),
        application.applicant_organisation.name,
    )


def receipt_document(version: ApplicationVersion) -> ReceiptDocument:
    """Return the receipt view-model of a submitted version, in the documents' language."""
    # The view-models carry text of the act (labels, the recognition period, the signer's
    # title): Italian like the template, whatever language the user who triggered it reads.
    with translation.override(DOCUMENT_LANGUAGE):
        return _receipt_document(version)


def _receipt_document(version: ApplicationVersion) -> ReceiptDocument:
    application = version.application
    network = version.network
    area = EconomicArea.objects.filter(code=network["area"]).first()
    return ReceiptDocument(
        region=settings.PORTAL_REGION_NAME,
        directorate=settings.PORTAL_DIRECTORATE,
        protocol_number=application.protocol_number,
        submitted_at=version.submitted_at,
        version=version.number,
        polo_name=network["name"],
        area_name=area.name if area else network["area"],
        call_title=application.call.title,
        applicant_organisation=application.applicant_organisation.name,
        contact_name=application.contact_name,
        contact_email=application.contact_email,
        lead_partner_name=_lead_name(network),
        members=member_rows(network),
        verdict_label=str(
            VERDICT_LABELS.get(version.verdict["verdict"], version.verdict["verdict"])
        ),
        rules=rule_rows(version.verdict),
        documents=tuple((d["name"], d["sha256"]) for d in version.documents),
        snapshot_sha256=version.sha256,
        deadline=application_clock(application).deadline,
        filed_at=application.submitted_at,
    )


def receipt_render(*, version_id: int) -> ApplicationVersion:
    """Render and attach the receipt PDF of a version, unless it already has one."""
    version = ApplicationVersion.objects.select_related(
        "application__call", "application__applicant_organisation"
    ).get(pk=version_id)
    if version.receipt:
        return version
    _html, pdf = render_receipt(receipt_document(version))
    application = version.application
    name = f"ricevuta-{application.protocol_number.replace('/', '-')}-v{version.number}.pdf"
    version.receipt.save(name, ContentFile(pdf), save=False)
    ApplicationVersion.objects.filter(pk=version.pk).update(receipt=version.receipt.name)
    return version


def _recognition_period(adopted_on: date, school_years: int) -> str:
    end = recognition_end(adopted_on, school_years)
    return ngettext(
        "dal %(start)s al %(end)s (%(years)d anno scolastico)",
        "dal %(start)s al %(end)s (%(years)d anni scolastici)",
        school_years,
    ) % {
        "start": adopted_on.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
        "years": school_years,
    }


def recognition_end(adopted_on: date, school_years: int) -> date:
    """Return the last day of a recognition adopted on ``adopted_on`` for ``school_years``.

    The school year of the adoption counts as the first (1 September to 31 August).
    """
    start_year = adopted_on.year if adopted_on.month >= 9 else adopted_on.year - 1
    return date(start_year + school_years, 8, 31)


def decree_document(decree: Decree) -> DecreeDocument:
    """Return the decree view-model: the last submitted version, the proposal, the officers."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _decree_document(decree)


def _decree_document(decree: Decree) -> DecreeDocument:
    application: Application = decree.application
    proposal = decree.proposal
    version = last_version(application)
    network = version.network if version else {"members": [], "area": ""}
    adopted_on = timezone.localtime(decree.adopted_at).date()
    officer = application.officer
    obligations = obligation_points(proposal.obligations)
    ruleset = get_ruleset(application.call.ruleset)
    return DecreeDocument(
        kind=decree.kind,
        number=decree.number,
        year=decree.year,
        adopted_on=adopted_on,
        place=settings.PORTAL_DECREE_PLACE,
        region=settings.PORTAL_REGION_NAME,
        directorate=settings.PORTAL_DIRECTORATE,
        polo_name=application.name,
        area_name=decree.area_name,
        call_title=decree.call_title,
        ruleset_title=ruleset.title,
        protocol_number=application.protocol_number,
        submitted_at=application.submitted_at or decree.adopted_at,
        officer_name=display_name(officer) if officer else "",
        signer_name=display_name(decree.adopted_by),
        signer_title=_("Il Dirigente"),
        lead_partner_name=_lead_name(network),
        applicant_name=_applicant_name(application, version),
        rules=rule_rows(proposal.verdict, proposal.assessments),
        members=member_rows(network),
        obligations=obligations,
        procedure_steps=request_points(application),
        reasons=proposal.reasons,
        observations_response=proposal.observations_response,
        recognition_period=_recognition_period(adopted_on, decree.recognition_school_years)
        if decree.kind == "approval"
        else "",
        verification_code=decree.verification_code,
        verification_url=settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("decree_verify", args=[decree.verification_code]),
    )


def decree_render(*, decree_id: int) -> Decree:
    """Render the decree's PDF/A, seal it, store it with its SHA-256; record a failure for a retry.

    The seal (``networks.sealing``) is applied when one is configured; the SHA-256 is
    that of the stored, sealed file, the one the verification page compares.
    """
    with transaction.atomic():
        decree = (
            Decree.objects.select_for_update(of=("self",))
            .select_related(
                "application__call",
                "application__area",
                "application__officer",
                "proposal",
                "adopted_by",
            )
            .get(pk=decree_id)
        )
        if decree.render_status == DecreeRenderStatus.RENDERED:
            return decree
        try:
            document = decree_document(decree)
            _html, pdf = render_decree(document)
            sealed_by = ""
            if seal_configured():
                pdf, certificate = seal_pdf(
                    pdf,
                    reason=f"Decreto n. {document.number} del "
                    f"{document.adopted_on:%d/%m/%Y} – {document.region}",
                    location=document.place,
                )
                sealed_by = str(certificate)
        except Exception as error:  # the failure is recorded on the decree and retried
            logger.exception("decree %s: rendering failed", decree.pk)
            decree.render_status = DecreeRenderStatus.FAILED
            decree.render_error = f"{type(error).__name__}: {error}"
            decree.save(update_fields=["render_status", "render_error"])
            return decree
        decree.pdf.save(
            f"decreto-{decree.year}-{decree.number:05d}.pdf", ContentFile(pdf), save=False
        )
        decree.sha256 = hashlib.sha256(pdf).hexdigest()
        decree.render_status = DecreeRenderStatus.RENDERED
        decree.render_error = ""
        decree.rendered_at = timezone.now()
        decree.sealed_by = sealed_by
        decree.save(
            update_fields=[
                "pdf",
                "sha256",
                "render_status",
                "render_error",
                "rendered_at",
                "sealed_by",
            ]
        )
        return decree
