"""Publication of a graduatoria: protocol number, rank, score, outcome and amount only
(D.Lgs. 33/2013 art. 26 c. 4: no names, tax codes, ISEE or household data)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

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
def graduatoria_pubblica_imposta(*, bando: Bando, utente, pubblica: bool) -> Bando:
    """Publish the graduatoria on the ambito's public page (who and when are
    recorded) or withdraw it. Only a computed graduatoria can be published."""
    bando = Bando.objects.select_for_update().get(pk=bando.pk)
    if pubblica:
        if not bando.graduatoria_pubblicabile:
            raise GraduatoriaNonPubblicabile(
                _t(
                    "La graduatoria non è ancora stata calcolata: "
                    "non può essere pubblicata."
                )
            )
        bando.graduatoria_pubblicata_il = timezone.now()
        bando.graduatoria_pubblicata_da = utente
    else:
        bando.graduatoria_pubblicata_il = None
        bando.graduatoria_pubblicata_da = None
    bando.save(update_fields=["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"])
    return bando


INTESTAZIONI_PUBBLICHE = [
    _("Posizione"),
    _("Protocollo"),
    _("Punteggio"),
    _("Esito"),
    _("Contributo assegnato (€)"),
]


def graduatoria_xlsx(*, bando: Bando) -> bytes:
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    foglio = libro.create_sheet(_t("Graduatoria"))
    foglio.append([neutralizza(bando.titolo)])
    foglio.append([str(h) for h in INTESTAZIONI_PUBBLICHE])
    for r in graduatoria_pubblica(bando=bando):
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


def graduatoria_html(*, bando: Bando) -> str:
    return render_to_string(
        "misure/graduatoria_pdf.html",
        {
            "bando": bando,
            "righe": graduatoria_pubblica(bando=bando),
            "intestazioni": INTESTAZIONI_PUBBLICHE,
        },
    )


def graduatoria_pdf(*, bando: Bando) -> bytes:
    """A4, tagged PDF (title, author and language in its metadata)."""
    with translation.override("it"):
        html = graduatoria_html(bando=bando)
    return html_in_pdf(html, pdf_tags=True)
