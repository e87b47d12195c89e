"""The plan's state graph, who may walk it, and the plain transitions (collection
opened and closed, publication, reopening for a revision)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ambiti.models import (
    Incarico,
)
from patrimonio.models import EnteProprietario

from ..mancanti import enti_senza_comunicazione
from ..models import (
    PianoAnnuale,
    Transizione,
)

Stato = PianoAnnuale.Stato

# ---------------------------------------------------------------------------
# The graph and who may walk it: the one table to read and to change.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Passaggio:
    azione: str
    da: tuple[str, ...]
    a: str
    etichetta: str
    # Incarico roles allowed; superusers (administrators) always are.
    ruoli: frozenset[str]


UFFICIO = frozenset({Incarico.Ruolo.UFFICIO})

PASSAGGI: dict[str, Passaggio] = {
    p.azione: p
    for p in (
        Passaggio(
            "apri_raccolta",
            (Stato.BOZZA,),
            Stato.RACCOLTA_APERTA,
            _("Apri la raccolta delle comunicazioni"),
            UFFICIO,
        ),
        Passaggio(
            "chiudi_raccolta",
            (Stato.RACCOLTA_APERTA,),
            Stato.RACCOLTA_CHIUSA,
            _("Chiudi la raccolta delle comunicazioni"),
            UFFICIO,
        ),
        Passaggio(
            "approva",
            (Stato.RACCOLTA_CHIUSA,),
            Stato.APPROVATO,
            _("Registra l'approvazione dell'Assemblea"),
            UFFICIO,
        ),
        Passaggio(
            "pubblica",
            (Stato.APPROVATO,),
            Stato.PUBBLICATO,
            _("Pubblica il piano approvato"),
            UFFICIO,
        ),
        Passaggio(
            "riapri",
            (Stato.APPROVATO, Stato.PUBBLICATO),
            Stato.RACCOLTA_CHIUSA,
            _("Riapri per una revisione"),
            UFFICIO,
        ),
    )
}

GRAFO: frozenset[tuple[str, str]] = frozenset(
    (da, p.a) for p in PASSAGGI.values() for da in p.da
)

ORGANO_PREDEFINITO = "Assemblea dei Sindaci"


class TransizioneNonAmmessa(ValidationError):
    """A transition outside the graph."""


def _nome_stato(stato: str) -> str:
    return str(Stato(stato).label)


def puo_eseguire(utente, piano: PianoAnnuale, azione: str) -> bool:
    """The role check alone (the state is checked by ``passaggi_possibili``)."""
    passaggio = PASSAGGI[azione]
    if not getattr(utente, "is_authenticated", False) or not utente.is_active:
        return False
    if utente.is_superuser:
        return True
    return Incarico.objects.filter(
        utente=utente, ambito_id=piano.ambito_id, ruolo__in=passaggio.ruoli
    ).exists()


def passaggi_possibili(piano: PianoAnnuale, utente=None) -> list[Passaggio]:
    """The actions open from the plan's state (and to the user, if given)."""
    return [
        p
        for p in PASSAGGI.values()
        if piano.stato in p.da
        and (utente is None or puo_eseguire(utente, piano, p.azione))
    ]


def _verifica_passaggio(piano: PianoAnnuale, utente, azione: str) -> Passaggio:
    passaggio = PASSAGGI[azione]
    if piano.stato not in passaggio.da:
        ammessi = ", ".join(
            f"«{_nome_stato(a)}»" for (da, a) in sorted(GRAFO) if da == piano.stato
        )
        raise TransizioneNonAmmessa(
            _g(
                "Il piano è nello stato «%(da)s»: non può passare a «%(a)s». "
                "Da qui può passare solo a: %(ammessi)s."
            )
            % {
                "da": _nome_stato(piano.stato),
                "a": _nome_stato(passaggio.a),
                "ammessi": ammessi or "—",
            },
            code="transizione_non_ammessa",
        )
    if not puo_eseguire(utente, piano, azione):
        raise PermissionDenied(
            _g(
                "Solo l'Ufficio di Piano dell'ambito può eseguire questa operazione "
                "(«%(azione)s»)."
            )
            % {"azione": passaggio.etichetta}
        )
    return passaggio


def _blocca(piano: PianoAnnuale) -> PianoAnnuale:
    """Re-read the plan under a row lock: two clicks on «approva» must not make
    two revisions."""
    fresco = PianoAnnuale.objects.select_for_update().get(pk=piano.pk)
    for campo in (
        "stato",
        "revisione",
        "versione",
        "organo_approvazione",
        "data_approvazione",
        "luogo_approvazione",
    ):
        setattr(piano, campo, getattr(fresco, campo))
    return piano


def _cambia_stato(
    piano: PianoAnnuale, utente, passaggio: Passaggio, nota: str = ""
) -> Transizione:
    da_stato = piano.stato
    piano.stato = passaggio.a
    piano.versione += 1
    piano._history_user = utente  # simple_history: who changed it
    piano.save(update_fields=["stato", "revisione", "versione"])
    return Transizione.objects.create(
        piano=piano, da_stato=da_stato, a_stato=passaggio.a, utente=utente, nota=nota
    )


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


def piano_apri_raccolta(*, piano: PianoAnnuale, utente, nota: str = "") -> Transizione:
    with transaction.atomic():
        _blocca(piano)
        passaggio = _verifica_passaggio(piano, utente, "apri_raccolta")
        return _cambia_stato(piano, utente, passaggio, nota)


def piano_chiudi_raccolta(
    *, piano: PianoAnnuale, utente, nota: str = ""
) -> list[EnteProprietario]:
    """Close the collection; returns the enti without a comunicazione (also
    written in the transition's note)."""
    with transaction.atomic():
        _blocca(piano)
        passaggio = _verifica_passaggio(piano, utente, "chiudi_raccolta")
        mancanti = enti_senza_comunicazione(piano)
        righe = [nota] if nota else []
        if mancanti:
            righe.append(
                _g("Enti senza comunicazione (%(n)d): %(elenco)s.")
                % {"n": len(mancanti), "elenco": "; ".join(str(e) for e in mancanti)}
            )
        _cambia_stato(piano, utente, passaggio, "\n".join(righe))
        return mancanti


def piano_pubblica(*, piano: PianoAnnuale, utente, nota: str = "") -> Transizione:
    with transaction.atomic():
        _blocca(piano)
        passaggio = _verifica_passaggio(piano, utente, "pubblica")
        return _cambia_stato(piano, utente, passaggio, nota)


def piano_riapri(*, piano: PianoAnnuale, utente, motivo: str) -> Transizione:
    """Reopen an approved or published plan for revision n+1; the approved
    versions stay stored and downloadable."""
    motivo = (motivo or "").strip()
    with transaction.atomic():
        _blocca(piano)
        passaggio = _verifica_passaggio(piano, utente, "riapri")
        if not motivo:
            raise ValidationError(
                {"motivo": _("Per riaprire il piano serve il motivo della revisione.")},
                code="motivo_mancante",
            )
        return _cambia_stato(piano, utente, passaggio, motivo)
