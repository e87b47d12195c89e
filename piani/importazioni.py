"""The imports that write a plan's data, on top of patrimonio's import framework:
the per-ente tables exported by the regional platform (one comunicazione per ente),
and the comparison of the communicated figures with the unit registry.
They live with the plan: patrimonio and misure never import piani."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ambiti.corrispondenze import Abbinatore
from ambiti.models import Comune, PopolazioneComune
from ambiti.permessi import ambiti_modificabili
from patrimonio.models import Alloggio, EnteProprietario, Importazione
from patrimonio.services import (
    CAMPI_COMUNICAZIONE,
    CAMPI_ENTI,
    CAMPI_REGISTRO,
    Esito,
    Progresso,
    _converti_righe,
    _leggi,
    _messaggio_riga,
    _nulla,
    _numero_riga,
    registro_calcola,
)
from patrimonio.territorio import enti_dell_ambito

from .models import Comunicazione, PianoAnnuale, piano_blocca_e_verifica


def comunicazioni_importa(
    *,
    piano,
    percorso: str | Path,
    nome_file: str | None = None,
    scrivi: bool = False,
    mappatura: dict[str, str] | None = None,
    progresso: Progresso | None = None,
) -> Esito:
    """Importa le tabelle per ente esportate dalla piattaforma nei dati del piano
    (una comunicazione per ente). Si aggiornano solo le colonne presenti nel file;
    un nome scritto con un refuso si riconosce con un avviso e si conserva com'è
    scritto in ``denominazione_ricevuta``."""
    avanza = progresso or _nulla
    esito = Esito(tipo=Importazione.Tipo.ENTI)
    if not piano.modificabile:
        esito.errori.append(
            _("Il piano è approvato o pubblicato: i suoi dati non si importano più.")
        )
        return esito
    avanza(10, _("Lettura del file"))
    lettura = _leggi(
        Path(percorso), nome_file, Importazione.Tipo.ENTI, mappatura, esito
    )
    if lettura is None:
        return esito
    righe = _converti_righe(lettura, CAMPI_ENTI, esito)
    comunicazioni = {
        c.ente_id: c
        for c in Comunicazione.objects.filter(piano=piano).select_related(
            "ente__comune"
        )
    }
    da_scrivere = _righe_per_ente(piano, lettura, righe, comunicazioni, esito)
    if esito.errori:
        esito.errori.sort(key=_numero_riga)
        return esito
    _conta_differenze(da_scrivere, comunicazioni, esito)
    if not scrivi:
        avanza(100, _("Anteprima pronta"))
        return esito
    _comunicazioni_scrivi(piano, da_scrivere, comunicazioni)
    esito.scritto = True
    avanza(100, _("Importazione completata"))
    return esito


def _righe_per_ente(
    piano, lettura, righe, comunicazioni: dict[int, Comunicazione], esito: Esito
) -> list[tuple[Any, dict[str, Any], str]]:
    """Each row's ente recognised among the plan's and the ambito's (one of
    another ambito is an error, as is an ente written twice): (ente, the columns
    present, the name as written when it was a typo)."""
    # Gli enti del piano e quelli dell'ambito (comuni, ALER del territorio, altri
    # enti collegati): un ente senza comunicazione si aggiunge, uno di un altro
    # ambito no.
    candidati = {c.ente.pk: c.ente for c in comunicazioni.values()}
    for ente in enti_dell_ambito(piano.ambito).select_related("comune"):
        candidati.setdefault(ente.pk, ente)
    enti = Abbinatore.per_enti(candidati.values())
    presenti = [k for k in CAMPI_COMUNICAZIONE if k in lettura.indici]
    colonna = lettura.nomi_colonna["ente"]
    visti: dict[int, int] = {}
    da_scrivere: list[tuple[Any, dict[str, Any], str]] = []
    for numero, valori in righe:
        corrispondenza = enti.trova(valori["ente"])
        ente = corrispondenza.oggetto
        if ente is None or ente.pk in visti:
            messaggio = (
                corrispondenza.messaggio
                if ente is None
                else _("ente «%(e)s» ripetuto (già alla riga %(r)s)")
                % {"e": ente.denominazione, "r": visti[ente.pk]}
            )
            esito.errori.append(_messaggio_riga(numero, [(colonna, messaggio)]))
            esito.righe_errate += 1
            continue
        visti[ente.pk] = numero
        ricevuta = "" if corrispondenza.esatta else corrispondenza.testo.strip()
        if ricevuta:
            esito.avvisi.append(
                _("Riga %(r)s: %(m)s") % {"r": numero, "m": corrispondenza.messaggio}
            )
        da_scrivere.append((ente, {k: valori[k] for k in presenti}, ricevuta))
    return da_scrivere


def _conta_differenze(
    da_scrivere, comunicazioni: dict[int, Comunicazione], esito: Esito
) -> None:
    for ente, valori, ricevuta in da_scrivere:
        esistente = comunicazioni.get(ente.pk)
        if esistente is None:
            esito.creati += 1
            esito.esempi.setdefault("creati", []).append(ente.denominazione)
        elif any(getattr(esistente, k) != v for k, v in valori.items()) or (
            ricevuta and esistente.denominazione_ricevuta != ricevuta
        ):
            esito.modificati += 1
            esito.esempi.setdefault("modificati", []).append(ente.denominazione)
        else:
            esito.invariati += 1


def _comunicazioni_scrivi(
    piano, da_scrivere, comunicazioni: dict[int, Comunicazione]
) -> None:
    with transaction.atomic():
        # The plan's lock for the whole import: an approval waits for it.
        piano_blocca_e_verifica(piano.pk)
        for ente, valori, ricevuta in da_scrivere:
            comunicazione = comunicazioni.get(ente.pk) or Comunicazione(
                piano=piano, ente=ente
            )
            for chiave, valore in valori.items():
                setattr(comunicazione, chiave, valore)
            if ricevuta:
                comunicazione.denominazione_ricevuta = ricevuta
            if not comunicazione.esito and any(v is not None for v in valori.values()):
                comunicazione.esito = Comunicazione.Esito.DATI
            comunicazione.full_clean()
            comunicazione.save()


# --- popolazione ISTAT -------------------------------------------------------------


@dataclass(frozen=True)
class DifferenzaRegistro:
    """Un dato comunicato dall'ente che l'anagrafe non conferma."""

    ente: EnteProprietario
    comunicazione_id: int
    campo: str  # campo di piani.Comunicazione
    etichetta: str
    comunicato: int
    registro: int
    messaggio: str


def registro_confronta(*, piano) -> list[DifferenzaRegistro]:
    """Dove la consistenza o lo stato SAP comunicati da un ente differiscono da
    quelli calcolati dall'anagrafe. Si confrontano solo i valori comunicati (non
    None) degli enti che hanno alloggi nell'anagrafe per i comuni dell'ambito: un
    ente senza anagrafe non genera differenze."""
    tabella = registro_calcola(piano=piano)
    per_ente = {r.oggetto.pk: r.valori for r in tabella.per_ente}
    etichette = {
        f.name: str(f.verbose_name)
        for f in Comunicazione._meta.get_fields()
        if f.name in CAMPI_REGISTRO
    }
    differenze: list[DifferenzaRegistro] = []
    comunicazioni = (
        Comunicazione.objects.filter(piano=piano, ente_id__in=list(per_ente))
        .select_related("ente")
        .order_by("ente__denominazione")
    )
    for comunicazione in comunicazioni:
        calcolati = per_ente[comunicazione.ente_id]
        for campo in CAMPI_REGISTRO:
            comunicato = getattr(comunicazione, campo)
            if comunicato is None or comunicato == calcolati[campo]:
                continue
            differenze.append(
                DifferenzaRegistro(
                    ente=comunicazione.ente,
                    comunicazione_id=comunicazione.pk,
                    campo=campo,
                    etichetta=etichette[campo],
                    comunicato=comunicato,
                    registro=calcolati[campo],
                    messaggio=_(
                        "%(ente)s: %(etichetta)s comunicati %(c)s, nell'anagrafe %(r)s."
                    )
                    % {
                        "ente": comunicazione.ente.denominazione,
                        "etichetta": etichette[campo],
                        "c": comunicato,
                        "r": calcolati[campo],
                    },
                )
            )
    return differenze


def righe_conta() -> dict[str, int]:
    """Righe delle tabelle che un'importazione può toccare (per i test)."""
    return {
        "alloggi": Alloggio.objects.count(),
        "enti": EnteProprietario.objects.count(),
        "comunicazioni": Comunicazione.objects.count(),
        "popolazione": PopolazioneComune.objects.count(),
        "comuni": Comune.objects.count(),
    }


def piani_importabili(utente):
    """The plans whose per-ente tables the user may import: every plan for an
    administrator, the plans of the ambiti they manage for staff."""
    piani = PianoAnnuale.objects.select_related("ambito")
    if utente is not None and not utente.is_superuser:
        piani = piani.filter(ambito__in=ambiti_modificabili(utente))
    return piani
