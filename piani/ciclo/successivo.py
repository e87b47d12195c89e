"""Next year's plan, carried forward from this one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g

from ..models import (
    Comunicazione,
    DecisioneComune,
    ModelloDocumento,
    PianoAnnuale,
    Sezione,
    VersioneNormativa,
)
from ..services.creazione import comunicazioni_inizializza
from .transizioni import (
    Stato,
    puo_eseguire,
)

# ---------------------------------------------------------------------------
# Next year's plan
# ---------------------------------------------------------------------------

# The stock carried forward to next year (to be confirmed by the ente).
CAMPI_RIPORTATI = Comunicazione.CAMPI_CONSISTENZA + Comunicazione.CAMPI_STATO_SAP
CAMPI_DECISIONE = DecisioneComune.CAMPI_DATI


def piano_successivo(
    *,
    piano: PianoAnnuale,
    utente,
    normativa: VersioneNormativa | None = None,
    modello: ModelloDocumento | None = None,
) -> PianoAnnuale:
    """Next year's draft from this plan: same ambito, regulation version and layout
    (unless others are given), one blank comunicazione per ente with the stock
    carried forward (to be confirmed), the comuni's decisions and the narrative
    sections."""
    if not puo_eseguire(utente, piano, "apri_raccolta"):
        raise PermissionDenied(
            _g("Solo l'Ufficio di Piano dell'ambito può creare il piano successivo.")
        )
    return piano_da_precedente(
        piano=piano, utente=utente, normativa=normativa, modello=modello
    )


def piano_da_precedente(
    *,
    piano: PianoAnnuale,
    utente,
    normativa: VersioneNormativa | None = None,
    modello: ModelloDocumento | None = None,
) -> PianoAnnuale:
    """The work of ``piano_successivo`` without the role check (callers check)."""
    anno = piano.anno + 1
    with transaction.atomic():
        if PianoAnnuale.objects.filter(ambito_id=piano.ambito_id, anno=anno).exists():
            raise ValidationError(
                _g("Esiste già il piano %(anno)d per questo ambito.") % {"anno": anno},
                code="piano_esistente",
            )
        nuovo = PianoAnnuale(
            ambito_id=piano.ambito_id,
            anno=anno,
            normativa_id=normativa.pk if normativa else piano.normativa_id,
            modello=modello or piano.impaginazione,
            tetto_sat=piano.tetto_sat,
            stato=Stato.BOZZA,
            revisione=0,
        )
        nuovo._history_user = utente
        nuovo.full_clean()
        nuovo.save()
        nota = _g(
            "Consistenza e stato del patrimonio SAP riportati dal piano %(anno)d "
            "come punto di partenza: da confermare con la comunicazione dell'ente."
        ) % {"anno": piano.anno}
        comunicazioni = []
        for c in piano.comunicazioni.order_by("pk"):
            riportati = {f: getattr(c, f) for f in CAMPI_RIPORTATI}
            comunicazioni.append(
                Comunicazione(
                    piano=nuovo,
                    ente_id=c.ente_id,
                    note=nota if any(v is not None for v in riportati.values()) else "",
                    **riportati,
                )
            )
        for riga in comunicazioni:
            riga.save()
        # Enti of the ambito that had no row this year start as «non pervenuta».
        comunicazioni_inizializza(piano=nuovo)
        for d in piano.decisioni.order_by("pk"):
            DecisioneComune(
                piano=nuovo,
                comune_id=d.comune_id,
                **{f: getattr(d, f) for f in CAMPI_DECISIONE},
            ).save()
        for s in piano.sezioni.order_by("ordine", "pk"):
            Sezione(
                piano=nuovo,
                chiave=s.chiave,
                titolo=s.titolo,
                testo=s.testo,
                ordine=s.ordine,
            ).save()
        return nuovo
