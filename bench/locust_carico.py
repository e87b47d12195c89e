"""Locust users of the load benchmark (bench/carico.py starts them headless).

Two kinds of visitor, in the proportions of a working day: the staff of an
ambito (dashboard, lists, a form, the document preview), logged in once, and
citizens on the public pages (an ambito's page, a public graduatoria, a published
PDF). The ambiti, plans and bandi come from the environment (bench/carico.py
reads them from the database and passes them as JSON), so the users never guess.

FastHttpUser (geventhttpclient), not HttpUser (requests): the load generator
shares the two cores with the servers, and it costs a fraction of the CPU.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import FastHttpUser, between, task

DATI = json.loads(os.environ.get("PIANOCASA_CARICO", "{}"))
# Several app servers: each user picks one, as a load balancer would.
SERVER = [h for h in os.environ.get("PIANOCASA_CARICO_HOST", "").split(",") if h]


def _server(utente: FastHttpUser) -> None:
    if SERVER:
        utente.client.base_url = random.choice(SERVER)


class Ufficio(FastHttpUser):
    """Staff of one ambito: the pages they open all day."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _server(self)
        self.ambito = random.choice(DATI["ambiti"])
        pagina = self.client.get("/accesso/", name="accesso (GET)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text)
        with self.client.post(
            "/accesso/",
            {
                "username": self.ambito["utente"],
                "password": DATI["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.client.base_url + "/accesso/"},
            name="accesso (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as risposta:
            # A login refused answers 200 with the form again.
            if risposta.status_code != 302:
                risposta.failure(f"accesso rifiutato ({risposta.status_code})")

    def _pagina(self, url: str, nome: str) -> None:
        """A staff page: only a 200 counts; a redirect (to the login page, a
        session lost) is a failure, not a fast answer."""
        with self.client.get(
            url, name=nome, allow_redirects=False, catch_response=True
        ) as risposta:
            if risposta.status_code != 200:
                risposta.failure(f"risposta {risposta.status_code}")

    @task(4)
    def cruscotto(self) -> None:
        self._pagina(f"/piani/{self.ambito['piano']}/", "ufficio: cruscotto")

    @task(2)
    def comunicazioni(self) -> None:
        self._pagina(
            f"/piani/{self.ambito['piano']}/comunicazioni/", "ufficio: comunicazioni"
        )

    @task(2)
    def alloggi(self) -> None:
        self._pagina("/patrimonio/alloggi/", "ufficio: alloggi")

    @task(1)
    def modulo(self) -> None:
        piano = self.ambito["piano"]
        self._pagina(f"/piani/{piano}/modifica/", "ufficio: modulo piano")

    @task(2)
    def bando(self) -> None:
        self._pagina(f"/misure/bandi/{self.ambito['bando']}/", "ufficio: bando")

    @task(1)
    def anteprima(self) -> None:
        self._pagina(f"/piani/{self.ambito['piano']}/documento/", "ufficio: anteprima")


class Cittadino(FastHttpUser):
    """A citizen: the public pages, anonymous."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _server(self)
        # Each citizen its own address, behind the one trusted proxy.
        indirizzo = f"203.0.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.intestazioni = {"X-Forwarded-For": indirizzo}

    @task(2)
    def ambito(self) -> None:
        a = random.choice(DATI["ambiti"])
        self.client.get(
            f"/pubblico/{a['slug']}/",
            name="pubblico: ambito",
            headers=self.intestazioni,
        )

    @task(3)
    def graduatoria(self) -> None:
        a = random.choice(DATI["ambiti"])
        self.client.get(
            f"/misure/pubblico/{a['slug']}/{a['bando']}/",
            name="pubblico: graduatoria",
            headers=self.intestazioni,
        )

    @task(1)
    def pdf(self) -> None:
        if DATI.get("pdf"):
            self.client.get(
                DATI["pdf"], name="pubblico: PDF pubblicato", headers=self.intestazioni
            )
