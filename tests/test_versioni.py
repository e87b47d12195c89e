"""Versions everywhere: a form opened before another save (a colleague, the
admin, an import) is refused with the Italian message instead of silently
overwriting it, on the plan's pages, the bando and domanda pages and the admin."""

from decimal import Decimal

from django.urls import reverse

from misure.forms import BandoForm
from piani.forms import ComunicazioneForm
from piani.importazioni import comunicazioni_importa
from tests.misure.factories import bando_crea, domanda_crea
from tests.patrimonio.aiuti import csv_testo
from tests.piani.test_views import dati_form

MESSAGGIO = "modificati da un&#x27;altra persona o da un&#x27;importazione"


def test_a_comunicazione_form_opened_before_an_import_is_refused(
    client_staff_a, piano_a, tmp_path
):
    c = piano_a.comunicazioni.select_related("ente").get(
        ente__denominazione__icontains="Ardesio"
    )
    url = reverse("piani:comunicazione_update", args=[c.pk])
    aperto = dati_form(ComunicazioneForm(instance=c), alloggi_sap=1)
    # The registry's per-ente table arrives meanwhile.
    percorso = tmp_path / "enti.csv"
    percorso.write_text(
        csv_testo(
            [["COMUNE DI ARDESIO", "40", "0", "40", "0"]],
            [
                "Ente Proprietario",
                "Numero Alloggi complessivi",
                "Numero Alloggi Servizio Abitativo Sociale (SAS)",
                "Numero Alloggi Servizio Abitativo Pubblico (SAP)",
                "Numero Alloggi altro uso residenziale",
            ],
        ),
        encoding="utf-8",
    )
    esito = comunicazioni_importa(piano=piano_a, percorso=percorso, scrivi=True)
    assert esito.scritto, esito.errori
    risposta = client_staff_a.post(url, aperto)
    assert risposta.status_code == 409
    c.refresh_from_db()
    assert c.alloggi_sap == 40  # the import's value, not the stale form's


def _bando_dati(bando, **modifiche):
    return dati_form(BandoForm(instance=bando), **modifiche)


def test_a_stale_bando_form_is_refused(client_staff_a, ambito_a):
    bando = bando_crea(ambito_a, importo=Decimal("1000.00"))
    url = reverse("misure:bando_update", args=[bando.pk])
    pagina = client_staff_a.get(url)
    assert pagina.status_code == 200
    letta = pagina.context["form"]["versione_letta"].value()
    bando.titolo = "Cambiato da un collega"
    bando.save()
    dati = {
        k: v
        for k, v in _bando_dati(bando, titolo="Il mio titolo").items()
        if not k.startswith(("fonti-", "criteri-"))
    }
    dati["versione_letta"] = letta
    for prefisso in ("fonti", "criteri"):
        dati.update(
            {
                f"{prefisso}-TOTAL_FORMS": "0",
                f"{prefisso}-INITIAL_FORMS": "0",
                f"{prefisso}-MIN_NUM_FORMS": "0",
                f"{prefisso}-MAX_NUM_FORMS": "1000",
            }
        )
    risposta = client_staff_a.post(url, dati)
    assert MESSAGGIO in risposta.content.decode()
    bando.refresh_from_db()
    assert bando.titolo == "Cambiato da un collega"


def test_a_stale_domanda_form_is_refused(client_staff_a, ambito_a):
    bando = bando_crea(ambito_a)
    domanda = domanda_crea(bando, 1)
    domanda.save()
    url = reverse("misure:domanda_update", args=[domanda.pk])
    modulo = client_staff_a.get(url).context["form"]
    dati = dati_form(modulo, isee="1234,00")
    domanda.isee = Decimal("7777.00")
    domanda.save()
    risposta = client_staff_a.post(url, dati)
    assert MESSAGGIO in risposta.content.decode()
    domanda.refresh_from_db()
    assert domanda.isee == Decimal("7777.00")


def test_a_stale_admin_change_is_refused(client_admin, piano_a):
    c = piano_a.comunicazioni.order_by("pk").first()
    url = reverse("admin:piani_comunicazione_change", args=[c.pk])
    modulo = client_admin.get(url).context["adminform"].form
    dati = dati_form(modulo, protocollo="ADMIN-1")
    c.protocollo = "DA-UN-COLLEGA"
    c.save()
    risposta = client_admin.post(url, dati)
    assert MESSAGGIO in risposta.content.decode()
    c.refresh_from_db()
    assert c.protocollo == "DA-UN-COLLEGA"
