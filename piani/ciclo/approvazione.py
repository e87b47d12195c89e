"""Approval by the Assemblea and freeze: the PDF rendered once and the canonical
JSON snapshot of the plan's data, both stored with their SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ambiti.models import (
    Ambito,
    AmbitoComune,
    Comune,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from patrimonio.models import EnteProprietario
from pianocasa.formati import data as data_it

from ..anomalie import anomalie_aperte
from ..documento import documento_pdf
from ..models import (
    DatoDelPiano,
    Osservazione,
    PianoAnnuale,
    SottosezioneStrategie,
    VersioneApprovata,
)
from .transizioni import (
    Stato,
    _blocca,
    _cambia_stato,
    _verifica_passaggio,
)
from .versioni import _sha256_file


def sha256(dati: bytes) -> str:
    return hashlib.sha256(dati).hexdigest()


def _dati_seduta(organo: str, data: date, luogo: str) -> tuple[str, date, str]:
    """The sitting's organ, date and place, all required."""
    organo = (organo or "").strip()
    luogo = (luogo or "").strip()
    errori = {}
    if not organo:
        errori["organo"] = _("Indicare l'organo che ha approvato il piano.")
    if not luogo:
        errori["luogo"] = _("Indicare il luogo della seduta.")
    if not data:
        errori["data"] = _("Indicare la data della seduta.")
    if errori:
        raise ValidationError(errori)
    return organo, data, luogo


def _nessuna_anomalia_aperta(piano: PianoAnnuale) -> None:
    aperte = list(anomalie_aperte(piano))
    if aperte:
        raise ValidationError(
            _g(
                "Il piano ha %(n)d anomalie non risolte né prese in carico: "
                "risolverle o prenderne atto con una motivazione prima "
                "dell'approvazione (%(elenco)s)."
            )
            % {
                "n": len(aperte),
                "elenco": "; ".join(str(getattr(a, "messaggio", a)) for a in aperte[:5])
                + ("; …" if len(aperte) > 5 else ""),
            },
            code="anomalie_aperte",
        )


def _registra_seduta(
    piano: PianoAnnuale, utente, passaggio, organo: str, data: date, luogo: str
) -> None:
    # Still unfrozen here: the sitting's data are the plan's own fields.
    piano.organo_approvazione = organo
    piano.data_approvazione = data
    piano.luogo_approvazione = luogo
    piano.save(
        update_fields=["organo_approvazione", "data_approvazione", "luogo_approvazione"]
    )
    piano.revisione += 1
    _cambia_stato(
        piano,
        utente,
        passaggio,
        _g("%(organo)s, seduta del %(data)s, in %(luogo)s")
        % {"organo": organo, "data": data_it(data), "luogo": luogo},
    )


def _congela(
    piano: PianoAnnuale,
    utente,
    renderer: Callable[[PianoAnnuale], bytes],
    salvati: list[str],
) -> VersioneApprovata:
    """Render once, as approved (state and revision already set), and never
    again: the stored bytes are the document. Each stored file's name goes into
    ``salvati`` so that the caller can remove it if the transaction fails.

    The snapshot is read first, under the plan's lock; the PDF is rendered after
    it and the data read again must be the snapshot, byte for byte: the PDF and
    the snapshot stored together always describe the same data (the plan's rows
    cannot change while the lock is held; the reference rows it prints, such as
    a comune's population, are checked here)."""
    istantanea = piano_istantanea(piano)
    pdf = bytes(renderer(piano))
    if piano_istantanea(piano) != istantanea:
        raise ValidationError(
            _g(
                "I dati del piano sono cambiati mentre il documento veniva "
                "generato: l'approvazione non è stata registrata. Riprovare."
            ),
            code="dati_cambiati",
        )
    ultima_riapertura = (
        piano.transizioni.filter(a_stato=Stato.RACCOLTA_CHIUSA)
        .exclude(da_stato=Stato.RACCOLTA_APERTA)
        .order_by("-avvenuta_il", "-pk")
        .first()
    )
    versione = VersioneApprovata(
        piano=piano,
        revisione=piano.revisione,
        organo=piano.organo_approvazione,
        data_seduta=piano.data_approvazione,
        luogo_seduta=piano.luogo_approvazione,
        sha256_pdf=sha256(pdf),
        sha256_istantanea=sha256(istantanea),
        motivo_revisione=ultima_riapertura.nota if ultima_riapertura else "",
        osservazioni_aperte=piano.osservazioni.filter(
            stato=Osservazione.Stato.APERTA
        ).count(),
        approvata_da=utente,
    )
    nome = f"piano-{piano.ambito.slug}-{piano.anno}-rev{piano.revisione}"
    versione.pdf.save(f"{nome}.pdf", ContentFile(pdf), save=False)
    salvati.append(versione.pdf.name)
    versione.istantanea.save(f"{nome}.json", ContentFile(istantanea), save=False)
    salvati.append(versione.istantanea.name)
    # Read back: what the storage holds is what the hash certifies.
    if _sha256_file(versione.pdf.name) != versione.sha256_pdf:
        raise OSError(_g("Il documento salvato non corrisponde a quello generato."))
    versione.full_clean()
    versione.save()
    return versione


