"""A whole region in the configured database, in minutes: for load tests and for
the query-count checks at regional scale.

    DATABASE_URL=… .venv/bin/python bench/genera_regione.py [--domande 100000]

Into the database of DATABASE_URL (SQLite in var/ by default), after `migrate`
and `carica_esempi` (the 1.502 comuni, the two seed ambiti, the regulation
versions):

- ~90 ambiti over the comuni that belong to no ambito yet (bench/genera_anagrafe.py
  groups them by province; Milano is an ambito of its own);
- the 5 lombard ALER and every comune as an ente proprietario;
- 166.000 alloggi (Milano ≈ 91.000), the rows of genera_anagrafe.py;
- one plan per new ambito (this year + 1, draft) with a comunicazione from every
  ente of the ambito (its comuni and its ALER), figures counted from the registry;
- one managed bando per new ambito, funded by one DGR, with its share of the
  domande (100.000 in all, by number of alloggi), ranked and funded by the
  services (graduatoria_calcola, scorrimento_esegui).

Everything is invented (names "Ambito 07 (BG)", generated people); nothing comes
from a seed plan. Written against the models of December 2026 (no ATS, no
ambito↔ente link). Refuses to run twice on the same database.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianocasa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from ambiti.models import Ambito, AmbitoComune, Comune  # noqa: E402
from bench.genera_anagrafe import ALER, righe_genera  # noqa: E402
from misure.esempi import _domanda_genera  # noqa: E402
from misure.models import (  # noqa: E402
    AssegnazioneDgr,
    Bando,
    CriterioPunteggio,
    Dgr,
    Domanda,
    FonteFinanziamento,
)
from misure.services import graduatoria_calcola, scorrimento_esegui  # noqa: E402
from patrimonio.models import Alloggio, EnteProprietario  # noqa: E402
from piani.models import Comunicazione, PianoAnnuale, VersioneNormativa  # noqa: E402

SERVIZI = {"SAP": "SAP", "SAS": "SAS", "SAT": "SAT", "altro": "ALTRO"}
STATI = {
    "occupato": "occupato",
    "Sfitto per carenze manutentive": "carenza",
    "ristrutturazione": "ristrutturazione",
    "libero": "libero",
}
LOTTO = 2000


def _passo(testo: str, inizio: float) -> None:
    print(f"{time.perf_counter() - inizio:7.1f} s  {testo}", flush=True)


def _ambiti_crea(mappa: dict[str, str]) -> dict[str, Ambito]:
    """codice ISTAT → Ambito, for the comuni that belong to no ambito yet."""
    comuni = {
        c.codice_istat: c
        for c in Comune.objects.filter(appartenenze__isnull=True).order_by("pk")
    }
    per_nome: dict[str, list[Comune]] = defaultdict(list)
    for istat, nome in mappa.items():
        if istat in comuni:
            per_nome[nome].append(comuni[istat])
    ambiti = Ambito.objects.bulk_create(
        [
            Ambito(
                nome=nome,
                slug=slugify(nome),
                provincia=membri[0].provincia,
                comune_capofila=membri[0],
            )
            for nome, membri in sorted(per_nome.items())
        ]
    )
    per_slug = {a.slug: a for a in Ambito.objects.filter(pk__in=[a.pk for a in ambiti])}
    AmbitoComune.objects.bulk_create(
        [
            AmbitoComune(ambito=per_slug[slugify(nome)], comune=c)
            for nome, membri in per_nome.items()
            for c in membri
        ]
    )
    return {
        c.codice_istat: per_slug[slugify(nome)]
        for nome, membri in per_nome.items()
        for c in membri
    }


def _enti_crea() -> tuple[dict[str, EnteProprietario], dict[str, EnteProprietario]]:
    """(ALER by name, comune enti by codice ISTAT); existing ones are kept."""
    EnteProprietario.objects.bulk_create(
        [EnteProprietario(tipo="aler", denominazione=nome) for nome in ALER],
        ignore_conflicts=True,
    )
    senza_ente = Comune.objects.filter(ente__isnull=True).order_by("pk")
    esistenti = set(EnteProprietario.objects.values_list("denominazione", flat=True))
    nuovi = []
    for comune in senza_ente:
        nome = f"Comune di {comune.nome}"
        if nome in esistenti:  # homonyms in two provinces
            nome = f"{nome} ({comune.sigla_provincia})"
        esistenti.add(nome)
        nuovi.append(EnteProprietario(tipo="comune", denominazione=nome, comune=comune))
    EnteProprietario.objects.bulk_create(nuovi, batch_size=LOTTO)
    aler = {e.denominazione: e for e in EnteProprietario.objects.filter(tipo="aler")}
    per_comune = {
        e.comune.codice_istat: e
        for e in EnteProprietario.objects.filter(tipo="comune").select_related("comune")
    }
    return aler, per_comune


def _alloggi_crea(dati, aler, enti_comune, comuni) -> Counter:
    """Bulk insert; returns the alloggi per (ente pk, comune pk)."""
    conteggi: Counter = Counter()
    aler_maiuscolo = {n.upper(): e for n, e in aler.items()}
    gc.disable()  # 166.000 live instances: the collector's pauses dominate
    try:
        blocco = []
        for riga in dati:
            comune = comuni[riga[2]]
            ente = aler_maiuscolo.get(riga[1].upper()) or enti_comune[riga[2]]
            conteggi[(ente.pk, comune.pk)] += 1
            blocco.append(
                Alloggio(
                    codice=riga[0],
                    ente_id=ente.pk,
                    comune_id=comune.pk,
                    indirizzo=riga[4],
                    civico=riga[5],
                    piano=riga[6],
                    superficie_mq=Decimal(str(riga[7])),
                    vani=riga[8],
                    servizio=SERVIZI[riga[9]],
                    stato=STATI[riga[10]],
                    anno_costruzione=riga[11],
                    aggiornato_il=riga[12],
                )
            )
            if len(blocco) == 20 * LOTTO:
                Alloggio.objects.bulk_create(blocco, batch_size=LOTTO)
                blocco = []
        Alloggio.objects.bulk_create(blocco, batch_size=LOTTO)
    finally:
        gc.enable()
    return conteggi


def _piani_crea(ambiti: list[Ambito], aler, conteggi: Counter, anno: int) -> int:
    normativa = VersioneNormativa.objects.get(codice="rr-2-2025")
    piani = PianoAnnuale.objects.bulk_create(
        [PianoAnnuale(ambito=a, anno=anno, normativa=normativa) for a in ambiti]
    )
    aler_di = {sigla: nome for nome, sigle in ALER.items() for sigla in sigle}
    per_ente: dict[tuple[int, int], int] = defaultdict(int)  # (ente, ambito)
    comune_ambito = dict(
        AmbitoComune.objects.filter(ambito__in=ambiti).values_list(
            "comune_id", "ambito_id"
        )
    )
    for (ente_id, comune_id), n in conteggi.items():
        if comune_id in comune_ambito:
            per_ente[(ente_id, comune_ambito[comune_id])] += n
    comunicazioni = []
    for piano in piani:
        membri = AmbitoComune.objects.filter(ambito=piano.ambito).select_related(
            "comune__ente"
        )
        enti = [m.comune.ente for m in membri if hasattr(m.comune, "ente")]
        sigle = {m.comune.sigla_provincia for m in membri}
        enti += [aler[aler_di[s]] for s in sorted(sigle) if s in aler_di]
        for ente in enti:
            n = per_ente.get((ente.pk, piano.ambito_id), 0)
            comunicazioni.append(
                Comunicazione(
                    piano=piano,
                    ente=ente,
                    esito=(
                        Comunicazione.Esito.DATI
                        if n
                        else Comunicazione.Esito.NESSUN_PATRIMONIO
                    ),
                    alloggi_totali=n,
                    alloggi_sap=round(n * 0.9),
                    alloggi_sas=n - round(n * 0.9),
                )
            )
    Comunicazione.objects.bulk_create(comunicazioni, batch_size=LOTTO)
    return len(comunicazioni)


def _bandi_crea(
    ambiti: list[Ambito], pesi: dict[int, int], domande: int, anno: int, seme: int
) -> int:
    rng = random.Random(seme)
    dgr, _c = Dgr.objects.get_or_create(
        numero=99000 + anno % 100,
        anno=anno - 1,
        defaults={"legislatura": "XII", "data": date(anno - 1, 11, 1)},
    )
    totale_pesi = sum(pesi.values()) or 1
    quote = {a.pk: max(1, domande * pesi.get(a.pk, 0) // totale_pesi) for a in ambiti}
    quote[max(quote, key=quote.get)] += domande - sum(quote.values())
    comuni_fuori = list(Comune.objects.order_by("codice_istat")[:20])
    scritte = 0
    for ambito in ambiti:
        importo = Decimal(quote[ambito.pk] * 400)
        assegnazione = AssegnazioneDgr.objects.create(
            ambito=ambito, dgr=dgr, assegnate=importo, misura="MISURA UNICA"
        )
        bando = Bando.objects.create(
            ambito=ambito,
            titolo=f"Avviso di prova {anno} – {ambito.nome}",
            data_pubblicazione=date(anno, 2, 2),
            data_scadenza=date(anno, 3, 31),
            importo=importo,
            gestito=True,
            isee_massimo=Decimal("16000.00"),
            richiede_residenza_ambito=True,
            richiede_contratto_registrato=True,
            mesi_minimi_alloggio=12,
            contributo_mensilita=3,
            contributo_massimo=Decimal("1500.00"),
        )
        FonteFinanziamento.objects.create(
            bando=bando, assegnazione=assegnazione, ordine=1, importo=importo
        )
        for ordine, (criterio, peso, soglia) in enumerate(
            [("eta", "10", 65), ("componenti", "2", 6), ("isee", "20", None)], start=1
        ):
            CriterioPunteggio.objects.create(
                bando=bando,
                criterio=criterio,
                peso=Decimal(peso),
                soglia=soglia,
                ordine=ordine,
            )
        comuni_ambito = list(Comune.objects.filter(ambiti=ambito).order_by("pk"))
        Domanda.objects.bulk_create(
            [
                _domanda_genera(rng, bando, n, comuni_ambito, comuni_fuori)
                for n in range(1, quote[ambito.pk] + 1)
            ],
            batch_size=LOTTO,
        )
        scritte += quote[ambito.pk]
        graduatoria_calcola(bando=bando)
        bando.refresh_from_db()
        scorrimento_esegui(bando=bando, utente=None)
    return scritte


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alloggi", type=int, default=166_000)
    parser.add_argument("--domande", type=int, default=100_000)
    parser.add_argument("--seme", type=int, default=2025)
    argomenti = parser.parse_args()
    inizio = time.perf_counter()

    call_command("migrate", verbosity=0)
    call_command("carica_esempi", verbosity=0)
    _passo("migrate e carica_esempi", inizio)
    dati, _enti, mappa = righe_genera(argomenti.alloggi, argomenti.seme)
    if Alloggio.objects.filter(codice=dati[0][0]).exists():
        sys.exit("La regione è già caricata in questo database.")
    _passo(f"{len(dati)} alloggi generati in memoria", inizio)

    with transaction.atomic():
        per_comune = _ambiti_crea(mappa)
        ambiti = sorted(set(per_comune.values()), key=lambda a: a.nome)
        _passo(f"{len(ambiti)} ambiti su {len(per_comune)} comuni", inizio)
        aler, enti_comune = _enti_crea()
        _passo(f"{len(aler)} ALER e {len(enti_comune)} comuni come enti", inizio)
        comuni = {c.codice_istat: c for c in Comune.objects.all()}
        conteggi = _alloggi_crea(dati, aler, enti_comune, comuni)
        _passo(f"{len(dati)} alloggi", inizio)
        anno = timezone.localdate().year + 1
        n = _piani_crea(ambiti, aler, conteggi, anno)
        _passo(f"{len(ambiti)} piani {anno}, {n} comunicazioni", inizio)
    # Domande in proportion to the alloggi of each ambito (at least one each).
    comune_ambito = {
        c.pk: per_comune[i].pk for i, c in comuni.items() if i in per_comune
    }
    pesi: Counter = Counter()
    for (_ente, comune_id), k in conteggi.items():
        if comune_id in comune_ambito:
            pesi[comune_ambito[comune_id]] += k
    with transaction.atomic():
        scritte = _bandi_crea(ambiti, pesi, argomenti.domande, anno, argomenti.seme)
    _passo(
        f"{len(ambiti)} bandi, {scritte} domande, graduatorie e scorrimenti",
        inizio,
    )
    durata = time.perf_counter() - inizio
    print(f"regione caricata su {connection.vendor} in {durata:.0f} s")


if __name__ == "__main__":
    main()
