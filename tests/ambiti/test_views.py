"""The ambito's pages: data, sub-ambiti, comuni, population. Every view that
changes data: works for staff, 403 read-only, 404 other ambito, CSRF required."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ambiti.forms import AmbitoForm, AppartenenzaForm, PopolazioneForm
from ambiti.models import (
    Ambito,
    AmbitoComune,
    Comune,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from tests.piani.test_views import dati_form


def caso_ambito(ambito):
    url = reverse("ambiti:ambito_update", args=[ambito.slug])
    dati = dati_form(AmbitoForm(instance=ambito), superficie_kmq="600,50")

    def salvato() -> bool:
        return str(Ambito.objects.get(pk=ambito.pk).superficie_kmq) == "600.50"

    return url, dati, salvato


def caso_subambito_nuovo(ambito):
    url = reverse("ambiti:subambito_create", args=[ambito.slug])
    dati = {"nome": "Media Valle", "ordine": "9"}

    def salvato() -> bool:
        return SubAmbito.objects.filter(ambito=ambito, nome="Media Valle").exists()

    return url, dati, salvato


def caso_subambito(ambito):
    s = ambito.sub_ambiti.first()
    url = reverse("ambiti:subambito_update", args=[ambito.slug, s.pk])
    dati = {"nome": s.nome + " (rinominato)", "ordine": str(s.ordine)}

    def salvato() -> bool:
        return SubAmbito.objects.get(pk=s.pk).nome.endswith("(rinominato)")

    return url, dati, salvato


def caso_appartenenza(ambito):
    a = ambito.appartenenze.select_related("comune").first()
    url = reverse("ambiti:appartenenza_update", args=[ambito.slug, a.pk])
    dati = dati_form(AppartenenzaForm(instance=a), area="Area di prova")

    def salvato() -> bool:
        return AmbitoComune.objects.get(pk=a.pk).area == "Area di prova"

    return url, dati, salvato


def caso_popolazione_nuova(ambito):
    comune = ambito.comune_capofila
    url = reverse("ambiti:popolazione_create", args=[ambito.slug])
    dati = {
        "comune": comune.pk,
        "data": "01/01/2030",
        "popolazione": "8123",
        "fonte": "ISTAT",
    }

    def salvato() -> bool:
        return PopolazioneComune.objects.filter(
            comune=comune, popolazione=8123
        ).exists()

    return url, dati, salvato


def caso_popolazione(ambito):
    p = PopolazioneComune.objects.filter(comune__appartenenze__ambito=ambito).first()
    url = reverse("ambiti:popolazione_update", args=[ambito.slug, p.pk])
    dati = dati_form(PopolazioneForm(instance=p, ambito=ambito), popolazione="4321")

    def salvato() -> bool:
        return PopolazioneComune.objects.get(pk=p.pk).popolazione == 4321

    return url, dati, salvato


def caso_appartenenza_nuova(ambito):
    comune = Comune.objects.get(nome="Bergamo")
    url = reverse("ambiti:appartenenza_create", args=[ambito.slug])
    dati = {"comune": comune.pk, "area": "Città"}

    def salvato() -> bool:
        return AmbitoComune.objects.filter(ambito=ambito, comune=comune).exists()

    return url, dati, salvato


def caso_serie_nuova(ambito):
    url = reverse("ambiti:serie_create", args=[ambito.slug])
    dati = {"anno": "2031", "data": "01/01/2031", "popolazione": "42000", "nati": "300"}

    def salvato() -> bool:
        return SerieDemografica.objects.filter(ambito=ambito, anno=2031).exists()

    return url, dati, salvato


def caso_serie(ambito):
    r = SerieDemografica.objects.create(
        ambito=ambito, anno=2032, data="2032-01-01", popolazione=41000
    )
    url = reverse("ambiti:serie_update", args=[ambito.slug, r.pk])
    dati = {"anno": "2032", "data": "01/01/2032", "popolazione": "40999"}

    def salvato() -> bool:
        return SerieDemografica.objects.get(pk=r.pk).popolazione == 40999

    return url, dati, salvato


CASI = [
    caso_serie_nuova,
    caso_serie,
    caso_ambito,
    caso_subambito_nuovo,
    caso_subambito,
    caso_appartenenza,
    caso_popolazione_nuova,
    caso_popolazione,
]
ids = [f.__name__ for f in CASI]


@pytest.mark.parametrize("caso", CASI, ids=ids)
def test_it_saves_for_the_ambitos_staff(client_staff_a, ambito_a, caso):
    url, dati, salvato = caso(ambito_a)
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 302
    assert salvato()


def test_only_an_administrator_adds_a_comune_with_history(
    client, staff_a, admin_user, ambito_a
):
    url, dati, salvato = caso_appartenenza_nuova(ambito_a)
    client.force_login(staff_a)
    assert client.post(url, dati).status_code == 403
    assert not salvato()
    client.force_login(admin_user)
    assert client.post(url, dati).status_code == 302
    assert salvato()
    appartenenza = AmbitoComune.objects.get(ambito=ambito_a, comune__nome="Bergamo")
    voce = appartenenza.history.get()
    assert voce.history_type == "+" and voce.history_user == admin_user
    storia = client.get(
        reverse("ambiti:appartenenza_history", args=[ambito_a.slug, appartenenza.pk])
    )
    assert storia.status_code == 200


def test_a_comune_is_in_one_ambito_and_the_refusal_names_the_other(ambito_a, ambito_b):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    altra = AmbitoComune.objects.filter(ambito=ambito_b).select_related("comune")[0]
    doppia = AmbitoComune(ambito=ambito_a, comune=altra.comune)
    with pytest.raises(ValidationError) as errore:
        doppia.full_clean()
    assert f"appartiene già all'ambito «{ambito_b}»" in str(errore.value)
    # The database refuses it too, whatever path skips the model's checks.
    with pytest.raises(IntegrityError), transaction.atomic():
        AmbitoComune.objects.bulk_create([doppia])


@pytest.mark.parametrize("caso", [caso_appartenenza_nuova, *CASI])
def test_it_answers_403_to_a_read_only_user(client_sindaco_a, ambito_a, caso):
    url, dati, salvato = caso(ambito_a)
    assert client_sindaco_a.post(url, dati).status_code == 403
    assert not salvato()


@pytest.mark.parametrize("caso", [caso_appartenenza_nuova, *CASI])
def test_it_answers_404_to_another_ambitos_staff(client_staff_b, ambito_a, caso):
    url, dati, salvato = caso(ambito_a)
    assert client_staff_b.post(url, dati).status_code == 404
    assert not salvato()


@pytest.mark.parametrize("caso", CASI, ids=ids)
def test_it_refuses_a_post_without_csrf_token(staff_a, ambito_a, caso):
    url, dati, salvato = caso(ambito_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_a)
    assert client.post(url, dati).status_code == 403
    assert not salvato()


def test_a_comune_of_another_ambito_cannot_be_chosen(
    client_staff_a, ambito_a, ambito_b
):
    estraneo = ambito_b.comune_capofila
    url = reverse("ambiti:popolazione_create", args=[ambito_a.slug])
    dati = {
        "comune": estraneo.pk,
        "data": "01/01/2030",
        "popolazione": "1",
        "fonte": "",
    }
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 200
    assert "Scegli un&#x27;opzione valida" in risposta.content.decode()
    assert not PopolazioneComune.objects.filter(comune=estraneo, popolazione=1).exists()


def _url_dell_ambito(ambito) -> list[str]:
    s = ambito.sub_ambiti.first()
    a = ambito.appartenenze.first()
    p = PopolazioneComune.objects.filter(comune__appartenenze__ambito=ambito).first()
    urls = [
        reverse(f"ambiti:{nome}", args=[ambito.slug])
        for nome in [
            "ambito_detail",
            "ambito_update",
            "ambito_history",
            "comune_list",
            "popolazione_list",
            "popolazione_create",
            "subambito_create",
            "appartenenza_create",
            "serie_create",
        ]
    ]
    urls.append(reverse("ambiti:appartenenza_update", args=[ambito.slug, a.pk]))
    urls.append(reverse("ambiti:appartenenza_history", args=[ambito.slug, a.pk]))
    urls.append(reverse("ambiti:popolazione_update", args=[ambito.slug, p.pk]))
    urls.append(reverse("ambiti:popolazione_history", args=[ambito.slug, p.pk]))
    if s is not None:
        urls.append(reverse("ambiti:subambito_update", args=[ambito.slug, s.pk]))
    return urls


def test_every_page_of_another_ambito_answers_404(client_staff_b, ambito_a, ambito_b):
    for url in _url_dell_ambito(ambito_a):
        assert client_staff_b.get(url).status_code == 404, url
    # Adding a comune is an administrator's act: 403 on their own ambito.
    solo_amministratori = reverse("ambiti:appartenenza_create", args=[ambito_b.slug])
    for url in _url_dell_ambito(ambito_b):
        atteso = 403 if url == solo_amministratori else 200
        assert client_staff_b.get(url).status_code == atteso, url


def test_the_ambito_list_shows_only_the_users_ambiti(client_staff_b, ambito_b):
    risposta = client_staff_b.get(reverse("ambiti:ambito_list"))
    assert [r.record for r in risposta.context["table"].page.object_list] == [ambito_b]


def test_the_comuni_list_filters_exports_and_neutralises(client_staff_a, ambito_a):
    url = reverse("ambiti:comune_list", args=[ambito_a.slug])
    r = client_staff_a.get(url, {"q": "clus"})
    assert [x.record.comune.nome for x in r.context["table"].page.object_list] == [
        "Clusone"
    ]
    AmbitoComune.objects.filter(ambito=ambito_a, comune__nome="Clusone").update(
        area="=1+1"
    )
    r = client_staff_a.get(url, {"_export": "csv"})
    righe = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert len(righe) == 25
    clusone = next(x for x in righe if x[1] == "Clusone")
    assert "'=1+1" in clusone


def test_the_comuni_and_population_lists_run_a_fixed_number_of_queries(
    client_staff_a, ambito_a, django_assert_num_queries
):
    urls = [
        reverse("ambiti:comune_list", args=[ambito_a.slug]),
        reverse("ambiti:popolazione_list", args=[ambito_a.slug]),
    ]
    prima = {}
    for url in urls:
        client_staff_a.get(url)
        with CaptureQueriesContext(connection) as q:
            client_staff_a.get(url)
        prima[url] = len(q.captured_queries)
    for i in range(5):
        comune = Comune.objects.create(
            codice_istat=f"99990{i}",
            nome=f"Prova {i}",
            provincia="Bergamo",
            sigla_provincia="BG",
        )
        AmbitoComune.objects.create(ambito=ambito_a, comune=comune)
        PopolazioneComune.objects.create(
            comune=comune, data="2025-01-01", popolazione=100 + i
        )
    for url in urls:
        with django_assert_num_queries(prima[url]):
            r = client_staff_a.get(url)
    assert r.context["table"].paginator.count == 29
