"""Users change their password, and reset a forgotten one by e-mail (Italian
pages and message)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "pw-test-123"


@pytest.fixture
def utente(db):
    return get_user_model().objects.create_user(
        username="c.belotti",
        password=PASSWORD,
        email="c.belotti@ambito-inventato.example",
    )


def test_a_user_changes_their_password(client, utente):
    client.force_login(utente)
    pagina = client.get(reverse("password_change"))
    assert "Cambia la password" in pagina.content.decode()
    nuova = "Altra-parola-Segreta-17"

    risposta = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": nuova, "new_password2": nuova},
    )

    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("password_change_done")
    utente.refresh_from_db()
    assert utente.check_password(nuova)
    # The session survives the change.
    assert client.get(reverse("sicurezza:sicurezza")).status_code == 200


def test_the_old_password_is_required_and_checked(client, utente):
    client.force_login(utente)
    risposta = client.post(
        reverse("password_change"),
        {"old_password": "sbagliata", "new_password1": "x1", "new_password2": "x1"},
    )
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "Password attuale" in testo
    assert "La password attuale non è stata inserita correttamente" in testo
    utente.refresh_from_db()
    assert utente.check_password(PASSWORD)


def test_the_password_change_needs_a_login(client, db):
    risposta = client.get(reverse("password_change"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))


def test_the_login_page_links_the_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_a_forgotten_password_is_reset_by_email(client, utente, mailoutbox):
    risposta = client.post(reverse("password_reset"), {"email": utente.email})
    assert risposta["Location"] == reverse("password_reset_done")

    (messaggio,) = mailoutbox
    assert messaggio.to == [utente.email]
    assert messaggio.subject == "Piano dell'offerta abitativa: nuova password"
    assert "è stata chiesta una nuova password per l'account «c.belotti»" in (
        messaggio.body
    )
    collegamento = re.search(r"http://testserver(/\S+)", messaggio.body).group(1)
    modulo = client.get(collegamento, follow=True)
    assert "Nuova password" in modulo.content.decode()
    nuova = "Terza-parola-Segreta-99"
    fatto = client.post(
        modulo.redirect_chain[-1][0],
        {"new_password1": nuova, "new_password2": nuova},
        follow=True,
    )
    assert "La nuova password è salvata" in fatto.content.decode()
    utente.refresh_from_db()
    assert utente.check_password(nuova)
    # The link works once.
    assert "Il collegamento non è valido" in (
        client.get(collegamento, follow=True).content.decode()
    )


def test_an_unknown_address_gets_the_same_page_and_no_mail(client, db, mailoutbox):
    risposta = client.post(
        reverse("password_reset"), {"email": "nessuno@ambito-inventato.example"}
    )
    assert risposta["Location"] == reverse("password_reset_done")
    assert mailoutbox == []
