"""Caricamento dei due piani d'esempio (fixtures/esempi/*.json).

Ogni file descrive un ambito e il suo piano in un formato di dominio leggibile:
versione normativa, ambito (comuni con codice ISTAT, popolazione, serie demografica),
enti proprietari, piano (finestre, comunicazioni, decisioni, sezioni narrative,
ETHOS), registro DGR, bandi con le fonti e paragrafi delle strategie.

Il caricamento è idempotente: ogni riga si cerca per chiave naturale e si salva solo
se qualcosa è cambiato, così una seconda esecuzione non scrive nulla (nemmeno nello
storico di django-simple-history).
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

from ambiti.models import (
    Ambito,
    AmbitoComune,
    Comune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from misure.models import AssegnazioneDgr, Bando, Dgr, FonteFinanziamento
from patrimonio.models import EnteProprietario
from patrimonio.territorio import ente_collega, riferimenti_carica
from piani.impaginazioni import modelli_documento_carica
from piani.models import (
    BloccoDgr,
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    ModelloDocumento,
    PianoAnnuale,
    RilevazioneEthos,
    Sezione,
    SottosezioneStrategie,
    VersioneNormativa,
)

CARTELLA_ESEMPI = Path(settings.BASE_DIR) / "fixtures" / "esempi"
FILE_ESEMPI = ["valle-seriana-superiore-2026.json", "valle-seriana-2025.json"]
PASSWORD_DEMO = "demo"


class EsempioNonValido(ValueError):
    """Il file d'esempio contraddice i dati di riferimento (es. un codice ISTAT)."""


# --- aiuti -------------------------------------------------------------------------


def _valore(campo: models.Field, valore: Any) -> Any:
    """Converte un valore JSON nel tipo del campo (date ISO, importi in stringa)."""
    if valore is None:
        return None
    if isinstance(campo, models.DateField):
        return date.fromisoformat(valore)
    if isinstance(campo, models.DecimalField):
        return Decimal(str(valore)).quantize(Decimal(1).scaleb(-campo.decimal_places))
    return valore


def _upsert(modello: type[models.Model], chiave: dict, valori: dict) -> models.Model:
    """update_or_create che salva solo se un valore cambia: rieseguire non scrive."""
    valori = {
        nome: _valore(modello._meta.get_field(nome), v) for nome, v in valori.items()
    }
    oggetto = modello.objects.filter(**chiave).first()
    if oggetto is None:
        return modello.objects.create(**chiave, **valori)
    cambiati = [nome for nome, v in valori.items() if getattr(oggetto, nome) != v]
    if cambiati:
        for nome in cambiati:
            setattr(oggetto, nome, valori[nome])
        oggetto.save(update_fields=cambiati)
    return oggetto


def _testo(valore: str | list[str]) -> str:
    """I testi lunghi stanno nel JSON come lista di righe, per leggibilità."""
    return "\n".join(valore) if isinstance(valore, list) else valore


def _dgr_da_riferimento(riferimento: str) -> Dgr:
    """«DGR 6970/2022» o «decreto 16342/2022» → l'atto (come Dgr.breve)."""
    tipo, numero_anno = riferimento.split(" ")
    numero, anno = numero_anno.split("/")
    return Dgr.objects.get(tipo_atto=tipo, numero=int(numero), anno=int(anno))


# --- parti del file ----------------------------------------------------------------


def _normativa_carica(dati: dict) -> VersioneNormativa:
    codice = dati["codice"]
    valori = {k: v for k, v in dati.items() if k != "codice"}
    return _upsert(VersioneNormativa, {"codice": codice}, valori)


def _ambito_carica(dati: dict) -> tuple[Ambito, dict[str, Comune]]:
    codici = [c["istat"] for c in dati["comuni"]]
    comuni = {c.codice_istat: c for c in Comune.objects.filter(codice_istat__in=codici)}
    per_nome: dict[str, Comune] = {}
    for voce in dati["comuni"]:
        comune = comuni.get(voce["istat"])
        # Il nome nel file è solo un controllo: fa fede l'elenco ISTAT.
        if comune is None or comune.nome != voce["nome"]:
            raise EsempioNonValido(
                f"Codice ISTAT {voce['istat']} non corrisponde a «{voce['nome']}»."
            )
        per_nome[comune.nome] = comune
    ambito = _upsert(
        Ambito,
        {"slug": dati["slug"]},
        {
            "numero": dati.get("numero"),
            "nome": dati["nome"],
            "provincia": dati["provincia"],
            "comune_capofila": per_nome[dati["capofila"]],
            "superficie_kmq": dati.get("superficie_kmq"),
        },
    )
    sub_ambiti = {
        nome: _upsert(SubAmbito, {"ambito": ambito, "nome": nome}, {"ordine": ordine})
        for ordine, nome in enumerate(dati.get("sub_ambiti", []), start=1)
    }
    data_popolazione = dati.get("popolazione_al")
    for voce in dati["comuni"]:
        comune = comuni[voce["istat"]]
        _upsert(
            AmbitoComune,
            {"ambito": ambito, "comune": comune},
            {
                "sub_ambito": sub_ambiti.get(voce.get("sub_ambito")),
                "area": voce.get("area", ""),
            },
        )
        if "popolazione" in voce:
            _upsert(
                PopolazioneComune,
                {"comune": comune, "data": date.fromisoformat(data_popolazione)},
                {
                    "popolazione": voce["popolazione"],
                    "fonte": dati.get("fonte", "ISTAT"),
                },
            )
    for riga in dati.get("serie_demografica", []):
        valori = {k: v for k, v in riga.items() if k != "anno"}
        _upsert(SerieDemografica, {"ambito": ambito, "anno": riga["anno"]}, valori)
    return ambito, per_nome


