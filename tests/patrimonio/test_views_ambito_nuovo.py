"""«Nuovo ambito» (administrators): paste → recognition table where every
non-exact name is confirmed → one transaction that creates the ambito, its
comuni's enti and the chosen ALER. The ambito is invented (Lomellina, Pavia)."""

import pytest
from django.urls import reverse

from ambiti.models import Ambito, Ats, Comune
from patrimonio.models import EnteDellAmbito, EnteProprietario
from patrimonio.territorio import enti_dell_ambito

URL = reverse("patrimonio:ambito_create")
COMUNI = "Mortara\nCilavegna; Gambolò, Tromello\n018174\nParona"


def _dati(**altri) -> dict:
    dati = {
        "nome": "Lomellina di prova",
        "slug": "lomellina-prova",
        "numero": "",
        "ats": str(Ats.objects.get(codice="328").pk),
        "capofila": "Mortara",
        "comuni": COMUNI,
        "altri_enti": "",
        "azione": "verifica",
    }
    dati.update(altri)
    return dati


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_the_page_is_for_administrators_only(client, client_staff_a, admin_user):
    assert client_staff_a.get(URL).status_code == 403
    client.logout()
    risposta = client.get(URL)
    assert risposta.status_code == 302 and "/accesso/" in risposta["Location"]
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_sindaco_gets_403(client_sindaco_a):
    assert client_sindaco_a.post(URL, _dati(azione="salva")).status_code == 403
    assert not Ambito.objects.filter(slug="lomellina-prova").exists()


@pytest.mark.django_db
def test_exact_names_and_codes_save_with_comune_enti_and_the_aler(client_admin):
    risposta = client_admin.post(URL, _dati())
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "Verretto (PV, 018174)" in testo
    aler_pv = EnteProprietario.objects.get(denominazione="ALER Pavia - Lodi")
    aler_mi = EnteProprietario.objects.get(denominazione="ALER Milano")
    # The ALER of the territory is proposed ticked; the others are not.
    assert f'value="{aler_pv.pk}" id="id_aler_' in testo
    spuntate = [
        riga
        for riga in testo.splitlines()
        if 'name="aler"' in riga and "checked" in riga
    ]
    assert len(spuntate) == 1 and f'value="{aler_pv.pk}"' in spuntate[0]
    assert f'value="{aler_mi.pk}"' in testo

    risposta = client_admin.post(URL, _dati(azione="salva", aler=[aler_pv.pk]))

    assert risposta.status_code == 302
    ambito = Ambito.objects.get(slug="lomellina-prova")
    assert risposta["Location"] == reverse("ambiti:incarico_list", args=[ambito.slug])
    assert ambito.comune_capofila.nome == "Mortara"
    assert ambito.ats.nome == "ATS di Pavia"
    assert ambito.provincia == "Pavia"
    assert ambito.appartenenze.count() == 6
    enti = set(enti_dell_ambito(ambito).values_list("denominazione", flat=True))
    assert "Comune di Gambolò" in enti and "ALER Pavia - Lodi" in enti
    assert len(enti) == 7


@pytest.mark.django_db
def test_unticked_aler_is_not_linked(client_admin):
    client_admin.post(URL, _dati(azione="salva"))
    ambito = Ambito.objects.get(slug="lomellina-prova")
    assert not enti_dell_ambito(ambito).filter(tipo="aler").exists()


@pytest.mark.django_db
def test_a_misspelled_name_must_be_confirmed_never_guessed(client_admin):
    dati = _dati(comuni=COMUNI + "\nGarlaska")
    risposta = client_admin.post(URL, dati)
    testo = risposta.content.decode()
    assert "«Garlaska» non corrisponde esattamente" in testo
    assert "Garlasco (PV, 018069)" in testo

    # Saving without picking: refused, nothing written.
    risposta = client_admin.post(URL, {**dati, "azione": "salva"})
    assert risposta.status_code == 200
    assert "Scegliere quale comune si intende." in risposta.content.decode()
    assert not Ambito.objects.filter(slug="lomellina-prova").exists()

    scelta = Comune.objects.get(nome="Garlasco").pk
    risposta = client_admin.post(URL, {**dati, "azione": "salva", "scelta_6": scelta})
    assert risposta.status_code == 302
    ambito = Ambito.objects.get(slug="lomellina-prova")
    assert ambito.comuni.filter(nome="Garlasco").exists()


