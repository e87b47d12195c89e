"""The approved versions: integrity check of the stored files, current version,
published revisions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import default_storage

from ..models import (
    PianoAnnuale,
    Transizione,
    VersioneApprovata,
)
from .transizioni import (
    Stato,
)

# ---------------------------------------------------------------------------
# Stored documents: reading and verification
# ---------------------------------------------------------------------------


def _sha256_file(nome: str) -> str:
    h = hashlib.sha256()
    with default_storage.open(nome, "rb") as f:
        for blocco in iter(lambda: f.read(1 << 16), b""):
            h.update(blocco)
    return h.hexdigest()


@dataclass
class EsitoVerifica:
    versione: VersioneApprovata
    tipo: str  # "pdf" | "istantanea"
    nome: str
    atteso: str
    trovato: str | None  # None: file missing

    @property
    def esito(self) -> str:
        if self.trovato is None:
            return "MANCANTE"
        return "OK" if self.trovato == self.atteso else "ALTERATO"

    @property
    def ok(self) -> bool:
        return self.esito == "OK"


def versioni_verifica(
    versioni: Iterable[VersioneApprovata] | None = None,
) -> list[EsitoVerifica]:
    """Recompute the SHA-256 of every stored approved document and snapshot."""
    if versioni is None:
        versioni = VersioneApprovata.objects.select_related("piano__ambito").order_by(
            "piano__ambito__slug", "piano__anno", "revisione"
        )
    esiti = []
    for versione in versioni:
        for tipo, campo, atteso in (
            ("pdf", versione.pdf, versione.sha256_pdf),
            ("istantanea", versione.istantanea, versione.sha256_istantanea),
        ):
            nome = campo.name or ""
            try:
                trovato = _sha256_file(nome) if nome else None
            except (FileNotFoundError, OSError):
                trovato = None
            esiti.append(EsitoVerifica(versione, tipo, nome, atteso, trovato))
    return esiti


def versione_corrente(piano: PianoAnnuale) -> VersioneApprovata | None:
    """The latest approved version of an approved or published plan (None while
    the plan is open): what «download the plan's PDF» must serve."""
    if piano.modificabile:
        return None
    return piano.versioni_approvate.order_by("-revisione").first()


def versione_pdf(versione: VersioneApprovata) -> bytes:
    """The approved PDF as stored (never re-rendered)."""
    with default_storage.open(versione.pdf.name, "rb") as f:
        return f.read()


def revisioni_pubblicate(piano: PianoAnnuale) -> list[VersioneApprovata]:
    """The approved versions that have been published: the one in force at each
    approvato → pubblicato transition (a later reopening does not unpublish it).
    Read from the ordered transitions alone: the k-th approval is revision k."""
    return revisioni_pubblicate_per_piano([piano])[piano.pk]


def revisioni_pubblicate_per_piano(
    piani: Iterable[PianoAnnuale],
) -> dict[int, list[VersioneApprovata]]:
    """``revisioni_pubblicate`` of many plans in two queries, whatever their
    number (the ambito's public page lists every year): plan pk → versions."""
    per_pk = {piano.pk: piano for piano in piani}
    approvazioni: dict[int, int] = dict.fromkeys(per_pk, 0)
    numeri: dict[int, set[int]] = {pk: set() for pk in per_pk}
    for piano_id, a_stato in (
        Transizione.objects.filter(piano_id__in=per_pk)
        .order_by("piano_id", "avvenuta_il", "pk")
        .values_list("piano_id", "a_stato")
    ):
        if a_stato == Stato.APPROVATO:
            approvazioni[piano_id] += 1
        elif a_stato == Stato.PUBBLICATO and approvazioni[piano_id]:
            numeri[piano_id].add(approvazioni[piano_id])
    risultato: dict[int, list[VersioneApprovata]] = {pk: [] for pk in per_pk}
    con_numeri = [pk for pk, insieme in numeri.items() if insieme]
    if con_numeri:
        for versione in VersioneApprovata.objects.filter(
            piano_id__in=con_numeri
        ).order_by("piano_id", "revisione"):
            if versione.revisione in numeri[versione.piano_id]:
                versione.piano = per_pk[versione.piano_id]
                risultato[versione.piano_id].append(versione)
    return risultato
