"""Not communicated is not zero: every ente of the ambito starts «non pervenuta»;
totals skip missing values and say how many enti they lack; checks that need a
missing value say «dato mancante» instead of firing; the document prints
«non pervenuta». Tried on an invented ambito."""

from datetime import date

import pytest
from django.urls import reverse

from ambiti.models import Ambito, AmbitoComune, Comune
from patrimonio.models import EnteProprietario
from patrimonio.territorio import enti_dell_ambito
from piani import ciclo
from piani.anomalie import Codice, anomalie_calcola
from piani.documento import documento_contesto, documento_html
from piani.models import Comunicazione, PianoAnnuale, VersioneNormativa
from piani.services import comunicazioni_inizializza, piano_riepilogo

pytestmark = pytest.mark.django_db


@pytest.fixture
def piano_prova() -> PianoAnnuale:
    """Ambito «Alto Lario di prova»: three comuni of the province of Como (none in
    the seeds), an ente for each, a foundation that answered in 2029."""
    ambito = Ambito.objects.create(
        nome="Alto Lario di prova", slug="alto-lario-prova", provincia="Como"
    )
    comuni = list(
        Comune.objects.filter(codice_istat__startswith="013")
        .exclude(appartenenze__isnull=False)
        .order_by("codice_istat")[:3]
    )
    assert len(comuni) == 3
    for comune in comuni:
        AmbitoComune.objects.create(ambito=ambito, comune=comune)
        EnteProprietario.objects.get_or_create(
            comune=comune,
            defaults={
                "tipo": EnteProprietario.Tipo.COMUNE,
                "denominazione": f"Comune di {comune.nome}",
            },
        )
    normativa = VersioneNormativa.objects.get(codice="rr-2-2025")
    vecchio = PianoAnnuale.objects.create(ambito=ambito, anno=2029, normativa=normativa)
    fondazione = EnteProprietario.objects.create(
        tipo=EnteProprietario.Tipo.ALTRO, denominazione="Fondazione Lario Casa"
    )
    Comunicazione.objects.create(piano=vecchio, ente=fondazione, esito="dati")
    return PianoAnnuale.objects.create(ambito=ambito, anno=2030, normativa=normativa)


def _riga(piano: PianoAnnuale, testo: str) -> Comunicazione:
    return piano.comunicazioni.get(ente__denominazione__icontains=testo)


def test_every_ente_of_the_ambito_starts_as_non_pervenuta(piano_prova):
    assert enti_dell_ambito(piano_prova.ambito_id).count() == 4
    assert comunicazioni_inizializza(piano=piano_prova) == 4
    assert comunicazioni_inizializza(piano=piano_prova) == 0  # idempotent
    righe = list(piano_prova.comunicazioni.all())
    assert len(righe) == 4 and all(not c.pervenuta for c in righe)
    assert {c.ente.denominazione for c in righe} >= {"Fondazione Lario Casa"}
    assert ciclo.enti_senza_comunicazione(piano_prova) == sorted(
        (c.ente for c in righe), key=lambda e: (e.comune_id is None, e.nome_per_elenco)
    )


def test_the_seed_plans_already_list_every_ente(piano_a):
    assert comunicazioni_inizializza(piano=piano_a) == 0


def test_next_years_plan_adds_the_enti_that_had_no_row(piano_a, staff_a):
    comune = (
        Comune.objects.filter(appartenenze__ambito=piano_a.ambito)
        .exclude(ente__comunicazioni__piano=piano_a)
        .first()
    )
    if comune is None:  # every comune of seed 000 answered: add one to the ambito
        comune = Comune.objects.filter(codice_istat__startswith="013").first()
        AmbitoComune.objects.create(ambito=piano_a.ambito, comune=comune)
    ente, _ = EnteProprietario.objects.get_or_create(
        comune=comune,
        defaults={"tipo": "comune", "denominazione": f"Comune di {comune.nome}"},
    )
    nuovo = ciclo.piano_successivo(piano=piano_a, utente=staff_a)
    riga = nuovo.comunicazioni.get(ente=ente)
    assert riga.esito == "" and riga.alloggi_totali is None


def _due_enti_con_dati(piano):
    comunicazioni_inizializza(piano=piano)
    righe = list(piano.comunicazioni.order_by("ente__denominazione"))
    primo, secondo = righe[0], righe[1]
    for c, totali in ((primo, 30), (secondo, 12)):
        c.esito = Comunicazione.Esito.DATI
        c.canale = Comunicazione.Canale.PIATTAFORMA
        c.data = date(2029, 10, 20)
        c.alloggi_totali, c.alloggi_sas, c.alloggi_sap, c.alloggi_altro = (
            totali,
            0,
            totali,
            0,
        )
        c.assegnabili_turnover = c.assegnabili_totale = 2
        c.save()
    return primo, secondo, righe[2:]