@pytest.mark.django_db
def test_a_comune_of_another_ambito_is_refused_naming_it(client_admin):
    dati = _dati(comuni=COMUNI + "\nClusone")
    testo = client_admin.post(URL, dati).content.decode()
    assert "Appartiene già all'ambito «Ambito 9" in testo

    risposta = client_admin.post(URL, {**dati, "azione": "salva"})
    testo = risposta.content.decode()
    assert "Il comune Clusone appartiene già all&#x27;ambito «Ambito 9" in testo
    assert not Ambito.objects.filter(slug="lomellina-prova").exists()
    assert not EnteProprietario.objects.filter(
        denominazione="Comune di Mortara"
    ).exists()


@pytest.mark.django_db
def test_other_enti_need_a_comune_of_the_ambito(client_admin):
    dati = _dati(
        azione="salva",
        altri_enti="Fondazione Casa Lomellina; Mortara\nASP Fuori; Clusone",
    )
    testo = client_admin.post(URL, dati).content.decode()
    assert (
        "Altri enti, riga 2: il comune Clusone non fa parte dell&#x27;ambito." in testo
    )
    assert not Ambito.objects.filter(slug="lomellina-prova").exists()

    dati["altri_enti"] = "Fondazione Casa Lomellina; Mortara"
    assert client_admin.post(URL, dati).status_code == 302
    link = EnteDellAmbito.objects.get(ente__denominazione="Fondazione Casa Lomellina")
    assert link.comune.nome == "Mortara"
    assert link.ente.tipo == EnteProprietario.Tipo.ALTRO


@pytest.mark.django_db
def test_an_existing_slug_and_a_foreign_capofila_are_errors(client_admin):
    testo = client_admin.post(URL, _dati(slug="valle-seriana")).content.decode()
    assert "Esiste già un ambito con questo identificativo." in testo
    risposta = client_admin.post(URL, _dati(azione="salva", capofila="Pavia"))
    assert "Il comune capofila Pavia non è fra i comuni" in risposta.content.decode()
    assert not Ambito.objects.filter(slug="lomellina-prova").exists()


@pytest.mark.django_db
def test_query_counts_are_pinned(client_admin, django_assert_num_queries):
    dati = _dati(comuni=COMUNI + "\nGarlaska")
    # Session, user, the admin's OTP device, ATS choices, the comuni of the
    # search box.
    with django_assert_num_queries(5):
        client_admin.get(URL)
    # + slug check, chosen ATS, all comuni once (the matcher), memberships,
    # ALER of the territory, ALER checklist, search box: not one query per
    # pasted name (+ the admin's OTP device).
    with django_assert_num_queries(11):
        client_admin.post(URL, dati)


@pytest.mark.django_db
def test_sub_ambiti_are_optional_lines_of_the_pasted_list(client_admin):
    comuni = "Nord: Mortara, Cilavegna\nSud: Gambolò; Tromello\n018174\nParona"
    risposta = client_admin.post(URL, _dati(azione="salva", comuni=comuni))
    assert risposta.status_code == 302
    ambito = Ambito.objects.get(slug="lomellina-prova")
    assert list(ambito.sub_ambiti.values_list("nome", flat=True)) == ["Nord", "Sud"]
    per_sub = {
        a.comune.nome: a.sub_ambito.nome if a.sub_ambito else None
        for a in ambito.appartenenze.select_related("comune", "sub_ambito")
    }
    assert per_sub == {
        "Mortara": "Nord",
        "Cilavegna": "Nord",
        "Gambolò": "Sud",
        "Tromello": "Sud",
        "Verretto": None,
        "Parona": None,
    }
