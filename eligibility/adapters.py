"""The only bridge between the pure rules engine and the rest of the portal.

- ``catalogue_from_db`` reads areas, programmes and the ATECO mapping from the
  database, so an admin's change of a mapping changes the verdicts.
- ``parse_network_json`` reads the text of a file as JSON, and nothing more;
  ``composition_from_network`` validates the parsed ``ptp-network/1`` document
  (the characters of its strings included) and builds the core types; invalid
  input raises ``NetworkInputError`` with every error and its JSON path, all at
  once.
- ``composition_from_application`` builds the same types from an application
  and its members, so the web flow and the command line agree.
- ``network_from_application`` exports an application as ``ptp-network/1``.
"""

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import ateco
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from eligibility.core import (
    Area,
    AtecoCode,
    Catalogue,
    Composition,
    Kind,
    Member,
    Offering,
    Programme,
    SchoolYear,
)
from networks.constants import PROGRAMME_KINDS_BY_ORGANISATION, OrganisationKind
from networks.validators import (
    CONTROL_CHARACTERS,
    PROVINCE_CODES,
    normalise_ateco,
    normalise_school_code,
    normalise_vat_number,
    validate_ateco_code,
    validate_school_code,
    validate_vat_number,
)

FORMAT = "ptp-network/1"
CURRENT_EDITION = "2025"
REFERENCE_DATE_RANGE = (date(2000, 1, 1), date(2099, 12, 31))
# A date as the contract writes it (fullmatch): ``date.fromisoformat`` alone also reads
# 20261123 and 2026-W48-1, and ``\d`` full-width digits.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A field the file leaves out, told apart from one written as null.
_ABSENT = object()

_TOP_FIELDS = {"format", "name", "area", "reference_date", "lead_partner", "contact", "members"}
_TOP_REQUIRED = ("format", "name", "area", "members")
_CONTACT_FIELDS = {"name", "email", "phone"}
_COMMON_FIELDS = {"key", "kind", "name", "province"}
_KIND_FIELDS: dict[str, set[str]] = {
    "institute": {"school_code", "main_school_code", "status", "offerings"},
    "company": {"vat_number", "ateco", "ateco_edition", "chamber_registered", "commitment_signed"},
    "accredited_body": {"sections", "labour_services", "accreditation_id", "offerings"},
    "its": {"founders", "offerings"},
    "university": set(),
    "research_centre": set(),
    "other": set(),
}
_KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "institute": ("school_code", "status"),
    "company": ("vat_number", "ateco"),
    "accredited_body": ("sections",),
}
_SCHOOL_STATUSES = ("statale", "paritaria", "non_paritaria")
_EDITIONS = ("2007", "2022", "2025")


# JSON's \uXXXX escapes can spell what UTF-8 cannot: half of a surrogate pair, which no
# page can be encoded with, and control characters (NUL above all, which PostgreSQL
# refuses in text). A name or code has no use for them (nor for a carriage return); tab
# and newline are harmless. The forms refuse the same control characters.
_BAD_CHARACTER = re.compile(f"[{CONTROL_CHARACTERS}\r\ud800-\udfff]")


def _displayable(text: str) -> str:
    """Return ``text`` with every character ``_BAD_CHARACTER`` refuses made U+FFFD."""
    return _BAD_CHARACTER.sub("\ufffd", text)


@dataclass(frozen=True)
class InputError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    @property
    def member_index(self) -> int:
        """Return the member the error is about (-1 for the document's own fields), for sorting."""
        found = re.match(r"members\[(\d+)\]", self.path)
        return int(found.group(1)) if found else -1


class NetworkInputError(ValueError):
    """A ``ptp-network/1`` document that cannot be checked; ``errors`` lists every problem.

    Every path and message can be shown on a page: a character no page can hold,
    quoted from the file by some check, is replaced with U+FFFD.
    """

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = [
            InputError(_displayable(error.path), _displayable(error.message)) for error in errors
        ]
        super().__init__("\n".join(str(error) for error in self.errors))


