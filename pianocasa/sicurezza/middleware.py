"""Three small middlewares for authenticated sessions (settings.MIDDLEWARE, after
django-otp's OTPMiddleware)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from pianocasa.sicurezza.services import SESSIONE_ATTIVITA, secondo_fattore_richiesto

# Pages an unverified session may reach: logging in and out, and the second
# factor's own pages (enrolment checks by itself who may use it).
VISTE_SENZA_SECONDO_FATTORE = {
    "login",
    "logout",
    "sicurezza:verifica",
    "sicurezza:totp_attiva",
}


class InattivitaMiddleware:
    """The session expires SESSION_COOKIE_AGE after the last request. Its expiry is
    renewed at most once every PIANOCASA_SESSIONE_RINNOVO_SECONDI, not on every
    request as SESSION_SAVE_EVERY_REQUEST would: that is one database write less
    per page, and the timeout is off by at most that much."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.rinnovo = settings.PIANOCASA_SESSIONE_RINNOVO_SECONDI

    def __call__(self, request):
        sessione = request.session
        if sessione.get(SESSION_KEY) is not None:
            ora = int(time.time())
            if ora - sessione.get(SESSIONE_ATTIVITA, 0) >= self.rinnovo:
                # A modified session is saved with a new expiry date.
                sessione[SESSIONE_ATTIVITA] = ora
        return self.get_response(request)


class SecondoFattoreMiddleware:
    """An administrator (or a user who enrolled an authenticator) reaches no page
    but the login ones until the session is verified with a TOTP code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        utente = request.user
        if not utente.is_authenticated or not secondo_fattore_richiesto(request):
            return None
        if utente.is_verified():
            return None
        if request.resolver_match.view_name in VISTE_SENZA_SECONDO_FATTORE:
            return None
        parametri = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('sicurezza:verifica')}?{parametri}")


class NoStoreMiddleware:
    """Pages seen by a logged-in user hold personal data: no cache (browser,
    proxy) may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        utente = getattr(request, "user", None)
        if utente is not None and utente.is_authenticated:
            add_never_cache_headers(response)
        return response