def test_totals_skip_the_missing_and_say_how_many(piano_prova):
    _primo, _secondo, mancanti = _due_enti_con_dati(piano_prova)
    # Last year's stock carried forward into a row not yet arrived is not summed.
    mancanti[0].alloggi_totali = 500
    mancanti[0].save()
    contesto = documento_contesto(piano_prova)
    assert contesto["totali"]["alloggi_totali"] == 42
    assert contesto["mancanti"]["alloggi_totali"] == 2
    assert contesto["mancanti"]["sap_liberi"] == 0  # not in this plan's layout
    riepilogo = piano_riepilogo(piano=piano_prova)
    assert (riepilogo.alloggi_totali, riepilogo.mancanti_nei_totali) == (42, 2)

    html = documento_html(piano_prova)
    assert 'Totale <span class="mancanti">(2 enti non pervenuti)</span>' in html
    assert html.count('<td class="n non-pervenuta" colspan="4">non pervenuta</td>') == 2
    frase = html.split("prevedibilmente assegnabili nel corso dell'anno sono ")[1]
    assert frase.startswith('4 <span class="mancanti">(2 enti non pervenuti)</span>')
    assert "comunicazione non pervenuta" in html
    # "n. 2" kept on one line by a non-breaking space.
    assert "Comunicazioni non pervenute: n.\xa02 (" in html


def test_the_dashboard_says_the_totals_lack_enti(client, admin_user, piano_prova):
    _due_enti_con_dati(piano_prova)
    client.force_login(admin_user)
    pagina = client.get(reverse("piani:piano_detail", args=[piano_prova.pk]))
    testo = pagina.content.decode()
    assert "42 (42)" in testo and "(2 enti non pervenuti)" in testo


def test_the_seeds_print_no_missing_marks(piano_a, piano_b):
    for piano in (piano_a, piano_b):
        contesto = documento_contesto(piano)
        assert set(contesto["mancanti"].values()) == {0}
        assert "non pervenut" not in documento_html(piano)
        codici = {a.codice for a in anomalie_calcola(piano)}
        assert Codice.DATO_MANCANTE not in codici


def _codici(piano) -> dict[str, set[str]]:
    trovate: dict[str, set[str]] = {}
    for a in anomalie_calcola(piano):
        trovate.setdefault(a.codice, set()).add(a.oggetto)
    return trovate


def test_checks_needing_a_missing_value_say_dato_mancante(piano_prova):
    primo, secondo, _mancanti = _due_enti_con_dati(piano_prova)
    # SAP state given, SAP stock missing.
    primo.alloggi_sap = None
    primo.sap_liberi, primo.sap_occupati = 1, 20
    # Total assignable given, none of its items.
    secondo.assegnabili_turnover = None
    secondo.assegnabili_totale = 3
    primo.save()
    secondo.save()
    trovate = _codici(piano_prova)
    mancante = trovate[Codice.DATO_MANCANTE]
    assert f"{primo.ente.denominazione} – {Codice.STATO_SAP.label}" in mancante
    assert f"{primo.ente.denominazione} – {Codice.CONSISTENZA.label}" in mancante
    assert f"{secondo.ente.denominazione} – {Codice.TOTALE_ASSEGNABILI.label}" in (
        mancante
    )
    assert Codice.STATO_SAP not in trovate
    assert Codice.CONSISTENZA not in trovate
    assert Codice.TOTALE_ASSEGNABILI not in trovate


def test_the_sat_cap_waits_for_the_missing_enti(piano_prova):
    primo, _secondo, mancanti = _due_enti_con_dati(piano_prova)
    primo.unita_sat = 10  # 10 of 42 SAP: over 10%, but two enti have not answered
    primo.save()
    trovate = _codici(piano_prova)
    assert Codice.TETTO_SAT not in trovate
    assert any("Unità SAT" in o for o in trovate[Codice.DATO_MANCANTE])
    for c in mancanti:
        c.esito = Comunicazione.Esito.NESSUN_PATRIMONIO
        c.save()
    trovate = _codici(piano_prova)
    assert Codice.TETTO_SAT in trovate
    assert Codice.DATO_MANCANTE not in trovate


def test_a_plan_created_in_the_admin_lists_every_ente(client, admin_user, piano_prova):  # noqa: F811
    client.force_login(admin_user)
    risposta = client.post(
        reverse("admin:piani_pianoannuale_add"),
        {
            "ambito": piano_prova.ambito_id,
            "anno": 2031,
            "normativa": piano_prova.normativa_id,
            "organo_approvazione": "Assemblea dei Sindaci",
            "finestre-TOTAL_FORMS": 0,
            "finestre-INITIAL_FORMS": 0,
            "sezioni-TOTAL_FORMS": 0,
            "sezioni-INITIAL_FORMS": 0,
        },
    )
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    nuovo = PianoAnnuale.objects.get(ambito=piano_prova.ambito, anno=2031)
    assert nuovo.comunicazioni.count() == 4
    assert not nuovo.comunicazioni.exclude(esito="").exists()
