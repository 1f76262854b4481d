"""The portal's management commands speak Italian on the command line too.

Their own help is written in Italian; what argparse and Django add around it (the
usage line, the section titles, the options every command has, the errors of a
command line that cannot be read) is in English. ``ItalianCommand`` gives those
texts in Italian, so that ``check_network`` answers a missing file or an unknown
``--format`` in the language of its other messages, still with exit status 2.
"""

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter

# The help of the options Django gives every command, by option.
_BASE_HELP = {
    "--help": "mostra questo aiuto ed esce",
    "--version": "mostra la versione del programma ed esce",
    "--verbosity": "quanto scrivere: 0 il minimo, 1 il normale, 2 di più, 3 tutto",
    "--settings": (
        "il modulo Python delle impostazioni, per esempio «ptp_portal.settings.prod»; "
        "senza, vale la variabile d'ambiente DJANGO_SETTINGS_MODULE"
    ),
    "--pythonpath": "una cartella da aggiungere al percorso di Python",
    "--traceback": "in caso di errore mostra tutta la traccia dello stack",
    "--no-color": "non colora i messaggi",
    "--force-color": "colora i messaggi anche fuori da un terminale",
    "--skip-checks": "salta i controlli di sistema",
}

# What argparse says when a command line cannot be read, and how it is said in Italian.
_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "mancano gli argomenti obbligatori: {names}"),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "argomenti non riconosciuti: {names}"),
    (
        re.compile(r"argument (?P<name>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
        "argomento {name}: {value} non è tra le scelte ammesse ({choices})",
    ),
    (re.compile(r"argument (?P<name>\S+): expected one argument"), "argomento {name}: manca il valore"),
    (
        re.compile(r"argument (?P<name>\S+): invalid (?P<type>\S+) value: (?P<value>.+)"),
        "argomento {name}: valore non valido {value}",
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
        "opzione ambigua: {option} può essere {matches}",
    ),
    (re.compile(r"argument (?P<name>\S+): (?P<message>.+)"), "argomento {name}: {message}"),
)  # fmt: skip


def italian_error(message: str) -> str:
    """Return argparse's ``message`` in Italian; one it does not know, as it is."""
    for pattern, italian in _ERRORS:
        if found := pattern.fullmatch(message):
            return italian.format(**found.groupdict())
    return message


class ItalianHelpFormatter(DjangoHelpFormatter):
    """Django's layout of the help, with the usage line headed in Italian."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class ItalianCommandParser(CommandParser):
    """Django's parser; the errors of a command line it cannot read are said in Italian."""

    def error(self, message: str) -> Any:
        return super().error(italian_error(message))

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        if message and ": error: " in message:
            message = message.replace(": error: ", ": errore: ", 1)
        return super().exit(status, message)


class ItalianCommand(BaseCommand):
    """A management command whose command line, help and usage errors are in Italian."""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kwargs.setdefault("formatter_class", ItalianHelpFormatter)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = ItalianCommandParser
        parser._positionals.title = "argomenti"
        parser._optionals.title = "opzioni"
        for action in parser._actions:
            for option in action.option_strings:
                if option in _BASE_HELP:
                    action.help = _BASE_HELP[option]
        return parser
