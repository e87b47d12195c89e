"""A new plan and its blank comunicazioni."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ambiti.models import Ambito
from ambiti.permessi import puo_modificare
from patrimonio.territorio import enti_dell_ambito

from ..impaginazioni import modello_proposto, sezioni_iniziali
from ..models import (
    Comunicazione,
    ModelloDocumento,
    PianoAnnuale,
    VersioneNormativa,
)
from .salvataggi import (
    piano_verifica_modificabile,
)


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
            from .. import ciclo  # ciclo imports services: import at call time

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