def _enti_carica(voci: list[dict], comuni: dict[str, Comune], ambito: Ambito) -> None:
    for voce in voci:
        if "comune" in voce:
            comune = comuni[voce["comune"]]
            ente = _upsert(
                EnteProprietario,
                {"comune": comune},
                {
                    "tipo": EnteProprietario.Tipo.COMUNE,
                    "denominazione": f"Comune di {comune.nome}",
                    "denominazione_breve": voce.get("denominazione_breve", ""),
                },
            )
        else:
            ente = _upsert(
                EnteProprietario,
                {"denominazione": voce["denominazione"]},
                {
                    "tipo": voce["tipo"],
                    "denominazione_breve": voce.get("denominazione_breve", ""),
                    "codice_fiscale": voce.get("codice_fiscale", ""),
                },
            )
        # The ente belongs to this ambito's plan (one list: enti_dell_ambito).
        ente_collega(ambito=ambito, ente=ente)


def _piano_carica(
    dati: dict, ambito: Ambito, normativa: VersioneNormativa, comuni: dict[str, Comune]
) -> PianoAnnuale:
    approvazione = dati.get("approvazione") or {}
    # The seed's layout: named in the file, else the one of its version's templates.
    modello = (
        ModelloDocumento.objects.filter(
            codice=dati.get("modello", ""),
        ).first()
        or ModelloDocumento.objects.filter(
            cartella_template=normativa.cartella_template
        ).first()
    )
    piano = _upsert(
        PianoAnnuale,
        {"ambito": ambito, "anno": dati["anno"]},
        {
            "normativa": normativa,
            "modello": modello,
            "id_piattaforma": dati.get("id_piattaforma", ""),
            "stato": dati.get("stato", PianoAnnuale.Stato.BOZZA),
            "organo_approvazione": approvazione.get("organo", "Assemblea dei Sindaci"),
            "data_approvazione": approvazione.get("data"),
            "luogo_approvazione": approvazione.get("luogo", ""),
        },
    )
    for inizio, fine in dati.get("finestre", []):
        _upsert(
            FinestraRaccolta,
            {"piano": piano, "inizio": date.fromisoformat(inizio)},
            {"fine": fine},
        )
    enti = {e.denominazione: e for e in EnteProprietario.objects.all()}
    for voce in dati.get("comunicazioni", []):
        valori = {campo: voce.get(campo) for campo in Comunicazione.CAMPI_DATI}
        for testuale in ("categorie_art14", "note"):
            valori[testuale] = valori[testuale] or ""
        valori.update(
            esito=voce.get("esito", ""),
            canale=voce.get("canale", ""),
            data=voce.get("data"),
            protocollo=voce.get("protocollo", ""),
            denominazione_ricevuta=voce.get("denominazione_ricevuta", ""),
        )
        _upsert(Comunicazione, {"piano": piano, "ente": enti[voce["ente"]]}, valori)
    for voce in dati.get("decisioni", []):
        valori = {k: v for k, v in voce.items() if k != "comune"}
        _upsert(
            DecisioneComune, {"piano": piano, "comune": comuni[voce["comune"]]}, valori
        )
    for ordine, voce in enumerate(dati.get("sezioni", []), start=1):
        _upsert(
            Sezione,
            {"piano": piano, "chiave": voce["chiave"]},
            {
                "titolo": voce.get("titolo", ""),
                "testo": _testo(voce["testo"]),
                "ordine": ordine,
            },
        )
    for voce in dati.get("ethos", []):
        valori = {k: v for k, v in voce.items() if k != "anno"}
        _upsert(RilevazioneEthos, {"piano": piano, "anno": voce["anno"]}, valori)
    return piano


