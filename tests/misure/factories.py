"""Builders of managed bandi and their domande for the misure tests."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from ambiti.models import Ambito, Comune
from misure.codice_fiscale import codice_fiscale_calcola
from misure.models import AssegnazioneDgr, Bando, Dgr, Domanda, FonteFinanziamento

_progressivo = count(1)


def bando_crea(ambito: Ambito, **campi) -> Bando:
    valori = {
        "titolo": f"Bando di prova {next(_progressivo)}",
        "gestito": True,
        "data_pubblicazione": date(2026, 2, 1),
        "data_scadenza": date(2026, 3, 31),
        "isee_massimo": Decimal("16000.00"),
        "mesi_minimi_alloggio": 12,
        "contributo_mensilita": 10,
        "contributo_massimo": Decimal("3600.00"),
    }
    valori.update(campi)
    return Bando.objects.create(ambito=ambito, **valori)


def assegnazione_di(ambito: Ambito, numero: int, anno: int) -> AssegnazioneDgr:
    dgr, _c = Dgr.objects.get_or_create(tipo_atto="DGR", numero=numero, anno=anno)
    assegnazione, _c = AssegnazioneDgr.objects.get_or_create(ambito=ambito, dgr=dgr)
    return assegnazione


def fonte_crea(bando: Bando, assegnazione, importo, ordine: int) -> FonteFinanziamento:
    return FonteFinanziamento.objects.create(
        bando=bando,
        assegnazione=assegnazione,
        importo=None if importo is None else Decimal(importo),
        ordine=ordine,
    )


def domanda_crea(bando: Bando, n: int, *, comune: Comune | None = None, **campi):
    """An admissible domanda; ``campi`` override (e.g. isee, canone_mensile)."""
    nascita = campi.pop("data_nascita", date(1970, 1, 1) + timedelta(days=n * 97))
    cognome = campi.pop("cognome", "Bonetti")
    nome = campi.pop("nome", "Giulia")
    valori = {
        "protocollo": f"{n:05d}/2026",
        "data_protocollo": bando.data_pubblicazione + timedelta(days=n % 40),
        "cognome": cognome,
        "nome": nome,
        "codice_fiscale": codice_fiscale_calcola(
            cognome=cognome, nome=nome, nascita=nascita, femmina=True, belfiore="C800"
        ),
        "data_nascita": nascita,
        "comune_residenza": comune
        or Comune.objects.filter(ambiti=bando.ambito).order_by("codice_istat").first(),
        "componenti": 2,
        "minori": 0,
        "isee": Decimal("8000.00"),
        "canone_mensile": Decimal("300.00"),
        "contratto_registrato": True,
        "mesi_alloggio": 24,
    }
    valori.update(campi)
    return Domanda(bando=bando, **valori)


def bando_con_graduatoria(ambito: Ambito, titolo: str) -> Bando:
    """A bando with three domande (protocols 00001/2026 … 00003/2026), one
    funding source and its graduatoria computed."""
    from misure import services

    bando = bando_crea(ambito, titolo=titolo)
    Domanda.objects.bulk_create(
        [domanda_crea(bando, n, protocollo=f"0000{n}/2026") for n in (1, 2, 3)]
    )
    fonte_crea(bando, assegnazione_di(ambito, 5292, 2025), "4500.00", 1)
    services.graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    return bando


def pubblica(bando: Bando, motivo: str = "") -> Bando:
    """Publish the graduatoria as staff do: rows, PDF and XLSX frozen (a bando
    published before needs a reason)."""
    from misure import services

    if motivo == "" and bando.pubblicazioni.exists():
        motivo = "Nuova pubblicazione di prova"
    services.graduatoria_pubblica_imposta(
        bando=bando, utente=None, pubblica=True, motivo=motivo
    )
    bando.refresh_from_db()
    return bando
