"""The one parser of numbers typed the Italian way, for forms and imports alike.

"1.000" is one thousand, "1.000,50" one thousand and fifty cents, "€ 1.000" too.
Whatever could be read two ways ("1.00", "1,000", "1.5") is refused with a message:
a silently different value would end up in the plan.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Optional sign, integer part (plain digits or groups of three after a dot),
# optional decimal part after the comma.
_NUMERO = re.compile(
    r"(?P<segno>[-+]?)(?P<intera>\d+|\d{1,3}(?:\.\d{3})+)(?:,(?P<frazione>\d+))?"
)
_SPAZI = " \t\u00a0\u202f"


def _senza_euro(testo: str) -> str:
    """'€ 1.000', '€1.000', '1.000 €', '-€ 5' → the number alone (sign kept)."""
    testo = testo.strip(_SPAZI)
    segno = ""
    if testo[:1] in "-+" and testo[1:2] == "€":
        segno, testo = testo[0], testo[1:]
    if testo.startswith("€"):
        testo = testo[1:].lstrip(_SPAZI)
    elif testo.endswith("€"):
        testo = testo[:-1].rstrip(_SPAZI)
    return segno + testo


def numero_italiano(testo, *, decimali: bool) -> int | Decimal:
    """The number in ``testo``: an ``int`` when ``decimali`` is false, else a
    ``Decimal``. Raises ``ValueError`` with an Italian message otherwise.

    Numbers already parsed (an int, a Decimal, a spreadsheet's float) pass
    through, as long as an integer is asked only for a whole number.
    """
    if isinstance(testo, bool):
        raise ValueError(_("«%s» non è un numero.") % testo)
    if isinstance(testo, int | Decimal | float):
        return _da_numero(testo, decimali=decimali)
    originale = str(testo)
    pulito = _senza_euro(originale)
    if not pulito:
        raise ValueError(_("Scrivere un numero."))
    trovato = _NUMERO.fullmatch(pulito)
    if not trovato:
        raise ValueError(_perche_no(originale.strip(), pulito, decimali=decimali))
    segno = trovato["segno"]
    intera = trovato["intera"]
    frazione = trovato["frazione"] or ""
    if (
        frazione
        and len(frazione) == 3
        and "." not in intera
        and len(intera) <= 3
        and intera != "0"
    ):
        # "1,000" is one thousand for anyone who writes the English way
        raise ValueError(
            _(
                "«%(t)s» è ambiguo: per le migliaia usare il punto (%(m)s), per i "
                "decimali scriverne due (%(d)s)."
            )
            % {
                "t": originale.strip(),
                "m": f"{intera}.{frazione}",
                "d": f"{intera},{frazione[:2]}",
            }
        )
    cifre = intera.replace(".", "")
    if not decimali:
        if frazione.strip("0"):
            raise ValueError(
                _("«%s»: qui va un numero intero, senza decimali.") % originale.strip()
            )
        return int(segno + cifre)
    return Decimal(f"{segno}{cifre}.{frazione}" if frazione else segno + cifre)


def _da_numero(valore, *, decimali: bool) -> int | Decimal:
    try:
        numero = Decimal(repr(valore)) if isinstance(valore, float) else Decimal(valore)
    except InvalidOperation as exc:  # pragma: no cover - Decimal(int) cannot fail
        raise ValueError(_("«%s» non è un numero.") % valore) from exc
    if not numero.is_finite():
        raise ValueError(_("«%s» non è un numero.") % valore)
    if decimali:
        return numero
    if numero != numero.to_integral_value():
        raise ValueError(_("«%s»: qui va un numero intero, senza decimali.") % valore)
    return int(numero)


def _perche_no(originale: str, pulito: str, *, decimali: bool) -> str:
    """The most useful explanation of a refused text."""
    if re.fullmatch(r"[-+]?[\d.,]+", pulito):
        if re.search(r"\.\d{1,2}$", pulito) or re.search(r"\.\d{4,}$", pulito):
            return (
                _(
                    "«%s»: il punto separa le migliaia (1.000); i decimali vanno "
                    "dopo la virgola (1,50)."
                )
                % originale
            )
        if pulito.count(",") > 1 or re.search(r",.*\.", pulito):
            return (
                _(
                    "«%s»: scrivere le migliaia col punto e i decimali dopo la "
                    "virgola (1.000,50)."
                )
                % originale
            )
        return _("«%s»: gruppi delle migliaia di tre cifre (1.000.000).") % originale
    esempio = "1.000,50" if decimali else "1.000"
    return _("«%(t)s» non è un numero (ad esempio: %(e)s).") % {
        "t": originale,
        "e": esempio,
    }


def formatta_italiano(valore, *, decimali: int | None = None) -> str:
    """1000 → '1.000'; Decimal('1000.5') → '1.000,5' (the digits it has, or
    ``decimali`` of them); None → ''. What the number widgets show back."""
    if valore is None or valore == "":
        return ""
    numero = Decimal(valore) if not isinstance(valore, float) else Decimal(repr(valore))
    if decimali is not None:
        numero = numero.quantize(Decimal(1).scaleb(-decimali))
    segno = "-" if numero < 0 else ""
    testo = format(abs(numero), "f")
    intera, _, frazione = testo.partition(".")
    gruppi = []
    while len(intera) > 3:
        gruppi.insert(0, intera[-3:])
        intera = intera[:-3]
    gruppi.insert(0, intera)
    risultato = segno + ".".join(gruppi)
    return f"{risultato},{frazione}" if frazione else risultato
