"""Public pages: no login, published graduatorie only."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_GET

from ambiti.models import Ambito

from .. import services
from ..models import Bando
from .bandi import _risposta_pdf, _risposta_xlsx
from .kit import _pagina_graduatoria

# --- Public pages: no login, published graduatorie only ----------------------------


def _bando_pubblicato(slug: str, pk: int) -> Bando:
    """404 unless the bando belongs to that ambito and its graduatoria is
    published."""
    return get_object_or_404(
        Bando.objects.graduatoria_pubblicata().select_related("ambito"),
        ambito__slug=slug,
        pk=pk,
    )


@require_GET
def graduatorie_pubbliche(request, slug: str):
    """The ambito's bandi with a published graduatoria."""
    ambito = get_object_or_404(Ambito, slug=slug)
    bandi = list(
        Bando.objects.graduatoria_pubblicata()
        .con_conteggi()
        .filter(ambito=ambito)
        .order_by("-data_pubblicazione", "-pk")
    )
    return render(
        request,
        "pubblico/graduatorie.html",
        {
            "ambito": ambito,
            "bandi": bandi,
            "titolo": _g("Graduatorie del sostegno all'affitto – %(ambito)s")
            % {"ambito": ambito},
        },
    )


@require_GET
def graduatoria_pubblica(request, slug: str, pk: int):
    """One published graduatoria as a page: the same five columns as the files."""
    bando = _bando_pubblicato(slug, pk)
    righe = services.graduatoria_pubblica(bando=bando)
    # Citizens look for their own protocol number (?q=, part of it is enough).
    q = request.GET.get("q", "").strip()[:60]
    if q:
        righe = [r for r in righe if q.casefold() in r.protocollo.casefold()]
    return render(
        request,
        "pubblico/graduatoria.html",
        {
            "ambito": bando.ambito,
            "bando": bando,
            "q": q,
            **_pagina_graduatoria(request, righe),
            "titolo": _g("Graduatoria – %(bando)s") % {"bando": bando},
        },
    )


@require_GET
def graduatoria_pubblica_pdf(request, slug: str, pk: int):
    return _risposta_pdf(_bando_pubblicato(slug, pk))


@require_GET
def graduatoria_pubblica_xlsx(request, slug: str, pk: int):
    return _risposta_xlsx(_bando_pubblicato(slug, pk))