def piano_approva(
    *,
    piano: PianoAnnuale,
    utente,
    organo: str,
    data: date,
    luogo: str,
    renderer: Callable[[PianoAnnuale], bytes] | None = None,
) -> VersioneApprovata:
    """Record the Assemblea's approval and freeze the plan: revision n+1, the PDF
    rendered once and the data snapshot, both stored with their SHA-256."""
    organo, data, luogo = _dati_seduta(organo, data, luogo)
    renderer = renderer or documento_pdf
    salvati: list[str] = []
    try:
        with transaction.atomic():
            _blocca(piano)
            passaggio = _verifica_passaggio(piano, utente, "approva")
            _nessuna_anomalia_aperta(piano)
            _registra_seduta(piano, utente, passaggio, organo, data, luogo)
            return _congela(piano, utente, renderer, salvati)
    except BaseException:
        for nome_file in salvati:
            default_storage.delete(nome_file)
        raise


# ---------------------------------------------------------------------------
# The snapshot: every row of the plan's data, canonical JSON
# ---------------------------------------------------------------------------


def _modelli_del_piano() -> Iterator[tuple[type[models.Model], str]]:
    """Every concrete DatoDelPiano model with its lookup to the plan: a model added
    later by another module is included without touching this code."""
    for modello in apps.get_models():
        if issubclass(modello, DatoDelPiano) and not modello._meta.abstract:
            percorso = modello.percorso_piano.replace(".", "__")
            yield modello, percorso.removesuffix("_id")


def piano_istantanea(piano: PianoAnnuale) -> bytes:
    """Canonical JSON (sorted keys, rows sorted by model and pk) of the plan, all
    its rows and the reference rows they point to (ambito, comuni, population,
    enti, regulation version, bandi and DGR)."""
    gruppi: list[Iterable[models.Model]] = [
        [piano],
        [piano.normativa],
        # The layout sets the printed letters: part of what was approved.
        [piano.impaginazione] if piano.impaginazione else [],
        Ambito.objects.filter(pk=piano.ambito_id),
        SubAmbito.objects.filter(ambito_id=piano.ambito_id),
        AmbitoComune.objects.filter(ambito_id=piano.ambito_id),
        SerieDemografica.objects.filter(ambito_id=piano.ambito_id),
    ]
    comuni = Comune.objects.filter(
        Q(appartenenze__ambito_id=piano.ambito_id)
        | Q(decisioni__piano=piano)
        | Q(ente__comunicazioni__piano=piano)
    ).distinct()
    gruppi += [comuni, PopolazioneComune.objects.filter(comune__in=comuni)]
    gruppi.append(
        EnteProprietario.objects.filter(comunicazioni__piano=piano).distinct()
    )
    for modello, percorso in _modelli_del_piano():
        gruppi.append(modello._default_manager.filter(**{percorso: piano}))
    gruppi += _misure_del_piano(piano)

    righe: dict[tuple[str, str], dict] = {}
    for gruppo in gruppi:
        for riga in serializers.serialize("python", gruppo):
            righe[(riga["model"], str(riga["pk"]))] = riga
    documento = {
        "formato": "pianocasa-istantanea/1",
        "piano": {"ambito": piano.ambito.slug, "anno": piano.anno},
        "righe": [righe[k] for k in sorted(righe)],
    }
    return json.dumps(
        documento,
        cls=DjangoJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def _misure_del_piano(piano: PianoAnnuale) -> list:
    if not apps.is_installed("misure"):
        return []
    from misure.models import AssegnazioneDgr, Bando, Dgr, FonteFinanziamento

    sottosezioni = SottosezioneStrategie.objects.filter(piano=piano)
    bandi = Bando.objects.filter(sottosezioni__in=sottosezioni).distinct()
    fonti = FonteFinanziamento.objects.filter(bando__in=bandi)
    assegnazioni = AssegnazioneDgr.objects.filter(
        Q(blocchi__sottosezione__in=sottosezioni) | Q(fonti__in=fonti)
    ).distinct()
    return [
        bandi,
        fonti,
        assegnazioni,
        Dgr.objects.filter(assegnazioni__in=assegnazioni).distinct(),
    ]
