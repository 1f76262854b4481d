"""factory_boy factories with Traits for the kinds of organisation and lifecycle states."""

import factory
from django.contrib.auth.models import User
from stdnum import luhn

from networks.constants import OrganisationKind, SchoolStatus
from networks.models import EconomicArea, Offering, Organisation, StudyProgramme


def fictitious_vat(n: int) -> str:
    """Return a checksum-valid partita IVA in the fictitious office series 999."""
    base = f"{n % 10_000_000:07d}999"
    return base + luhn.calc_check_digit(base)


def fictitious_school_code(n: int, province: str = "MI", kind: str = "IS") -> str:
    return f"{province}{kind}{n % 100_000:05d}X"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = "Mario"
    last_name = "Rossi"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "password-di-prova-123")

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
            name=factory.Sequence(lambda n: f"ITS Academy {n}"),
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
