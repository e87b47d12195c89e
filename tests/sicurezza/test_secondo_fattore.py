"""The second factor: administrators cannot reach a page after the password alone,
they enrol an authenticator app at their first login and type its code at every
login; other users may enrol one, and are then asked for it too."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ambiti.models import Ambito, Incarico

PASSWORD = "pw-test-123"


def codice(dispositivo: TOTPDevice, passi: int = 0) -> str:
    totp = TOTP(dispositivo.bin_key, dispositivo.step, dispositivo.t0, 6, 0)
    totp.time = time.time() + passi * dispositivo.step
    return f"{totp.token():06d}"


def codice_da_segreto(segreto: str) -> str:
    testo = segreto.replace(" ", "")
    chiave = base64.b32decode(testo + "=" * (-len(testo) % 8))
    return f"{TOTP(chiave).token():06d}"


@pytest.fixture
def amministratore(db):
    return get_user_model().objects.create_user(
        username="a.gamba", password=PASSWORD, is_superuser=True, is_staff=True
    )


@pytest.fixture
def ambito_inventato(db):
    return Ambito.objects.create(
        nome="Ambito Valle Inventata", slug="valle-inventata", provincia="BG"
    )


@pytest.fixture
def ufficio(ambito_inventato):
    utente = get_user_model().objects.create_user(
        username="l.pesenti", password=PASSWORD
    )
    Incarico.objects.create(
        utente=utente, ambito=ambito_inventato, ruolo=Incarico.Ruolo.UFFICIO
    )
    return utente


def _password(client, utente):
    risposta = client.post(
        reverse("login"), {"username": utente.username, "password": PASSWORD}
    )
    assert risposta.status_code == 302, "the password step failed"
    return risposta


def test_an_admin_with_the_password_alone_reaches_no_page(client, amministratore):
    _password(client, amministratore)
    for url in (reverse("piani:piano_list"), reverse("admin:index"), "/ambiti/"):
        risposta = client.get(url)
        assert risposta.status_code == 302, url
        assert risposta["Location"].startswith(reverse("sicurezza:verifica"))


def test_an_admin_enrols_the_app_at_the_first_login(client, amministratore):
    _password(client, amministratore)
    verifica = client.get(reverse("piani:piano_list"), follow=True)
    assert verifica.redirect_chain[-1][0].startswith(reverse("sicurezza:totp_attiva"))
    testo = verifica.content.decode()
    assert "Gli amministratori accedono solo con la verifica in due passaggi" in testo
    assert 'src="data:image/svg+xml;base64,' in testo
    segreto = re.search(r'id="segreto-totp">([A-Z2-7 ]+)<', testo).group(1)

    risposta = client.post(
        verifica.redirect_chain[-1][0], {"codice": codice_da_segreto(segreto)}
    )

    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("piani:piano_list")
    assert client.get(reverse("piani:piano_list")).status_code == 200
    assert TOTPDevice.objects.get(user=amministratore).confirmed


def test_the_qr_code_is_an_svg_drawn_on_the_server(client, amministratore):
    _password(client, amministratore)
    testo = client.get(reverse("sicurezza:totp_attiva")).content.decode()
    immagine = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', testo).group(1)
    svg = base64.b64decode(immagine).decode()
    assert svg.startswith("<svg") and "<path" in svg
    assert "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_an_admin_types_the_code_at_every_login(client, amministratore):
    dispositivo = TOTPDevice.objects.create(user=amministratore, confirmed=True)
    _password(client, amministratore)
    destinazione = reverse("misure:bando_list")
    pagina = client.get(destinazione, follow=True)
    assert pagina.redirect_chain[-1][0].startswith(reverse("sicurezza:verifica"))
    assert "Inserire il codice di 6 cifre" in pagina.content.decode()

    risposta = client.post(
        reverse("sicurezza:verifica"),
        {"codice": codice(dispositivo), "next": destinazione},
    )

    assert risposta.status_code == 302
    assert risposta["Location"] == destinazione
    assert client.get(destinazione).status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next_ones(client, amministratore):
    dispositivo = TOTPDevice.objects.create(user=amministratore, confirmed=True)
    _password(client, amministratore)
    errato = f"{(int(codice(dispositivo)) + 1) % 1_000_000:06d}"

    primo = client.post(reverse("sicurezza:verifica"), {"codice": errato})
    assert "Codice non valido o già usato." in primo.content.decode()
    # Even the right code waits: wrong ones count against the device.
    secondo = client.post(
        reverse("sicurezza:verifica"), {"codice": codice(dispositivo)}
    )
    assert "Troppi codici errati: riprovare tra" in secondo.content.decode()
    assert client.get(reverse("piani:piano_list")).status_code == 302
    dispositivo.refresh_from_db()
    assert dispositivo.throttling_failure_count == 1


def test_a_code_cannot_be_used_twice(client, amministratore):
    dispositivo = TOTPDevice.objects.create(user=amministratore, confirmed=True)
    valore = codice(dispositivo)
    _password(client, amministratore)
    assert (
        client.post(reverse("sicurezza:verifica"), {"codice": valore}).status_code
        == 302
    )
    client.post(reverse("logout"))
    TOTPDevice.objects.filter(pk=dispositivo.pk).update(throttling_failure_count=0)
    _password(client, amministratore)
    risposta = client.post(reverse("sicurezza:verifica"), {"codice": valore})
    assert "Codice non valido o già usato." in risposta.content.decode()


def test_an_unverified_session_cannot_replace_the_app(client, amministratore):
    # With the password alone, enrolling a new app would defeat the second factor.
    TOTPDevice.objects.create(user=amministratore, confirmed=True)
    _password(client, amministratore)
    risposta = client.get(reverse("sicurezza:totp_attiva"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("sicurezza:verifica"))


def test_the_code_must_be_six_digits(client, amministratore):
    TOTPDevice.objects.create(user=amministratore, confirmed=True)
    _password(client, amministratore)
    risposta = client.post(reverse("sicurezza:verifica"), {"codice": "12ab"})
    assert "Il codice è di 6 cifre" in risposta.content.decode()


def test_staff_without_an_app_log_in_with_the_password(client, ufficio):
    _password(client, ufficio)
    assert client.get(reverse("piani:piano_list")).status_code == 200


def test_staff_enrol_an_app_and_are_asked_for_it_from_then_on(client, ufficio):
    _password(client, ufficio)
    pagina = client.get(reverse("sicurezza:sicurezza"))
    assert "Attiva la verifica in due passaggi" in pagina.content.decode()
    testo = client.get(reverse("sicurezza:totp_attiva")).content.decode()
    segreto = re.search(r'id="segreto-totp">([A-Z2-7 ]+)<', testo).group(1)
    sbagliato = client.post(reverse("sicurezza:totp_attiva"), {"codice": "000000"})
    assert "Il codice non corrisponde" in sbagliato.content.decode()
    assert not TOTPDevice.objects.filter(user=ufficio).exists()

    client.post(
        reverse("sicurezza:totp_attiva"), {"codice": codice_da_segreto(segreto)}
    )
    assert client.get(reverse("piani:piano_list")).status_code == 200

    client.post(reverse("logout"))
    _password(client, ufficio)
    risposta = client.get(reverse("piani:piano_list"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("sicurezza:verifica"))


def test_staff_may_switch_the_app_off_administrators_may_not(
    client, ufficio, amministratore
):
    TOTPDevice.objects.create(user=ufficio, confirmed=True)
    client.force_login(ufficio)
    sessione = client.session
    sessione[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=ufficio).persistent_id
    sessione.save()
    pagina = client.get(reverse("sicurezza:sicurezza")).content.decode()
    assert f"Attiva dal {timezone.localdate():%d/%m/%Y}" in pagina
    assert reverse("sicurezza:totp_disattiva") in pagina
    client.post(reverse("sicurezza:totp_disattiva"))
    assert not TOTPDevice.objects.filter(user=ufficio).exists()

    client.force_login(amministratore)
    pagina = client.get(reverse("sicurezza:sicurezza")).content.decode()
    assert reverse("sicurezza:totp_disattiva") not in pagina
    assert (
        "Per gli amministratori la verifica in due passaggi è obbligatoria." in pagina
    )
    risposta = client.post(reverse("sicurezza:totp_disattiva"), follow=True)
    assert "Gli amministratori non possono disattivare" in risposta.content.decode()
    assert TOTPDevice.objects.filter(user=amministratore).exists()


def test_the_admin_persona_of_the_tests_is_verified(client_admin):
    # How tests log administrators in: client.force_login(admin) (or the
    # client_admin fixture) gives a session verified by a test authenticator.
    assert client_admin.get(reverse("admin:index")).status_code == 200
    assert client_admin.get(reverse("piani:piano_list")).status_code == 200


@pytest.mark.parametrize(
    "nome", ["sicurezza:sicurezza", "sicurezza:totp_attiva", "sicurezza:verifica"]
)
def test_the_security_pages_need_a_login(client, db, nome):
    risposta = client.get(reverse(nome))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))


def test_the_read_only_sindaco_manages_their_own_account(client_sindaco_a):
    # These pages act on the logged-in user only: no ambito, no 403/404 to test.
    pagina = client_sindaco_a.get(reverse("sicurezza:sicurezza"))
    assert pagina.status_code == 200
    assert "Cambia la password" in pagina.content.decode()
    assert client_sindaco_a.get(reverse("sicurezza:totp_attiva")).status_code == 200


def test_a_user_sees_only_their_own_app(client, staff_a, staff_b):
    TOTPDevice.objects.create(user=staff_b, confirmed=True)
    client.force_login(staff_a)
    pagina = client.get(reverse("sicurezza:sicurezza")).content.decode()
    assert "Attiva la verifica in due passaggi" in pagina
    client.post(reverse("sicurezza:totp_disattiva"))
    assert TOTPDevice.objects.filter(user=staff_b).exists()
