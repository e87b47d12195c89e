"""Publication of a graduatoria: protocol number, rank, score, outcome and amount only
(D.Lgs. 33/2013 art. 26 c. 4: no names, tax codes, ISEE or household data)."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from pianocasa.pdf import html_in_pdf
from pianocasa.ui import neutralizza

from ..models import (
    Bando,
    Domanda,
    Erogazione,
    GraduatoriaPubblicata,
)
from .calcolo import ZERO, _protocollo_chiave


# --------------------------------------------------------------------------
# Publication: protocol number, rank, score, outcome and amount ONLY
# (D.Lgs. 33/2013 art. 26 c. 4: no names, tax codes, ISEE or household data)
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class RigaPubblica:
    posizione: int | None
    protocollo: str
    punteggio: Decimal | None
    esito: str
    importo: Decimal


def graduatoria_pubblica(*, bando: Bando) -> list[RigaPubblica]:
    """Admitted domande by rank, then the excluded ones by protocol."""
    assegnato: dict[int, Decimal] = {}
    for domanda_id, importo in Erogazione.objects.filter(
        domanda__bando=bando
    ).values_list("domanda_id", "importo"):
        assegnato[domanda_id] = assegnato.get(domanda_id, ZERO) + importo
    righe = []
    # bando_id too: the related manager sets each row's bando from it, and a
    # deferred bando_id would cost one query per domanda.
    domande = bando.domande.exclude(esito=Domanda.Esito.DA_VALUTARE).only(
        "pk",
        "bando_id",
        "protocollo",
        "data_protocollo",
        "esito",
        "punteggio",
        "posizione",
        "contributo",
    )
    ordinate = sorted(
        domande,
        key=lambda d: (
            d.posizione is None,
            d.posizione or 0,
            d.data_protocollo,
            _protocollo_chiave(d.protocollo),
        ),
    )
    for d in ordinate:
        importo = assegnato.get(d.pk, ZERO)
        if d.esito == Domanda.Esito.ESCLUSA:
            esito = _t("Esclusa")
        elif importo and importo >= d.contributo:
            esito = _t("Finanziata")
        elif importo:
            esito = _t("Finanziata in parte")
        else:
            esito = _t("Ammessa, non finanziata")
        righe.append(
            RigaPubblica(d.posizione, d.protocollo, d.punteggio, esito, importo)
        )
    return righe


class GraduatoriaNonPubblicabile(Exception):
    pass


@transaction.atomic
def graduatoria_pubblica_imposta(
    *, bando: Bando, utente, pubblica: bool, motivo: str = ""
) -> Bando:
    """Publish the graduatoria on the ambito's public page or withdraw it.

    Publishing freezes what citizens see: the public rows with their SHA-256,
    the PDF and the XLSX are stored (``GraduatoriaPubblicata``); a later change
    of a domanda does not touch them. A graduatoria published before is
    corrected only by a new publication with a written reason."""
    bando = Bando.objects.select_for_update().get(pk=bando.pk)
    if not pubblica:
        bando.graduatoria_pubblicata_il = None
        bando.graduatoria_pubblicata_da = None
        bando.save(
            update_fields=["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"]
        )
        return bando
    motivo = pubblicazione_verifica(bando=bando, motivo=motivo)
    _pubblicazione_crea(bando, utente, motivo)
    bando.graduatoria_pubblicata_il = timezone.now()
    bando.graduatoria_pubblicata_da = utente
    bando.save(update_fields=["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"])
    return bando


def pubblicazione_verifica(*, bando: Bando, motivo: str = "") -> str:
    """Whether the graduatoria may be published now (the page asks before it
    queues the work); returns the reason, trimmed. Raises
    ``GraduatoriaNonPubblicabile`` with the Italian message."""
    if not bando.graduatoria_pubblicabile:
        raise GraduatoriaNonPubblicabile(
            _t(
                "La graduatoria non è ancora stata calcolata: "
                "non può essere pubblicata."
            )
        )
    motivo = (motivo or "").strip()
    if bando.pubblicazioni.exists() and not motivo:
        raise GraduatoriaNonPubblicabile(
            _t(
                "La graduatoria è già stata pubblicata: una nuova pubblicazione la "
                "corregge e va motivata. Scrivere il motivo."
            )
        )
    return motivo


def pubblicazione_righe(righe: list[RigaPubblica]) -> tuple[list[list], str]:
    """The rows as stored at publication (JSON lists) and their SHA-256."""
    dati = [
        [r.posizione, r.protocollo, _testo(r.punteggio), r.esito, _testo(r.importo)]
        for r in righe
    ]
    canonico = json.dumps(dati, ensure_ascii=False, separators=(",", ":")).encode()
    return dati, hashlib.sha256(canonico).hexdigest()


def _pubblicazione_crea(bando: Bando, utente, motivo: str) -> GraduatoriaPubblicata:
    righe = graduatoria_pubblica(bando=bando)
    dati, impronta = pubblicazione_righe(righe)
    pdf = graduatoria_pdf(bando=bando, righe=righe)
    xlsx = graduatoria_xlsx(bando=bando, righe=righe)
    pubblicazione = GraduatoriaPubblicata(
        bando=bando,
        versione_graduatoria=bando.versione_graduatoria,
        righe=dati,
        sha256=impronta,
        sha256_pdf=hashlib.sha256(pdf).hexdigest(),
        sha256_xlsx=hashlib.sha256(xlsx).hexdigest(),
        pubblicata_da=utente,
        motivo=motivo,
    )
    numero = bando.pubblicazioni.count() + 1
    pubblicazione.pdf.save(f"graduatoria-{numero}.pdf", ContentFile(pdf), save=False)
    pubblicazione.xlsx.save(f"graduatoria-{numero}.xlsx", ContentFile(xlsx), save=False)
    pubblicazione.save()
    return pubblicazione


def _testo(valore: Decimal | None) -> str | None:
    return None if valore is None else str(valore)


def pubblicazione_corrente(bando: Bando) -> GraduatoriaPubblicata | None:
    """The publication citizens see (the latest), None if never published."""
    return bando.pubblicazioni.order_by("-pubblicata_il", "-pk").first()


def righe_pubblicate(pubblicazione: GraduatoriaPubblicata) -> list[RigaPubblica]:
    """The rows as published, never recomputed."""
    return [
        RigaPubblica(
            posizione,
            protocollo,
            None if punteggio is None else Decimal(punteggio),
            esito,
            Decimal(importo),
        )
        for posizione, protocollo, punteggio, esito, importo in pubblicazione.righe
    ]


INTESTAZIONI_PUBBLICHE = [
    _("Posizione"),
    _("Protocollo"),
    _("Punteggio"),
    _("Esito"),
    _("Contributo assegnato (€)"),
]


def graduatoria_xlsx(*, bando: Bando, righe: list[RigaPubblica] | None = None) -> bytes:
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    foglio = libro.create_sheet(_t("Graduatoria"))
    foglio.append([neutralizza(bando.titolo)])
    foglio.append([str(h) for h in INTESTAZIONI_PUBBLICHE])
    for r in graduatoria_pubblica(bando=bando) if righe is None else righe:
        foglio.append(
            [
                r.posizione,
                neutralizza(r.protocollo),
                r.punteggio,
                neutralizza(r.esito),
                r.importo,
            ]
        )
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def graduatoria_html(*, bando: Bando, righe: list[RigaPubblica] | None = None) -> str:
    return render_to_string(
        "misure/graduatoria_pdf.html",
        {
            "bando": bando,
            "righe": graduatoria_pubblica(bando=bando) if righe is None else righe,
            "intestazioni": INTESTAZIONI_PUBBLICHE,
        },
    )


def graduatoria_pdf(*, bando: Bando, righe: list[RigaPubblica] | None = None) -> bytes:
    """A4, tagged PDF (title, author and language in its metadata)."""
    with translation.override("it"):
        html = graduatoria_html(bando=bando, righe=righe)
    return html_in_pdf(html, pdf_tags=True)
