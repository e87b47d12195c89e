"""Pieces shared by the rent-support pages: login for function views, the bando scoped
to the user, the graduatoria's pages."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect

from ambiti.permessi import (
    get_object_for_user,
)

from .. import services
from ..models import Bando


def _login_richiesto(vista):
    """For function views: anonymous users go to the login page."""

    def avvolta(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return vista(request, *args, **kwargs)

    avvolta.__name__ = vista.__name__
    avvolta.__doc__ = vista.__doc__
    return avvolta


# The graduatoria on a page: 500 rows at a time (a regional bando has tens of
# thousands, 20 s to render whole); the PDF and XLSX hold it all.
RIGHE_PER_PAGINA = 500


def _pagina_graduatoria(request, righe: list) -> dict:
    pagina = Paginator(righe, RIGHE_PER_PAGINA).get_page(request.GET.get("pagina"))
    return {"righe": pagina.object_list, "pagina_graduatoria": pagina}


def pdf_graduatoria(contenuto: bytes, bando_pk: int) -> HttpResponse:
    """A graduatoria's PDF as a download, however it was composed."""
    risposta = HttpResponse(contenuto, content_type="application/pdf")
    risposta["Content-Disposition"] = (
        f'attachment; filename="graduatoria-{bando_pk}.pdf"'
    )
    return risposta


def _bando_per_utente(user, pk: int, *, scrittura: bool = False) -> Bando:
    return get_object_for_user(
        user, Bando.objects.select_related("ambito"), scrittura=scrittura, pk=pk
    )


def elaborazione_avvia_e_mostra(request, *, bando: Bando, tipo: str, **dati):
    """Queue the bando's background work and show its page; if some work of
    the bando is still running, say so and show that one."""
    try:
        elaborazione = services.elaborazione_avvia(
            bando=bando, tipo=tipo, utente=request.user, **dati
        )
    except services.ElaborazioneInCorso as errore:
        messages.error(request, str(errore))
        elaborazione = errore.elaborazione
    return HttpResponseRedirect(elaborazione.get_absolute_url())
