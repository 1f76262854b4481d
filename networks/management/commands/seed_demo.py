"""Load the demo data: the networks in ``fixtures/demo/`` and one demo user per role.

Idempotent: running it again updates the same rows. For people trying the
portal, never for tests (tests build their data with factories).
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from networks.constants import Role
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


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (reti di esempio e un utente per ruolo)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        imported = {}
        for path in sorted(DEMO_DIR.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            imported[path.stem] = network_organisations_import(data=data)
            self.stdout.write(f"{path.stem}: {len(imported[path.stem])} organizzazioni")
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
        self.stdout.write(
            self.style.SUCCESS(f"Utenti dimostrativi pronti (password: {DEMO_PASSWORD}).")
        )