def _misure_carica(dati: dict, ambito: Ambito) -> dict[str, Bando]:
    for voce in dati.get("dgr", []):
        chiave = {k: voce[k] for k in ("tipo_atto", "numero", "anno")}
        valori = {k: v for k, v in voce.items() if k not in chiave}
        _upsert(Dgr, chiave, valori)
    for voce in dati.get("assegnazioni", []):
        valori = {k: v for k, v in voce.items() if k != "dgr"}
        valori.setdefault("spese_gestione", "0")
        _upsert(
            AssegnazioneDgr,
            {"ambito": ambito, "dgr": _dgr_da_riferimento(voce["dgr"])},
            valori,
        )
    bandi: dict[str, Bando] = {}
    for voce in dati.get("bandi", []):
        valori = {
            k: v for k, v in voce.items() if k not in ("chiave", "titolo", "fonti")
        }
        bando = _upsert(Bando, {"ambito": ambito, "titolo": voce["titolo"]}, valori)
        bandi[voce["chiave"]] = bando
        for ordine, fonte in enumerate(voce.get("fonti", []), start=1):
            assegnazione = AssegnazioneDgr.objects.get(
                ambito=ambito, dgr=_dgr_da_riferimento(fonte["dgr"])
            )
            valori = {k: v for k, v in fonte.items() if k != "dgr"}
            valori.setdefault("nota_pervenute", "")
            valori.setdefault("nota_finanziate", "")
            _upsert(
                FonteFinanziamento,
                {"bando": bando, "assegnazione": assegnazione},
                {"ordine": ordine, **valori},
            )
    return bandi


def _strategie_carica(
    voci: list[dict], piano: PianoAnnuale, bandi: dict[str, Bando]
) -> None:
    for ordine, voce in enumerate(voci, start=1):
        sottosezione = _upsert(
            SottosezioneStrategie,
            {"piano": piano, "ordine": ordine},
            {
                "titolo": voce["titolo"],
                "bando": bandi[voce["bando"]] if voce.get("bando") else None,
                "testo": _testo(voce.get("testo", "")),
            },
        )
        for posizione, blocco in enumerate(voce.get("blocchi", []), start=1):
            assegnazione = AssegnazioneDgr.objects.get(
                ambito=piano.ambito, dgr=_dgr_da_riferimento(blocco["dgr"])
            )
            _upsert(
                BloccoDgr,
                {"sottosezione": sottosezione, "assegnazione": assegnazione},
                {
                    "ordine": posizione,
                    "con_intestazione": blocco.get("con_intestazione", True),
                },
            )


def esempio_carica(percorso: Path) -> PianoAnnuale:
    """Un file d'esempio: ambito, enti, piano, misure e strategie."""
    dati = json.loads(percorso.read_text(encoding="utf-8"))
    normativa = _normativa_carica(dati["normativa"])
    ambito, comuni = _ambito_carica(dati["ambito"])
    _enti_carica(dati["enti"], comuni, ambito)
    piano = _piano_carica(dati["piano"], ambito, normativa, comuni)
    bandi = _misure_carica(dati.get("misure", {}), ambito)
    _strategie_carica(dati.get("strategie", []), piano, bandi)
    return piano


# --- utenti dimostrativi -----------------------------------------------------------

UTENTI_DEMO = [
    # (username, superutente, slug dell'ambito, ruolo)
    ("admin", True, None, None),
    ("ufficio.vss", False, "valle-seriana-superiore", Incarico.Ruolo.UFFICIO),
    ("ufficio.vs", False, "valle-seriana", Incarico.Ruolo.UFFICIO),
    ("sindaco.vss", False, "valle-seriana-superiore", Incarico.Ruolo.LETTURA),
]


def utenti_demo_carica() -> list[str]:
    """Gli accessi dimostrativi (password «demo»); solo in sviluppo."""
    Utente = get_user_model()
    nomi = []
    for username, superutente, slug, ruolo in UTENTI_DEMO:
        utente = _upsert(
            Utente,
            {"username": username},
            {"is_superuser": superutente, "is_staff": superutente, "is_active": True},
        )
        # La password si reimposta solo se diversa: il suo hash cambia a ogni salt.
        if not utente.check_password(PASSWORD_DEMO):
            utente.set_password(PASSWORD_DEMO)
            utente.save(update_fields=["password"])
        if slug:
            _upsert(
                Incarico,
                {"utente": utente, "ambito": Ambito.objects.get(slug=slug)},
                {"ruolo": ruolo},
            )
        nomi.append(username)
    return nomi


def esempi_carica(*, utenti_demo: bool = False) -> None:
    """I due ambiti e piani d'esempio, con i dati di riferimento (comuni, ATS,
    ALER); idempotente."""
    with transaction.atomic():
        # The layouts come with a migration; a flushed test database lacks them.
        modelli_documento_carica()
        riferimenti_carica()
        for nome in FILE_ESEMPI:
            esempio_carica(CARTELLA_ESEMPI / nome)
        # A managed bando with 200 generated applications, so that a new user sees
        # a graduatoria and a funding run (the seeds' bandi are historical totals).
        from misure.esempi import bando_demo_carica

        bando_demo_carica(ambito=Ambito.objects.get(slug="valle-seriana-superiore"))
        if utenti_demo:
            utenti_demo_carica()
