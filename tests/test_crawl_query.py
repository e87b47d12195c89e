"""Every page runs a fixed number of queries, whatever the amount of data.

A crawl follows the links of the pages themselves (no hand list: a new page is
covered as soon as a link leads to it) for each persona — staff of ambito A, its
read-only reviewer (sindaco), an administrator, an anonymous visitor — at two data
sizes 10× apart (tests/crescita.py), and fails naming each page whose query count
grew. The second crawl revisits every page of the first, so each page is compared
with itself. It also fails on a link that leads its user to an error (403, 404).

Not crawled: the Django admin (Django's own pages), logout, file downloads (PDF,
XLSX, JSON: they render whole documents, tested on their own) and forms' POSTs.
"""

from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from ambiti.models import Ambito
from misure.models import Bando
from tests.conftest import SLUG_A, SLUG_B
from tests.crescita import cresci
from tests.misure.factories import pubblica

PAGINE_MASSIME = 250
# The same page for another object adds nothing to the comparison, only time.
PER_NOME_MASSIME = 2
ESCLUSI_PREFISSI = ("/admin/", "/uscita/", "/static/", "/media/")
ESCLUSI_SUFFISSI = (".pdf", ".xlsx", ".json", ".csv")


class _Link(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for nome, valore in attrs:
                if nome == "href" and valore:
                    self.href.append(valore)


def _normalizza(base: str, href: str) -> str | None:
    """The site path a link leads to, without query string and fragment; None for
    links that leave the site or that the crawl skips."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parti = urlsplit(urljoin(base, href))
    if parti.netloc not in ("", "testserver"):
        return None
    percorso = parti.path
    if percorso.startswith(ESCLUSI_PREFISSI) or percorso.endswith(ESCLUSI_SUFFISSI):
        return None
    return percorso


def _nome(percorso: str) -> str | None:
    try:
        corrispondenza = resolve(percorso)
    except Resolver404:
        return None
    return corrispondenza.view_name


def _misura(client: Client, percorso: str) -> tuple[int, int, str]:
    with CaptureQueriesContext(connection) as catturate:
        risposta = client.get(percorso)
    testo = ""
    if risposta.status_code == 200 and "html" in risposta.get("Content-Type", ""):
        testo = risposta.content.decode()
    elif risposta.status_code in (301, 302):
        testo = f'<a href="{risposta["Location"]}"></a>'
    return len(catturate), risposta.status_code, testo


def _esplora(client: Client, partenze: list[str], gia: list[str]) -> dict:
    """{path: (view name, queries, status)}: the pages reachable from
    ``partenze`` (at most PER_NOME_MASSIME per view name) plus every path of
    ``gia``, each measured once."""
    misure: dict[str, tuple[str, int, int]] = {}
    per_nome: dict[str, int] = defaultdict(int)
    coda = deque(dict.fromkeys([*gia, *partenze]))
    obbligati = set(gia)
    while coda and len(misure) < PAGINE_MASSIME + len(obbligati):
        percorso = coda.popleft()
        if percorso in misure:
            continue
        nome = _nome(percorso)
        if nome is None:
            continue
        if percorso not in obbligati and per_nome[nome] >= PER_NOME_MASSIME:
            continue
        per_nome[nome] += 1
        n, stato, testo = _misura(client, percorso)
        misure[percorso] = (nome, n, stato)
        if testo:
            parser = _Link()
            parser.feed(testo)
            for href in parser.href:
                destinazione = _normalizza(percorso, href)
                if destinazione and destinazione not in misure:
                    coda.append(destinazione)
    return misure


def _pubblica_graduatoria(ambito: Ambito) -> None:
    # The demo bando's graduatoria on the public page, so the crawl reaches it.
    for bando in Bando.objects.filter(ambito=ambito, gestito=True):
        if bando.graduatoria_pubblicabile:
            pubblica(bando)


@pytest.mark.django_db
def test_no_page_runs_more_queries_with_ten_times_the_data(
    staff_a, sindaco_a, admin_user, ambito_a
):
    _pubblica_graduatoria(ambito_a)
    personae = {
        "ufficio": staff_a,
        "revisore": sindaco_a,
        "amministratore": admin_user,
        "anonimo": None,
    }
    partenze = [
        "/",
        f"/pubblico/{SLUG_A}/",
        f"/pubblico/{SLUG_B}/",
        f"/misure/pubblico/{SLUG_A}/",
    ]
    clients = {}
    for nome, utente in personae.items():
        clients[nome] = Client()
        if utente is not None:
            clients[nome].force_login(utente)

    # Sizes 10× apart: 2 new rows of each kind and the demo bando's 200 domande,
    # then 20 new rows and 2.000 domande.
    cresci(ambito=ambito_a, n=2)
    piccolo = {nome: _esplora(c, partenze, []) for nome, c in clients.items()}
    cresci(ambito=ambito_a, n=18, domande=1800)
    grande = {
        nome: _esplora(c, partenze, list(piccolo[nome])) for nome, c in clients.items()
    }

    crescono = []
    for persona, pagine in piccolo.items():
        for percorso, (nome, prima, stato) in pagine.items():
            _nome_dopo, dopo, stato_dopo = grande[persona][percorso]
            if dopo > prima:
                crescono.append(
                    f"{persona} {percorso} ({nome}): {prima} → {dopo} query"
                    f" (HTTP {stato} → {stato_dopo})"
                )
    nomi_visti = {v[0] for pagine in piccolo.values() for v in pagine.values()}
    # The crawl must actually reach the pages that list the grown data.
    for atteso in (
        "misure:bando_detail",
        "misure:graduatoria_pubblica",
        "misure:domanda_list",
        "piani:comunicazione_list",
        "patrimonio:alloggio_list",
        "patrimonio:importazione_list",
        "ambiti:comune_list",
    ):
        assert atteso in nomi_visti, f"la visita non raggiunge {atteso}"
    # A link a page shows its user leads somewhere that user may go.
    rotti = [
        f"{persona} {percorso} ({nome}): HTTP {stato}"
        for persona, pagine in grande.items()
        for percorso, (nome, _n, stato) in pagine.items()
        if stato >= 400
    ]
    assert not rotti, "Collegamenti a pagine che rispondono con errore:\n" + "\n".join(
        sorted(rotti)
    )
    assert not crescono, "Pagine con più query al crescere dei dati:\n" + "\n".join(
        sorted(crescono)
    )
