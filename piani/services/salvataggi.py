"""Saving the plan's records: optimistic locking, the frozen plan, acknowledging
an anomalia, the declared ambito totals."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ..anomalie import anomalie_calcola
from ..models import (
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    RiscontroAnomalia,
    Sezione,
    TotaleDichiarato,
    piano_blocca_e_verifica,
)

MESSAGGIO_CONGELATO = _(
    "Il piano è approvato o pubblicato: i suoi dati non si possono più modificare. "
    "Per correggerli serve una nuova revisione."
)


class ModificaConcorrente(Exception):  # noqa: N818 - a domain word
    """Someone else saved the record after the user opened it."""

    messaggio = _(
        "Questi dati sono stati modificati da un'altra persona dopo che li hai aperti: "
        "le tue modifiche non sono state salvate. Ricarica la pagina per vedere i dati "
        "aggiornati e ripeti la modifica."
    )

    def __str__(self) -> str:
        return str(self.messaggio)


def piano_verifica_modificabile(*, piano: PianoAnnuale) -> None:
    """Lock the plan's row and raise PianoCongelato if it is approved or published
    (inside the caller's transaction: the lock lasts until its writes commit)."""
    piano_blocca_e_verifica(piano.pk)


def _salva_versionata(
    *,
    oggetto: models.Model,
    dati: dict[str, Any],
    versione: int,
    utente,
) -> models.Model:
    modello = type(oggetto)
    with transaction.atomic():
        # The plan itself, or the plan the record belongs to.
        piano = oggetto if isinstance(oggetto, PianoAnnuale) else oggetto.piano
        piano_verifica_modificabile(piano=piano)
        for campo, valore in dati.items():
            setattr(oggetto, campo, valore)
        oggetto.full_clean(validate_unique=False, validate_constraints=False)
        valori = {campo: getattr(oggetto, campo) for campo in dati}
        righe = modello.objects.filter(pk=oggetto.pk, versione=versione).update(
            **valori, versione=versione + 1
        )
        if righe == 0:
            raise ModificaConcorrente
        oggetto.versione = versione + 1
        # QuerySet.update() sends no signals: record the history row ourselves.
        modello.history.bulk_history_create([oggetto], update=True, default_user=utente)
    return oggetto


def comunicazione_aggiorna(
    *, comunicazione: Comunicazione, dati: dict[str, Any], versione: int, utente
) -> Comunicazione:
    return _salva_versionata(
        oggetto=comunicazione, dati=dati, versione=versione, utente=utente
    )


def decisione_aggiorna(
    *, decisione: DecisioneComune, dati: dict[str, Any], versione: int, utente
) -> DecisioneComune:
    return _salva_versionata(
        oggetto=decisione, dati=dati, versione=versione, utente=utente
    )


def decisione_crea(
    *, piano: PianoAnnuale, dati: dict[str, Any], utente
) -> DecisioneComune:
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        decisione = DecisioneComune(piano=piano, **dati)
        decisione.full_clean()
        decisione._history_user = utente
        decisione.save()
    return decisione


def sezione_aggiorna(
    *, sezione: Sezione, dati: dict[str, Any], versione: int, utente
) -> Sezione:
    return _salva_versionata(
        oggetto=sezione, dati=dati, versione=versione, utente=utente
    )


@dataclass
class FinestraDati:
    """One row of the windows' formset: an existing window (pk) or a new one."""

    pk: int | None
    inizio: date | None
    fine: date | None
    elimina: bool = False


def piano_aggiorna(
    *,
    piano: PianoAnnuale,
    dati: dict[str, Any],
    versione: int,
    utente,
    finestre: list[FinestraDati] | None = None,
) -> PianoAnnuale:
    with transaction.atomic():
        _salva_versionata(oggetto=piano, dati=dati, versione=versione, utente=utente)
        for riga in finestre or []:
            esistente = (
                FinestraRaccolta.objects.filter(piano=piano, pk=riga.pk).first()
                if riga.pk
                else None
            )
            if riga.elimina:
                if esistente is not None:
                    esistente._history_user = utente
                    esistente.delete()
                continue
            if riga.inizio is None or riga.fine is None:
                continue
            finestra = esistente or FinestraRaccolta(piano=piano)
            finestra.inizio, finestra.fine = riga.inizio, riga.fine
            finestra.full_clean()
            finestra._history_user = utente
            finestra.save()
    return piano


def anomalia_riscontra(
    *, piano: PianoAnnuale, codice: str, oggetto: str, motivazione: str, utente
) -> RiscontroAnomalia:
    """Acknowledge an open anomalia with a written reason (who, when, why)."""
    motivazione = (motivazione or "").strip()
    if not motivazione:
        raise ValidationError({"motivazione": _("Serve una motivazione scritta.")})
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        presenti = {(a.codice, str(a.oggetto)) for a in anomalie_calcola(piano)}
        if (codice, oggetto) not in presenti:
            raise ValidationError(
                _("Questa anomalia non è più presente: ricarica la pagina del piano.")
            )
        riscontro = RiscontroAnomalia(
            piano=piano,
            codice=codice,
            oggetto=oggetto,
            motivazione=motivazione,
            utente=utente,
        )
        riscontro.full_clean()
        riscontro.save()
    return riscontro


def totale_dichiarato_imposta(
    *, piano: PianoAnnuale, contenuto: str, valore: int | None, nota: str = "", utente
) -> TotaleDichiarato | None:
    """Enter (or correct) the ambito-level total of a content, as the source
    gives it without per-ente rows; ``valore`` None removes it."""
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        esistente = TotaleDichiarato.objects.filter(
            piano=piano, contenuto=contenuto
        ).first()
        if valore is None:
            if esistente is not None:
                esistente._history_user = utente
                esistente.delete()
            return None
        totale = esistente or TotaleDichiarato(piano=piano, contenuto=contenuto)
        totale.valore, totale.nota = valore, (nota or "").strip()
        totale.full_clean()
        totale._history_user = utente
        totale.save()
    return totale
