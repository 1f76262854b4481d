"""Load the demo data: the networks in ``fixtures/demo/``, one demo user per role, a call and
applications at different stages of the procedure.

Idempotent: running it again updates the same organisations and users and
creates the applications only once. Applications go through the real services
(submission, review, decree), so the demo shows what the portal really does.
For people trying the portal, never for tests (tests build their data with factories).
"""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from networks.constants import DocumentKind, OrganisationKind, Role
from networks.management.italian import ItalianCommand
from networks.models import Application, Call
from networks.services import applications as application_services
from networks.services import workflow as workflow_services
from networks.services.organisations import network_organisations_import

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "demo-ptp-2026"  # noqa: S105 - documented demo credential, dev only

# username, first name, last name, role, staff, organisations represented (fixture, member key)
DEMO_USERS: list[tuple[str, str, str, Role, bool, list[tuple[str, str]]]] = [
    (
        "richiedente",
        "Maria",
        "Rossi",
        Role.APPLICANT,
        False,
        [("liguria-meccanica", "capellini-sauro")],
    ),
    (
        "richiedente2",
        "Luca",
        "Verdi",
        Role.APPLICANT,
        False,
        [("lombardia-agroalimentare", "agrario-codogno")],
    ),
    ("istruttore", "Paola", "Bruni", Role.OFFICER, False, []),
    ("istruttore2", "Marco", "Neri", Role.OFFICER, False, []),
    ("dirigente", "Giulia", "Conti", Role.MANAGER, False, []),
    ("catalogo", "Andrea", "Galli", Role.CATALOGUE_ADMIN, True, []),
]


class Command(ItalianCommand):
    help = "Carica i dati dimostrativi (reti di esempio, un utente per ruolo, un avviso e due domande)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.PORTAL_DEMO_DATA:
            raise CommandError(
                "I dati dimostrativi non si caricano con le impostazioni di produzione: i loro "
                "account hanno una password pubblicata nel README. Usa ptp_portal.settings.dev."
            )
        # Setting up the demo mails nobody: its messages stay in memory.
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        ):
            self.load()

    @transaction.atomic
    def load(self) -> None:
        """Load organisations and users, then the call and the applications (only once)."""
        imported = {}
        for path in sorted(DEMO_DIR.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            imported[path.stem] = network_organisations_import(data=data, by=None).by_key
            self.stdout.write(f"{path.stem}: {len(imported[path.stem])} organizzazioni")
        users = {}
        for username, first, last, role, staff, represents in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.is_staff = staff
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role.value)])
            for fixture, key in represents:
                imported[fixture][key].representatives.add(user)
            users[username] = user
        if not Application.objects.exists():
            self.create_applications(users)
        self.stdout.write(
            self.style.SUCCESS(f"Utenti dimostrativi pronti (password: {DEMO_PASSWORD}).")
        )

    def create_applications(self, users: dict[str, User]) -> None:
        """File the demo networks: Liguria approved with its decree, Lombardia as a draft to fix."""
        now = timezone.now()
        call = Call.objects.create(
            title="Avviso 2026 per il riconoscimento dei Poli Tecnici Professionali",
            description="Domande di riconoscimento ai sensi della DGR X/124/2013.",
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=90),
        )
        pdf = (DEMO_DIR / "documento-dimostrativo.pdf").read_bytes()
        for fixture, username in (
            ("liguria-meccanica", "richiedente"),
            ("lombardia-agroalimentare", "richiedente2"),
        ):
            data = json.loads((DEMO_DIR / f"{fixture}.json").read_text(encoding="utf-8"))
            applicant = users[username]
            lead = applicant.organisations.get()
            application = application_services.application_create(
                call=call, organisation=lead, by=applicant
            )
            application_services.application_import_network(
                application=application, data=data, by=applicant
            )
            application_services.application_update_details(
                application=application,
                by=applicant,
                revision=application.revision,
                data={"description": "Rete dimostrativa caricata da seed_demo."},
            )
            application_services.document_upload(
                application=application,
                kind=DocumentKind.NETWORK_AGREEMENT,
                uploaded=SimpleUploadedFile("accordo-di-rete.pdf", pdf),
                by=applicant,
            )
            for member in application.members.filter(organisation__kind=OrganisationKind.COMPANY):
                application_services.document_upload(
                    application=application,
                    kind=DocumentKind.COMMITMENT,
                    uploaded=SimpleUploadedFile(f"impegno-{member.key}.pdf", pdf),
                    by=applicant,
                    member=member,
                )
            if fixture != "liguria-meccanica":
                self.stdout.write(f"{fixture}: bozza da completare (un'impresa è fuori area)")
                continue
            # What commit triggers (receipts, mail, the decree) runs, once, when load() commits.
            workflow_services.application_submit(application_id=application.pk, by=applicant)
            workflow_services.application_take_charge(
                application_id=application.pk, by=users["istruttore"]
            )
            verdict = workflow_services.evaluate_application(
                Application.objects.get(pk=application.pk)
            )
            workflow_services.application_propose_approval(
                application_id=application.pk,
                by=users["istruttore"],
                assessments={
                    result.code: "Valutato dall'istruttore: coerente con il piano delle attività del polo."
                    for result in verdict.results
                    if result.status == "warning"
                },
            )
            decree = workflow_services.application_adopt(
                application_id=application.pk, by=users["dirigente"]
            )
            self.stdout.write(f"{fixture}: riconosciuto con {decree}")
