"""Comparison of two plans, ente by ente and comune by comune."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ambiti.models import (
    AmbitoComune,
)

from ..models import (
    PianoAnnuale,
)
from ..popolazione import data_popolazione_del_piano, popolazione_del_piano

# ---------------------------------------------------------------------------
# Comparison between two years
# ---------------------------------------------------------------------------

CAMPI_CONFRONTO_ENTE = (
    ("alloggi_totali", _("alloggi complessivi")),
    ("alloggi_sap", _("alloggi SAP")),
    ("sap_liberi", _("SAP liberi")),
    ("sap_carenze", _("SAP sfitti per carenze")),
    ("sap_ristrutturazione", _("SAP sfitti per ristrutturazione")),
    ("sap_occupati", _("SAP occupati")),
    ("assegnabili_totale", _("assegnabili nell'anno")),
)


@dataclass
class Variazione:
    prima: int | None
    dopo: int | None

    @property
    def differenza(self) -> int | None:
        if self.prima is None or self.dopo is None:
            return None
        return self.dopo - self.prima

    @property
    def cambiata(self) -> bool:
        """A figure that moved; a value not yet communicated is not a change (a
        carried-forward draft would otherwise light up every row)."""
        return bool(self.differenza)


@dataclass
class RigaConfronto:
    nome: str
    valori: list[Variazione] = field(default_factory=list)
    solo_in: str = ""  # "prima" | "dopo" | ""

    @property
    def cambiata(self) -> bool:
        return bool(self.solo_in) or any(v.cambiata for v in self.valori)


@dataclass
class Confronto:
    prima: PianoAnnuale
    dopo: PianoAnnuale
    colonne_enti: list[str]
    enti: list[RigaConfronto]
    comuni: list[RigaConfronto]
    data_popolazione_prima: date | None
    data_popolazione_dopo: date | None


def data_popolazione(piano: PianoAnnuale) -> date | None:
    """The population date a plan uses (piani/popolazione.py, the one rule)."""
    return data_popolazione_del_piano(piano)


def _popolazioni(piano: PianoAnnuale) -> tuple[date | None, dict[int, int]]:
    """Per comune, the population at the plan's date, as its document prints it."""
    giorno, righe = popolazione_del_piano(piano)
    return giorno, {p.comune_id: p.popolazione for p in righe}


def piani_confronta(*, prima: PianoAnnuale, dopo: PianoAnnuale) -> Confronto:
    """Changes per ente (stock, state, assignable) and per comune (population)
    between two plans of the same ambito."""
    if prima.ambito_id != dopo.ambito_id:
        raise ValidationError(_g("Si confrontano solo piani dello stesso ambito."))
    if prima.anno > dopo.anno:
        prima, dopo = dopo, prima
    campi = [c for c, _e in CAMPI_CONFRONTO_ENTE]

    def per_ente(piano):
        return {
            c.ente_id: c for c in piano.comunicazioni.select_related("ente__comune")
        }

    a, b = per_ente(prima), per_ente(dopo)
    enti = []
    for ente_id in set(a) | set(b):
        ca, cb = a.get(ente_id), b.get(ente_id)
        ente = (ca or cb).ente
        enti.append(
            RigaConfronto(
                nome=ente.denominazione,
                valori=[
                    Variazione(
                        getattr(ca, f) if ca else None, getattr(cb, f) if cb else None
                    )
                    for f in campi
                ],
                solo_in="" if ca and cb else ("prima" if ca else "dopo"),
            )
        )
    enti.sort(
        key=lambda r: (-(r.valori[1].dopo or r.valori[1].prima or 0), r.nome.upper())
    )

    data_a, pop_a = _popolazioni(prima)
    data_b, pop_b = _popolazioni(dopo)
    comuni = [
        RigaConfronto(
            nome=ac.comune.nome,
            valori=[Variazione(pop_a.get(ac.comune_id), pop_b.get(ac.comune_id))],
        )
        for ac in AmbitoComune.objects.filter(ambito_id=prima.ambito_id).select_related(
            "comune"
        )
    ]
    comuni.sort(key=lambda r: (-(r.valori[0].dopo or 0), r.nome))
    return Confronto(
        prima=prima,
        dopo=dopo,
        colonne_enti=[str(e) for _c, e in CAMPI_CONFRONTO_ENTE],
        enti=enti,
        comuni=comuni,
        data_popolazione_prima=data_a,
        data_popolazione_dopo=data_b,
    )
