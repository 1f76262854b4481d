"""``export_network APPLICATION_ID [--submitted-version N]``: an application as ``ptp-network/1`` JSON.

Without ``--submitted-version`` it exports the current state; with it, the frozen
snapshot of that submitted version, byte for byte as stored.
"""

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from eligibility.adapters import application_queryset_for_evaluation, network_from_application
from networks.management.italian import ItalianCommand
from networks.models import Application, ApplicationVersion


class Command(ItalianCommand):
    help = "Esporta una domanda nel formato ptp-network/1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("application_id", type=int)
        parser.add_argument(
            "--submitted-version",
            dest="submitted_version",
            type=int,
            help="numero della versione presentata",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["submitted_version"] is not None:
            try:
                version = ApplicationVersion.objects.get(
                    application_id=options["application_id"], number=options["submitted_version"]
                )
            except ApplicationVersion.DoesNotExist:
                raise CommandError("Versione non trovata per questa domanda.") from None
            data = version.network
        else:
            queryset = application_queryset_for_evaluation(Application.objects.all())
            try:
                application = queryset.get(pk=options["application_id"])
            except Application.DoesNotExist:
                raise CommandError(f"Domanda {options['application_id']} non trovata.") from None
            data = network_from_application(application)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
