"""The plan's narrative: sections and strategy paragraphs."""

from typing import Any

from django.db import models, transaction
from django.utils.text import slugify

from ..models import (
    PianoAnnuale,
    Sezione,
    SottosezioneStrategie,
)
from .salvataggi import (
    piano_verifica_modificabile,
)

# --- The plan's narrative: sections and strategy paragraphs ------------------------


def _ordine_successivo(righe) -> int:
    ultimo = righe.aggregate(m=models.Max("ordine"))["m"]
    return (ultimo or 0) + 10


def sezione_crea(*, piano: PianoAnnuale, titolo: str, testo: str, utente) -> Sezione:
    """A section staff add: at the end (move it with sezione_sposta); its key is
    made from the title, unique in the plan."""
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        base = slugify(titolo).replace("-", "_")[:50] or "sezione"
        chiave, n = base, 1
        esistenti = set(piano.sezioni.values_list("chiave", flat=True))
        # Never reuse a key the layout places: an added section is not a placed one.
        riservate = set(piano.impaginazione.chiavi if piano.impaginazione else [])
        while chiave in esistenti or chiave in riservate:
            n += 1
            chiave = f"{base}_{n}"
        sezione = Sezione(
            piano=piano,
            chiave=chiave,
            titolo=titolo,
            testo=testo,
            ordine=_ordine_successivo(piano.sezioni.all()),
        )
        sezione.full_clean()
        sezione._history_user = utente
        sezione.save()
    return sezione


def sezione_elimina(*, sezione: Sezione, utente) -> None:
    with transaction.atomic():
        piano_verifica_modificabile(piano=sezione.piano)
        sezione._history_user = utente
        sezione.delete()


def _sposta(oggetto, righe, *, su: bool, utente) -> None:
    """Swap ``ordine`` with the neighbour above (su) or below; renumber first so
    that equal values (old data) still move."""
    with transaction.atomic():
        piano_verifica_modificabile(piano=oggetto.piano)
        elenco = list(righe.select_for_update().order_by("ordine", "pk"))
        indice = next(i for i, r in enumerate(elenco) if r.pk == oggetto.pk)
        altro = indice - 1 if su else indice + 1
        if not 0 <= altro < len(elenco):
            return
        elenco[indice], elenco[altro] = elenco[altro], elenco[indice]
        for posizione, riga in enumerate(elenco, start=1):
            if riga.ordine != posizione * 10:
                riga.ordine = posizione * 10
                riga._history_user = utente
                riga.save(update_fields=["ordine"])


def sezione_sposta(*, sezione: Sezione, su: bool, utente) -> None:
    _sposta(sezione, sezione.piano.sezioni.all(), su=su, utente=utente)


def sottosezione_crea(
    *, piano: PianoAnnuale, dati: dict[str, Any], utente
) -> SottosezioneStrategie:
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        sottosezione = SottosezioneStrategie(
            piano=piano,
            ordine=_ordine_successivo(piano.sottosezioni_strategie.all()),
            **dati,
        )
        sottosezione.full_clean()
        sottosezione._history_user = utente
        sottosezione.save()
    return sottosezione


def sottosezione_aggiorna(
    *, sottosezione: SottosezioneStrategie, dati: dict[str, Any], utente
) -> SottosezioneStrategie:
    with transaction.atomic():
        piano_verifica_modificabile(piano=sottosezione.piano)
        for campo, valore in dati.items():
            setattr(sottosezione, campo, valore)
        sottosezione.full_clean()
        sottosezione._history_user = utente
        sottosezione.save()
    return sottosezione


def sottosezione_elimina(*, sottosezione: SottosezioneStrategie, utente) -> None:
    with transaction.atomic():
        piano_verifica_modificabile(piano=sottosezione.piano)
        sottosezione._history_user = utente
        sottosezione.delete()


def sottosezione_sposta(
    *, sottosezione: SottosezioneStrategie, su: bool, utente
) -> None:
    _sposta(
        sottosezione,
        sottosezione.piano.sottosezioni_strategie.all(),
        su=su,
        utente=utente,
    )
