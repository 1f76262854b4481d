"""Render a decree or a submission receipt as PDF/A from the command line.

``render_document decree <id> [--output FILE]`` and ``render_document receipt
<id>`` render the document afresh with ``networks.documents`` and write the
PDF to ``FILE`` (standard output by default, as binary): a preview, never
sealed, which therefore does not match the archived decree's SHA-256.
``--store`` (re)stores it through the same services the background tasks use
(a decree is sealed there when a seal is configured, decision 0007), so an
operator can repair a decree whose rendering failed; with ``--output`` the
stored file is also written out.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from networks.documents import render_decree, render_receipt
from networks.management.italian import ItalianCommand
from networks.models import ApplicationVersion, Decree, DecreeRenderStatus
from networks.services import documents as document_services


class Command(ItalianCommand):
    # Read by argparse, which needs a plain string: management help is not translated.
    help = "Genera il PDF/A di un decreto o di una ricevuta di presentazione."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["decree", "receipt"], help=_("decree o receipt"))
        parser.add_argument("id", type=int, help=_("id del decreto o della versione presentata"))
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            help=_("file in cui scrivere il PDF (predefinito: stdout)"),
        )
        parser.add_argument(
            "--store",
            action="store_true",
            help=_("salva (o rigenera) il PDF archiviato, come fa l'attività in background"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        pk: int = options["id"]
        output: Path | None = options["output"]
        if options["store"]:
            pdf = self._store(kind, pk)
            if output is not None:
                self._write(pdf, output)
            return
        try:
            if kind == "decree":
                _html, pdf = render_decree(document_services.decree_document(self._decree(pk)))
            else:
                _html, pdf = render_receipt(document_services.receipt_document(self._version(pk)))
        except CommandError:
            raise
        except Exception as error:
            raise CommandError(
                _("Generazione non riuscita: %(error)s")
                % {"error": f"{type(error).__name__}: {error}"}
            ) from error
        self._write(pdf, output)

    def _decree(self, pk: int) -> Decree:
        try:
            return Decree.objects.select_related(
                "application__call",
                "application__area",
                "application__officer",
                "proposal",
                "adopted_by",
            ).get(pk=pk)
        except Decree.DoesNotExist:
            raise CommandError(_("Il decreto %(id)s non esiste.") % {"id": pk}) from None

    def _version(self, pk: int) -> ApplicationVersion:
        try:
            return ApplicationVersion.objects.select_related(
                "application__call", "application__applicant_organisation"
            ).get(pk=pk)
        except ApplicationVersion.DoesNotExist:
            raise CommandError(
                _("La versione presentata %(id)s non esiste.") % {"id": pk}
            ) from None

    def _store(self, kind: str, pk: int) -> bytes:
        if kind == "decree":
            self._decree(pk)
            decree = document_services.decree_render(decree_id=pk)
            if decree.render_status != DecreeRenderStatus.RENDERED:
                raise CommandError(
                    _("Generazione del decreto %(id)s non riuscita: %(error)s")
                    % {"id": pk, "error": decree.render_error}
                )
            self.stderr.write(_("Archiviato: %(name)s") % {"name": decree.pdf.name})
            with decree.pdf.open("rb") as stored:
                return stored.read()
        self._version(pk)
        version = document_services.receipt_render(version_id=pk)
        self.stderr.write(_("Archiviata: %(name)s") % {"name": version.receipt.name})
        with version.receipt.open("rb") as stored:
            return stored.read()

    def _write(self, pdf: bytes, output: Path | None) -> None:
        try:
            if output is None:
                sys.stdout.buffer.write(pdf)
                sys.stdout.buffer.flush()
                return
            output.write_bytes(pdf)
        except OSError as error:
            raise CommandError(
                _("Impossibile scrivere il PDF in %(path)s: %(reason)s.")
                % {"path": output or _("standard output"), "reason": error.strerror or error}
            ) from None
        self.stderr.write(
            _("PDF scritto in %(path)s (%(size)d byte).") % {"path": output, "size": len(pdf)}
        )
