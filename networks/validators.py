"""Validators of the real-world identifiers, each with a precise Italian message.

They normalise before checking (spaces, case) and say what is wrong and how to
fix it, never just "invalid": applicants type these codes by hand.
"""

import re
import unicodedata

import ateco
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from localflavor.it.it_province import PROVINCE_CHOICES
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat
from stdnum.it import codicefiscale, iva

PROVINCE_CODES = frozenset(code for code, _name in PROVINCE_CHOICES)
_SCHOOL_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{2}[A-Z0-9]{5}[A-Z0-9]$")
_ASCII_DIGITS = re.compile(r"[0-9]+")
_ATECO_SHAPE = re.compile(r"^[0-9]{2}(\.[0-9]{1,2}(\.[0-9]{1,2})?)?$")


def normalise_school_code(value: str) -> str:
    """Return the codice meccanografico without spaces, in capitals, full-width forms read as ASCII."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")).upper()


def validate_school_code(value: str) -> None:
    """Check a codice meccanografico: 10 characters, province, type, number, check character.

    The five 'number' characters may hold letters: the ministry gives such codes
    to many paritarie (e.g. ``MIPSUE500Q``), so only the shape is checked.
    """
    code = normalise_school_code(value)
    if len(code) != 10:
        raise ValidationError(
            _(
                "Il codice meccanografico deve avere 10 caratteri (per esempio SPIS00600X): "
                "ne hai scritti %(count)d."
            )
            % {"count": len(code)},
            code="school_code_length",
        )
    if not _SCHOOL_CODE.match(code):
        raise ValidationError(
            _(
                "Il codice meccanografico %(code)s contiene caratteri non ammessi: usa solo "
                "lettere e cifre, nella forma PP TT NNNNN C (per esempio SPIS00600X)."
            )
            % {"code": code},
            code="school_code_format",
        )
    if code[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _(
                "Il codice meccanografico %(code)s deve iniziare con la sigla di una provincia: "
                "%(prefix)s non lo è."
            )
            % {"code": code, "prefix": code[:2]},
            code="school_code_province",
        )


def normalise_vat_number(value: str) -> str:
    """Return the partita IVA digits only (drops spaces and an ``IT`` prefix)."""
    return iva.compact(value or "")


def validate_vat_number(value: str) -> None:
    """Check a partita IVA: 11 digits with a valid check digit."""
    number = normalise_vat_number(value)
    # stdnum says InvalidFormat both for a letter and for a number of zeros: told apart here.
    if not (number.isascii() and number.isdigit()):
        raise ValidationError(
            _("La partita IVA %(value)s non è valida: deve contenere solo cifre.")
            % {"value": number},
            code="vat_format",
        )
    if len(number) != 11:
        raise ValidationError(
            _("La partita IVA deve avere 11 cifre: ne hai scritte %(count)d.")
            % {"count": len(number)},
            code="vat_length",
        )
    try:
        iva.validate(number)
    except InvalidFormat:
        raise ValidationError(
            _(
                "La partita IVA %(value)s non è valida: le prime sette cifre (il numero del "
                "contribuente) non possono essere tutte zero. Controlla di averla copiata "
                "correttamente."
            )
            % {"value": number},
            code="vat_zero",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "La partita IVA %(value)s non è valida: la cifra di controllo non corrisponde. "
                "Controlla di averla copiata correttamente."
            )
            % {"value": number},
            code="vat_checksum",
        ) from None
    except InvalidComponent:
        raise ValidationError(
            _(
                "La partita IVA %(value)s non è valida: le cifre dall'ottava alla decima indicano "
                "un ufficio provinciale che non esiste. Controlla di averla copiata correttamente."
            )
            % {"value": number},
            code="vat_office",
        ) from None


def validate_personal_tax_code(value: str) -> None:
    """Check a person's codice fiscale (16 characters, check letter)."""
    code = codicefiscale.compact(value or "")
    if not codicefiscale.is_valid(code):
        raise ValidationError(
            _(
                "Il codice fiscale %(value)s non è valido: deve avere 16 caratteri e la lettera "
                "di controllo corretta."
            )
            % {"value": code},
            code="tax_code_invalid",
        )


def normalise_ateco(value: str) -> str:
    """Return an ATECO code in the dotted form (``301100`` -> ``30.11.00``).

    Full-width digits and dots (``３０．１１``, typed with an Asian keyboard layout)
    are read as the ASCII ones (NFKC); other scripts' digits are left for the
    shape check to refuse.
    """
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))
    if _ASCII_DIGITS.fullmatch(value) and len(value) > 2:
        return ateco.canonicalize(value)
    return value


