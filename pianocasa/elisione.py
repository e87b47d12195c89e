"""Italian articulated prepositions before a proper name, chosen by the name
itself: «della Valle Seriana», «dell'Ambito 9», «dello Sebino», «del Lago».

Also a template library (``{% load elisione %}``, registered in settings):
``{{ ambito|di_articolata }}``, ``{{ nome|preposizione_articolata:"in" }}``.
"""

from django import template

register = template.Library()

# First words of place names that are feminine (Lombard ambiti and districts).
FEMMINILI = {
    "valle", "val", "valli", "bassa", "alta", "media", "pianura", "brianza",
    "bergamasca", "bresciana", "franciacorta", "riviera", "costa", "città",
    "montagna", "comunità", "zona", "area", "provincia", "collina", "conca",
    "sponda", "isola", "oltrepò", "lomellina", "martesana", "ossola", "valtellina",
    "valcamonica", "valsassina", "valchiavenna", "vallecamonica",
}  # fmt: skip
PLURALI_FEMMINILI = {"valli", "terre", "colline", "prealpi"}
PLURALI_MASCHILI = {"comuni", "colli", "laghi", "monti"}
# di, a, da, in, su + il/lo/l'/la/i/gli/le
FORME = {
    "di": ("del", "dello", "dell'", "della", "dei", "degli", "delle"),
    "a": ("al", "allo", "all'", "alla", "ai", "agli", "alle"),
    "da": ("dal", "dallo", "dall'", "dalla", "dai", "dagli", "dalle"),
    "in": ("nel", "nello", "nell'", "nella", "nei", "negli", "nelle"),
    "su": ("sul", "sullo", "sull'", "sulla", "sui", "sugli", "sulle"),
}
VOCALI = "aeiouàèéìòóùh"


def _vuole_lo(parola: str) -> bool:
    p = parola.lower()
    return (
        (len(p) > 1 and p[0] == "s" and p[1] not in VOCALI)
        or p[:1] in {"z", "x", "y"}
        or p[:2] in {"gn", "ps", "pn"}
    )


def preposizione_articolata(*, nome: str, preposizione: str = "di") -> str:
    """«della Valle Seriana» for ("Valle Seriana", "di"); the name unchanged when
    empty. Unknown preposition: the plain preposition and the name."""
    nome = str(nome or "").strip()
    if not nome:
        return nome
    forme = FORME.get(preposizione)
    if forme is None:
        return f"{preposizione} {nome}"
    il, lo, elisa, la, i, gli, le = forme
    prima = nome.split()[0].strip("«\"'").lower()
    if prima in PLURALI_FEMMINILI:
        return f"{le} {nome}"
    if prima in PLURALI_MASCHILI:
        return f"{gli if prima[:1] in VOCALI else i} {nome}"
    if prima[:1] in VOCALI:
        return f"{elisa}{nome}"
    if prima in FEMMINILI:
        return f"{la} {nome}"
    if _vuole_lo(prima):
        return f"{lo} {nome}"
    return f"{il} {nome}"


@register.filter(name="preposizione_articolata")
def filtro_preposizione_articolata(nome, preposizione: str = "di") -> str:
    return preposizione_articolata(nome=str(nome), preposizione=preposizione)


@register.filter(name="di_articolata")
def filtro_di_articolata(nome) -> str:
    return preposizione_articolata(nome=str(nome), preposizione="di")
