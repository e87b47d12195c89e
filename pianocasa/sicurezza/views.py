"""The user's own security pages: no ambito is involved, each view works on
``request.user`` only (nothing in the URL names another user)."""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pianocasa.sicurezza import services
from pianocasa.sicurezza.forms import CodiceForm

SESSIONE_CHIAVE_PROPOSTA = "pianocasa_totp_proposta"


def _prossima(request) -> str:
    prossima = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        prossima, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return prossima
    return reverse("home")


def _con_next(nome_url: str, prossima: str) -> str:
    return f"{reverse(nome_url)}?{urlencode({'next': prossima})}"


@login_required
def sicurezza(request):
    """Password and second factor of the logged-in user."""
    return render(
        request,
        "sicurezza/sicurezza.html",
        {
            "titolo": _("Sicurezza dell'account"),
            "dispositivo": services.totp_dispositivo(utente=request.user),
            "obbligatorio": services.secondo_fattore_obbligatorio(request.user),
        },
    )


@login_required
def totp_attiva(request):
    """Enrolment: a new secret as a QR code, confirmed by one code from the app.

    Replacing an existing authenticator needs a verified session: a password
    alone must not be enough to swap the second factor."""
    utente = request.user
    esistente = services.totp_dispositivo(utente=utente)
    if esistente is not None and not utente.is_verified():
        return redirect(_con_next("sicurezza:verifica", request.get_full_path()))
    chiave = request.session.get(SESSIONE_CHIAVE_PROPOSTA)
    if request.method == "POST" and chiave:
        form = CodiceForm(request.POST)
        if form.is_valid():
            try:
                dispositivo = services.totp_attiva(
                    utente=utente, chiave=chiave, codice=form.cleaned_data["codice"]
                )
            except ValidationError as errore:
                form.add_error("codice", errore)
            else:
                del request.session[SESSIONE_CHIAVE_PROPOSTA]
                services.totp_accedi(request=request, dispositivo=dispositivo)
                messages.success(request, _("Verifica in due passaggi attivata."))
                return redirect(_prossima(request))
    else:
        chiave = services.totp_chiave_nuova()
        request.session[SESSIONE_CHIAVE_PROPOSTA] = chiave
        form = CodiceForm()
    configurazione = services.totp_configurazione(utente=utente, chiave=chiave)
    return render(
        request,
        "sicurezza/totp_attiva.html",
        {
            "titolo": _("Attivare la verifica in due passaggi"),
            "form": form,
            "configurazione": configurazione,
            "sostituisce": esistente is not None,
            "obbligatorio": services.secondo_fattore_obbligatorio(utente),
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
    )


@login_required
@require_POST
def totp_disattiva(request):
    try:
        services.totp_disattiva(utente=request.user)
    except ValidationError as errore:
        messages.error(request, " ".join(errore.messages))
    else:
        request.session[services.SESSIONE_OTP_RICHIESTO] = False
        messages.success(request, _("Verifica in due passaggi disattivata."))
    return redirect("sicurezza:sicurezza")


@login_required
def verifica(request):
    """The second step of a login: the code of the enrolled authenticator.
    An administrator without one is sent to enrol it."""
    utente = request.user
    if services.totp_dispositivo(utente=utente) is None:
        if services.secondo_fattore_obbligatorio(utente):
            return redirect(_con_next("sicurezza:totp_attiva", _prossima(request)))
        return redirect(_prossima(request))
    if request.method == "POST":
        form = CodiceForm(request.POST)
        if form.is_valid():
            try:
                dispositivo = services.totp_verifica(
                    utente=utente, codice=form.cleaned_data["codice"]
                )
            except ValidationError as errore:
                form.add_error("codice", errore)
            else:
                services.totp_accedi(request=request, dispositivo=dispositivo)
                return redirect(_prossima(request))
    else:
        form = CodiceForm()
    return render(
        request,
        "sicurezza/verifica.html",
        {
            "titolo": _("Verifica in due passaggi"),
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next") or "",
        },
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset, which also lifts a lockout: whoever reads the e-mail
    proved to own the account."""

    def form_valid(self, form):
        risposta = super().form_valid(form)
        axes_reset(username=self.user.get_username())
        return risposta


def accesso_bloccato(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the Italian page,
    status 429, with the lockout's length in minutes."""
    from django.conf import settings

    return render(
        request,
        "registration/accesso_bloccato.html",
        {
            "tentativi": settings.AXES_FAILURE_LIMIT,
            "minuti": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