def parse_network_json(text: str) -> Any:
    """Parse the text of a network file; raise ``NetworkInputError`` if it is not JSON.

    Besides malformed JSON, Python's parser refuses a document nested too deep
    (``RecursionError``) and an integer of more than 4,300 digits (``ValueError``).
    What the document holds is checked by ``composition_from_network``, with
    everything else, so that one run lists every error: a string with a character
    no page or database can hold (``_character_errors``), and a field named twice
    in one object, whose first value the parser would silently drop (the object
    returned remembers it).
    """
    try:
        return json.loads(
            text.removeprefix("\ufeff"),  # a byte-order mark some editors write
            object_pairs_hook=_object_from_pairs,
        )
    except json.JSONDecodeError as error:
        message = (
            f"JSON non valido alla riga {error.lineno}, colonna {error.colno}: correggi il file "
            "o esportalo di nuovo dal portale."
        )
    except RecursionError:
        message = "Il file JSON è annidato troppo in profondità."
    except ValueError:
        message = "Il file contiene un numero con troppe cifre: non è un file di rete valido."
    raise NetworkInputError([InputError("", message)])


class _RepeatedNames(dict[str, Any]):
    """A JSON object that names some fields more than once (``repeated``); the last value is kept."""

    repeated: tuple[str, ...] = ()


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return the object as ``json`` builds it, remembering the names it repeats."""
    data = dict(pairs)
    if len(data) == len(pairs):
        return data
    counts = Counter(name for name, _value in pairs)
    found = _RepeatedNames(data)
    found.repeated = tuple(name for name in data if counts[name] > 1)
    return found


def _bad_character(text: str) -> str | None:
    """Return why ``text`` cannot be accepted, or ``None``; the message never repeats it."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    point = ord(found.group())
    if point >= 0xD800:
        return (
            f"contiene un carattere non valido (U+{point:04X}, metà di una coppia surrogata "
            "UTF-16 senza l'altra metà): correggi il testo o esporta di nuovo il file"
        )
    return (
        f"contiene un carattere di controllo non ammesso (U+{point:04X}): toglilo; "
        "sono ammessi solo tabulazione e a capo"
    )


