"""The plan's life: collection, approval by the Assemblea, frozen document,
revisions, next year's plan, integrity check of the stored documents.

Every transition is a keyword-only service that checks the graph and the user's
role (both in the tables below), writes in one transaction and records a
``Transizione``. The approved PDF and a canonical JSON snapshot of the plan's data
are stored through Django's default storage (filesystem or S3-compatible) with
their SHA-256; they are served from there and never rendered again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
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
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from patrimonio.models import EnteProprietario
from patrimonio.territorio import enti_dell_ambito
from pianocasa.formati import data as data_it

from .anomalie import anomalie_aperte
from .documento import documento_pdf
from .models import (
    Comunicazione,
    DatoDelPiano,
    DecisioneComune,
    ModelloDocumento,
    PianoAnnuale,
    Sezione,
    SottosezioneStrategie,
    Transizione,
    VersioneApprovata,
    VersioneNormativa,
)
from .services import comunicazioni_inizializza

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


def enti_senza_comunicazione(piano: PianoAnnuale) -> list[EnteProprietario]:
    """Enti of the plan whose comunicazione has not arrived, plus the enti of the
    ambito (comuni, ALER, other linked enti) that have no row at all."""
    mancanti = {
        c.ente
        for c in piano.comunicazioni.filter(esito="").select_related("ente__comune")
    }
    mancanti |= set(
        enti_dell_ambito(piano.ambito_id)
        .exclude(comunicazioni__piano=piano)
        .select_related("comune")
    )
    return sorted(mancanti, key=lambda e: (e.comune_id is None, e.nome_per_elenco))


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


def sha256(dati: bytes) -> str:
    return hashlib.sha256(dati).hexdigest()


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
    renderer = renderer or documento_pdf
    salvati: list[str] = []
    try:
        with transaction.atomic():
            _blocca(piano)
            passaggio = _verifica_passaggio(piano, utente, "approva")
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
                        "elenco": "; ".join(
                            str(getattr(a, "messaggio", a)) for a in aperte[:5]
                        )
                        + ("; …" if len(aperte) > 5 else ""),
                    },
                    code="anomalie_aperte",
                )
            # Still unfrozen here: the sitting's data are the plan's own fields.
            piano.organo_approvazione = organo
            piano.data_approvazione = data
            piano.luogo_approvazione = luogo
            piano.save(
                update_fields=[
                    "organo_approvazione",
                    "data_approvazione",
                    "luogo_approvazione",
                ]
            )
            piano.revisione += 1
            _cambia_stato(
                piano,
                utente,
                passaggio,
                _g("%(organo)s, seduta del %(data)s, in %(luogo)s")
                % {"organo": organo, "data": data_it(data), "luogo": luogo},
            )
            # Rendered once, as approved (state and revision already set), and
            # never again: the stored bytes are the document.
            pdf = bytes(renderer(piano))
            istantanea = piano_istantanea(piano)
            ultima_riapertura = (
                piano.transizioni.filter(a_stato=Stato.RACCOLTA_CHIUSA)
                .exclude(da_stato=Stato.RACCOLTA_APERTA)
                .order_by("-avvenuta_il", "-pk")
                .first()
            )
            versione = VersioneApprovata(
                piano=piano,
                revisione=piano.revisione,
                organo=organo,
                data_seduta=data,
                luogo_seduta=luogo,
                sha256_pdf=sha256(pdf),
                sha256_istantanea=sha256(istantanea),
                motivo_revisione=ultima_riapertura.nota if ultima_riapertura else "",
                approvata_da=utente,
            )
            nome = f"piano-{piano.ambito.slug}-{piano.anno}-rev{piano.revisione}"
            versione.pdf.save(f"{nome}.pdf", ContentFile(pdf), save=False)
            salvati.append(versione.pdf.name)
            versione.istantanea.save(
                f"{nome}.json", ContentFile(istantanea), save=False
            )
            salvati.append(versione.istantanea.name)
            # Read back: what the storage holds is what the hash certifies.
            if _sha256_file(versione.pdf.name) != versione.sha256_pdf:
                raise OSError(
                    _g("Il documento salvato non corrisponde a quello generato.")
                )
            versione.full_clean()
            versione.save()
            return versione
    except BaseException:
        for nome_file in salvati:
            default_storage.delete(nome_file)
        raise


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


# ---------------------------------------------------------------------------
# Comparison between two years
# ---------------------------------------------------------------------------

CAMPI_CONFRONTO_ENTE = (
    ("alloggi_totali", _("alloggi complessivi")),
    ("alloggi_sap", _("alloggi SAP")),
    ("sap_liberi", _("SAP liberi")),
    ("sap_carenze", _("SAP sfitti per carenze")),
    ("sap_ristrutturazione", _("SAP sfitti per ristrutturazione")),
    ("sap_occupati", _("SAP occupati")),
    ("assegnabili_totale", _("assegnabili nell'anno")),
)


@dataclass
class Variazione:
    prima: int | None
    dopo: int | None

    @property
    def differenza(self) -> int | None:
        if self.prima is None or self.dopo is None:
            return None
        return self.dopo - self.prima

    @property
    def cambiata(self) -> bool:
        """A figure that moved; a value not yet communicated is not a change (a
        carried-forward draft would otherwise light up every row)."""
        return bool(self.differenza)


@dataclass
class RigaConfronto:
    nome: str
    valori: list[Variazione] = field(default_factory=list)
    solo_in: str = ""  # "prima" | "dopo" | ""

    @property
    def cambiata(self) -> bool:
        return bool(self.solo_in) or any(v.cambiata for v in self.valori)


@dataclass
class Confronto:
    prima: PianoAnnuale
    dopo: PianoAnnuale
    colonne_enti: list[str]
    enti: list[RigaConfronto]
    comuni: list[RigaConfronto]
    data_popolazione_prima: date | None
    data_popolazione_dopo: date | None


def data_popolazione(piano: PianoAnnuale) -> date | None:
    """The population date a plan uses: the latest on or before 1 January of the
    previous year (plan 2026 → 31/12/2024, plan 2025 → 01/01/2024, as the seeds)."""
    limite = date(piano.anno - 1, 1, 1)
    return (
        PopolazioneComune.objects.filter(
            comune__appartenenze__ambito_id=piano.ambito_id, data__lte=limite
        )
        .order_by("-data")
        .values_list("data", flat=True)
        .first()
    )


def _popolazioni(piano: PianoAnnuale) -> tuple[date | None, dict[int, int]]:
    """Per comune, the latest population on or before the plan's date."""
    giorno = data_popolazione(piano)
    valori: dict[int, int] = {}
    if giorno is None:
        return None, valori
    for comune_id, popolazione in (
        PopolazioneComune.objects.filter(
            comune__appartenenze__ambito_id=piano.ambito_id, data__lte=giorno
        )
        .order_by("comune_id", "-data")
        .values_list("comune_id", "popolazione")
    ):
        valori.setdefault(comune_id, popolazione)
    return giorno, valori


