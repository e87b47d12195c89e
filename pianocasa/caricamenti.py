"""Upload troppo grandi rifiutati prima di leggerli tutti.

Django legge il corpo di una richiesta a blocchi (64 KB) e il controllo della
dimensione nei form arriva solo dopo: un corpo di 150 MB veniva letto e scritto su
disco per intero. Qui due argini, con lo stesso limite di ogni importazione
(``PIANOCASA_MAX_UPLOAD_BYTES``):

- ``LimiteCaricamentoMiddleware`` rifiuta con 413 una richiesta che dichiara
  (Content-Length) un corpo oltre il limite, senza leggerne un byte;
- ``LimiteCaricamentoHandler`` conta i byte dei file mentre arrivano e ferma la
  lettura appena passano il limite (un Content-Length che mente, o un corpo entro il
  margine ma con file troppo grandi); il middleware risponde 413.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.utils.translation import gettext as _

# Spazio per le intestazioni multipart e i campi del form oltre al file.
MARGINE = 64 * 2**10
METODI_CON_CORPO = {"POST", "PUT", "PATCH"}


class LimiteCaricamentoHandler(FileUploadHandler):
    """Primo dei ``FILE_UPLOAD_HANDLERS``: passa i blocchi ai successivi finché il
    totale dei file della richiesta resta entro il limite."""

    ricevuti = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.ricevuti += len(raw_data)
        if self.ricevuti > settings.PIANOCASA_MAX_UPLOAD_BYTES:
            if self.request is not None:
                self.request.caricamento_troppo_grande = True
            # connection_reset: Django non legge il resto del corpo per scartarlo.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class LimiteCaricamentoMiddleware:
    """Va prima di ``CsrfViewMiddleware``, che altrimenti leggerebbe il corpo per
    cercare il token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in METODI_CON_CORPO:
            return None
        limite = settings.PIANOCASA_MAX_UPLOAD_BYTES
        try:
            dichiarati = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            dichiarati = 0
        if dichiarati > limite + MARGINE:
            return _rifiuta(request, limite)
        if request.content_type == "multipart/form-data":
            request.FILES  # noqa: B018 — legge a blocchi; il gestore ferma i file grandi
            if getattr(request, "caricamento_troppo_grande", False):
                return _rifiuta(request, limite)
        return None


def _rifiuta(request, limite: int):
    mb = f"{limite / 2**20:.1f}".replace(".", ",").removesuffix(",0")
    return render(
        request,
        "caricamento_troppo_grande.html",
        {
            "titolo": _("File troppo grande"),
            "messaggio": _(
                "Il file è troppo grande: il massimo è %(mb)s MB. Nessun dato è "
                "stato letto né salvato."
            )
            % {"mb": mb},
        },
        status=413,
    )
