"""``check_network FILE|- [--as-of YYYY-MM-DD] [--format text|json]``: the verdict of a network.

Exit codes are part of the contract (network-format.md): 0 eligible (with or
without warnings), 1 not eligible, 2 invalid input (errors on stderr, nothing
on stdout). 3 is this program's own: an error of the program, no verdict (the
database cannot be read, a bug; the reason on stderr, nothing on stdout), so
that no caller takes a crash for a network that is not eligible.

The text format prints one line per rule on stdout, the hint of a rule that
does not pass at the end of its line; the summary (``Esito: ...``) goes to
stderr, for the person at the terminal. The json format prints the
``ptp-verdict/1`` object with exactly the contract's fields.
"""

import json
import re
import sys
import traceback
from datetime import date
from typing import Any, NoReturn

from django.core.management.base import CommandParser
from django.db import DatabaseError

from eligibility.adapters import (
    ISO_DATE,
    NetworkInputError,
    composition_from_network,
    parse_network_json,
    reference_date_problem,
)
from eligibility.core import Verdict, evaluate
from networks.management.italian import ItalianCommand

EXIT_ELIGIBLE, EXIT_NOT_ELIGIBLE, EXIT_INVALID, EXIT_PROGRAM_ERROR = 0, 1, 2, 3
STATUS_LABELS = {"pass": "OK", "warning": "ATTENZIONE", "fail": "NON SODDISFATTO"}
VERDICT_LABELS = {
    "eligible": "AMMISSIBILE",
    "eligible_with_warnings": "AMMISSIBILE CON OSSERVAZIONI",
    "not_eligible": "NON AMMISSIBILE",
}
# What would end a line of the text format (str.splitlines' boundaries) and tabs: a name in
# the file may hold a newline or a tab, and each rule must stay on one line.
_LINE_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """Return ``text`` with its line breaks and tabs made single spaces."""
    return _LINE_BREAKS.sub(" ", text)


class Command(ItalianCommand):
    help = (
        "Verifica una rete in formato ptp-network/1 rispetto alle regole (DGR X/124/2013). "
        "Esce con 0 se la rete è ammissibile (anche con osservazioni), 1 se non è ammissibile, "
        "2 se il file non è valido (errori sullo standard error), 3 per un errore del "
        "programma, senza esito (per esempio un database senza tabelle)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="file JSON ptp-network/1, oppure - per lo standard input")
        parser.add_argument(
            "--as-of",
            dest="as_of",
            metavar="AAAA-MM-GG",
            help="data di riferimento AAAA-MM-GG, al posto di quella del file",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text (il predefinito): una riga per regola; json: l'oggetto ptp-verdict/1",
        )

    def fail(self, lines: list[str]) -> NoReturn:
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
        try:
            verdict = self.verdict(options)
            lines = self.render(verdict, options["format"])
        except DatabaseError as error:
            self.stderr.write(
                f"Errore del programma, nessun esito: il catalogo non può essere letto dal "
                f"database ({error}). Esegui «python manage.py migrate» e riprova."
            )
            sys.exit(EXIT_PROGRAM_ERROR)
        except Exception:
            # A bug: exit 1 would read as "not eligible", which no check has said.
            self.stderr.write(traceback.format_exc())
            self.stderr.write("Errore del programma, nessun esito.")
            sys.exit(EXIT_PROGRAM_ERROR)
        for line in lines:
            self.stdout.write(line)
        if options["format"] == "text":
            # Coloured on a terminal only, as Django colours stderr; not red when eligible.
            style = {
                "eligible": self.style.SUCCESS,
                "eligible_with_warnings": self.style.WARNING,
            }.get(verdict.verdict, self.style.ERROR)
            self.stderr.write(
                f"Esito: {VERDICT_LABELS[verdict.verdict]} "
                f"(regole {verdict.ruleset}, data di riferimento {verdict.reference_date:%d/%m/%Y})",
                style_func=style if self.stderr.isatty() else None,
            )
        sys.exit(EXIT_NOT_ELIGIBLE if verdict.verdict == "not_eligible" else EXIT_ELIGIBLE)

    def verdict(self, options: dict[str, Any]) -> Verdict:
        """Return the verdict of the file; exit 2 listing every error of the input."""
        errors: list[str] = []
        as_of = self.as_of(options["as_of"], errors)
        raw = self.text(options["file"], errors)
        if raw is None:
            self.fail(errors)
        try:
            composition = composition_from_network(parse_network_json(raw), as_of=as_of)
        except NetworkInputError as error:
            self.fail(errors + [str(item) for item in error.errors])
        if errors:
            self.fail(errors)
        return evaluate(composition)

    def as_of(self, text: str | None, errors: list[str]) -> date | None:
        """Return the date of ``--as-of`` (``None`` without it); record why it is not one."""
        if text is None:
            return None
        if not text:
            errors.append(
                "--as-of: manca la data: scrivila nella forma AAAA-MM-GG (per esempio "
                "2026-11-23), oppure togli --as-of per usare quella del file"
            )
            return None
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError(text)
            as_of = date.fromisoformat(text)
        except ValueError:
            errors.append(f"--as-of: {text!r} non è una data AAAA-MM-GG")
            return None
        if problem := reference_date_problem(as_of):
            errors.append(f"--as-of: {problem}")
            return None
        return as_of

    def text(self, name: str, errors: list[str]) -> str | None:
        """Return the text of the file; record why it cannot be read (``None``)."""
        try:
            return self.read(name)
        except FileNotFoundError:
            errors.append(f"{name}: il file non esiste")
        except IsADirectoryError:
            errors.append(f"{name}: è una cartella, non un file")
        except PermissionError:
            errors.append(f"{name}: non hai il permesso di leggere il file")
        except OSError as error:
            errors.append(f"{name}: impossibile leggere il file ({error})")
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1
            errors.append(
                f"{name}: il file non è in UTF-8 (byte non valido alla riga {line}): "
                "salvalo o esportalo di nuovo con codifica UTF-8"
            )
        return None

    def render(self, verdict: Verdict, output: str) -> list[str]:
        """Return the lines of stdout: the ``ptp-verdict/1`` object, or one line per rule."""
        if output == "json":
            return [json.dumps(verdict.to_contract(), ensure_ascii=False, indent=2)]
        lines = []
        for result in verdict.results:
            line = f"{STATUS_LABELS[result.status]:<16}{result.code:<24}{result.message}"
            if result.status != "pass" and result.hint:
                line += f" → {result.hint}"
            lines.append(one_line(line))
        return lines
