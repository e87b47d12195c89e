"""What every public (anonymous) endpoint shares: a per-address request limit and
HTTP caching of published artifacts.

The limit counts requests per client address (read as the login lockouts read
it, behind ``PIANOCASA_PROXY_NUMERO`` proxies) in fixed windows, in the cache
alias ``limiti``: in production a table of the database (``createcachetable``, run
by ``bin/serve``), so every app server counts the same requests without new
infrastructure; in development and tests the process's memory. The count is not
atomic across servers (Django's database cache reads then writes): a burst may
slip a few requests past the limit, which is harmless for its purpose, keeping
one visitor from saturating the server.

Published artifacts never change (a correction is a new publication), so their
responses carry an ETag from the stored hash and ``Cache-Control: public``: a
browser or a proxy asks again with ``If-None-Match`` and gets 304 without a body.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from pianocasa.sicurezza.services import indirizzo_client


def _limite() -> tuple[int, int]:
    """(requests, seconds) from ``PIANOCASA_LIMITE_PUBBLICO`` ("120/60")."""
    richieste, _barra, secondi = settings.PIANOCASA_LIMITE_PUBBLICO.partition("/")
    return int(richieste), int(secondi or 60)


def oltre_il_limite(request: HttpRequest) -> int:
    """0 if the request is within the limit, else the seconds to wait."""
    richieste, secondi = _limite()
    if richieste <= 0:
        return 0
    adesso = int(time.time())
    finestra = adesso // secondi
    indirizzo = indirizzo_client(request) or "sconosciuto"
    chiave = f"pubblico:{indirizzo}:{finestra}"
    cache = caches["limiti"]
    # add() is a no-op when the key exists: the first request of a window sets it.
    cache.add(chiave, 0, timeout=secondi + 1)
    try:
        contate = cache.incr(chiave)
    except ValueError:  # expired between add and incr: a new window
        cache.set(chiave, 1, timeout=secondi + 1)
        contate = 1
    if contate > richieste:
        return (finestra + 1) * secondi - adesso or 1
    return 0


def limite_pubblico(vista: Callable) -> Callable:
    """Refuses, with 429 and an Italian page, an address that passed the limit."""

    @wraps(vista)
    def limitata(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        attesa = oltre_il_limite(request)
        if attesa:
            risposta = HttpResponse(
                render_to_string("429.html", {"attesa": attesa}, request=request),
                status=429,
            )
            risposta["Retry-After"] = str(attesa)
            return risposta
        return vista(request, *args, **kwargs)

    return limitata


def pubblicato(
    etag: Callable[..., str | None] | None = None, *, max_age: int | None = None
) -> Callable[[Callable], Callable]:
    """A published artifact: ETag from ``etag(request, *args, **kwargs)`` (a
    stored hash; None when the artifact does not exist: the view answers 404),
    304 on ``If-None-Match``, cacheable by browsers and proxies for ``max_age``
    seconds, then revalidated. Without ``etag`` only the caching headers."""
    durata = settings.PIANOCASA_CACHE_PUBBLICO if max_age is None else max_age

    def decoratore(vista: Callable) -> Callable:
        condizionata = condition(etag_func=etag)(vista) if etag else vista

        @wraps(vista)
        def con_cache(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            risposta = condizionata(request, *args, **kwargs)
            if risposta.status_code in (200, 304):
                # A logged-in user's page carries their name in the header: only
                # their own browser may keep it.
                anonimo = not request.user.is_authenticated
                patch_cache_control(
                    risposta, public=anonimo, private=not anonimo, max_age=durata
                )
                patch_vary_headers(risposta, ["Cookie", "Accept-Language"])
            return risposta

        return con_cache

    return decoratore


def file_conservato(
    oggetto, campo: str, tipo: str, nome: str, *, mancante: str = ""
) -> FileResponse:
    """A stored document (``oggetto.<campo>``, hash in ``oggetto.sha256_<campo>``)
    as it was stored: never rendered again. The SHA-256 goes in a header, so
    anyone can check the download against the published one."""
    file = getattr(oggetto, campo)
    try:
        contenuto = file.storage.open(file.name, "rb")
    except FileNotFoundError as errore:
        raise Http404(mancante) from errore
    risposta = FileResponse(contenuto, content_type=tipo, filename=nome)
    risposta["Content-Disposition"] = f'inline; filename="{nome}"'
    risposta["X-Content-SHA256"] = getattr(oggetto, f"sha256_{campo}")
    return risposta