def piani_confronta(*, prima: PianoAnnuale, dopo: PianoAnnuale) -> Confronto:
    """Changes per ente (stock, state, assignable) and per comune (population)
    between two plans of the same ambito."""
    if prima.ambito_id != dopo.ambito_id:
        raise ValidationError(_g("Si confrontano solo piani dello stesso ambito."))
    if prima.anno > dopo.anno:
        prima, dopo = dopo, prima
    campi = [c for c, _e in CAMPI_CONFRONTO_ENTE]

    def per_ente(piano):
        return {
            c.ente_id: c for c in piano.comunicazioni.select_related("ente__comune")
        }

    a, b = per_ente(prima), per_ente(dopo)
    enti = []
    for ente_id in set(a) | set(b):
        ca, cb = a.get(ente_id), b.get(ente_id)
        ente = (ca or cb).ente
        enti.append(
            RigaConfronto(
                nome=ente.denominazione,
                valori=[
                    Variazione(
                        getattr(ca, f) if ca else None, getattr(cb, f) if cb else None
                    )
                    for f in campi
                ],
                solo_in="" if ca and cb else ("prima" if ca else "dopo"),
            )
        )
    enti.sort(
        key=lambda r: (-(r.valori[1].dopo or r.valori[1].prima or 0), r.nome.upper())
    )

    data_a, pop_a = _popolazioni(prima)
    data_b, pop_b = _popolazioni(dopo)
    comuni = [
        RigaConfronto(
            nome=ac.comune.nome,
            valori=[Variazione(pop_a.get(ac.comune_id), pop_b.get(ac.comune_id))],
        )
        for ac in AmbitoComune.objects.filter(ambito_id=prima.ambito_id).select_related(
            "comune"
        )
    ]
    comuni.sort(key=lambda r: (-(r.valori[0].dopo or 0), r.nome))
    return Confronto(
        prima=prima,
        dopo=dopo,
        colonne_enti=[str(e) for _c, e in CAMPI_CONFRONTO_ENTE],
        enti=enti,
        comuni=comuni,
        data_popolazione_prima=data_a,
        data_popolazione_dopo=data_b,
    )


__all__ = [
    "GRAFO",
    "PASSAGGI",
    "Confronto",
    "TransizioneNonAmmessa",
    "enti_senza_comunicazione",
    "passaggi_possibili",
    "piani_confronta",
    "piano_apri_raccolta",
    "piano_approva",
    "piano_chiudi_raccolta",
    "piano_istantanea",
    "piano_pubblica",
    "piano_riapri",
    "piano_successivo",
    "puo_eseguire",
    "revisioni_pubblicate",
    "revisioni_pubblicate_per_piano",
    "versione_corrente",
    "versione_pdf",
    "versioni_verifica",
]
