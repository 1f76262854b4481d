"""factory_boy factories with Traits for the kinds of organisation and lifecycle states."""

import factory
from django.contrib.auth.models import Group, User
from stdnum import luhn

from networks.constants import OrganisationKind, Role, SchoolStatus
from networks.models import EconomicArea, Offering, Organisation, StudyProgramme


def fictitious_vat(n: int) -> str:
    """Return a checksum-valid partita IVA in the fictitious office series 999."""
    base = f"{n % 10_000_000:07d}999"
    return base + luhn.calc_check_digit(base)


def company_registration(**fields: str) -> dict[str, str]:
    """Return the partner step's registration form for a new company, ``fields`` on top."""
    return {
        "kind": OrganisationKind.COMPANY.value,
        "name": "Officina Valida S.r.l.",
        "province": "MI",
        "city": "Sesto San Giovanni",
        "vat_number": fictitious_vat(4242),
        "ateco_codes": "28.13",
        "ateco_edition": "2025",
        "chamber_registered": "on",
    } | fields


def post_polo_step(client, application, **fields: object):
    """Post the wizard's polo step as its page would, ``fields`` on top of what the application has."""
    from django.urls import reverse

    return client.post(
        reverse("application_edit", args=[application.pk, "polo"]),
        {
            "revision": application.revision,
            "name": application.name,
            "area": application.area_id,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "save": "",
            **fields,
        },
        follow=True,
    )


def fictitious_school_code(n: int, province: str = "MI", kind: str = "IS") -> str:
    return f"{province}{kind}{n % 100_000:05d}X"


PASSWORD = "password-di-prova-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = "Mario"
    last_name = "Rossi"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An institute by default; Traits give the other kinds with their required fields."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.INSTITUTE
    name = factory.Sequence(lambda n: f"Istituto di Istruzione Superiore n. {n}")
    province = "MI"
    school_code = factory.Sequence(lambda n: fictitious_school_code(n + 10))
    school_status = SchoolStatus.STATALE

    class Params:
        company = factory.Trait(
            kind=OrganisationKind.COMPANY,
            name=factory.Sequence(lambda n: f"Impresa Meccanica {n} S.r.l."),
            school_code="",
            school_status="",
            vat_number=factory.Sequence(lambda n: fictitious_vat(n + 100)),
            ateco_codes=["28.13"],
        )
        accredited_body = factory.Trait(
            kind=OrganisationKind.ACCREDITED_BODY,
            name=factory.Sequence(lambda n: f"Ente di Formazione {n}"),
            school_code="",
            school_status="",
            section_a=True,
            accreditation_id=factory.Sequence(lambda n: f"LOM-T-{n:04d}"),
        )
        its = factory.Trait(
            kind=OrganisationKind.ITS,
            name=factory.Sequence(lambda n: f"Fondazione ITS Lombardia {n}"),
            school_code="",
            school_status="",
        )
        university = factory.Trait(
            kind=OrganisationKind.UNIVERSITY,
            name=factory.Sequence(lambda n: f"Università {n}"),
            school_code="",
            school_status="",
        )
        other = factory.Trait(
            kind=OrganisationKind.OTHER,
            name=factory.Sequence(lambda n: f"Associazione {n}"),
            school_code="",
            school_status="",
        )


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    organisation = factory.SubFactory(OrganisationFactory)
    programme = factory.LazyFunction(lambda: StudyProgramme.objects.get(code="IT-MME"))
    first_year = 2015
    last_year = None


def area(code: str) -> EconomicArea:
    return EconomicArea.objects.get(code=code)


# --- applications ------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import timezone  # noqa: E402

from networks.constants import DocumentKind  # noqa: E402
from networks.models import Application, ApplicationMember, Call  # noqa: E402

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "documento.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CallFactory(factory.django.DjangoModelFactory):
    """An open call by default; ``closed=True`` gives one that closed yesterday."""

    class Meta:
        model = Call

    title = factory.Sequence(
        lambda n: f"Avviso per il riconoscimento dei Poli Tecnici Professionali {n}"
    )
    opens_at = factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=30))
    closes_at = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=60))

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=90)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - _dt.timedelta(days=1)),
        )
        future = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=10)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=70)),
        )


def qualifying_members(area_code: str = "meccanica") -> list[Organisation]:
    """Create the organisations of a network exactly at every minimum of DGR X/124/2013 for meccanica."""
    institutes = [OrganisationFactory() for _ in range(2)]
    for institute in institutes:
        OfferingFactory(
            organisation=institute,
            programme=StudyProgramme.objects.get(code="IT-MME"),
            first_year=2015,
        )
    companies = [OrganisationFactory(company=True, ateco_codes=["28.13"]) for _ in range(2)]
    body = OrganisationFactory(accredited_body=True)
    OfferingFactory(
        organisation=body, programme=StudyProgramme.objects.get(code="IEFP-MEC"), first_year=2015
    )
    its = OrganisationFactory(its=True)
    OfferingFactory(
        organisation=its,
        programme=StudyProgramme.objects.get(code="ITSO-MI-MEC"),
        first_year=2015,
        last_year=2023,
    )
    OfferingFactory(
        organisation=its, programme=StudyProgramme.objects.get(code="ITS-06"), first_year=2024
    )
    return [*institutes, *companies, body, its]


