"""Un nuovo ambito con i suoi enti (dal browser o dal file regionale) e i nomi di
comuni incollati in un elenco."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g
from simple_history.utils import bulk_create_with_history

from ambiti.corrispondenze import Abbinatore
from ambiti.models import Ambito, Ats, Comune
from ambiti.services import ambito_crea
from patrimonio.models import EnteDellAmbito, EnteProprietario

from .enti import ente_collega


@dataclass(frozen=True)
class AltroEnte:
    """Un ente che non è un comune né un'ALER (ASP, fondazione, cooperativa)."""

    denominazione: str
    comune: Comune


def ambito_con_enti_crea(
    *,
    nome: str,
    slug: str,
    comune_capofila: Comune,
    comuni: Sequence[Comune],
    ats: Ats | None = None,
    numero: int | None = None,
    sub_ambiti: dict[int, str] | None = None,
    aler: Sequence[EnteProprietario] = (),
    altri_enti: Sequence[AltroEnte] = (),
) -> Ambito:
    """L'ambito, un ente «Comune di …» per comune (nome ISTAT), le ALER scelte e gli
    altri enti, tutto in una transazione."""
    with transaction.atomic():
        ambito = ambito_crea(
            nome=nome,
            slug=slug,
            comune_capofila=comune_capofila,
            comuni=comuni,
            ats=ats,
            numero=numero,
            sub_ambiti=sub_ambiti,
        )
        per_comune = _enti_comunali_crea(comuni)
        # The ambito is new: no link exists yet, and comuni/ALER need no sede.
        collegati = [per_comune[c.pk] for c in comuni] + list(aler)
        EnteDellAmbito.objects.bulk_create(
            EnteDellAmbito(ambito=ambito, ente=ente)
            for ente in dict.fromkeys(collegati)
        )
        for altro in altri_enti:
            _altro_ente_collega(ambito, altro)
    return ambito


def _enti_comunali_crea(comuni: Sequence[Comune]) -> dict[int, EnteProprietario]:
    """L'ente «Comune di …» di ogni comune (creato se manca), per id del comune."""
    esistenti = {
        e.comune_id: e for e in EnteProprietario.objects.filter(comune__in=list(comuni))
    }
    nuovi = [
        EnteProprietario(
            tipo=EnteProprietario.Tipo.COMUNE,
            denominazione=f"Comune di {comune.nome}",
            comune=comune,
        )
        for comune in comuni
        if comune.pk not in esistenti
    ]
    # In bulk (a regional file creates 1.500 of them): uniqueness is checked
    # once for all, the other rules row by row without queries.
    occupati = set(
        EnteProprietario.objects.filter(
            denominazione__in=[e.denominazione for e in nuovi]
        ).values_list("denominazione", flat=True)
    )
    if occupati:
        raise ValidationError(
            [
                _g("Esiste già un ente «%(nome)s» legato a un altro comune.")
                % {"nome": nome}
                for nome in sorted(occupati)
            ]
        )
    for ente in nuovi:
        ente.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(nuovi, EnteProprietario)
    return {
        e.comune_id: e for e in EnteProprietario.objects.filter(comune__in=list(comuni))
    }


def _altro_ente_collega(ambito: Ambito, altro: AltroEnte) -> None:
    """Un ente già noto con quella denominazione si riusa, altrimenti si crea."""
    ente = EnteProprietario.objects.filter(
        denominazione=altro.denominazione.strip()
    ).first()
    if ente is None:
        ente = EnteProprietario(
            tipo=EnteProprietario.Tipo.ALTRO,
            denominazione=altro.denominazione.strip(),
        )
        ente.full_clean()
        ente.save()
    ente_collega(ambito=ambito, ente=ente, comune=altro.comune)


# --- nomi di comuni incollati --------------------------------------------------------

_SEPARATORI_ELENCO = re.compile(r"[\n;,\t]+")


def nomi_dal_testo(testo: str) -> list[str]:
    """Un elenco incollato (a capo, punto e virgola, virgola o tabulazione) →
    i nomi o codici ISTAT, senza vuoti (e senza l'eventuale «Sub-ambito:»)."""
    return [nome for nome, _sub in nomi_e_sub_ambiti(testo)]


def nomi_e_sub_ambiti(testo: str) -> list[tuple[str, str]]:
    """Come `nomi_dal_testo`, con il sub-ambito di ogni nome: una riga
    «Alto Serio: Ardesio, Gromo» mette i suoi comuni nel sub-ambito «Alto Serio»."""
    risultato: list[tuple[str, str]] = []
    for riga in (testo or "").splitlines():
        sub_ambito, due_punti, resto = riga.partition(":")
        if not due_punti:
            sub_ambito, resto = "", riga
        for nome in _SEPARATORI_ELENCO.split(resto):
            if nome.strip():
                risultato.append((nome.strip(), sub_ambito.strip()))
    return risultato


def comuni_abbinatore() -> Abbinatore:
    """Lo stesso riconoscimento dei nomi delle importazioni, su tutti i comuni."""
    return Abbinatore.per_comuni(
        Comune.objects.only("codice_istat", "nome", "sigla_provincia", "provincia")
    )
