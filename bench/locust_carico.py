"""Locust users of the load benchmark (bench/carico.py starts them headless).

Two kinds of visitor, in the proportions of a working day: the staff of an
ambito (dashboard, lists, a form, the document preview), logged in once, and
citizens on the public pages (an ambito's page, a public graduatoria, a published
PDF). The ambiti, plans and bandi come from the environment (bench/carico.py
reads them from the database and passes them as JSON), so the users never guess.
"""

from __future__ import annotations

import json
import os
import random
import re

from locust import HttpUser, between, task

DATI = json.loads(os.environ.get("PIANOCASA_CARICO", "{}"))
# Several app servers: each user picks one, as a load balancer would.
SERVER = [h for h in os.environ.get("PIANOCASA_CARICO_HOST", "").split(",") if h]


def _server(utente: HttpUser) -> None:
    if SERVER:
        utente.client.base_url = random.choice(SERVER)


class Ufficio(HttpUser):
    """Staff of one ambito: the pages they open all day."""

    weight = 3
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _server(self)
        self.ambito = random.choice(DATI["ambiti"])
        pagina = self.client.get("/accesso/", name="accesso (GET)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text)
        self.client.post(
            "/accesso/",
            {
                "username": self.ambito["utente"],
                "password": DATI["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.client.base_url + "/accesso/"},
            name="accesso (POST)",
        )

    @task(4)
    def cruscotto(self) -> None:
        self.client.get(f"/piani/{self.ambito['piano']}/", name="ufficio: cruscotto")

    @task(2)
    def comunicazioni(self) -> None:
        self.client.get(
            f"/piani/{self.ambito['piano']}/comunicazioni/",
            name="ufficio: comunicazioni",
        )

    @task(2)
    def alloggi(self) -> None:
        self.client.get("/patrimonio/alloggi/", name="ufficio: alloggi")

    @task(1)
    def modulo(self) -> None:
        self.client.get(
            f"/piani/{self.ambito['piano']}/modifica/", name="ufficio: modulo piano"
        )

    @task(2)
    def bando(self) -> None:
        self.client.get(f"/misure/bandi/{self.ambito['bando']}/", name="ufficio: bando")

    @task(1)
    def anteprima(self) -> None:
        self.client.get(
            f"/piani/{self.ambito['piano']}/documento/", name="ufficio: anteprima"
        )


class Cittadino(HttpUser):
    """A citizen: the public pages, anonymous."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        _server(self)
        # Each citizen its own address, behind the one trusted proxy.
        self.client.headers["X-Forwarded-For"] = (
            f"203.0.{random.randint(0, 255)}.{random.randint(1, 254)}"
        )

    @task(2)
    def ambito(self) -> None:
        a = random.choice(DATI["ambiti"])
        self.client.get(f"/pubblico/{a['slug']}/", name="pubblico: ambito")

    @task(3)
    def graduatoria(self) -> None:
        a = random.choice(DATI["ambiti"])
        self.client.get(
            f"/misure/pubblico/{a['slug']}/{a['bando']}/",
            name="pubblico: graduatoria",
        )

    @task(1)
    def pdf(self) -> None:
        if DATI.get("pdf"):
            self.client.get(DATI["pdf"], name="pubblico: PDF pubblicato")
