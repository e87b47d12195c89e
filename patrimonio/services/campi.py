"""Il campo di un'importazione e i convertitori che i suoi schemi usano."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from patrimonio import lettori
from patrimonio.lettori import ValoreNonValido, normalizza_intestazione
from patrimonio.models import Servizio, StatoAlloggio


@dataclass(frozen=True)
class Campo:
    """Un campo dell'import: la colonna che lo contiene si riconosce dai sinonimi
    (già normalizzati; quelli che iniziano con «re:» sono espressioni regolari)."""

    chiave: str
    etichetta: Any
    sinonimi: tuple[str, ...]
    converti: Callable[[object], object]
    obbligatorio: bool = False

    def riconosce(self, intestazione: str) -> bool:
        for sinonimo in self.sinonimi:
            if sinonimo.startswith("re:"):
                if re.fullmatch(sinonimo[3:], intestazione):
                    return True
            elif sinonimo == intestazione:
                return True
        return False


def _testo(massimo: int) -> Callable[[object], str]:
    def converti(valore: object) -> str:
        return lettori.converti_testo(valore, massimo=massimo)

    converti.massimo = massimo  # per la via veloce di _converti_colonne
    return converti


def _obbligatorio(converti: Callable[[object], Any]) -> Callable[[object], Any]:
    def controlla(valore: object) -> Any:
        risultato = converti(valore)
        if risultato in (None, ""):
            raise ValoreNonValido(_("valore mancante"))
        return risultato

    controlla.massimo = getattr(converti, "massimo", None)
    controlla.obbligatorio = True
    return controlla


def _scelta(valori: dict[str, str], nome: str) -> Callable[[object], str]:
    # Pochi valori distinti su 166.000 righe: si normalizza ognuno una volta sola.
    memoria: dict[object, str] = {}

    def converti(valore: object) -> str:
        try:
            return memoria[valore]
        except (KeyError, TypeError):
            pass
        forma = normalizza_intestazione(valore)
        if not forma:
            raise ValoreNonValido(_("valore mancante"))
        try:
            risultato = valori[forma]
        except KeyError:
            raise ValoreNonValido(
                _("valore '%(v)s' non riconosciuto (ammessi: %(ammessi)s)")
                % {"v": lettori.testo_cella(valore)[:40], "ammessi": nome}
            ) from None
        if len(memoria) < 10_000:
            memoria[valore] = risultato
        return risultato

    return converti


SERVIZI = {
    "sap": Servizio.SAP,
    "erp": Servizio.SAP,
    "servizi abitativi pubblici": Servizio.SAP,
    "servizio abitativo pubblico": Servizio.SAP,
    "sas": Servizio.SAS,
    "servizi abitativi sociali": Servizio.SAS,
    "servizio abitativo sociale": Servizio.SAS,
    "sat": Servizio.SAT,
    "servizi abitativi transitori": Servizio.SAT,
    "servizio abitativo transitorio": Servizio.SAT,
    "altro": Servizio.ALTRO,
    "altro uso residenziale": Servizio.ALTRO,
    "altro uso": Servizio.ALTRO,
}
STATI = {
    "libero": StatoAlloggio.LIBERO,
    "stato libero": StatoAlloggio.LIBERO,
    "libera": StatoAlloggio.LIBERO,
    "carenza": StatoAlloggio.CARENZA,
    "carenze manutentive": StatoAlloggio.CARENZA,
    "sfitto per carenze manutentive": StatoAlloggio.CARENZA,
    "sfitto carenze manutentive": StatoAlloggio.CARENZA,
    "carenza manutentiva": StatoAlloggio.CARENZA,
    "ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "sfitto per ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "in ristrutturazione": StatoAlloggio.RISTRUTTURAZIONE,
    "occupato": StatoAlloggio.OCCUPATO,
    "stato occupato": StatoAlloggio.OCCUPATO,
    "occupata": StatoAlloggio.OCCUPATO,
    "assegnato": StatoAlloggio.OCCUPATO,
}


# Calcolato una volta: date.today() per ognuna di 166.000 righe costa.
_ANNO_MASSIMO = timezone.localdate().year + 10


def _anno(valore: object) -> int | None:
    return lettori.converti_intero(valore, minimo=1000, massimo=_ANNO_MASSIMO)


def _conteggio(valore: object) -> int | None:
    return lettori.converti_intero(valore)


def _percentuale(valore: object) -> Decimal | None:
    numero = lettori.converti_decimale(valore, cifre=5, decimali=2, positivo=False)
    if numero is not None and numero > 100:
        raise ValoreNonValido(_("percentuale oltre 100"))
    return numero
