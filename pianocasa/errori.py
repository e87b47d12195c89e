"""Error pages in the site's layout and in Italian (handler400/403/404/500).

Django's defaults would pick the theme's demo 404/500 (bootstrap_italia_template
ships them); ours live in templates/ and come first in TEMPLATES["DIRS"].
"""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def _pagina(request: HttpRequest, *, modello: str, stato: int) -> HttpResponse:
    return HttpResponse(loader.render_to_string(modello, {}, request), status=stato)


@requires_csrf_token
def errore_400(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _pagina(request, modello="400.html", stato=400)


@requires_csrf_token
def errore_403(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _pagina(request, modello="403.html", stato=403)


@requires_csrf_token
def errore_404(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _pagina(request, modello="404.html", stato=404)


def errore_500(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: the failure may be the database itself.
    return HttpResponse(loader.get_template("500.html").render({}), status=500)