def _character_errors(data: Any) -> list[InputError]:
    """Return an error for every string, or field name, of ``data`` that ``_bad_character`` refuses.

    Fields named twice in one object (``_RepeatedNames``) are reported here too.

    The walk keeps its own stack: a document may be nested as deep as the parser
    allows, deeper than the call stack left to this function.
    """
    errors: list[InputError] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            problem = _bad_character(value)
            if problem:
                errors.append(InputError(path, problem))
        elif isinstance(value, dict):
            errors.extend(
                InputError(
                    f"{path}.{name}" if path else name,
                    "il campo è ripetuto nello stesso oggetto: tienine uno solo, con il valore "
                    "giusto",
                )
                for name in getattr(value, "repeated", ())
                if not _bad_character(name)
            )
            children = []
            for name, item in value.items():
                if _bad_character(name):
                    errors.append(
                        InputError(path, "il nome di un campo contiene un carattere non ammesso")
                    )
                    continue
                children.append((f"{path}.{name}" if path else name, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
    return errors


def _displayable_copy(data: Any) -> Any:
    """Return a copy of ``data`` in plain dicts and lists that every check can quote.

    Each character ``_character_errors`` refuses becomes U+FFFD, and a field whose
    name has one is left out (its error is reported already), so the structure is
    still checked without a message repeating what no page can show. The walk keeps
    its own stack, as ``_character_errors`` does.
    """

    def empty_or_leaf(value: Any) -> Any:
        if isinstance(value, str):
            return _displayable(value)
        if isinstance(value, dict):
            return {}
        if isinstance(value, list):
            return []
        return value

    copy = empty_or_leaf(data)
    stack: list[tuple[Any, Any]] = [(data, copy)] if isinstance(data, dict | list) else []
    while stack:
        source, target = stack.pop()
        items = (
            [(name, item) for name, item in source.items() if not _BAD_CHARACTER.search(name)]
            if isinstance(source, dict)
            else list(enumerate(source))
        )
        for name, item in items:
            copied = empty_or_leaf(item)
            if isinstance(target, dict):
                target[name] = copied
            else:
                target.append(copied)
            if isinstance(item, dict | list):
                stack.append((item, copied))
    return copy


# --- catalogue -------------------------------------------------------------------------------


def catalogue_from_db() -> Catalogue:
    """Return the catalogue as the rules see it, read from the database (three queries)."""
    from networks.models import AtecoMapping, EconomicArea, StudyProgramme

    areas = {
        area.code: Area(area.code, area.name, area.active) for area in EconomicArea.objects.all()
    }
    programmes = {}
    for programme in StudyProgramme.objects.select_related("successor").prefetch_related("areas"):
        programmes[programme.code] = Programme(
            code=programme.code,
            name=programme.name,
            kind=programme.kind,  # type: ignore[arg-type]
            areas=frozenset(area.code for area in programme.areas.all()),
            valid_from=SchoolYear(programme.valid_from),
            valid_to=SchoolYear(programme.valid_to) if programme.valid_to is not None else None,
            successor=programme.successor.code if programme.successor else None,
        )
    prefixes: dict[str, set[str]] = {}
    for prefix, area_code in AtecoMapping.objects.filter(edition=CURRENT_EDITION).values_list(
        "prefix", "area__code"
    ):
        prefixes.setdefault(prefix, set()).add(area_code)
    return Catalogue(
        areas=areas,
        programmes=programmes,
        ateco_prefixes={prefix: frozenset(codes) for prefix, codes in prefixes.items()},
    )


def ateco_code(code: str, edition: str = CURRENT_EDITION) -> AtecoCode:
    """Return the core's ATECO code with its 2025 targets from ISTAT's correspondence.

    ATECO 2025 codes stand for themselves; 2022 codes go through the package's
    2022→2025 table; codes without a correspondence (ATECO 2007 has none in
    the package) get no target, which the rules report for an officer to assess.
    """
    code = normalise_ateco(code)
    if edition == CURRENT_EDITION:
        return AtecoCode(code, edition, (code,))
    try:
        targets = ateco.map_code(code, edition, CURRENT_EDITION).targets
    except (KeyError, NotImplementedError, ValueError):
        targets = ()
    return AtecoCode(code, edition, tuple(targets))


# --- ptp-network/1 JSON -> core ---------------------------------------------------------------


# The spelling of a school year in the format (fullmatch): ``\d`` would take full-width and
# other scripts' digits, which ``int()`` reads as the ASCII ones.
_SCHOOL_YEAR = re.compile(r"[0-9]{4}/[0-9]{2}")
# Spaces around a key, as the schema's ``\S`` reads them: Python's ``str.strip`` keeps
# U+FEFF (a byte-order mark pasted into a key), which JSON Schema's engines call a space.
_KEY_EDGES = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")
_DECIMAL_DIGIT = re.compile(r"\d")


def reference_date_problem(value: date) -> str | None:
    """Return why the rules cannot be asked about ``value``, or ``None``.

    School years are counted from it: a date at the ends of the calendar has no
    year before or after it, and no rule of 2013 can be asked about year 1 or 9999.
    """
    first, last = REFERENCE_DATE_RANGE
    if first <= value <= last:
        return None
    return (
        f"la data {value.isoformat()} è fuori dall'intervallo ammesso: usa una data tra "
        f"{first.isoformat()} e {last.isoformat()}"
    )


def _school_year_as_typed(text: str) -> str:
    """Return ``text`` as a person may have meant it: ASCII digits and slash, no spaces."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return _DECIMAL_DIGIT.sub(lambda digit: str(unicodedata.decimal(digit.group())), text)


def _ateco_spelling(written: str, canonical: str) -> str:
    """Return how to write an ATECO code that ``normalise_ateco`` reads as ``canonical``."""
    if written.isascii() and written.isdigit():
        return f"scrivi il codice ATECO con i punti ({canonical})"
    return f"scrivi il codice ATECO con le cifre 0-9 e i punti, senza spazi ({canonical})"


class _Validator:
    """Collect every error of a document with its JSON path, then build the composition."""

    def __init__(self, catalogue: Catalogue, *, check_validity: bool = True) -> None:
        self.catalogue = catalogue
        # Whether an offering must lie within its programme's years of validity: not for a
        # version filed when the catalogue said otherwise (``filed_validity``).
        self.check_validity = check_validity
        self.errors: list[InputError] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(InputError(path, message))

    def string(self, value: Any, path: str, *, required: bool = True) -> str:
        if not isinstance(value, str):
            self.error(path, "deve essere una stringa")
            return ""
        if required and not value.strip():
            self.error(path, "non può essere vuoto")
        return value.strip()

    def key(self, value: Any, path: str, *, empty: str) -> str:
        """Return a member key written exactly, or ``""`` after recording why it is not.

        Keys are compared as written, everywhere (decision 0005): a key with a
        space before or after it would be another key to whoever reads the file.
        """
        if not isinstance(value, str):
            self.error(path, "deve essere una stringa: la chiave (key) di un membro")
            return ""
        stripped = _KEY_EDGES.sub("", value)
        if not stripped:
            self.error(path, empty)
            return ""
        if value != stripped:
            self.error(path, f"scrivi la chiave senza spazi all'inizio o alla fine («{stripped}»)")
            return ""
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, "deve essere true o false")
            return False
        return value

    def school_year(self, value: Any, path: str) -> SchoolYear | None:
        if not isinstance(value, str):
            self.error(
                path, "deve essere un anno scolastico nella forma AAAA/AA, per esempio 2023/24"
            )
            return None
        written = value if _SCHOOL_YEAR.fullmatch(value) else _school_year_as_typed(value)
        try:
            year = SchoolYear.parse(written)
        except ValueError as error:
            self.error(path, str(error))
            return None
        if written != value:
            # The format is a contract (the schema's pattern), as for identifiers: decision 0005.
            self.error(path, f"scrivi l'anno scolastico con le cifre 0-9 e senza spazi ({year})")
            return None
        return year

    def unknown_fields(self, data: Mapping[str, Any], allowed: set[str], path: str) -> None:
        for name in sorted(set(data) - allowed):
            self.error(f"{path}.{name}" if path else name, "campo non previsto dal formato")

    def document(self, data: Any, *, as_of: date | None) -> Composition | None:
        if not isinstance(data, dict):
            self.error("", "Il documento deve essere un oggetto JSON")
            return None
        self.unknown_fields(data, _TOP_FIELDS, "")
        for name in _TOP_REQUIRED:
            if name not in data:
                self.error(name, "campo obbligatorio mancante")
        if "format" in data and data["format"] != FORMAT:
            self.error("format", f"deve essere esattamente {FORMAT!r}")
        if "name" in data:
            self.string(data["name"], "name")
        area = self.area(data["area"]) if "area" in data else ""
        reference = self.reference_date(data.get("reference_date", _ABSENT), as_of)
        lead = data.get("lead_partner")
        if lead is not None and not isinstance(lead, str):
            self.error("lead_partner", "deve essere la chiave (key) di un membro")
            lead = None
        if "contact" in data:
            self.contact(data["contact"])
        members = self.members(data.get("members", []))
        if self.errors or reference is None:
            return None
        return Composition(
            area=area,
            reference_date=reference,
            lead_partner=lead,
            members=tuple(members),
            catalogue=self.catalogue,
        )

    def area(self, value: Any) -> str:
        if not isinstance(value, str):
            self.error("area", "deve essere una stringa")
        elif value in self.catalogue.areas:
            return value
        elif not value.strip():
            self.error("area", "non può essere vuoto")
        elif value.strip() in self.catalogue.areas:
            self.error("area", f"scrivi il codice dell'area senza spazi ({value.strip()})")
        else:
            known = ", ".join(sorted(self.catalogue.areas))
            self.error("area", f"area sconosciuta {value!r}: usa uno di {known}")
        return ""

    def reference_date(self, value: Any, as_of: date | None) -> date | None:
        """Return the date the rules apply at: ``as_of``, else the file's, else today.

        The file's own date is checked even when ``as_of`` replaces it: whether a
        file is valid input does not depend on how it is checked.
        """
        written = None if value is _ABSENT else self._iso_date(value)
        if as_of is not None:
            return as_of
        return timezone.localdate() if value is _ABSENT else written

    def _iso_date(self, value: Any) -> date | None:
        if value is None:
            # The schema's type is a string: an absent field, not null, means today.
            self.error(
                "reference_date",
                "togli il campo per usare la data di oggi, o scrivi una data ISO, "
                "per esempio 2026-11-23",
            )
            return None
        if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
            self.error("reference_date", "deve essere una data ISO, per esempio 2026-11-23")
            return None
        try:
            written = date.fromisoformat(value)
        except ValueError:
            self.error("reference_date", f"la data {value!r} non esiste")
            return None
        if problem := reference_date_problem(written):
            self.error("reference_date", problem)
            return None
        return written

    def contact(self, value: Any) -> None:
        if not isinstance(value, dict):
            self.error("contact", "deve essere un oggetto con name, email, phone")
            return
        self.unknown_fields(value, _CONTACT_FIELDS, "contact")
        for name in _CONTACT_FIELDS & set(value):
            self.string(value[name], f"contact.{name}", required=False)

    def members(self, value: Any) -> list[Member]:
        if not isinstance(value, list):
            self.error("members", "deve essere un elenco di membri")
            return []
        keys = Counter(
            item.get("key")
            for item in value
            if isinstance(item, dict) and isinstance(item.get("key"), str)
        )
        members = []
        for index, item in enumerate(value):
            member = self.member(item, f"members[{index}]", keys)
            if member is not None:
                members.append(member)
        return members

    def member(self, item: Any, path: str, keys: Counter[str]) -> Member | None:
        if not isinstance(item, dict):
            self.error(path, "deve essere un oggetto")
            return None
        # What every kind has is checked first: a member without a valid kind gets its
        # key and name checked all the same.
        key = ""
        if "key" not in item:
            self.error(f"{path}.key", "campo obbligatorio mancante")
        else:
            key = self.key(
                item["key"],
                f"{path}.key",
                empty="non può essere vuota: dai al membro una chiave che lo distingua, per "
                "esempio «istituto-a»",
            )
            if key and keys[key] > 1:
                self.error(
                    f"{path}.key", f"la chiave {key!r} è ripetuta: ogni membro ne ha una sua"
                )
        if "name" not in item:
            self.error(f"{path}.name", "campo obbligatorio mancante")
        name = self.string(item["name"], f"{path}.name") if "name" in item else ""
        province = self.province(item["province"], path) if "province" in item else ""
        kind = item.get("kind")
        if "kind" not in item:
            self.error(
                f"{path}.kind",
                f"campo obbligatorio mancante: indica il tipo, uno di {', '.join(_KIND_FIELDS)}",
            )
            return None
        if not isinstance(kind, str) or kind not in _KIND_FIELDS:
            self.error(
                f"{path}.kind", f"tipo sconosciuto {kind!r}: usa uno di {', '.join(_KIND_FIELDS)}"
            )
            return None
        self.unknown_fields(item, _COMMON_FIELDS | _KIND_FIELDS[kind], path)
        for required in _KIND_REQUIRED.get(kind, ()):
            if required not in item:
                self.error(f"{path}.{required}", "campo obbligatorio mancante")
        fields: dict[str, Any] = {
            "key": key,
            "kind": Kind(kind),
            "name": name,
            "province": province,
        }
        getattr(self, f"_{kind}", lambda *_: None)(item, path, fields, keys)
        if "offerings" in item:
            fields["offerings"] = self.offerings(item["offerings"], f"{path}.offerings", kind)
        return Member(**fields)

    def province(self, written: Any, path: str) -> str:
        # The schema's pattern: two capital letters, as the file would be read by other
        # programs too (decision 0005).
        path = f"{path}.province"
        if not isinstance(written, str):
            self.error(path, "deve essere una stringa")
            return ""
        province = written.strip().upper()
        if province and province not in PROVINCE_CODES:
            self.error(path, f"{province!r} non è la sigla di una provincia italiana")
        elif not province:
            self.error(path, "scrivi la sigla della provincia (per esempio MI) o togli il campo")
        elif written.strip() != written:
            self.error(path, f"scrivi la sigla della provincia senza spazi ({province})")
        elif written != province:
            self.error(path, f"scrivi la sigla della provincia in maiuscolo ({province})")
        return province

    def _institute(
        self, item: Mapping[str, Any], path: str, fields: dict[str, Any], keys: Counter[str]
    ) -> None:
        for name in ("school_code", "main_school_code"):
            if name in item:
                if not isinstance(item[name], str):
                    self.error(f"{path}.{name}", "deve essere una stringa")
                    continue
                code = normalise_school_code(item[name])
                try:
                    validate_school_code(code)
                except ValidationError as error:
                    self.error(f"{path}.{name}", error.messages[0])
                else:
                    # The format is a contract (the schema's pattern): a code written another
                    # way would be another organisation to whoever compares the files.
                    if item[name] != code:
                        self.error(
                            f"{path}.{name}",
                            f"scrivi il codice meccanografico in maiuscolo e senza spazi ({code})",
                        )
                fields[name] = code
        if "status" in item:
            if item["status"] not in _SCHOOL_STATUSES:
                self.error(f"{path}.status", f"deve essere uno di {', '.join(_SCHOOL_STATUSES)}")
            else:
                fields["school_status"] = item["status"]

    def _company(
        self, item: Mapping[str, Any], path: str, fields: dict[str, Any], keys: Counter[str]
    ) -> None:
        if "vat_number" in item:
            number = self.string(item["vat_number"], f"{path}.vat_number")
            try:
                validate_vat_number(number)
            except ValidationError as error:
                self.error(f"{path}.vat_number", error.messages[0])
            else:
                number = normalise_vat_number(number)
                if item["vat_number"] != number:
                    self.error(
                        f"{path}.vat_number",
                        "scrivi la partita IVA con le sole 11 cifre, senza «IT» né spazi "
                        f"({number})",
                    )
            fields["vat_number"] = number
        edition = item.get("ateco_edition", CURRENT_EDITION)
        if edition not in _EDITIONS:
            self.error(f"{path}.ateco_edition", f"deve essere una di {', '.join(_EDITIONS)}")
            edition = CURRENT_EDITION
        if "ateco" in item:
            codes = item["ateco"]
            if not isinstance(codes, list) or not codes:
                self.error(f"{path}.ateco", "deve essere un elenco non vuoto di codici ATECO")
            else:
                converted = []
                for position, code in enumerate(codes):
                    code_path = f"{path}.ateco[{position}]"
                    if not isinstance(code, str):
                        self.error(code_path, "deve essere una stringa")
                        continue
                    try:
                        validate_ateco_code(code, edition)
                    except ValidationError as error:
                        self.error(code_path, error.messages[0])
                        continue
                    canonical = normalise_ateco(code)
                    if code != canonical:  # decision 0005, as for the other identifiers
                        self.error(code_path, _ateco_spelling(code, canonical))
                        continue
                    converted.append(ateco_code(code, edition))
                fields["ateco"] = tuple(converted)
        for name in ("chamber_registered", "commitment_signed"):
            if name in item:
                fields[name] = self.boolean(item[name], f"{path}.{name}")

    def _accredited_body(
        self, item: Mapping[str, Any], path: str, fields: dict[str, Any], keys: Counter[str]
    ) -> None:
        if "sections" in item:
            sections = item["sections"]
            # The type checks come first: set() of a list holding a list would raise.
            if (
                not isinstance(sections, list)
                or not all(isinstance(section, str) for section in sections)
                or not set(sections) <= {"A", "B"}
            ):
                self.error(
                    f"{path}.sections",
                    'deve essere un elenco con "A" e/o "B" (vuoto se solo servizi per il lavoro)',
                )
            elif len(set(sections)) != len(sections):
                self.error(f"{path}.sections", "scrivi ogni sezione una volta sola")
            else:
                fields["sections"] = frozenset(sections)
        if "labour_services" in item:
            fields["labour_services"] = self.boolean(
                item["labour_services"], f"{path}.labour_services"
            )
        if "accreditation_id" in item:
            fields["accreditation_id"] = self.string(
                item["accreditation_id"], f"{path}.accreditation_id", required=False
            )

    def _its(
        self, item: Mapping[str, Any], path: str, fields: dict[str, Any], keys: Counter[str]
    ) -> None:
        founders = item.get("founders", [])
        if not isinstance(founders, list) or not all(isinstance(key, str) for key in founders):
            self.error(f"{path}.founders", "deve essere un elenco di chiavi (key) di membri")
            return
        for position, key in enumerate(founders):
            where = f"{path}.founders[{position}]"
            if not self.key(
                key,
                where,
                empty="non può essere vuota: scrivi la chiave (key) di un membro di questa rete",
            ):
                continue
            if key not in keys:
                self.error(where, f"{key!r} non è la chiave di un membro di questa rete")
            elif key == item.get("key"):
                self.error(where, "un ITS non può essere socio fondatore di se stesso")
        fields["founders"] = tuple(founders)

    def _unknown_programme(self, code: Any) -> str:
        meant = code.strip().upper() if isinstance(code, str) else ""
        if meant in self.catalogue.programmes:
            return f"scrivi il codice dell'indirizzo in maiuscolo e senza spazi ({meant})"
        return f"indirizzo sconosciuto {code!r}"

    def offerings(self, value: Any, path: str, kind: str) -> tuple[Offering, ...]:
        if not isinstance(value, list):
            self.error(path, "deve essere un elenco di offerte formative")
            return ()
        allowed = PROGRAMME_KINDS_BY_ORGANISATION.get(OrganisationKind(kind), set())
        offerings = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.error(item_path, "deve essere un oggetto con programme, from, to")
                continue
            self.unknown_fields(item, {"programme", "from", "to"}, item_path)
            for name in ("programme", "from"):
                if name not in item:
                    self.error(f"{item_path}.{name}", "campo obbligatorio mancante")
            code = item.get("programme")
            programme = self.catalogue.programmes.get(code) if isinstance(code, str) else None
            if "programme" in item and programme is None:
                self.error(f"{item_path}.programme", self._unknown_programme(code))
            elif programme is not None and programme.kind not in allowed:
                self.error(
                    f"{item_path}.programme",
                    f"un membro di tipo {kind} non può offrire l'indirizzo {code} ({programme.kind})",
                )
            first = self.school_year(item["from"], f"{item_path}.from") if "from" in item else None
            last = None
            if item.get("to") is not None:
                last = self.school_year(item["to"], f"{item_path}.to")
            # A last year refused has its error: read as "still offered", it would get another.
            to_refused = item.get("to") is not None and last is None
            if first is None or programme is None:
                continue
            if last is not None and last < first:
                self.error(f"{item_path}.to", f"l'ultimo anno {last} precede il primo {first}")
            if not self.check_validity:
                offerings.append(Offering(code, first, last))
                continue
            if first < programme.valid_from:
                self.error(
                    f"{item_path}.from",
                    f"l'indirizzo {code} è valido solo dal {programme.valid_from}",
                )
            if programme.valid_to is not None:
                if first > programme.valid_to:
                    self.error(
                        f"{item_path}.from",
                        f"l'indirizzo {code} non ammette nuove classi dopo il {programme.valid_to}",
                    )
                elif not to_refused and (last is None or last > programme.valid_to):
                    self.error(
                        f"{item_path}.to",
                        f"l'indirizzo {code} è valido fino al {programme.valid_to}: indica un ultimo anno non successivo",
                    )
            offerings.append(Offering(code, first, last))
        return tuple(offerings)


def composition_from_network(
    data: Any,
    *,
    catalogue: Catalogue | None = None,
    as_of: date | None = None,
    filed_validity: bool = False,
) -> Composition:
    """Validate a parsed ``ptp-network/1`` document and return its composition.

    ``as_of`` overrides the document's ``reference_date`` (which is checked all
    the same); it must be a date the rules can be asked about
    (``reference_date_problem``), else ``ValueError``. Raise
    ``NetworkInputError`` listing every problem with its JSON path, member by
    member: the strings' characters and the fields named twice
    (``_character_errors``) with everything else, one error per path.

    With ``filed_validity`` the offerings are not checked against their programmes'
    years of validity: a version filed when the catalogue gave other years (an
    administrator corrected them since) is read as filed, and the rules judge it.
    """
    if as_of is not None and (problem := reference_date_problem(as_of)):
        raise ValueError(problem)
    text_errors = _character_errors(data)
    validator = _Validator(catalogue or catalogue_from_db(), check_validity=not filed_validity)
    composition = validator.document(_displayable_copy(data) if text_errors else data, as_of=as_of)
    marked = {error.path for error in text_errors}
    errors = text_errors + [error for error in validator.errors if error.path not in marked]
    if errors or composition is None:
        raise NetworkInputError(sorted(errors, key=lambda error: error.member_index))
    return composition


# --- ORM -> core and ptp-network/1 ------------------------------------------------------------


# The order of every list an export writes (``network_from_application``): each ends with a
# unique column, so two exports of the same data agree on any database, and a frozen version
# never differs from the next one by the order of a list alone (``networks.diff``). Members
# in the applicant's order; offerings by first year and programme (unique together); founders
# by name, then identifier (names repeat: "Fondazione ...", a company's branches), then id.
MEMBER_ORDER = ("position", "pk")
OFFERING_ORDER = ("first_year", "programme__code", "pk")
FOUNDER_ORDER = ("name", "school_code", "vat_number", "pk")


def application_queryset_for_evaluation(queryset: Any) -> Any:
    """Return ``queryset`` of applications with everything the adapters read, prefetched."""
    from networks.models import ApplicationMember, Offering, Organisation

    return queryset.select_related("area", "call").prefetch_related(
        Prefetch(
            "members",
            queryset=ApplicationMember.objects.select_related(
                "organisation", "organisation__main_institution"
            )
            .order_by(*MEMBER_ORDER)
            .prefetch_related(
                Prefetch(
                    "organisation__offerings",
                    queryset=Offering.objects.select_related("programme").order_by(*OFFERING_ORDER),
                ),
                Prefetch(
                    "organisation__founders",
                    queryset=Organisation.objects.only("id").order_by(*FOUNDER_ORDER),
                ),
            ),
        )
    )


def _member_from_membership(membership: Any, key_by_organisation: Mapping[int, str]) -> Member:
    organisation = membership.organisation
    kind = Kind(organisation.kind)
    fields: dict[str, Any] = {
        "key": membership.key,
        "kind": kind,
        "name": organisation.name,
        "province": organisation.province,
    }
    if kind is Kind.INSTITUTE:
        fields |= {
            "school_code": organisation.school_code,
            "main_school_code": organisation.main_school_code,
            "school_status": organisation.school_status,
        }
    elif kind is Kind.COMPANY:
        fields |= {
            "vat_number": organisation.vat_number,
            "ateco": tuple(
                ateco_code(code, organisation.ateco_edition) for code in organisation.ateco_codes
            ),
            "chamber_registered": organisation.chamber_registered,
            "commitment_signed": membership.commitment_signed,
        }
    elif kind is Kind.ACCREDITED_BODY:
        fields |= {
            "sections": frozenset(organisation.sections),
            "labour_services": organisation.labour_services,
            "accreditation_id": organisation.accreditation_id,
        }
    elif kind is Kind.ITS:
        fields["founders"] = tuple(
            key_by_organisation[founder.pk]
            for founder in organisation.founders.all()
            if founder.pk in key_by_organisation
        )
    if kind in {Kind.INSTITUTE, Kind.ACCREDITED_BODY, Kind.ITS}:
        fields["offerings"] = tuple(
            Offering(
                offering.programme.code,
                SchoolYear(offering.first_year),
                SchoolYear(offering.last_year) if offering.last_year is not None else None,
            )
            for offering in organisation.offerings.all()
        )
    return Member(**fields)


def composition_from_application(
    application: Any, *, catalogue: Catalogue | None = None, as_of: date | None = None
) -> Composition:
    """Return the composition of an application (prefetch with ``application_queryset_for_evaluation``)."""
    memberships = list(application.members.all())
    key_by_organisation = {membership.organisation_id: membership.key for membership in memberships}
    lead = next((membership.key for membership in memberships if membership.is_lead), None)
    return Composition(
        area=application.area.code if application.area_id else "",
        reference_date=as_of or timezone.localdate(),
        lead_partner=lead,
        members=tuple(_member_from_membership(m, key_by_organisation) for m in memberships),
        catalogue=catalogue or catalogue_from_db(),
    )


def _offerings_json(offerings: Iterable[Offering]) -> list[dict[str, Any]]:
    return [
        {"programme": o.programme, "from": str(o.first), "to": str(o.last) if o.last else None}
        for o in offerings
    ]


def member_to_json(member: Member, *, ateco_edition: str = CURRENT_EDITION) -> dict[str, Any]:
    """Return a core member as a ``ptp-network/1`` member object."""
    data: dict[str, Any] = {"key": member.key, "kind": str(member.kind), "name": member.name}
    if member.province:
        data["province"] = member.province
    if member.kind is Kind.INSTITUTE:
        data |= {
            "school_code": member.school_code,
            "main_school_code": member.institution_code,
            "status": member.school_status,
            "offerings": _offerings_json(member.offerings),
        }
    elif member.kind is Kind.COMPANY:
        data |= {
            "vat_number": member.vat_number,
            "ateco": [code.code for code in member.ateco],
            "ateco_edition": member.ateco[0].edition if member.ateco else ateco_edition,
            "chamber_registered": member.chamber_registered,
            "commitment_signed": member.commitment_signed,
        }
    elif member.kind is Kind.ACCREDITED_BODY:
        data |= {
            "sections": sorted(member.sections),
            "labour_services": member.labour_services,
            "accreditation_id": member.accreditation_id,
            "offerings": _offerings_json(member.offerings),
        }
    elif member.kind is Kind.ITS:
        data |= {"founders": list(member.founders), "offerings": _offerings_json(member.offerings)}
    return data


def network_from_application(application: Any, *, as_of: date | None = None) -> dict[str, Any]:
    """Return the application as a ``ptp-network/1`` document."""
    composition = composition_from_application(application, as_of=as_of)
    data: dict[str, Any] = {
        "format": FORMAT,
        "name": application.name,
        "area": composition.area,
        "reference_date": composition.reference_date.isoformat(),
        "lead_partner": composition.lead_partner,
    }
    contact = {
        name: value
        for name, value in (
            ("name", application.contact_name),
            ("email", application.contact_email),
            ("phone", application.contact_phone),
        )
        if value
    }
    if contact:
        data["contact"] = contact
    data["members"] = [member_to_json(member) for member in composition.members]
    return data