def validate_ateco_code(value: str, edition: str = "2025") -> None:
    """Check that an ATECO code exists in the given edition of the ISTAT table."""
    code = normalise_ateco(value)
    if not _ATECO_SHAPE.match(code):
        raise ValidationError(
            _(
                "Il codice ATECO %(value)s non è nella forma attesa: scrivi divisione, gruppo "
                "e classe separati da punti, per esempio 30.11 oppure 25.62.00."
            )
            % {"value": value},
            code="ateco_format",
        )
    if not ateco.validate(code, edition=edition):
        raise ValidationError(
            _(
                "Il codice ATECO %(value)s non esiste nell'edizione %(edition)s della classificazione ISTAT."
            )
            % {"value": code, "edition": edition},
            code="ateco_unknown",
        )


def validate_ateco_prefix(value: str, edition: str = "2025") -> None:
    """Check a mapping prefix: an existing ATECO division, group or class."""
    validate_ateco_code(value, edition)
    node = ateco.lookup(normalise_ateco(value), edition=edition)
    if node is None or node.level not in {"division", "group", "class"}:
        raise ValidationError(
            _("Il prefisso %(value)s deve essere una divisione, un gruppo o una classe ATECO.")
            % {"value": value},
            code="ateco_prefix_level",
        )


# A spreadsheet reads a cell that starts with one of these as a formula; the open data
# publish names as they are, so a name may not start with one (docs/decisions/0004).
FORMULA_STARTS = ("=", "+", "-", "@")
# The control characters of ASCII and Latin-1 other than tab, line feed and carriage return
# (a textarea's line breaks): no text typed in a form has them, and the network file format
# refuses them (eligibility.adapters), so a text the portal keeps must not have them either.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
# In a text of several lines, besides the control characters, those that override the
# direction of the text around them (embeddings, overrides, isolates): U+202E makes a note read
# backwards. The marks (U+200E, U+200F) that right-to-left writing needs stay allowed.
_LONG_TEXT_HIDDEN = re.compile(f"[{CONTROL_CHARACTERS}\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
# What stands for a letter lost in a conversion between encodings: the text is not as typed.
REPLACEMENT_CHARACTER = "\ufffd"
# Line breaks (the line and paragraph separators U+2028, U+2029 too), tabs, the control
# characters, the characters that reverse the direction of the
# text around them (a name that displays otherwise than it reads) and those that show nothing
# (zero-width spaces and joiners, the word joiner, the byte-order mark, the soft hyphen:
# «Polo\u200b» would look like «Polo» and not be found as it): never part of a one-line name
# or code.
_HIDDEN = re.compile(
    f"[\t\n\r{CONTROL_CHARACTERS}\u00ad\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]"
)
# Markup has no place in a name the decree, the register and the mails print.
_MARKUP = re.compile("[<>]")


# Letters that print as blanks: the Braille pattern without dots and the Hangul fillers.
_BLANK_LETTERS = frozenset("\u2800\u115f\u1160\u3164\uffa0")
# Spaces, separators, controls, format characters and marks that only combine with another.
_UNSEEN_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})


def _require_visible(value: str) -> None:
    """Refuse a text that is not empty and yet shows nothing: a reason must be read."""
    if value and not any(
        character not in _BLANK_LETTERS
        and unicodedata.category(character) not in _UNSEEN_CATEGORIES
        for character in value
    ):
        raise ValidationError(
            _(
                "Il testo è fatto solo di spazi o di caratteri che non si vedono: scrivilo "
                "con lettere o cifre."
            ),
            code="invisible",
        )


def _refuse_replacement(value: str) -> None:
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(
            _(
                "Il testo contiene il carattere «%(character)s», che prende il posto di una "
                "lettera persa copiando da un programma con un'altra codifica: scrivi di nuovo "
                "la lettera al suo posto."
            )
            % {"character": REPLACEMENT_CHARACTER},
            code="replacement",
        )


def _check_plain(value: str, formula_message: str) -> None:
    _require_visible(value)
    _refuse_replacement(value)
    if _HIDDEN.search(value):
        raise ValidationError(
            _(
                "Il testo contiene un a capo, una tabulazione o un carattere invisibile (uno "
                "spazio di larghezza zero, un carattere di controllo o uno che cambia la "
                "direzione del testo): scrivilo su una riga, senza quei caratteri."
            ),
            code="hidden",
        )
    start = value.lstrip()[:1]
    if start and start in FORMULA_STARTS:
        raise ValidationError(formula_message % {"character": start}, code="formula")


