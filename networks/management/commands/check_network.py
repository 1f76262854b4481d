"""``check_network FILE|- [--as-of YYYY-MM-DD] [--format text|json]``: the verdict of a network.

Exit codes are part of the contract (network-format.md): 0 eligible (with or
without warnings), 1 not eligible, 2 invalid input (errors on stderr, nothing
on stdout).
"""

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from eligibility.adapters import (
    ISO_DATE,
    NetworkInputError,
    composition_from_network,
    parse_network_json,
)
from eligibility.core import evaluate

EXIT_ELIGIBLE, EXIT_NOT_ELIGIBLE, EXIT_INVALID = 0, 1, 2
STATUS_LABELS = {"pass": "OK", "warning": "ATTENZIONE", "fail": "NON SODDISFATTO"}
VERDICT_LABELS = {
    "eligible": "AMMISSIBILE",
    "eligible_with_warnings": "AMMISSIBILE CON OSSERVAZIONI",
    "not_eligible": "NON AMMISSIBILE",
}


class Command(BaseCommand):
    help = "Verifica una rete in formato ptp-network/1 rispetto alle regole (DGR X/124/2013)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="file JSON ptp-network/1, oppure - per lo standard input")
        parser.add_argument("--as-of", dest="as_of", help="data di riferimento AAAA-MM-GG")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def fail(self, lines: list[str]) -> None:
        for line in lines:
            self.stderr.write(line)
        sys.exit(EXIT_INVALID)

    def read(self, name: str) -> str:
        """Return the text of the file, or of standard input, decoded as UTF-8 (strictly).

        Standard input is read as bytes where it has them: decoded with the
        locale's error handler, a Latin-1 file turned into lone surrogates.
        """
        if name != "-":
            with open(name, "rb") as handle:
                return handle.read().decode("utf-8")
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read().decode("utf-8") if stream is not None else sys.stdin.read()

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                if not ISO_DATE.fullmatch(options["as_of"]):
                    raise ValueError(options["as_of"])
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                self.fail([f"--as-of: {options['as_of']!r} non è una data AAAA-MM-GG"])
        try:
            raw = self.read(options["file"])
        except FileNotFoundError:
            self.fail([f"{options['file']}: il file non esiste"])
        except IsADirectoryError:
            self.fail([f"{options['file']}: è una cartella, non un file"])
        except PermissionError:
            self.fail([f"{options['file']}: non hai il permesso di leggere il file"])
        except OSError as error:
            self.fail([f"{options['file']}: impossibile leggere il file ({error})"])
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1
            self.fail(
                [
                    f"{options['file']}: il file non è in UTF-8 (byte non valido alla riga {line}): "
                    "salvalo o esportalo di nuovo con codifica UTF-8"
                ]
            )
        try:
            data = parse_network_json(raw)
            composition = composition_from_network(data, as_of=as_of)
        except NetworkInputError as error:
            self.fail([str(item) for item in error.errors])
        verdict = evaluate(composition)
        if options["format"] == "json":
            self.stdout.write(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
        else:
            for result in verdict.results:
                self.stdout.write(
                    f"{STATUS_LABELS[result.status]:<16}{result.code:<24}{result.message}"
                )
                if result.status != "pass" and result.hint:
                    self.stdout.write(f"{'':<40}→ {result.hint}")
            self.stdout.write(
                f"Esito: {VERDICT_LABELS[verdict.verdict]} "
                f"(regole {verdict.ruleset}, data di riferimento {verdict.reference_date:%d/%m/%Y})"
            )
        sys.exit(EXIT_NOT_ELIGIBLE if verdict.verdict == "not_eligible" else EXIT_ELIGIBLE)
