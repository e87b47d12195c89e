"""Workflows of the plan's data: saving with optimistic locking, acknowledging an
anomalia, and the dashboard's summary.

Every save that the web forms make goes through here. Records with a ``versione``
are written with ``UPDATE … WHERE versione = n``: if nobody else saved in between
one row matches; if someone did, none does and the save is refused, so neither
edit is silently overwritten.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ambiti.models import Ambito, Comune, PopolazioneComune
from ambiti.permessi import puo_modificare
from patrimonio.territorio import enti_dell_ambito

from .anomalie import anomalie_calcola
from .documento import data_riferimento_popolazione
from .impaginazioni import modello_proposto, sezioni_iniziali
from .models import (
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    ModelloDocumento,
    PianoAnnuale,
    PianoCongelato,
    RiscontroAnomalia,
    Sezione,
    SottosezioneStrategie,
    TotaleDichiarato,
    VersioneNormativa,
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
    """Raise PianoCongelato if the plan, as stored now, is approved or published."""
    stato = (
        PianoAnnuale.objects.filter(pk=piano.pk).values_list("stato", flat=True).first()
    )
    if stato in {PianoAnnuale.Stato.APPROVATO, PianoAnnuale.Stato.PUBBLICATO}:
        raise PianoCongelato(piano.pk)


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


def comunicazioni_inizializza(*, piano: PianoAnnuale) -> int:
    """One blank comunicazione («non pervenuta») for every ente of the ambito that
    has none in the plan; idempotent. Returns how many were created."""
    with transaction.atomic():
        piano_verifica_modificabile(piano=piano)
        nuovi = list(
            enti_dell_ambito(piano.ambito_id)
            .exclude(pk__in=piano.comunicazioni.values("ente_id"))
            .order_by("pk")
        )
        for ente in nuovi:
            Comunicazione(piano=piano, ente=ente).save()
    return len(nuovi)


@dataclass(frozen=True)
class Riepilogo:
    """The counts the document prints, for the dashboard."""

    enti: int
    pervenute: int
    non_pervenute: int
    con_dati: int
    non_disponibilita: int
    nessun_patrimonio: int
    via_piattaforma: int
    via_protocollo: int
    alloggi_totali: int
    alloggi_sap: int
    assegnabili_comunicate: int
    assegnabili_calcolate: int
    # Enti whose comunicazione has not arrived: the totals above lack them
    # (their values are skipped, never counted as 0).
    mancanti_nei_totali: int = 0


def piano_riepilogo(*, piano: PianoAnnuale) -> Riepilogo:
    """One aggregate query, whatever the number of enti."""
    esito = Comunicazione.Esito
    canale = Comunicazione.Canale
    # Sums over arrived comunicazioni only: a missing value is never a 0, and a
    # row not yet arrived may hold last year's stock, to be confirmed.
    arrivata = ~Q(esito="")

    def somma(campo: str) -> Sum:
        return Sum(campo, filter=arrivata, default=0)

    r = Comunicazione.objects.filter(piano=piano).aggregate(
        enti=Count("pk"),
        pervenute=Count("pk", filter=~Q(esito="")),
        con_dati=Count("pk", filter=Q(esito=esito.DATI)),
        non_disponibilita=Count("pk", filter=Q(esito=esito.NON_DISPONIBILITA)),
        nessun_patrimonio=Count("pk", filter=Q(esito=esito.NESSUN_PATRIMONIO)),
        via_piattaforma=Count("pk", filter=Q(canale=canale.PIATTAFORMA)),
        via_protocollo=Count("pk", filter=Q(canale=canale.PROTOCOLLO)),
        alloggi_totali=somma("alloggi_totali"),
        alloggi_sap=somma("alloggi_sap"),
        g=somma("assegnabili_totale"),
        b=somma("assegnabili_carenza"),
        c=somma("assegnabili_ristrutturazione"),
        d=somma("assegnabili_nuova_edificazione"),
        e=somma("assegnabili_turnover"),
        f=somma("assegnabili_privati"),
    )
    return Riepilogo(
        enti=r["enti"],
        pervenute=r["pervenute"],
        non_pervenute=r["enti"] - r["pervenute"],
        con_dati=r["con_dati"],
        non_disponibilita=r["non_disponibilita"],
        nessun_patrimonio=r["nessun_patrimonio"],
        via_piattaforma=r["via_piattaforma"],
        via_protocollo=r["via_protocollo"],
        alloggi_totali=r["alloggi_totali"],
        alloggi_sap=r["alloggi_sap"],
        assegnabili_comunicate=r["g"],
        assegnabili_calcolate=r["b"] + r["c"] + r["d"] + r["e"] + r["f"],
        mancanti_nei_totali=r["enti"] - r["pervenute"],
    )


# --- A new plan -------------------------------------------------------------------


def piano_crea(
    *,
    ambito: Ambito,
    anno: int,
    normativa: VersioneNormativa,
    modello: ModelloDocumento | None = None,
    utente=None,
) -> PianoAnnuale:
    """A new draft plan of the ambito for the year (the web view and ``crea_piano``).

    With last year's plan, its data carry over (``ciclo.piano_successivo``: enti
    with the stock to confirm, decisions, the plan's own sections). Without one, the
    narrative starts from the layout's starter texts filled with this ambito's data.
    ``modello`` None: the one proposed (last year's, else the version's).
    ``utente`` None only from the command line (no role to check).
    """
    if utente is not None and not puo_modificare(utente, ambito):
        raise PermissionDenied(
            _("Solo l'Ufficio di Piano dell'ambito può creare un piano.")
        )
    if modello is None:
        modello = modello_proposto(ambito=ambito, anno=anno, normativa=normativa)
    with transaction.atomic():
        if PianoAnnuale.objects.filter(ambito=ambito, anno=anno).exists():
            raise ValidationError(
                _("Esiste già il piano %(anno)s per questo ambito.") % {"anno": anno},
                code="piano_esistente",
            )
        precedente = PianoAnnuale.objects.filter(ambito=ambito, anno=anno - 1).first()
        if precedente is not None:
            from . import ciclo  # ciclo imports this module: import at call time

            piano = ciclo.piano_da_precedente(
                piano=precedente, utente=utente, normativa=normativa, modello=modello
            )
        else:
            piano = PianoAnnuale(
                ambito=ambito, anno=anno, normativa=normativa, modello=modello
            )
            piano._history_user = utente
            piano.full_clean()
            piano.save()
            for sezione in sezioni_iniziali(piano=piano):
                sezione._history_user = utente
                sezione.save()
        # Every ente of the ambito starts «non pervenuta» (rows carried over from
        # last year's plan are kept: the function skips existing ones).
        comunicazioni_inizializza(piano=piano)
        return piano


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


@dataclass(frozen=True)
class PopolazioneMancante:
    """The comuni of the ambito without population at the date the document
    prints it (``data`` None: no population held for any of them)."""

    data: date | None
    comuni: list[Comune]


def popolazione_mancante(*, piano: PianoAnnuale) -> PopolazioneMancante:
    """Two queries, whatever the number of comuni and dates."""
    righe = list(
        PopolazioneComune.objects.filter(
            comune__appartenenze__ambito_id=piano.ambito_id
        ).values_list("comune_id", "data")
    )
    giorno = data_riferimento_popolazione(d for _c, d in righe)
    con_dato = {c for c, d in righe if d == giorno}
    comuni = Comune.objects.filter(appartenenze__ambito_id=piano.ambito_id).order_by(
        "nome"
    )
    return PopolazioneMancante(
        data=giorno, comuni=[c for c in comuni if c.pk not in con_dato]
    )


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
