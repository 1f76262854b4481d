"""Fill a migrated database with a realistic region, for the latency, load and fault benchmarks.

    DATABASE_URL=postgres://... .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py \\
        --organisations 20000 --applications 5000 --decrees 2000 [--seed 1]

What it writes, with ``bulk_create`` in batches and in one transaction:

- organisations of every kind, each with a "home" economic area: institutes
  (main institutions and sites) with codici meccanografici on real province
  prefixes, companies with Luhn-valid partite IVA in the fictitious office
  series 999 and real ATECO 2025 classes of their area, accredited bodies,
  ITS academies with their founders, universities, research centres, others;
  the offerings of the training subjects, from the migrated catalogue;
- four calls (2023, 2024, 2025 closed; the current one open);
- applications in every status of ``ApplicationStatus``: approved + rejected
  are exactly ``--decrees``, the rest spread over the other eight statuses;
  6-25 members each; the history as ``AuditEvent`` rows written as the
  services would (create, submit, take_charge, ..., with from/to statuses);
  an ``ApplicationVersion`` at each submission and resubmission, whose network
  is ``ptp-network/1`` built with ``eligibility.adapters.member_to_json``,
  whose verdict is the real engine's and whose SHA-256 verifies with
  ``networks.services.workflow.verify_version``; document rows (the files
  themselves are not written); integration requests and 10-bis notices;
  proposals; decrees numbered per year without gaps, ``render_status``
  rendered with a dummy SHA-256 and an EMPTY ``pdf`` (no PDF is rendered: a
  decree download answers an error on generated data);
- officers and managers in their groups, one applicant user per applicant
  organisation (its representative), and the superuser ``bench-admin``.
  Every generated user has the password ``bench-ptp-2026``.

Protocol and decree counters (``YearCounter``) are set to the last numbers
used, so the real services keep numbering after the generated data. The
generator refuses a database that already holds applications.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptp_portal.settings.base")

import django

django.setup()

import ateco  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402
from stdnum.it import iva  # noqa: E402

from eligibility.adapters import catalogue_from_db, member_to_json  # noqa: E402
from eligibility.core import (  # noqa: E402
    AtecoCode,
    Catalogue,
    Composition,
    Kind,
    Member,
    Offering,
    SchoolYear,
    evaluate,
)
from networks import workflow  # noqa: E402
from networks.constants import ApplicationStatus as S  # noqa: E402
from networks.constants import (  # noqa: E402
    CounterKind,
    DecreeKind,
    DocumentKind,
    OrganisationKind,
    RequestOutcome,
    Role,
)
from networks.models import (  # noqa: E402
    Application,
    ApplicationMember,
    ApplicationVersion,
    AtecoMapping,
    AuditEvent,
    Call,
    Decree,
    DecreeRenderStatus,
    Document,
    EconomicArea,
    Organisation,
    ProcedureRequest,
    Proposal,
    ProposalKind,
    ProposalOutcome,
    RequestKind,
    StudyProgramme,
    YearCounter,
)
from networks.models import Offering as OfferingModel  # noqa: E402
from networks.services.workflow import canonical_sha256, snapshot_content  # noqa: E402

PASSWORD = "bench-ptp-2026"  # noqa: S105 - documented benchmark credential, never production
BATCH = 2000
ADMIN_USERNAME = "bench-admin"

# Share of each kind among the organisations (sums to 1).
KIND_SHARES = (
    (OrganisationKind.INSTITUTE, 0.20),
    (OrganisationKind.COMPANY, 0.58),
    (OrganisationKind.ACCREDITED_BODY, 0.08),
    (OrganisationKind.ITS, 0.02),
    (OrganisationKind.UNIVERSITY, 0.01),
    (OrganisationKind.RESEARCH_CENTRE, 0.02),
    (OrganisationKind.OTHER, 0.09),
)
SITE_SHARE = 0.12  # of institutes, sites (plessi) of a main institution

# Lombardy's provinces with some of their towns; a few neighbours across the border.
CITIES = {
    "MI": ("Milano", "Sesto San Giovanni", "Rho", "Legnano", "Cinisello Balsamo", "Abbiategrasso"),
    "BG": ("Bergamo", "Treviglio", "Seriate", "Dalmine", "Romano di Lombardia"),
    "BS": ("Brescia", "Desenzano del Garda", "Lumezzane", "Chiari", "Rovato"),
    "CO": ("Como", "Cantù", "Erba", "Mariano Comense"),
    "CR": ("Cremona", "Crema", "Casalmaggiore"),
    "LC": ("Lecco", "Merate", "Calolziocorte"),
    "LO": ("Lodi", "Codogno", "Casalpusterlengo"),
    "MN": ("Mantova", "Suzzara", "Castiglione delle Stiviere", "Viadana"),
    "MB": ("Monza", "Seregno", "Desio", "Lissone", "Vimercate"),
    "PV": ("Pavia", "Vigevano", "Voghera", "Mortara"),
    "SO": ("Sondrio", "Morbegno", "Tirano"),
    "VA": ("Varese", "Busto Arsizio", "Gallarate", "Saronno"),
    "PC": ("Piacenza",),
    "NO": ("Novara",),
    "VR": ("Verona",),
}
PROVINCE_WEIGHTS = {
    "MI": 30, "BG": 11, "BS": 12, "CO": 6, "CR": 4, "LC": 4, "LO": 3, "MN": 4,
    "MB": 9, "PV": 5, "SO": 2, "VA": 8, "PC": 1, "NO": 1, "VR": 1,
}  # fmt: skip
SCHOOL_TYPES = ("IS", "TF", "TD", "RI", "RH", "TA", "TL")
PEOPLE = (
    "Galileo Galilei", "Enrico Fermi", "Leonardo da Vinci", "Alessandro Volta", "Guglielmo Marconi",
    "Camillo Golgi", "Maria Montessori", "Primo Levi", "Carlo Cattaneo", "Giuseppe Peano",
    "Antonio Meucci", "Luigi Einaudi", "Cesare Beccaria", "Pietro Verri", "Giulio Natta",
    "Ettore Majorana", "Rita Levi-Montalcini", "Amedeo Avogadro", "Lazzaro Spallanzani",
    "Alessandro Manzoni", "Giovanni Falcone", "Paolo Borsellino", "Lorenzo Lotto", "Caravaggio",
)  # fmt: skip
SCHOOL_PREFIXES = ("IIS", "ITIS", "IPSIA", "ITCG", "ISIS", "IPSSAR", "ITET")
FIRM_WORDS = (
    "Officine", "Industrie", "Tecnologie", "Sistemi", "Costruzioni", "Laboratori", "Servizi",
    "Meccanica", "Automazione", "Logistica", "Agricola", "Alimentare", "Digitale", "Impianti",
)  # fmt: skip
FIRM_NAMES = (
    "Brambilla", "Colombo", "Bianchi", "Ferrari", "Galli", "Fumagalli", "Villa", "Sala", "Riva",
    "Mariani", "Cattaneo", "Pozzi", "Longoni", "Crippa", "Mauri", "Redaelli", "Sironi", "Vismara",
    "Lombarda", "Padana", "Orobica", "Brianza", "Insubria", "Valtellina", "Adda", "Ticino",
)  # fmt: skip
LEGAL_FORMS = ("S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "Soc. Coop.")
FIRST_NAMES = ("Paola", "Marco", "Giulia", "Luca", "Sara", "Andrea", "Chiara", "Davide", "Elena")
LAST_NAMES = ("Rossi", "Bruni", "Conti", "Neri", "Gatti", "Ricci", "Marino", "Greco", "Costa")

# Final statuses split: decrees adopted as approval, the rest as rejection.
APPROVAL_SHARE = 0.8
# The other statuses, by weight.
OPEN_STATUS_WEIGHTS = (
    (S.DRAFT, 20),
    (S.SUBMITTED, 10),
    (S.IN_REVIEW, 25),
    (S.INTEGRATION_REQUESTED, 10),
    (S.APPROVAL_PROPOSED, 10),
    (S.REJECTION_NOTICE, 7),
    (S.REJECTION_PROPOSED, 5),
    (S.WITHDRAWN, 13),
)

# Which members' kinds the networks draw, (min, max) each.
MEMBER_MIX = {
    OrganisationKind.ITS: (1, 2),
    OrganisationKind.INSTITUTE: (2, 5),
    OrganisationKind.COMPANY: (2, 12),
    OrganisationKind.ACCREDITED_BODY: (1, 3),
    OrganisationKind.UNIVERSITY: (0, 1),
    OrganisationKind.RESEARCH_CENTRE: (0, 1),
    OrganisationKind.OTHER: (0, 1),
}
KEY_PREFIX = {
    OrganisationKind.INSTITUTE: "ist",
    OrganisationKind.COMPANY: "imp",
    OrganisationKind.ACCREDITED_BODY: "ente",
    OrganisationKind.ITS: "its",
    OrganisationKind.UNIVERSITY: "uni",
    OrganisationKind.RESEARCH_CENTRE: "ric",
    OrganisationKind.OTHER: "altro",
}


# --- helpers -----------------------------------------------------------------------------------


def vat_number(serial: int) -> str:
    """Return a valid partita IVA: 7-digit serial, office 999 (fictitious), Luhn check digit."""
    body = f"{serial:07d}999"
    number = body + luhn.calc_check_digit(body)
    iva.validate(number)
    return number


def school_code(province: str, school_type: str, seq: int) -> str:
    """Return a codice meccanografico PP TT NNNNN C (the check character is only shaped)."""
    body = f"{province}{school_type}{seq:04d}0"
    check = "ABCDEFGHJKLMNPQRSTUVWXYZ"[sum(map(ord, body)) % 24]
    return body + check


@contextmanager
def historical_timestamps(*fields: models.Field) -> Iterator[None]:
    """Let ``bulk_create`` store the given dates instead of now (auto_now/auto_now_add off)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk(model: type[models.Model], objects: list[Any]) -> list[Any]:
    return model.objects.bulk_create(objects, batch_size=BATCH)


