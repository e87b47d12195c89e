"""The domande import, the graduatoria, its publication and the office's PDF of
a long graduatoria as background work: queued from the page, run by
``manage.py db_worker``, progress written where the page reads it."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t

from ..models import Bando, Elaborazione
from .graduatoria import graduatoria_calcola
from .importazione import ImportazioneNonValida, domande_importa
from .pubblicazione import (
    GraduatoriaNonPubblicabile,
    graduatoria_pdf,
    graduatoria_pubblica,
    graduatoria_pubblica_imposta,
    pubblicazione_corrente,
    pubblicazione_righe,
)

log = logging.getLogger(__name__)

# Longer than the longest run (a 20.000-row publication takes minutes).
SCADENZA = timedelta(hours=2)


class ElaborazioneInCorso(Exception):
    """The bando already has work queued or running."""

    def __init__(self, elaborazione: Elaborazione):
        super().__init__(
            _t(
                "È già in corso un'elaborazione del bando (%(tipo)s): "
                "attendere che finisca."
            )
            % {"tipo": elaborazione.get_tipo_display()}
        )
        self.elaborazione = elaborazione


def elaborazione_avvia(
    *,
    bando: Bando,
    tipo: str,
    utente=None,
    contenuto: bytes | None = None,
    nome_file: str = "",
    motivo: str = "",
) -> Elaborazione:
    """Record the work and queue it. One at a time per bando: an import and a
    graduatoria running together would rank a half-imported file."""
    from ..tasks import elaborazione_in_background

    with transaction.atomic():
        # The bando row is the lock that makes «one at a time» hold under
        # concurrent requests.
        Bando.objects.select_for_update().filter(pk=bando.pk).first()
        aperte = bando.elaborazioni.exclude(stato__in=Elaborazione.CONCLUSE)
        # Work silent for longer than any run takes had its worker killed: it
        # no longer holds the bando.
        aperte.filter(creata_il__lt=timezone.now() - SCADENZA).update(
            stato=Elaborazione.Stato.FALLITA,
            contenuto=None,
            conclusa_il=timezone.now(),
            fase=_t("Interrotta: il processo in background non ha concluso."),
        )
        attiva = aperte.first()
        if attiva is not None:
            raise ElaborazioneInCorso(attiva)
        elaborazione = Elaborazione.objects.create(
            bando=bando,
            tipo=tipo,
            utente=utente if getattr(utente, "pk", None) else None,
            contenuto=contenuto,
            nome_file=nome_file,
            motivo=motivo,
        )
    elaborazione_in_background.enqueue(elaborazione.pk)
    elaborazione.refresh_from_db()
    return elaborazione


def elaborazione_esegui(*, elaborazione: Elaborazione) -> None:
    """Run the work and record how it ended; the file is dropped either way."""
    righe = Elaborazione.objects.filter(pk=elaborazione.pk)
    righe.update(stato=Elaborazione.Stato.IN_CORSO, progresso=0, fase="")

    def avanza(percentuale: int, fase: str) -> None:
        righe.update(progresso=percentuale, fase=str(fase)[:120])

    esito: dict = {"contenuto": None, "conclusa_il": None}
    try:
        if elaborazione.tipo == Elaborazione.Tipo.IMPORTAZIONE:
            risultato = domande_importa(
                bando=elaborazione.bando,
                contenuto=bytes(elaborazione.contenuto or b""),
                nome_file=elaborazione.nome_file or "domande.xlsx",
                avanzamento=avanza,
            )
        elif elaborazione.tipo == Elaborazione.Tipo.PUBBLICAZIONE:
            avanza(10, _t("Composizione delle righe, del PDF e del foglio XLSX"))
            graduatoria_pubblica_imposta(
                bando=elaborazione.bando,
                utente=elaborazione.utente,
                pubblica=True,
                motivo=elaborazione.motivo,
            )
            risultato = len(pubblicazione_corrente(elaborazione.bando).righe)
        elif elaborazione.tipo == Elaborazione.Tipo.PDF:
            avanza(10, _t("Composizione del PDF"))
            risultato = _pdf_componi(elaborazione, esito)
        else:
            avanza(10, _t("Requisiti, punteggi e ordinamento"))
            risultato = graduatoria_calcola(bando=elaborazione.bando)
        esito.update(
            stato=Elaborazione.Stato.COMPLETATA,
            risultato=risultato,
            progresso=100,
            fase=_t("Completata"),
        )
    except ImportazioneNonValida as errore:
        esito.update(
            stato=Elaborazione.Stato.RIFIUTATA,
            errori=errore.errori,
            fase=_t("Il file non è stato importato."),
        )
    except GraduatoriaNonPubblicabile as errore:
        esito.update(stato=Elaborazione.Stato.RIFIUTATA, errori=[str(errore)], fase="")
    except Exception:
        log.exception("Elaborazione %s interrotta", elaborazione.pk)
        esito.update(
            stato=Elaborazione.Stato.FALLITA,
            fase=_t("Interrotta da un errore imprevisto: nessun dato è stato scritto."),
        )
    esito["conclusa_il"] = timezone.now()
    righe.update(**esito)


def _pdf_componi(elaborazione: Elaborazione, esito: dict) -> int:
    """The graduatoria's PDF as its rows are now, kept with their SHA-256; the
    bando's older PDFs are dropped (a draft is worth keeping only while current)."""
    bando = elaborazione.bando
    righe = graduatoria_pubblica(bando=bando)
    esito["documento"] = graduatoria_pdf(bando=bando, righe=righe)
    esito["sha256"] = pubblicazione_righe(righe)[1]
    bando.elaborazioni.filter(tipo=Elaborazione.Tipo.PDF).exclude(
        pk=elaborazione.pk
    ).update(documento=None)
    return len(righe)


def pdf_composto(*, bando: Bando, impronta: str) -> Elaborazione | None:
    """The PDF composed in the background from the rows with this SHA-256
    (``pubblicazione_righe``), if any."""
    return (
        bando.elaborazioni.filter(
            tipo=Elaborazione.Tipo.PDF,
            stato=Elaborazione.Stato.COMPLETATA,
            sha256=impronta,
            documento__isnull=False,
        )
        .defer("contenuto")
        .first()
    )
