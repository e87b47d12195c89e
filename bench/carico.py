"""Load benchmark: 32 concurrent users against bin/serve (gunicorn + WhiteNoise)
on PostgreSQL with the region loaded, staff and citizens mixed; then the same
with a second app server. Writes "## Carico" in docs/benchmarks.md.

    DATABASE_URL=postgres://… .venv/bin/python bench/carico.py [--utenti 32]
        [--durata 60] [--server 1 2]

The region (bench/genera_regione.py) is loaded first when the database has not
got it (about 5 minutes on PostgreSQL). Staff users «carico.<ambito>» are created
for 20 generated ambiti, their graduatorie published, and one plan published so
that citizens download a stored PDF. Each citizen comes from its own address
(X-Forwarded-For through one trusted proxy), so the per-address limit of the
public pages is exercised, not tripped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pianocasa.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from ambiti.models import Ambito, Incarico  # noqa: E402
from bench.risultati import sezione_scrivi  # noqa: E402
from misure.models import Bando  # noqa: E402
from piani.models import PianoAnnuale, VersioneApprovata  # noqa: E402

PASSWORD = "carico-benchmark-2026"
OBIETTIVI = {"ufficio": 150, "pubblico": 20}  # p95 in ms (issue 12)


def _porta_libera() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    porta = s.getsockname()[1]
    s.close()
    return porta


def regione_assicura() -> None:
    if Ambito.objects.count() >= 50:
        return
    print("==> la regione non è caricata: bench/genera_regione.py")
    subprocess.run(
        [sys.executable, str(BASE / "bench" / "genera_regione.py")], check=True
    )


def _pubblica_graduatoria(bando: Bando, utente) -> None:
    from misure import services

    # The stored publication, not the flag: citizens are served what was stored.
    if services.pubblicazione_corrente(bando) is not None:
        return
    try:
        services.graduatoria_pubblica_imposta(bando=bando, utente=utente, pubblica=True)
    except TypeError:  # a later signature asks for a reason
        services.graduatoria_pubblica_imposta(
            bando=bando, utente=utente, pubblica=True, motivo="benchmark di carico"
        )


def _pdf_pubblicato(utente) -> str:
    """The public URL of one published plan (one is approved and published with
    the real renderer if none is)."""
    from piani import ciclo
    from piani.anomalie import anomalie_aperte
    from piani.models import RiscontroAnomalia

    versione = VersioneApprovata.objects.filter(
        piano__stato=PianoAnnuale.Stato.PUBBLICATO
    ).first()
    if versione is None:
        piano = PianoAnnuale.objects.filter(
            stato=PianoAnnuale.Stato.RACCOLTA_CHIUSA
        ).first()
        if piano is None:
            return ""
        for a in anomalie_aperte(piano):
            RiscontroAnomalia.objects.create(
                piano=piano,
                codice=a.codice,
                oggetto=a.oggetto,
                motivazione="Benchmark di carico",
                utente=utente,
            )
        versione = ciclo.piano_approva(
            piano=piano,
            utente=utente,
            organo="Assemblea dei Sindaci",
            data=timezone.localdate(),
            luogo="Sede dell'ambito",
        )
        ciclo.piano_pubblica(piano=piano, utente=utente)
    piano = versione.piano
    return f"/pubblico/{piano.ambito.slug}/{piano.anno}/rev{versione.revisione}.pdf"


def dati_prepara() -> dict:
    Utente = get_user_model()
    amministratore, _ = Utente.objects.get_or_create(
        username="carico.amministratore", defaults={"is_superuser": True}
    )
    ambiti = []
    for bando in (
        Bando.objects.filter(gestito=True, ambito__piani__isnull=False)
        .select_related("ambito")
        .order_by("ambito__nome")
        .distinct()[:20]
    ):
        ambito = bando.ambito
        piano = ambito.piani.order_by("-anno").first()
        utente, creato = Utente.objects.get_or_create(username=f"carico.{ambito.slug}")
        utente.set_password(PASSWORD)
        utente.save()
        Incarico.objects.get_or_create(
            utente=utente, ambito=ambito, defaults={"ruolo": Incarico.Ruolo.UFFICIO}
        )
        _pubblica_graduatoria(bando, amministratore)
        ambiti.append(
            {
                "slug": ambito.slug,
                "utente": utente.username,
                "piano": piano.pk,
                "bando": bando.pk,
            }
        )
    return {
        "ambiti": ambiti,
        "password": PASSWORD,
        "pdf": _pdf_pubblicato(amministratore),
    }


def _server_avvia(porta: int, cartella: Path) -> subprocess.Popen:
    ambiente = dict(
        os.environ,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="carico-" + os.urandom(16).hex(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        PIANOCASA_BIND=f"127.0.0.1:{porta}",
        PIANOCASA_WORKERS="0",
        PIANOCASA_SETUP="0",
        PIANOCASA_PROXY_NUMERO="1",
        WEB_CONCURRENCY=os.environ.get("WEB_CONCURRENCY", "2"),
    )
    processo = subprocess.Popen(
        [str(BASE / "bin" / "serve")],
        cwd=BASE,
        env=ambiente,
        stdout=open(cartella / f"serve-{porta}.log", "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{porta}/accesso/", timeout=2)
            return processo
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"bin/serve non risponde sulla porta {porta}")


def _server_ferma(processo: subprocess.Popen) -> None:
    os.killpg(processo.pid, signal.SIGTERM)
    try:
        processo.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(processo.pid, signal.SIGKILL)


def prova(dati: dict, server: int, utenti: int, durata: int) -> dict:
    with tempfile.TemporaryDirectory() as cartella:
        cartella = Path(cartella)
        porte = [_porta_libera() for _ in range(server)]
        processi = [_server_avvia(p, cartella) for p in porte]
        try:
            ambiente = dict(
                os.environ,
                PIANOCASA_CARICO=json.dumps(dati),
                PIANOCASA_CARICO_HOST=",".join(f"http://127.0.0.1:{p}" for p in porte),
            )
            subprocess.run(
                [
                    str(BASE / ".venv" / "bin" / "locust"),
                    "-f", str(BASE / "bench" / "locust_carico.py"),
                    "--headless", "--only-summary", "--reset-stats",
                    "-u", str(utenti), "-r", str(max(1, utenti // 4)),
                    "-t", f"{durata}s",
                    "--host", f"http://127.0.0.1:{porte[0]}",
                    "--csv", str(cartella / "carico"),
                ],
                env=ambiente,
                check=False,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
            return _leggi_csv(cartella / "carico_stats.csv", durata)
        finally:
            for processo in processi:
                _server_ferma(processo)


def _leggi_csv(percorso: Path, durata: int) -> dict:
    gruppi: dict[str, dict] = {}
    with percorso.open(encoding="utf-8") as f:
        for riga in csv.DictReader(f):
            nome = riga["Name"]
            if nome == "Aggregated" or nome.startswith("accesso"):
                continue
            gruppo = "pubblico" if nome.startswith("pubblico") else "ufficio"
            g = gruppi.setdefault(gruppo, {"righe": [], "richieste": 0, "errori": 0})
            g["righe"].append(riga)
            g["richieste"] += int(riga["Request Count"])
            g["errori"] += int(riga["Failure Count"])
    for g in gruppi.values():
        # The group's percentiles: the worst page's (a conservative summary).
        for chiave in ("50%", "95%", "99%"):
            g[chiave] = max(int(float(r[chiave] or 0)) for r in g["righe"])
        g["rps"] = g["richieste"] / durata
    return gruppi


def _tabella(risultati: dict[int, dict], utenti: int, durata: int) -> str:
    righe = [
        "## Carico",
        "",
        f"`bench/carico.py`: {utenti} utenti simultanei per {durata} s contro "
        "`bin/serve` (gunicorn, 2 processi per server) su PostgreSQL con la regione "
        f"caricata ({connection.vendor}); 3 su 4 sono personale d'ufficio "
        "(cruscotto, comunicazioni, alloggi, modulo, bando, anteprima), 1 su 4 "
        "cittadini (pagina dell'ambito, graduatoria pubblica, PDF pubblicato). "
        "Percentili in ms, della pagina peggiore del gruppo, a regime: le "
        "statistiche ripartono quando tutti gli utenti sono avviati (gli accessi "
        "con password, ~0,3 s di CPU ciascuno, restano fuori). Macchina: 2 core, "
        "condivisi fra server, PostgreSQL e locust (FastHttpUser, ~5 % di un core).",
        "",
        "| server | gruppo | richieste | errori | richieste/s | p50 | p95 | p99 | "
        "obiettivo p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for server, gruppi in risultati.items():
        for nome in ("ufficio", "pubblico"):
            g = gruppi.get(nome)
            if not g:
                continue
            righe.append(
                f"| {server} | {nome} | {g['richieste']} | {g['errori']} | "
                f"{g['rps']:.1f}".replace(".", ",")
                + f" | {g['50%']} | {g['95%']} | {g['99%']} | "
                f"≤ {OBIETTIVI[nome]} |"
            )
    righe += [
        "",
        "Per pagina (un server):",
        "",
        "| pagina | p50 | p95 | p99 |",
        "|---|---|---|---|",
    ]
    primo = risultati[min(risultati)]
    for g in primo.values():
        for r in g["righe"]:
            righe.append(
                f"| {r['Name']} | {int(float(r['50%']))} | {int(float(r['95%']))} | "
                f"{int(float(r['99%']))} |"
            )
    return "\n".join(righe) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utenti", type=int, default=32)
    parser.add_argument("--durata", type=int, default=60)
    parser.add_argument("--server", type=int, nargs="+", default=[1, 2])
    argomenti = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Il benchmark di carico gira su PostgreSQL: impostare DATABASE_URL.")
    regione_assicura()
    dati = dati_prepara()
    connection.close()
    risultati = {}
    for server in argomenti.server:
        print(f"==> {server} server, {argomenti.utenti} utenti, {argomenti.durata} s")
        risultati[server] = prova(dati, server, argomenti.utenti, argomenti.durata)
        for nome, g in risultati[server].items():
            print(
                f"    {nome}: {g['richieste']} richieste, {g['errori']} errori, "
                f"p50 {g['50%']} ms, p95 {g['95%']} ms, p99 {g['99%']} ms"
            )
    sezione_scrivi("## Carico", _tabella(risultati, argomenti.utenti, argomenti.durata))


if __name__ == "__main__":
    main()