def ateco_classes(divisions: list[str]) -> list[str]:
    """Return the ATECO 2025 classes (``28.11``) under the given divisions."""
    classes = []
    for division in divisions:
        for group in range(1, 10):
            for digit in range(10):
                code = f"{division}.{group}{digit}"
                node = ateco.lookup(code, edition="2025")
                if node is not None and node.level == "class":
                    classes.append(code)
    return classes


# --- organisations --------------------------------------------------------------------------


@dataclass
class Org:
    """An organisation as the generator keeps it in memory (model row + what the rules read)."""

    row: Organisation
    area: str
    offerings: list[tuple[str, int, int | None]] = field(default_factory=list)
    founders: list[Org] = field(default_factory=list)
    main: Org | None = None

    @property
    def kind(self) -> str:
        return self.row.kind


class Region:
    """The registry: organisations by kind and home area, and the catalogue they draw on."""

    def __init__(self, rng: random.Random, catalogue: Catalogue) -> None:
        self.rng = rng
        self.catalogue = catalogue
        self.areas = list(EconomicArea.objects.filter(active=True).order_by("position", "code"))
        self.area_names = {area.code: area.name for area in self.areas}
        self.programmes = {p.code: p for p in StudyProgramme.objects.prefetch_related("areas")}
        self.programmes_by_area: dict[str, dict[str, list[StudyProgramme]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for programme in self.programmes.values():
            for area in programme.areas.all():
                self.programmes_by_area[area.code][programme.kind].append(programme)
        divisions: dict[str, list[str]] = defaultdict(list)
        for prefix, area_code in AtecoMapping.objects.filter(edition="2025").values_list(
            "prefix", "area__code"
        ):
            divisions[area_code].append(prefix[:2])
        self.ateco_by_area = {
            code: ateco_classes(sorted(set(found))) for code, found in divisions.items()
        }
        self.orgs: list[Org] = []
        self.by_kind_area: dict[tuple[str, str], list[Org]] = defaultdict(list)

    def pick_area(self) -> str:
        return self.rng.choice(self.areas).code

    def pick_place(self) -> tuple[str, str]:
        province = self.rng.choices(
            list(PROVINCE_WEIGHTS), weights=list(PROVINCE_WEIGHTS.values())
        )[0]
        return province, self.rng.choice(CITIES[province])

    def build(self, total: int) -> None:
        """Create ``total`` organisations, their offerings and the ITS founders."""
        # Every area gets enough of each kind a network needs, even on a small region.
        floor = {
            OrganisationKind.INSTITUTE: 4 * len(self.areas),
            OrganisationKind.ACCREDITED_BODY: 2 * len(self.areas),
            OrganisationKind.ITS: 2 * len(self.areas),
        }
        counts = {
            kind: max(floor.get(kind, 1), round(total * share)) for kind, share in KIND_SHARES
        }
        counts[OrganisationKind.COMPANY] += total - sum(counts.values())
        vat_serial = 0
        school_seq: Counter[tuple[str, str]] = Counter()
        mains: list[Org] = []
        sites: list[Org] = []
        for kind, count in counts.items():
            for index in range(count):
                area = (
                    self.areas[index % len(self.areas)].code
                    if index < floor.get(kind, 0)
                    else self.pick_area()
                )
                province, city = self.pick_place()
                row = Organisation(kind=kind, province=province, city=city)
                org = Org(row=row, area=area)
                rng = self.rng
                if kind == OrganisationKind.INSTITUTE:
                    school_type = rng.choice(SCHOOL_TYPES)
                    school_seq[province, school_type] += 1
                    row.school_code = school_code(
                        province, school_type, school_seq[province, school_type]
                    )
                    row.school_status = rng.choices(["statale", "paritaria"], weights=[85, 15])[0]
                    row.name = f"{rng.choice(SCHOOL_PREFIXES)} {rng.choice(PEOPLE)} – {city}"
                    self._offer(org, ("tecnico", "professionale"), 1)
                    self._offer(org, ("tecnico", "professionale", "iefp"), rng.randint(0, 2))
                    (sites if index % round(1 / SITE_SHARE) == 1 and mains else mains).append(org)
                elif kind == OrganisationKind.COMPANY:
                    vat_serial += 1
                    row.vat_number = vat_number(vat_serial)
                    codes = rng.sample(self.ateco_by_area[area], k=rng.choice((1, 1, 2, 3)))
                    row.ateco_codes = codes
                    row.ateco_edition = "2025"
                    row.chamber_registered = rng.random() > 0.02
                    row.name = (
                        f"{rng.choice(FIRM_WORDS)} {rng.choice(FIRM_NAMES)} "
                        f"{rng.choice(LEGAL_FORMS)} ({index + 1})"
                    )
                elif kind == OrganisationKind.ACCREDITED_BODY:
                    vat_serial += 1
                    row.vat_number = vat_number(vat_serial)
                    row.section_a = index < floor[kind] or rng.random() < 0.85
                    row.section_b = not row.section_a or rng.random() < 0.4
                    row.labour_services = rng.random() < 0.3
                    row.accreditation_id = f"LOM-ACC-{index + 1:05d}"
                    row.name = f"Centro di Formazione Professionale {rng.choice(FIRM_NAMES)} {city}"
                    self._offer(org, ("iefp",), rng.randint(1, 3))
                elif kind == OrganisationKind.ITS:
                    row.name = f"Fondazione ITS {self.area_names[area]} {city} ({index + 1})"
                    self._offer(org, ("its",), 10)  # every ITS area of its economic area
                elif kind == OrganisationKind.UNIVERSITY:
                    row.name = f"Università degli Studi di {city} – Dipartimento {index + 1}"
                elif kind == OrganisationKind.RESEARCH_CENTRE:
                    row.name = f"Centro Ricerche {rng.choice(FIRM_NAMES)} {city} ({index + 1})"
                else:
                    row.name = (
                        rng.choice(
                            (
                                f"Comune di {city}",
                                f"Associazione Artigiani {city}",
                                f"Camera di Commercio di {city}",
                            )
                        )
                        + f" ({index + 1})"
                    )
                if kind != OrganisationKind.INSTITUTE:
                    self.orgs.append(org)
        self.orgs[:0] = mains
        bulk(Organisation, [org.row for org in self.orgs])
        for site in sites:
            site.main = self.rng.choice(mains)
            site.row.main_institution_id = site.main.row.pk
            site.row.school_status = site.main.row.school_status
        bulk(Organisation, [site.row for site in sites])
        self.orgs.extend(sites)
        for org in self.orgs:
            self.by_kind_area[org.kind, org.area].append(org)
        self._founders()
        offerings = [
            OfferingModel(
                organisation_id=org.row.pk,
                programme=self.programmes[code],
                first_year=first,
                last_year=last,
            )
            for org in self.orgs
            for code, first, last in org.offerings
        ]
        bulk(OfferingModel, offerings)

    def _offer(self, org: Org, kinds: tuple[str, ...], count: int) -> None:
        """Give a training subject ``count`` programmes of its area (successors continue old ones)."""
        candidates = [p for kind in kinds for p in self.programmes_by_area[org.area][kind]]
        for programme in self.rng.sample(candidates, k=min(count, len(candidates))):
            if programme.valid_to is not None:
                first = self.rng.randint(programme.valid_from, programme.valid_to - 2)
                org.offerings.append((programme.code, first, programme.valid_to))
                if programme.successor_id:
                    successor = next(
                        p for p in self.programmes.values() if p.pk == programme.successor_id
                    )
                    org.offerings.append((successor.code, programme.valid_to + 1, None))
            else:
                first = self.rng.randint(programme.valid_from, max(programme.valid_from, 2019))
                org.offerings.append((programme.code, first, None))
        # One offering per programme and first year (the model's unique constraint).
        # Ordered as the model orders them (first year, programme), so exports match.
        unique = {(o[0], o[1]): o for o in org.offerings}.values()
        org.offerings = sorted(unique, key=lambda o: (o[1], o[0]))

    def _founders(self) -> None:
        through = Organisation.founders.through
        links = []
        for org in self.orgs:
            if org.kind != OrganisationKind.ITS:
                continue
            pool = (
                self.by_kind_area[OrganisationKind.INSTITUTE, org.area][:50]
                + self.by_kind_area[OrganisationKind.COMPANY, org.area][:50]
            )
            org.founders = self.rng.sample(pool, k=min(len(pool), self.rng.randint(2, 4)))
            links.extend(
                through(from_organisation_id=org.row.pk, to_organisation_id=founder.row.pk)
                for founder in org.founders
            )
        bulk(through, links)

    def core_member(self, org: Org, key: str, keys: dict[int, str], signed: bool) -> Member:
        """Return the rules' view of ``org`` as ``_member_from_membership`` builds it."""
        row = org.row
        fields: dict[str, Any] = {
            "key": key,
            "kind": Kind(row.kind),
            "name": row.name,
            "province": row.province,
        }
        if row.kind == OrganisationKind.INSTITUTE:
            fields |= {
                "school_code": row.school_code,
                "main_school_code": org.main.row.school_code if org.main else row.school_code,
                "school_status": row.school_status,
            }
        elif row.kind == OrganisationKind.COMPANY:
            fields |= {
                "vat_number": row.vat_number,
                "ateco": tuple(AtecoCode.current(code) for code in row.ateco_codes),
                "chamber_registered": row.chamber_registered,
                "commitment_signed": signed,
            }
        elif row.kind == OrganisationKind.ACCREDITED_BODY:
            fields |= {
                "sections": frozenset(row.sections),
                "labour_services": row.labour_services,
                "accreditation_id": row.accreditation_id,
            }
        elif row.kind == OrganisationKind.ITS:
            founders = sorted(org.founders, key=lambda f: f.row.name)  # Organisation's ordering
            fields["founders"] = tuple(keys[f.row.pk] for f in founders if f.row.pk in keys)
        if org.offerings:
            fields["offerings"] = tuple(
                Offering(code, SchoolYear(first), SchoolYear(last) if last is not None else None)
                for code, first, last in org.offerings
            )
        return Member(**fields)


# --- applications --------------------------------------------------------------------------


@dataclass
class Step:
    action: str
    from_status: str
    to_status: str
    actor: str  # applicant, officer, manager
    note: str = ""


def history(target: str, rng: random.Random) -> list[Step]:
    """Return the actions that lead a new draft to ``target``, as the workflow allows them."""
    steps = [Step("create", "", S.DRAFT, "applicant")]
    if target == S.DRAFT:
        return steps
    steps.append(Step("submit", S.DRAFT, S.SUBMITTED, "applicant"))
    if target == S.SUBMITTED:
        return steps
    if target == S.WITHDRAWN:
        if rng.random() < 0.6:
            steps.append(Step("take_charge", S.SUBMITTED, S.IN_REVIEW, "officer"))
        steps.append(
            Step(
                "withdraw",
                steps[-1].to_status,
                S.WITHDRAWN,
                "applicant",
                "Il partenariato è stato ridefinito: presenteremo una nuova domanda.",
            )
        )
        return steps
    steps.append(Step("take_charge", S.SUBMITTED, S.IN_REVIEW, "officer"))
    integration = [
        Step(
            "request_integration",
            S.IN_REVIEW,
            S.INTEGRATION_REQUESTED,
            "officer",
            "Manca la dichiarazione di impegno di un'impresa: integrare l'elenco dei partner.",
        ),
        Step(
            "resubmit",
            S.INTEGRATION_REQUESTED,
            S.IN_REVIEW,
            "applicant",
            "Integrazione inviata.",
        ),
    ]
    if target == S.INTEGRATION_REQUESTED:
        return [*steps, integration[0]]
    if rng.random() < (0.4 if target == S.IN_REVIEW else 0.3):
        steps.extend(integration)
    if target == S.IN_REVIEW:
        return steps
    notice = Step(
        "send_rejection_notice",
        S.IN_REVIEW,
        S.REJECTION_NOTICE,
        "officer",
        "Le imprese indicate non garantiscono azioni di alternanza coerenti con l'area del polo.",
    )
    if target == S.REJECTION_NOTICE:
        return [*steps, notice]
    if target in {S.REJECTION_PROPOSED, S.REJECTED}:
        steps.append(notice)
        if rng.random() < 0.7:
            steps.append(
                Step(
                    "submit_observations",
                    S.REJECTION_NOTICE,
                    S.IN_REVIEW,
                    "applicant",
                    "Osserviamo che le imprese partner hanno già ospitato studenti in alternanza.",
                )
            )
        steps.append(
            Step(
                "propose_rejection",
                steps[-1].to_status,
                S.REJECTION_PROPOSED,
                "officer",
                "Le osservazioni non superano i motivi ostativi.",
            )
        )
        if target == S.REJECTED:
            steps.append(Step("adopt_rejection", S.REJECTION_PROPOSED, S.REJECTED, "manager"))
        return steps
    propose = Step("propose_approval", S.IN_REVIEW, S.APPROVAL_PROPOSED, "officer")
    steps.append(propose)
    if target == S.APPROVED and rng.random() < 0.1:
        steps.append(
            Step(
                "return_proposal",
                S.APPROVAL_PROPOSED,
                S.IN_REVIEW,
                "manager",
                "Precisare le prescrizioni sui laboratori condivisi.",
            )
        )
        steps.append(propose)
    if target == S.APPROVED:
        steps.append(Step("adopt_approval", S.APPROVAL_PROPOSED, S.APPROVED, "manager"))
    return steps


def status_plan(applications: int, decrees: int, rng: random.Random) -> list[str]:
    """Return the target status of every application: every status present, decrees exact."""
    if decrees > applications - len(OPEN_STATUS_WEIGHTS):
        raise SystemExit(
            f"--decrees deve lasciare almeno {len(OPEN_STATUS_WEIGHTS)} domande senza decreto."
        )
    approved = max(1, round(decrees * APPROVAL_SHARE)) if decrees > 1 else decrees
    plan = [S.APPROVED] * approved + [S.REJECTED] * (decrees - approved)
    others = applications - decrees
    statuses = [status for status, _weight in OPEN_STATUS_WEIGHTS]
    plan += statuses  # one of each, then the rest by weight
    weights = [weight for _status, weight in OPEN_STATUS_WEIGHTS]
    plan += rng.choices(statuses, weights=weights, k=others - len(statuses))
    rng.shuffle(plan)
    return plan


class Generator:
    def __init__(self, *, organisations: int, applications: int, decrees: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_organisations = organisations
        self.n_applications = applications
        self.n_decrees = decrees
        self.now = timezone.now().replace(microsecond=0)
        self.catalogue = catalogue_from_db()

    # users -------------------------------------------------------------------------------------

    def _user(self, username: str, password: str) -> User:
        """Return an unsaved user with a drawn name and an address at example.org."""
        return User(
            username=username,
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            email=f"{username}@example.org",
            password=password,
        )

    def users(self, applicant_orgs: list[Org]) -> None:
        password = make_password(PASSWORD)
        groups = {role: Group.objects.get(name=role.value) for role in Role}
        officers = [self._user(f"istruttore-{i:02d}", password) for i in range(1, 13)]
        managers = [self._user(f"dirigente-{i:02d}", password) for i in range(1, 4)]
        applicants = [self._user(f"richiedente-{org.row.pk}", password) for org in applicant_orgs]
        admin = User(
            username=ADMIN_USERNAME,
            email="bench-admin@example.org",
            password=password,
            is_staff=True,
            is_superuser=True,
        )
        bulk(User, [*officers, *managers, *applicants, admin])
        membership = User.groups.through
        bulk(
            membership,
            [membership(user_id=u.pk, group_id=groups[Role.OFFICER].pk) for u in officers]
            + [membership(user_id=u.pk, group_id=groups[Role.MANAGER].pk) for u in managers]
            + [membership(user_id=u.pk, group_id=groups[Role.APPLICANT].pk) for u in applicants],
        )
        representatives = Organisation.representatives.through
        bulk(
            representatives,
            [
                representatives(organisation_id=org.row.pk, user_id=user.pk)
                for org, user in zip(applicant_orgs, applicants, strict=True)
            ],
        )
        self.officers, self.managers = officers, managers
        self.applicant_user = {
            org.row.pk: user for org, user in zip(applicant_orgs, applicants, strict=True)
        }

    # calls ---------------------------------------------------------------------------------------

    def calls(self) -> list[Call]:
        current = self.now.year
        rows = [
            Call(
                title=f"Avviso {year} per il riconoscimento dei Poli Tecnici Professionali",
                description="Domande di riconoscimento ai sensi della DGR X/124/2013.",
                opens_at=datetime(year, 1, 15, 9, tzinfo=UTC),
                closes_at=datetime(year, 6, 30, 16, tzinfo=UTC),
                term_days=90,
            )
            for year in range(current - 3, current)
        ]
        rows.append(
            Call(
                title=f"Avviso {current} per il riconoscimento dei Poli Tecnici Professionali",
                description="Domande di riconoscimento ai sensi della DGR X/124/2013.",
                opens_at=self.now - timedelta(days=150),
                closes_at=self.now + timedelta(days=90),
                term_days=90,
            )
        )
        return bulk(Call, rows)

    # networks --------------------------------------------------------------------------------

    def pick_members(self, region: Region, lead: Org, *, eligible: bool) -> list[Org]:
        """Draw a network around ``lead`` (6-25 members); ``eligible`` keeps it within the rules."""
        rng = self.rng
        chosen = [lead]
        used = {lead.row.pk}
        founders_in_use: set[int] = set()
        for kind, (low, high) in MEMBER_MIX.items():
            want = rng.randint(low, high) - (1 if kind == lead.kind else 0)
            pool = (
                region.by_kind_area[kind, lead.area]
                or [o for o in region.orgs if o.kind == kind][:200]
            )
            if kind == OrganisationKind.ACCREDITED_BODY:
                pool = [o for o in pool if o.row.section_a] or pool
            for _ in range(max(0, want) * 3):
                if want <= 0:
                    break
                candidate = rng.choice(pool)
                if candidate.row.pk in used:
                    continue
                # Mostly leave the ITS founders out (they would not count), sometimes not.
                if candidate.row.pk in founders_in_use and rng.random() < 0.9:
                    continue
                chosen.append(candidate)
                used.add(candidate.row.pk)
                founders_in_use.update(f.row.pk for f in candidate.founders)
                want -= 1
        if not eligible:
            # An out-of-area company: PTP-COMPANY-AREA fails, as on many real drafts.
            other_area = rng.choice([a for a in region.area_names if a != lead.area])
            intruder = rng.choice(region.by_kind_area[OrganisationKind.COMPANY, other_area])
            if intruder.row.pk not in used:
                chosen.append(intruder)
        while len(chosen) < 6:
            candidate = rng.choice(region.by_kind_area[OrganisationKind.COMPANY, lead.area])
            if candidate.row.pk not in used:
                chosen.append(candidate)
                used.add(candidate.row.pk)
        return chosen[:25]

    def composition(
        self, region: Region, members: list[Org], area: str, at: datetime
    ) -> tuple[Composition, list[Member]]:
        keys = {org.row.pk: f"{KEY_PREFIX[org.kind]}-{org.row.pk}" for org in members}
        core = [region.core_member(org, keys[org.row.pk], keys, True) for org in members]
        composition = Composition(
            area=area,
            reference_date=timezone.localdate(at),
            lead_partner=core[0].key,
            members=tuple(core),
            catalogue=self.catalogue,
        )
        return composition, core

    def run(self, out: TextIO) -> dict[str, int]:
        started = time.monotonic()
        rng = self.rng
        region = Region(rng, self.catalogue)
        region.build(self.n_organisations)
        out.write(f"organizzazioni e offerta formativa: {time.monotonic() - started:.1f} s\n")

        plan = status_plan(self.n_applications, self.n_decrees, rng)
        # A polo needs an ITS of its area (PTP-ITS): areas whose catalogue has no ITS programme
        # (servizi-persona, today) cannot be eligible, so no lead is drawn from them.
        with_its = {area for area, kinds in region.programmes_by_area.items() if kinds["its"]}
        leads_pool = [
            o
            for o in region.orgs
            if o.kind == OrganisationKind.INSTITUTE and o.main is None and o.area in with_its
        ]
        leads = [rng.choice(leads_pool) for _ in plan]
        applicant_orgs = list({org.row.pk: org for org in leads}.values())
        self.users(applicant_orgs)
        calls = self.calls()
        open_call, closed_calls = calls[-1], calls[:-1]

        app_rows: list[Application] = []
        specs: list[dict[str, Any]] = []
        for index, (target, lead) in enumerate(zip(plan, leads, strict=True)):
            steps = history(target, rng)
            final = target in {S.APPROVED, S.REJECTED, S.WITHDRAWN}
            call = rng.choice(closed_calls) if final and rng.random() < 0.85 else open_call
            times = self._times(call, len(steps))
            eligible = target != S.DRAFT or rng.random() < 0.7
            checked_at = times[1] if len(times) > 1 else times[0]  # submission, or now for drafts
            members = self.pick_members(region, lead, eligible=eligible)
            composition, core = self.composition(region, members, lead.area, checked_at)
            for _attempt in range(20):
                verdict = evaluate(composition, call.ruleset)
                if not eligible or verdict.verdict != "not_eligible":
                    break
                members = self.pick_members(region, lead, eligible=True)
                composition, core = self.composition(region, members, lead.area, checked_at)
            else:
                failing = [r.code for r in verdict.results if r.status == "fail"]
                messages = [r.message for r in verdict.results if r.status == "fail"]
                raise RuntimeError(
                    f"rete non ammissibile dopo 20 tentativi: {failing} {messages} {checked_at}"
                )
            officer = rng.choice(self.officers)
            user = self.applicant_user[lead.row.pk]
            area_name = region.area_names[lead.area]
            row = Application(
                call=call,
                applicant_organisation_id=lead.row.pk,
                created_by=user,
                name=f"Polo Tecnico Professionale {area_name} {lead.row.city} {index + 1}",
                area_id=next(a.pk for a in region.areas if a.code == lead.area),
                description=(
                    f"Rete per la filiera {area_name.lower()} del territorio di {lead.row.city}: "
                    "istituti, imprese ed enti accreditati per l'alternanza e i laboratori."
                ),
                objectives="Ridurre la dispersione, orientare verso gli ITS, formare i docenti.",
                alternanza_actions="Percorsi PCTO di 120 ore nelle imprese partner.",
                flessibilita_actions="Quota di flessibilità del 20% per moduli professionalizzanti.",
                laboratories="Laboratorio territoriale condiviso presso il capofila.",
                commitments="Orientamento, formazione congiunta dei docenti, servizi alle imprese.",
                contact_name=f"{user.first_name} {user.last_name}",
                contact_email=user.email,
                contact_phone="+39 02 0000000",
                status=target,
                term_days=None if target == S.DRAFT else call.term_days,
                officer=officer if any(s.action == "take_charge" for s in steps) else None,
                revision=rng.randint(3, 40),
                created_at=times[0],
                updated_at=times[-1],
            )
            app_rows.append(row)
            specs.append(
                {
                    "steps": steps,
                    "times": times,
                    "members": members,
                    "core": core,
                    "lead": lead,
                    "user": user,
                    "officer": officer,
                    "manager": rng.choice(self.managers),
                    "composition": composition,
                    "verdict": verdict,
                }
            )
        self._number_protocols(app_rows, specs)
        application_fields = (
            Application._meta.get_field("created_at"),
            Application._meta.get_field("updated_at"),
        )
        with historical_timestamps(*application_fields):
            bulk(Application, app_rows)
        out.write(f"domande: {time.monotonic() - started:.1f} s\n")

        self._children(app_rows, specs, region)
        self._counters(app_rows)
        counts = {
            "organisations": Organisation.objects.count(),
            "offerings": OfferingModel.objects.count(),
            "users": User.objects.count(),
            "applications": Application.objects.count(),
            "members": ApplicationMember.objects.count(),
            "events": AuditEvent.objects.count(),
            "versions": ApplicationVersion.objects.count(),
            "documents": Document.objects.count(),
            "requests": ProcedureRequest.objects.count(),
            "proposals": Proposal.objects.count(),
            "decrees": Decree.objects.count(),
        }
        counts["seconds"] = round(time.monotonic() - started, 1)
        return counts

    def _times(self, call: Call, steps: int) -> list[datetime]:
        """Return one instant per step: created in the call's window, each later, all in the past."""
        rng = self.rng
        gaps = [timedelta(hours=rng.randint(2, 24 * 12)) for _ in range(steps - 1)]
        total = sum(gaps, timedelta())
        latest_start = min(call.closes_at, self.now) - timedelta(hours=1)
        start = call.opens_at + (latest_start - call.opens_at) * rng.random()
        if start + total > self.now - timedelta(hours=1):
            room = self.now - timedelta(hours=1) - call.opens_at
            start = call.opens_at + timedelta(
                seconds=rng.random() * max(0, (room - total).total_seconds())
            )
            if start + total > self.now:
                scale = (room.total_seconds() * 0.9) / max(total.total_seconds(), 1)
                gaps = [gap * scale for gap in gaps]
        times = [start.replace(microsecond=0)]
        for gap in gaps:
            times.append((times[-1] + gap).replace(microsecond=0))
        return times

    def _number_protocols(self, rows: list[Application], specs: list[dict[str, Any]]) -> None:
        """Give every submitted application a protocol number, gapless per year, by submission time."""
        submitted = []
        for row, spec in zip(rows, specs, strict=True):
            submit = next((i for i, s in enumerate(spec["steps"]) if s.action == "submit"), None)
            if submit is not None:
                row.submitted_at = spec["times"][submit]
                submitted.append(row)
        seq: Counter[int] = Counter()
        for row in sorted(submitted, key=lambda r: r.submitted_at):
            year = timezone.localtime(row.submitted_at).year
            seq[year] += 1
            row.protocol_year, row.protocol_seq = year, seq[year]

    def _children(
        self, rows: list[Application], specs: list[dict[str, Any]], region: Region
    ) -> None:
        """Write members, documents, events, versions, requests, proposals and decrees."""
        rng = self.rng
        members, events, requests, documents = [], [], [], []
        for row, spec in zip(rows, specs, strict=True):
            spec["memberships"] = {}
            for position, (org, core) in enumerate(zip(spec["members"], spec["core"], strict=True)):
                spec["memberships"][core.key] = ApplicationMember(
                    application=row,
                    organisation_id=org.row.pk,
                    key=core.key,
                    is_lead=position == 0,
                    role="capofila"
                    if position == 0
                    else rng.choice(
                        ("sede dei laboratori", "impresa ospitante", "orientamento", "")
                    ),
                    commitment_signed=org.kind == OrganisationKind.COMPANY,
                    position=position,
                )
            members.extend(spec["memberships"].values())
            actors = {
                "applicant": spec["user"],
                "officer": spec["officer"],
                "manager": spec["manager"],
            }
            for step, at in zip(spec["steps"], spec["times"], strict=True):
                note = step.note
                if step.action == "take_charge":
                    officer = spec["officer"]
                    note = (
                        f"Responsabile del procedimento: {officer.first_name} {officer.last_name}"
                    )
                events.append(
                    AuditEvent(
                        application=row,
                        at=at,
                        actor=actors[step.actor],
                        action=step.action,
                        from_status=step.from_status,
                        to_status=step.to_status,
                        note=note,
                    )
                )
            spec["requests"] = self._requests(row, spec)
            requests.extend(spec["requests"])
            if row.status != S.DRAFT or rng.random() < 0.6:
                spec["documents"] = self._documents(row, spec)
                documents.extend(spec["documents"])
            else:
                spec["documents"] = []
        bulk(ApplicationMember, members)
        bulk(AuditEvent, events)
        bulk(ProcedureRequest, requests)
        with historical_timestamps(Document._meta.get_field("uploaded_at")):
            bulk(Document, documents)
        versions, proposals = [], []
        for row, spec in zip(rows, specs, strict=True):
            spec["versions"] = self._versions(row, spec, region)
            versions.extend(spec["versions"])
            spec["proposals"] = self._proposals(row, spec)
            proposals.extend(spec["proposals"])
        bulk(ApplicationVersion, versions)
        bulk(Proposal, proposals)
        bulk(Decree, self._decrees(rows, specs))

    def _requests(self, row: Application, spec: dict[str, Any]) -> list[ProcedureRequest]:
        out = []
        steps, times = spec["steps"], spec["times"]
        for i, step in enumerate(steps):
            if step.action not in {"request_integration", "send_rejection_notice"}:
                continue
            at = times[i]
            # The next step leaves the suspension and closes the request, as the workflow does.
            closing = steps[i + 1] if i + 1 < len(steps) else None
            outcome = workflow.request_outcome(closing.action) if closing else ""
            answered = outcome == RequestOutcome.ANSWERED
            out.append(
                ProcedureRequest(
                    application=row,
                    kind=RequestKind.INTEGRATION
                    if step.action == "request_integration"
                    else RequestKind.REJECTION_NOTICE,
                    text=step.note,
                    deadline=timezone.localdate(at) + timedelta(days=15 if answered else 10),
                    created_by=spec["officer"],
                    created_at=at,
                    closed_at=times[i + 1] if closing else None,
                    outcome=outcome,
                    answer=closing.note if answered else "",
                )
            )
        return out

    def _documents(self, row: Application, spec: dict[str, Any]) -> list[Document]:
        rng = self.rng
        at = spec["times"][0] + timedelta(hours=1)
        docs = [
            Document(
                application=row,
                kind=DocumentKind.COMMITMENT,
                original_name=f"impegno-{core.key}.pdf",
                member=spec["memberships"][core.key],
                file=f"documents/{at:%Y/%m}/{rng.getrandbits(128):032x}.pdf",
                size=rng.randint(80_000, 900_000),
                sha256=f"{rng.getrandbits(256):064x}",
                uploaded_by=spec["user"],
                uploaded_at=at,
            )
            for core in spec["core"]
            if core.kind is Kind.COMPANY
        ]
        docs.append(
            Document(
                application=row,
                kind=DocumentKind.NETWORK_AGREEMENT,
                original_name="accordo-di-rete.pdf",
                file=f"documents/{at:%Y/%m}/{rng.getrandbits(128):032x}.pdf",
                size=rng.randint(200_000, 2_000_000),
                sha256=f"{rng.getrandbits(256):064x}",
                uploaded_by=spec["user"],
                uploaded_at=at,
            )
        )
        return docs

    def _versions(
        self, row: Application, spec: dict[str, Any], region: Region
    ) -> list[ApplicationVersion]:
        """Freeze a version at each submission, as ``_freeze_version`` does."""
        versions = []
        submissions = [
            i for i, step in enumerate(spec["steps"]) if step.action in {"submit", "resubmit"}
        ]
        documents = [
            {"kind": d.kind, "name": d.original_name, "sha256": d.sha256, "size": d.size}
            for d in sorted(spec["documents"], key=lambda d: (d.kind, d.pk))
        ]
        for number, index in enumerate(submissions, start=1):
            at = spec["times"][index]
            composition, core = self.composition(region, spec["members"], spec["lead"].area, at)
            verdict = evaluate(composition, row.call.ruleset)
            if (
                number == 1
                and len(submissions) > 1
                and spec["members"][-1].kind == OrganisationKind.COMPANY
            ):
                # The integration added the last company: version 1 lacks it, if it was eligible so.
                fewer = self.composition(region, spec["members"][:-1], spec["lead"].area, at)
                fewer_verdict = evaluate(fewer[0], row.call.ruleset)
                if fewer_verdict.verdict != "not_eligible" and len(fewer[1]) >= 6:
                    composition, core, verdict = fewer[0], fewer[1], fewer_verdict
            network = {
                "format": "ptp-network/1",
                "name": row.name,
                "area": composition.area,
                "reference_date": composition.reference_date.isoformat(),
                "lead_partner": composition.lead_partner,
                "contact": {
                    "name": row.contact_name,
                    "email": row.contact_email,
                    "phone": row.contact_phone,
                },
                "members": [member_to_json(member) for member in core],
            }
            version = ApplicationVersion(
                application=row,
                number=number,
                network=network,
                verdict=verdict.to_dict(),
                documents=documents,
                submitted_at=at,
                submitted_by=spec["user"],
                receipt="",
            )
            version.sha256 = canonical_sha256(snapshot_content(version))
            versions.append(version)
            spec["verdict"] = verdict
        return versions

    def _proposals(self, row: Application, spec: dict[str, Any]) -> list[Proposal]:
        proposals = []
        steps, times = spec["steps"], spec["times"]
        verdict = spec["verdict"]
        for i, step in enumerate(steps):
            if step.action not in {"propose_approval", "propose_rejection"}:
                continue
            following = steps[i + 1].action if i + 1 < len(steps) else ""
            outcome = {
                "adopt_approval": ProposalOutcome.ADOPTED,
                "adopt_rejection": ProposalOutcome.ADOPTED,
                "return_proposal": ProposalOutcome.RETURNED,
            }.get(following, ProposalOutcome.PENDING)
            approval = step.action == "propose_approval"
            proposals.append(
                Proposal(
                    application=row,
                    kind=ProposalKind.APPROVAL if approval else ProposalKind.REJECTION,
                    verdict=verdict.to_dict(),
                    assessments={
                        r.code: "Valutato dall'istruttore: coerente con il piano delle attività."
                        for r in verdict.results
                        if r.status == "warning"
                    }
                    if approval
                    else {},
                    reasons="" if approval else step.note,
                    observations_response=""
                    if approval
                    else "Le osservazioni non dimostrano la coerenza delle imprese con l'area.",
                    obligations="Relazione annuale sulle attività del polo." if approval else "",
                    proposed_by=spec["officer"],
                    proposed_at=times[i],
                    outcome=outcome,
                    decided_by=spec["manager"] if outcome != ProposalOutcome.PENDING else None,
                    decided_at=times[i + 1] if outcome != ProposalOutcome.PENDING else None,
                    manager_note=steps[i + 1].note if outcome == ProposalOutcome.RETURNED else "",
                )
            )
        return proposals

    def _decrees(self, rows: list[Application], specs: list[dict[str, Any]]) -> list[Decree]:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        area_names = dict(EconomicArea.objects.values_list("pk", "name"))
        decrees = []
        for row, spec in zip(rows, specs, strict=True):
            if row.status not in {S.APPROVED, S.REJECTED}:
                continue
            adopted = next(p for p in spec["proposals"] if p.outcome == ProposalOutcome.ADOPTED)
            raw = "".join(self.rng.choice(alphabet) for _ in range(16))
            decrees.append(
                Decree(
                    application=row,
                    proposal=adopted,
                    kind=DecreeKind.APPROVAL if row.status == S.APPROVED else DecreeKind.REJECTION,
                    adopted_at=adopted.decided_at,
                    adopted_by=spec["manager"],
                    verification_code="-".join(raw[i : i + 4] for i in range(0, 16, 4)),
                    render_status=DecreeRenderStatus.RENDERED,
                    rendered_at=adopted.decided_at,
                    area_name=area_names.get(row.area_id, ""),
                    call_title=row.call.title,
                    pdf="",
                    recognition_school_years=row.call.recognition_school_years
                    if row.status == S.APPROVED
                    else None,
                )
            )
        seq: Counter[int] = Counter()
        for decree in sorted(decrees, key=lambda d: d.adopted_at):
            decree.year = timezone.localtime(decree.adopted_at).year
            seq[decree.year] += 1
            decree.number = seq[decree.year]
            decree.sha256 = hashlib.sha256(
                f"bench-decree-{decree.year}-{decree.number}".encode()
            ).hexdigest()
        return decrees

    def _counters(self, rows: list[Application]) -> None:
        """Set the year counters to the last numbers used, so the services number after them."""
        last: dict[tuple[str, int], int] = {}
        for row in rows:
            if row.protocol_seq:
                key = (CounterKind.PROTOCOL, row.protocol_year)
                last[key] = max(last.get(key, 0), row.protocol_seq)
        for year, number in Decree.objects.values_list("year", "number"):
            key = (CounterKind.DECREE, year)
            last[key] = max(last.get(key, 0), number)
        for (kind, year), number in last.items():
            YearCounter.objects.update_or_create(kind=kind, year=year, defaults={"last": number})


def generate(
    *, organisations: int, applications: int, decrees: int, seed: int = 1, out: TextIO = sys.stdout
) -> dict[str, int]:
    """Fill the (migrated, application-free) database; return the row counts and the seconds."""
    if Application.objects.exists():
        raise SystemExit("Il database contiene già domande: usane uno appena migrato.")
    if organisations < 200:
        raise SystemExit("Servono almeno 200 organizzazioni per comporre reti realistiche.")
    generator = Generator(
        organisations=organisations, applications=applications, decrees=decrees, seed=seed
    )
    with transaction.atomic():
        counts = generator.run(out)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--applications", type=int, default=5_000)
    parser.add_argument("--decrees", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts = generate(
        organisations=args.organisations,
        applications=args.applications,
        decrees=args.decrees,
        seed=args.seed,
    )
    seconds = counts.pop("seconds")
    width = max(map(len, counts))
    for name, count in counts.items():
        print(f"{name:<{width}} {count:>8}")
    by_status = Counter(Application.objects.values_list("status", flat=True))
    print("per stato:", ", ".join(f"{status} {by_status[status]}" for status in S.values))
    print(f"tempo: {seconds:.1f} s")


if __name__ == "__main__":
    main()
