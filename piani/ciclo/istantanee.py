"""The approved snapshot against the live data: a frozen plan's rows changed
behind the application's back (SQL by hand, a bulk update) are found here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _g

from ..models import CAMPI_DEL_CICLO, STATI_CONGELATI, PianoAnnuale, VersioneApprovata
from .approvazione import _modelli_del_piano, piano_istantanea

# The plan row's fields the lifecycle still writes after approval (publication).
_CAMPI_IGNORATI = {"piani.pianoannuale": CAMPI_DEL_CICLO - {"revisione"}}


@dataclass
class ConfrontoIstantanea:
    """One approved version compared with the data in the database now.

    ``differenze``: the plan's own rows (the plan and every DatoDelPiano row),
    which must never change; ``avvisi``: reference rows it printed (population,
    enti, bandi…), which may legitimately change after the approval."""

    versione: VersioneApprovata
    differenze: list[str] = field(default_factory=list)
    avvisi: list[str] = field(default_factory=list)
    errore: str = ""

    @property
    def ok(self) -> bool:
        return not self.differenze and not self.errore


def _etichette_del_piano() -> set[str]:
    etichette = {modello._meta.label_lower for modello, _ in _modelli_del_piano()}
    return etichette | {"piani.pianoannuale"}


def _uguali(a, b) -> bool:
    """Equal values; decimals equal by value («10» and «10.00»)."""
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except InvalidOperation:
            return False
    return False


def _nome(etichetta: str, pk) -> str:
    try:
        nome = str(apps.get_model(etichetta)._meta.verbose_name)
    except LookupError:
        nome = etichetta
    return f"{nome} n. {pk} ({etichetta})"


def _testo(valore) -> str:
    return "vuoto" if valore in (None, "") else f"«{valore}»"


def _righe(dati: bytes) -> dict[tuple[str, str], dict]:
    documento = json.loads(dati)
    return {(r["model"], str(r["pk"])): r["fields"] for r in documento["righe"]}


def istantanea_confronta(versione: VersioneApprovata) -> ConfrontoIstantanea:
    """Rebuild the plan's snapshot from the database and compare it, row by row and
    field by field, with the one stored at approval."""
    esito = ConfrontoIstantanea(versione)
    try:
        with default_storage.open(versione.istantanea.name, "rb") as f:
            approvate = _righe(f.read())
    except (OSError, ValueError, KeyError):
        esito.errore = _g("istantanea approvata mancante o illeggibile")
        return esito
    attuali = _righe(piano_istantanea(PianoAnnuale.objects.get(pk=versione.piano_id)))
    del_piano = _etichette_del_piano()
    for chiave in sorted(approvate.keys() | attuali.keys()):
        etichetta, pk = chiave
        elenco = esito.differenze if etichetta in del_piano else esito.avvisi
        nome = _nome(etichetta, pk)
        if chiave not in attuali:
            elenco.append(_g("%(r)s: non è più nel database") % {"r": nome})
            continue
        if chiave not in approvate:
            elenco.append(_g("%(r)s: aggiunta dopo l'approvazione") % {"r": nome})
            continue
        prima, ora = approvate[chiave], attuali[chiave]
        ignorati = _CAMPI_IGNORATI.get(etichetta, set())
        for campo in sorted((prima.keys() | ora.keys()) - ignorati):
            if not _uguali(prima.get(campo), ora.get(campo)):
                elenco.append(
                    _g("%(r)s, campo «%(c)s»: approvato %(a)s, nel database %(d)s")
                    % {
                        "r": nome,
                        "c": campo,
                        "a": _testo(prima.get(campo)),
                        "d": _testo(ora.get(campo)),
                    }
                )
    return esito


def istantanee_verifica(
    versioni: Iterable[VersioneApprovata] | None = None,
) -> list[ConfrontoIstantanea]:
    """The current version of every approved or published plan against its data
    (earlier revisions describe data that a revision has since corrected)."""
    if versioni is None:
        versioni = [
            v
            for v in VersioneApprovata.objects.filter(piano__stato__in=STATI_CONGELATI)
            .select_related("piano__ambito")
            .order_by("piano__ambito__slug", "piano__anno", "revisione")
            if v.revisione == v.piano.revisione
        ]
    return [istantanea_confronta(v) for v in versioni]
