"""The second factor (TOTP through django-otp) and the session marks it relies on.

Administrators (``is_superuser`` or ``is_staff``: they reach every ambito and the
Django admin) must verify a TOTP code after the password; anyone else may enrol an
authenticator app and, from then on, is asked for it too.
"""

import base64
import time
from binascii import unhexlify

import django_otp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

# Session keys. ATTIVITA: Unix time of the last renewal of the session's expiry.
# OTP_RICHIESTO: the user enrolled a device, so this session must verify it.
SESSIONE_ATTIVITA = "pianocasa_attivita"
SESSIONE_OTP_RICHIESTO = "pianocasa_otp_richiesto"

NOME_DISPOSITIVO = "App di autenticazione"


def secondo_fattore_obbligatorio(utente) -> bool:
    """Administrators cannot do without the second factor."""
    return bool(utente.is_superuser or utente.is_staff)


def secondo_fattore_richiesto(request: HttpRequest) -> bool:
    """Whether this session must be verified by a TOTP code (no query)."""
    utente = request.user
    return secondo_fattore_obbligatorio(utente) or bool(
        request.session.get(SESSIONE_OTP_RICHIESTO)
    )


def accesso_prepara_sessione(sender, request: HttpRequest, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``: marks the new session (see the keys above)."""
    request.session[SESSIONE_ATTIVITA] = int(time.time())
    request.session[SESSIONE_OTP_RICHIESTO] = (
        secondo_fattore_obbligatorio(user)
        or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def indirizzo_client(request: HttpRequest) -> str | None:
    """The client's address for django-axes. Each proxy appends to
    X-Forwarded-For the address it received the request from, so behind N proxies
    the N-th entry from the right is the one the outermost proxy saw; whatever the
    client itself wrote stands to the left of it and is ignored."""
    numero = settings.PIANOCASA_PROXY_NUMERO
    if numero > 0:
        catena = [
            v.strip()
            for v in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if v.strip()
        ]
        if len(catena) >= numero:
            return catena[-numero]
    return request.META.get("REMOTE_ADDR")


def totp_dispositivo(*, utente) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any (one per user)."""
    return TOTPDevice.objects.filter(user=utente, confirmed=True).first()


def totp_chiave_nuova() -> str:
    """A fresh secret (hex, 20 bytes), kept in the session until confirmed."""
    return random_hex(20)


def totp_configurazione(*, utente, chiave: str) -> dict[str, str]:
    """What the enrolment page shows: the otpauth:// URI as a QR code (an SVG
    data URI, drawn here: nothing leaves the server) and the secret in base32 for
    apps without a camera."""
    import qrcode
    import qrcode.image.svg

    uri = TOTPDevice(user=utente, key=chiave).config_url
    immagine = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage)
    svg = base64.b64encode(immagine.to_string()).decode("ascii")
    segreto = base64.b32encode(unhexlify(chiave)).decode("ascii").rstrip("=")
    return {
        "uri": uri,
        "qr": f"data:image/svg+xml;base64,{svg}",
        "segreto": " ".join(segreto[i : i + 4] for i in range(0, len(segreto), 4)),
    }


def _codice_pulito(codice: str) -> int:
    testo = "".join((codice or "").split())
    if not (testo.isdigit() and len(testo) == 6):
        raise ValidationError(
            _("Il codice è di 6 cifre: copiarlo dall'app di autenticazione."),
            code="formato",
        )
    return int(testo)


def totp_attiva(*, utente, chiave: str, codice: str) -> TOTPDevice:
    """Confirms the secret shown at enrolment with a code the app computed from
    it, then makes it the user's only authenticator (an old one is replaced)."""
    valore = _codice_pulito(codice)
    totp = TOTP(unhexlify(chiave), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    if not totp.verify(valore, tolerance=1):
        raise ValidationError(
            _(
                "Il codice non corrisponde: controllare che l'ora del telefono sia "
                "esatta e inserire il codice che l'app mostra ora."
            ),
            code="codice_errato",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=utente).delete()
        dispositivo = TOTPDevice(
            user=utente, name=NOME_DISPOSITIVO, key=chiave, confirmed=True
        )
        # The code just used cannot verify a login a second time.
        dispositivo.last_t = totp.t()
        dispositivo.drift = totp.drift
        dispositivo.full_clean()
        dispositivo.save()
    return dispositivo


def totp_disattiva(*, utente) -> int:
    """Removes the user's authenticator; administrators must keep one."""
    if secondo_fattore_obbligatorio(utente):
        raise ValidationError(
            _(
                "Gli amministratori non possono disattivare la verifica "
                "in due passaggi."
            ),
            code="obbligatoria",
        )
    rimossi, _dettaglio = TOTPDevice.objects.filter(user=utente).delete()
    return rimossi


def totp_verifica(*, utente, codice: str) -> TOTPDevice:
    """Checks a login's code against the user's authenticator. Wrong codes slow
    the next attempts down (1, 2, 4 … seconds: django-otp's throttling), which
    keeps the million possible codes out of reach of guessing."""
    valore = _codice_pulito(codice)
    errore = None
    with transaction.atomic():
        dispositivo = (
            TOTPDevice.objects.select_for_update()
            .filter(user=utente, confirmed=True)
            .first()
        )
        if dispositivo is None:
            raise ValidationError(
                _("Nessuna app di autenticazione attivata."), code="nessun_dispositivo"
            )
        consentito, dettagli = dispositivo.verify_is_allowed()
        if not consentito:
            attesa = (dettagli or {}).get("locked_until")
            secondi = (
                max(1, int((attesa - timezone.now()).total_seconds()) + 1)
                if attesa
                else 1
            )
            errore = ValidationError(
                ngettext(
                    "Troppi codici errati: riprovare tra %(secondi)d secondo.",
                    "Troppi codici errati: riprovare tra %(secondi)d secondi.",
                    secondi,
                )
                % {"secondi": secondi},
                code="rallentato",
            )
        elif not dispositivo.verify_token(valore):
            # verify_token saved the failure count: raise after the commit.
            errore = ValidationError(
                _("Codice non valido o già usato."), code="codice_errato"
            )
    if errore is not None:
        raise errore
    return dispositivo


def totp_accedi(*, request: HttpRequest, dispositivo: TOTPDevice) -> None:
    """Marks the session as verified by this device (django-otp's login)."""
    django_otp.login(request, dispositivo)
    request.session[SESSIONE_OTP_RICHIESTO] = True