def draft_application(
    applicant: User, *, call: Call | None = None, eligible: bool = True, documents: bool = True
) -> Application:
    """Create, through the services, a draft filed by an organisation ``applicant`` represents.

    With ``eligible`` the network meets every minimum (meccanica); with
    ``documents`` the network agreement and every company's commitment are uploaded.
    """
    from networks.services.applications import (
        application_create,
        application_member_add,
        application_update_details,
        document_upload,
    )

    organisations = qualifying_members() if eligible else [OrganisationFactory()]
    lead = organisations[0]
    lead.representatives.add(applicant)
    application = application_create(
        call=call or CallFactory(),
        organisation=lead,
        by=applicant,
        name="Polo Meccatronica Lombardo",
    )
    application = application_update_details(
        application=application,
        by=applicant,
        revision=application.revision,
        data={
            "name": "Polo Meccatronica Lombardo",
            "area": EconomicArea.objects.get(code="meccanica"),
            "description": "Rete per la meccatronica e l'automazione industriale.",
            "contact_name": "Mario Rossi",
            "contact_email": "referente@example.org",
        },
    )
    for organisation in organisations[1:]:
        application_member_add(application=application, organisation=organisation, by=applicant)
    if documents:
        document_upload(
            application=application,
            kind=DocumentKind.NETWORK_AGREEMENT,
            uploaded=pdf_upload("accordo.pdf"),
            by=applicant,
        )
        for member in application.members.filter(organisation__kind=OrganisationKind.COMPANY):
            document_upload(
                application=application,
                kind=DocumentKind.COMMITMENT,
                uploaded=pdf_upload("impegno.pdf"),
                by=applicant,
                member=member,
            )
    return application


def add_other_member(
    application: Application,
    name: str = "Confindustria Lombardia",
    key: str = "confindustria",
    position: int = 99,
) -> ApplicationMember:
    """Add a member the DGR does not foresee («altro»): PTP-MEMBER-TYPES ends with observations,
    which the officer must assess before proposing approval. A filed application's last
    version holds it too (``refile``)."""
    member = ApplicationMember.objects.create(
        application=application,
        organisation=OrganisationFactory(other=True, name=name),
        key=key,
        position=position,
    )
    refile(application)
    return member


def refile(application: Application) -> None:
    """Make the application's last version hold its network as it is now, if it was filed.

    A shortcut for tests that change a network under review: the review decides on the
    version filed (``evaluate_filed``), and the services change it only through
    integrations. A draft never filed is left as it is.
    """
    from eligibility.adapters import network_from_application

    version = application.versions.order_by("-number").first()
    if version is None:
        return
    fresh = Application.objects.get(pk=application.pk)
    network = network_from_application(
        fresh, as_of=_dt.date.fromisoformat(version.network["reference_date"])
    )
    type(version).objects.filter(pk=version.pk).update(network=network)


def submitted_application(applicant: User, **kwargs: object) -> Application:
    """Submit a draft and run what commit triggers (receipt, mail), as the request cycle would."""
    from django.test import TestCase

    from networks.services.workflow import application_submit

    application = draft_application(applicant, **kwargs)  # type: ignore[arg-type]
    with TestCase.captureOnCommitCallbacks(execute=True):
        application_submit(application_id=application.pk, by=applicant)
    return Application.objects.get(pk=application.pk)


def rename_filed(application: Application, name: str) -> None:
    """Give a submitted polo ``name`` as if it had been filed so (live and last version alike).

    The officers read the name as filed (``selectors.filed_name``); a frozen version is
    written with a bare UPDATE here, as no code of the portal may.
    """
    from networks.models import ApplicationVersion

    Application.objects.filter(pk=application.pk).update(name=name)
    version = ApplicationVersion.objects.filter(application=application).order_by("-number")[0]
    ApplicationVersion.objects.filter(pk=version.pk).update(
        network={**version.network, "name": name}
    )


def application_in_review(applicant: User, officer: User, **kwargs: object) -> Application:
    from networks.services.workflow import application_take_charge

    application = submitted_application(applicant, **kwargs)
    application_take_charge(application_id=application.pk, by=officer)
    return Application.objects.get(pk=application.pk)


def user_with_role(role: Role, username: str, **kwargs: object) -> User:
    """Return a new user in ``role``'s group (the fixtures' and the URL matrix's users)."""
    user = UserFactory(username=username, **kwargs)
    user.groups.add(Group.objects.get(name=role.value))
    return user


def approved_application(
    applicant: User, officer: User, manager: User, **kwargs: object
) -> Application:
    """Take an eligible application through review to an adopted, rendered approval decree."""
    from django.test import TestCase

    from networks.services.workflow import (
        application_adopt,
        application_propose_approval,
        evaluate_application,
    )

    application = application_in_review(applicant, officer, **kwargs)
    verdict = evaluate_application(application)
    assessments = {
        r.code: "Valutato positivamente." for r in verdict.results if r.status == "warning"
    }
    application_propose_approval(application_id=application.pk, by=officer, assessments=assessments)
    with TestCase.captureOnCommitCallbacks(execute=True):
        application_adopt(application_id=application.pk, by=manager)
    return Application.objects.get(pk=application.pk)


__all__ = [
    "ApplicationMember",
    "CallFactory",
    "OfferingFactory",
    "OrganisationFactory",
    "UserFactory",
    "application_in_review",
    "approved_application",
    "draft_application",
    "pdf_upload",
    "qualifying_members",
    "submitted_application",
    "user_with_role",
]
