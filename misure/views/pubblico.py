"""Public pages: no login, published graduatorie only."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _g
from django.views.decorators.http import require_GET

from ambiti.models import Ambito
from pianocasa.pubblico import file_conservato, limite_pubblico, pubblicato

from .. import services
from ..models import Bando
from .bandi import TIPO_XLSX
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


def _pubblicazione(slug: str, pk: int):
    """The frozen publication citizens see (404 if none)."""
    pubblicazione = services.pubblicazione_corrente(_bando_pubblicato(slug, pk))
    if pubblicazione is None:
        raise Http404
    return pubblicazione


def _etag(campo: str):
    def etag(request, slug: str, pk: int) -> str | None:
        try:
            return getattr(_pubblicazione(slug, pk), f"sha256_{campo}")
        except Http404:
            return None

    return etag


@require_GET
@limite_pubblico
@pubblicato()
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
@limite_pubblico
@pubblicato()
def graduatoria_pubblica(request, slug: str, pk: int):
    """One published graduatoria as a page: the rows frozen at publication, the
    same five columns as the files."""
    pubblicazione = _pubblicazione(slug, pk)
    bando = pubblicazione.bando
    righe = services.righe_pubblicate(pubblicazione)
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
            "pubblicazione": pubblicazione,
            "q": q,
            **_pagina_graduatoria(request, righe),
            "titolo": _g("Graduatoria – %(bando)s") % {"bando": bando},
        },
    )


@require_GET
@limite_pubblico
@pubblicato(_etag("pdf"))
def graduatoria_pubblica_pdf(request, slug: str, pk: int):
    """The PDF as stored at publication: never rendered for a visitor."""
    pubblicazione = _pubblicazione(slug, pk)
    return file_conservato(
        pubblicazione, "pdf", "application/pdf", f"graduatoria-{pk}.pdf"
    )


@require_GET
@limite_pubblico
@pubblicato(_etag("xlsx"))
def graduatoria_pubblica_xlsx(request, slug: str, pk: int):
    pubblicazione = _pubblicazione(slug, pk)
    return file_conservato(pubblicazione, "xlsx", TIPO_XLSX, f"graduatoria-{pk}.xlsx")
