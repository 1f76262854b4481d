"""A test catalogue with the real codes of ``catalogue.md``.

All seven areas and every ATECO division of the mapping, and a representative
subset of programmes: each kind, the reform from IPO-MAT to IP-MAT, the ITS
areas of both orders, and programmes of areas other than meccanica.
"""

from eligibility.core import Area, Catalogue, Programme, SchoolYear

Y2010 = SchoolYear(2010)
OLD_ORDER_END = SchoolYear(2017)  # last year of the DPR 87/2010 professional courses
NEW_ORDER_START = SchoolYear(2018)
OLD_ITS_END = SchoolYear(2023)
NEW_ITS_START = SchoolYear(2024)

AREAS = {
    "agroalimentare": "Agroalimentare",
    "manifattura": "Manifattura",
    "meccanica": "Meccanica",
    "cultura": "Cultura",
    "turismo": "Turismo",
    "servizi-commerciali-trasporti": "Servizi commerciali e trasporti",
    "servizi-persona": "Servizi alla persona",
}

# code, name, kind, areas, valid_from, valid_to, successor
_PROGRAMMES = [
    ("IT-AFM", "Amministrazione, finanza e marketing", "tecnico",
     {"servizi-commerciali-trasporti"}, Y2010, None, None),
    ("IT-TUR", "Turismo", "tecnico", {"turismo"}, Y2010, None, None),
    ("IT-MME", "Meccanica, meccatronica ed energia", "tecnico", {"meccanica"}, Y2010, None, None),
    ("IT-TRL", "Trasporti e logistica", "tecnico",
     {"servizi-commerciali-trasporti", "meccanica"}, Y2010, None, None),
    ("IT-ELE", "Elettronica ed elettrotecnica", "tecnico", {"meccanica"}, Y2010, None, None),
    ("IT-INF", "Informatica e telecomunicazioni", "tecnico", {"cultura"}, Y2010, None, None),
    ("IT-AGR", "Agraria, agroalimentare e agroindustria", "tecnico", {"agroalimentare"},
     Y2010, None, None),
    ("IPO-MAT", "Manutenzione e assistenza tecnica", "professionale", {"meccanica"},
     Y2010, OLD_ORDER_END, "IP-MAT"),
    ("IPO-ENO", "Servizi per l'enogastronomia e l'ospitalità alberghiera", "professionale",
     {"turismo", "agroalimentare"}, Y2010, OLD_ORDER_END, "IP-ENO"),
    ("IPO-SSS", "Servizi socio-sanitari", "professionale", {"servizi-persona"},
     Y2010, OLD_ORDER_END, "IP-SSA"),
    ("IP-MAT", "Manutenzione e assistenza tecnica", "professionale", {"meccanica"},
     NEW_ORDER_START, None, None),
    ("IP-ENO", "Enogastronomia e ospitalità alberghiera", "professionale",
     {"turismo", "agroalimentare"}, NEW_ORDER_START, None, None),
    ("IP-SSA", "Servizi per la sanità e l'assistenza sociale", "professionale",
     {"servizi-persona"}, NEW_ORDER_START, None, None),
    ("IEFP-MEC", "Operatore meccanico", "iefp", {"meccanica"}, Y2010, None, None),
    ("IEFP-RIS", "Operatore della ristorazione", "iefp", {"turismo"}, Y2010, None, None),
    ("IEFP-GRA", "Operatore grafico", "iefp", {"cultura"}, Y2010, None, None),
    ("ITSO-MI-MEC", "Nuove tecnologie per il Made in Italy – sistema meccanica", "its",
     {"meccanica"}, Y2010, OLD_ITS_END, None),
    ("ITSO-BCT", "Tecnologie innovative per i beni e le attività culturali – turismo", "its",
     {"cultura", "turismo"}, Y2010, OLD_ITS_END, None),
    ("ITSO-ICT", "Tecnologie dell'informazione e della comunicazione", "its", {"cultura"},
     Y2010, OLD_ITS_END, None),
    ("ITS-06", "Meccatronica", "its", {"meccanica"}, NEW_ITS_START, None, None),
    ("ITS-09", "Tecnologie per i beni e le attività artistiche e culturali e per il turismo",
     "its", {"cultura", "turismo"}, NEW_ITS_START, None, None),
    ("ITS-10", "Tecnologie dell'informazione, della comunicazione e dei dati", "its",
     {"cultura"}, NEW_ITS_START, None, None),
]  # fmt: skip

ATECO_DIVISIONS = {
    "agroalimentare": ("01", "02", "03", "10", "11", "12", "75"),
    "manifattura": (
        "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "31", "32",
    ),
    "meccanica": (
        "24", "25", "26", "27", "28", "29", "30", "33", "35", "36", "37", "38", "39",
        "41", "42", "43", "71",
    ),
    "cultura": ("58", "59", "60", "61", "62", "63", "73", "74", "90", "91"),
    "turismo": ("55", "56", "79", "93"),
    "servizi-commerciali-trasporti": (
        "46", "47", "49", "50", "51", "52", "53", "64", "65", "66", "68", "69", "70", "77",
        "78", "82",
    ),
    "servizi-persona": ("86", "87", "88", "96"),
}  # fmt: skip


def ateco_prefixes() -> dict[str, frozenset[str]]:
    """Return the division mapping of ``catalogue.md``, many-to-many as the table allows."""
    prefixes: dict[str, set[str]] = {}
    for area, divisions in ATECO_DIVISIONS.items():
        for division in divisions:
            prefixes.setdefault(division, set()).add(area)
    return {prefix: frozenset(areas) for prefix, areas in prefixes.items()}


def build_catalogue(
    *,
    inactive: frozenset[str] = frozenset(),
    extra_programmes: tuple[Programme, ...] = (),
    extra_prefixes: dict[str, frozenset[str]] | None = None,
) -> Catalogue:
    """Return the test catalogue, optionally with areas deactivated or entries added."""
    programmes = {
        code: Programme(code, name, kind, frozenset(areas), first, last, successor)
        for code, name, kind, areas, first, last, successor in _PROGRAMMES
    }
    programmes.update({p.code: p for p in extra_programmes})
    return Catalogue(
        areas={code: Area(code, name, active=code not in inactive) for code, name in AREAS.items()},
        programmes=programmes,
        ateco_prefixes={**ateco_prefixes(), **(extra_prefixes or {})},
    )


CATALOGUE = build_catalogue()
