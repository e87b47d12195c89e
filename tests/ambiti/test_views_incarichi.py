"""The Incarichi page: administrators assign staff and reviewers to an ambito
(existing users or new ones) and revoke them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ambiti.models import Incarico
from tests.conftest import SLUG_A

URL = reverse("ambiti:incarico_list", args=[SLUG_A])


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_only_administrators_see_the_page(
    client, client_staff_a, staff_b, sindaco_a, admin_user
):
    # Staff of the ambito itself: not an administrator.
    assert client_staff_a.get(URL).status_code == 403
    client.force_login(sindaco_a)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"username": "x", "ruolo": "ufficio"}).status_code == 403
    # Another ambito's staff: the ambito does not exist for them.
    client.force_login(staff_b)
    assert client.get(URL).status_code == 404
    client.logout()
    risposta = client.get(URL)
    assert risposta.status_code == 302 and "/accesso/" in risposta["Location"]
    client.force_login(admin_user)
    risposta = client.get(URL)
    assert risposta.status_code == 200


@pytest.mark.django_db
def test_it_lists_the_ambito_users_with_a_pinned_query_count(
    client_admin, staff_a, sindaco_a, staff_b, django_assert_num_queries
):
    # Session, user, ambito, puo_modificare, incarichi with their users, their
    # history.
    with django_assert_num_queries(7):  # + the admin's OTP device
        risposta = client_admin.get(URL)
    testo = risposta.content.decode()
    assert "t.ufficio.a" in testo and "t.sindaco.a" in testo
    assert "t.ufficio.b" not in testo
    assert "Revisore (sola lettura)" in testo


@pytest.mark.django_db
def test_it_assigns_an_existing_user_and_changes_the_role(client_admin, staff_b):
    risposta = client_admin.post(URL, {"username": "t.ufficio.b", "ruolo": "lettura"})
    assert risposta.status_code == 302
    incarico = Incarico.objects.get(utente=staff_b, ambito__slug=SLUG_A)
    assert incarico.ruolo == Incarico.Ruolo.LETTURA
    client_admin.post(URL, {"username": "t.ufficio.b", "ruolo": "ufficio"})
    incarico.refresh_from_db()
    assert incarico.ruolo == Incarico.Ruolo.UFFICIO
    assert Incarico.objects.filter(utente=staff_b).count() == 2


@pytest.mark.django_db
def test_a_new_user_needs_a_password_and_can_then_log_in(client_admin, client):
    risposta = client_admin.post(URL, {"username": "m.rossi", "ruolo": "ufficio"})
    assert risposta.status_code == 200
    assert "non esiste: per crearlo indicare una password" in risposta.content.decode()
    assert not get_user_model().objects.filter(username="m.rossi").exists()

    risposta = client_admin.post(
        URL,
        {
            "username": "m.rossi",
            "ruolo": "ufficio",
            "email": "m.rossi@example.org",
            "password": "Casa-Lomellina-2026",
        },
    )
    assert risposta.status_code == 302
    utente = get_user_model().objects.get(username="m.rossi")
    assert utente.email == "m.rossi@example.org" and not utente.is_superuser
    assert utente.check_password("Casa-Lomellina-2026")
    assert Incarico.objects.get(utente=utente).ambito.slug == SLUG_A


@pytest.mark.django_db
def test_revoke_removes_the_role_not_the_user(client_admin, staff_a, client):
    incarico = Incarico.objects.get(utente=staff_a)
    url = reverse("ambiti:incarico_delete", args=[SLUG_A, incarico.pk])
    assert client_admin.get(url).status_code == 405
    assert client_admin.post(url).status_code == 302
    assert not Incarico.objects.filter(pk=incarico.pk).exists()
    assert get_user_model().objects.filter(pk=staff_a.pk).exists()


@pytest.mark.django_db
def test_revoke_is_refused_to_non_administrators(client, staff_a, staff_b, sindaco_a):
    incarico = Incarico.objects.get(utente=staff_a)
    url = reverse("ambiti:incarico_delete", args=[SLUG_A, incarico.pk])
    client.force_login(sindaco_a)
    assert client.post(url).status_code == 403
    client.force_login(staff_b)
    assert client.post(url).status_code == 404
    assert Incarico.objects.filter(pk=incarico.pk).exists()


@pytest.mark.django_db
def test_assignments_and_revocations_are_on_record(client_admin, staff_b, admin_user):
    client_admin.post(URL, {"username": "t.ufficio.b", "ruolo": "lettura"})
    incarico = Incarico.objects.get(utente=staff_b, ambito__slug=SLUG_A)
    client_admin.post(reverse("ambiti:incarico_delete", args=[SLUG_A, incarico.pk]))
    assert not Incarico.objects.filter(pk=incarico.pk).exists()
    voci = list(Incarico.history.filter(id=incarico.pk).order_by("history_date"))
    assert [v.history_type for v in voci] == ["+", "-"]
    assert all(v.history_user == admin_user for v in voci)
    pagina = client_admin.get(URL).content.decode()
    storia = pagina[pagina.index('id="storia-incarichi"') :]
    assert "revocato" in storia and "assegnato" in storia
