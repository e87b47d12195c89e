"""Small helpers shared by the section builders of the plan document."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from patrimonio.models import EnteProprietario

from ..models import Comunicazione


def somma(righe: list, *campi: str) -> int | None:
    """Sum of the fields over the rows; None when no row has a value for them."""
    valori = [
        getattr(r, campo)
        for r in righe
        for campo in campi
        if getattr(r, campo) is not None
    ]
    return sum(valori) if valori else None


def data_riferimento_popolazione(date_presenti: Iterable[date]) -> date | None:
    """The latest of ``date_presenti``. No longer the document's rule: a plan's
    population date is ``piani.popolazione.data_popolazione_del_piano``; kept
    for the import path of ``piani.documento``."""
    return max(date_presenti, default=None)


def mancanti_del_campo(*, non_pervenute: int, con_dati: int, con_valore: int) -> int:
    """The one rule: how many enti a total lacks. The comunicazioni not yet
    arrived, unless no arrived comunicazione gives that figure at all (it is not
    part of this plan's layout: seed 002 has no «altro» column) — then none."""
    return non_pervenute if not con_dati or con_valore else 0


def mancanti(comunicazioni: list, campi: list[str]) -> dict[str, int]:
    """For each total, the enti whose comunicazione has not arrived (their row
    holds no value, not a zero), by ``mancanti_del_campo``."""
    non_pervenute = sum(1 for c in comunicazioni if not c.esito)
    pervenute = [c for c in comunicazioni if c.esito == Comunicazione.Esito.DATI]
    return {
        campo: mancanti_del_campo(
            non_pervenute=non_pervenute,
            con_dati=len(pervenute),
            con_valore=sum(1 for c in pervenute if getattr(c, campo) is not None),
        )
        for campo in campi
    }


def positivo(valore: Any) -> bool:
    return valore is not None and valore > 0


def nome_breve(ente: EnteProprietario) -> str:
    """How the older tables name an ente: the comune's name, or the short name."""
    if ente.comune_id:
        return ente.comune.nome
    return ente.denominazione_breve or ente.denominazione


def soggetto(comunicazione: Comunicazione) -> str:
    """Subject of a comunicazione sentence: «il Comune di Ardesio», «ALER …».
    The registry's name: the name as the ente wrote it is printed only by the
    annex of anomalie."""
    nome = comunicazione.ente.denominazione
    if comunicazione.ente.tipo == EnteProprietario.Tipo.COMUNE:
        return _("il %(nome)s") % {"nome": nome}
    return nome


def articolo_organo(organo: str) -> str:
    """«dall'Assemblea …», «dal Consiglio …»."""
    if not organo:
        return ""
    if organo[0].lower() in "aeiou":
        return _("dall'%(organo)s") % {"organo": organo}
    return _("dal %(organo)s") % {"organo": organo}


def variazione(attuale: int | None, precedente: int | None) -> dict | None:
    if attuale is None or precedente is None:
        return None
    differenza = attuale - precedente
    return {"differenza": abs(differenza), "segno": (differenza > 0) - (differenza < 0)}
