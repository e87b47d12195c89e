"""The dashboard's summary: the counts the document prints, the comuni without
population."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum

from ambiti.models import Comune

from ..documento.aiuti import mancanti_del_campo
from ..models import (
    Comunicazione,
    PianoAnnuale,
)
from ..popolazione import popolazione_del_piano


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
        somma_alloggi=somma("alloggi_totali"),
        con_totali=Count(
            "pk", filter=Q(esito=esito.DATI, alloggi_totali__isnull=False)
        ),
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
        alloggi_totali=r["somma_alloggi"],
        alloggi_sap=r["alloggi_sap"],
        assegnabili_comunicate=r["g"],
        assegnabili_calcolate=r["b"] + r["c"] + r["d"] + r["e"] + r["f"],
        # The document's rule for what a total lacks (documento.aiuti).
        mancanti_nei_totali=mancanti_del_campo(
            non_pervenute=r["enti"] - r["pervenute"],
            con_dati=r["con_dati"],
            con_valore=r["con_totali"],
        ),
    )


@dataclass(frozen=True)
class PopolazioneMancante:
    """The comuni of the ambito without population at the date the document
    prints it (``data`` None: no population held for any of them)."""

    data: date | None
    comuni: list[Comune]


def popolazione_mancante(*, piano: PianoAnnuale) -> PopolazioneMancante:
    """The comuni without a figure at the plan's date (the document's rule)."""
    giorno, righe = popolazione_del_piano(piano)
    con_dato = {p.comune_id for p in righe}
    comuni = Comune.objects.filter(appartenenze__ambito_id=piano.ambito_id).order_by(
        "nome"
    )
    return PopolazioneMancante(
        data=giorno, comuni=[c for c in comuni if c.pk not in con_dato]
    )