def validate_plain_name(value: str) -> None:
    """Refuse a name a spreadsheet would run as a formula, with hidden characters or markup."""
    if _MARKUP.search(value):
        raise ValidationError(
            _(
                "Il nome non può contenere i caratteri < e >: scrivi il nome come compare "
                "negli atti, senza codice HTML."
            ),
            code="markup",
        )
    _check_plain(
        value,
        _(
            "Il nome non può iniziare con %(character)s (=, +, - e @ aprono una formula nei "
            "fogli di calcolo che leggono i dati aperti): comincia con una lettera o una cifra."
        ),
    )


def validate_member_key(value: str) -> None:
    """Refuse a member key ``poli.csv`` could not publish as it is (decisions 0004, 0012)."""
    _check_plain(
        value,
        _(
            "La chiave non può iniziare con %(character)s (=, +, - e @ aprono una formula nei "
            "fogli di calcolo che leggono i dati aperti): comincia con una lettera o una cifra."
        ),
    )


def validate_long_text(value: str) -> None:
    """Refuse a text of several lines (reasons, notes, descriptions) with control characters.

    The message says where the character is, since nobody sees it: the line and the
    words just before it.
    """
    found = _LONG_TEXT_HIDDEN.search(value)
    if found is None:
        _require_visible(value)
        _refuse_replacement(value)
        return
    start = found.start()
    line_start = value.rfind("\n", 0, start) + 1
    before = _LONG_TEXT_HIDDEN.sub("", value[line_start:start]).strip()[-30:].lstrip()
    line = value.count("\n", 0, start) + 1
    where = (
        _("alla riga %(line)d, subito dopo «%(before)s»") % {"line": line, "before": before}
        if before
        else _("all'inizio della riga %(line)d") % {"line": line}
    )
    what = (
        _("un carattere di controllo invisibile")
        if _CONTROL.fullmatch(found.group())
        else _("un carattere invisibile che cambia la direzione del testo")
    )
    raise ValidationError(
        _(
            "Il testo contiene %(what)s (U+%(point)04X) %(where)s: di solito arriva incollando "
            "da un altro programma. Cancella quel punto e scrivilo di nuovo."
        )
        % {"what": what, "point": ord(found.group()), "where": where},
        code="control",
    )


def validate_plain_text(value: str) -> None:
    """Refuse a one-line text (a code, a person's name) that would be a formula, or hidden characters."""
    _check_plain(
        value,
        _(
            "Non può iniziare con %(character)s (=, +, - e @ aprono una formula nei fogli di "
            "calcolo che leggono i dati aperti): comincia con una lettera o una cifra."
        ),
    )


# A phone number as people write it: an optional +, then 6 to 15 digits in groups separated by
# one space, hyphen, slash or dot, or with the area code in brackets.
_PHONE = re.compile(r"\+?(?:\([0-9]+\) ?)?[0-9]+(?:[ ./-]?[0-9]+)*")


def normalise_phone(value: str) -> str:
    """Return ``value`` with its runs of white space made single spaces."""
    return " ".join(value.split())


def validate_phone(value: str) -> None:
    """Refuse what is not a phone number of 6 to 15 digits (after ``normalise_phone``)."""
    digits = sum(character in "0123456789" for character in value)
    if value and (not _PHONE.fullmatch(value) or not 6 <= digits <= 15):
        raise ValidationError(
            _(
                "Scrivi un numero di telefono: cifre, con prefisso +39 se vuoi, e spazi, "
                "trattini o barre tra i gruppi (per esempio 02 1234 5678)."
            ),
            code="phone",
        )


# The largest integer every supported database stores in an id or a counter column.
DATABASE_INT_MAX = 2**31 - 1


def ascii_int(value: str, *, maximum: int = DATABASE_INT_MAX) -> int | None:
    """Return ``value`` as a number if it is ASCII digits (leading zeros allowed) up to ``maximum``.

    Anything else is ``None``: ``str.isdigit()`` also takes «²» and «①», which
    ``int()`` refuses, ``int()`` reads «٣» as 3 and refuses thousands of digits,
    and a database refuses to compare a number its columns cannot hold.
    """
    if not _ASCII_DIGITS.fullmatch(value):
        return None
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if number <= maximum else None
