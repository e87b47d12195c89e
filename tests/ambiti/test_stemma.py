"""The ambito's emblem: an uploaded PNG or SVG, cleaned (no script, no event
handler, no external reference), limited in size, printed on the plan's cover."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ambiti.forms import AmbitoForm
from ambiti.models import Ambito
from ambiti.stemma import DIMENSIONE_MASSIMA, FIRMA_PNG, stemma_sanifica
from tests.piani.test_views import dati_form

SVG_OSTILE = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="40" height="40" onload="alert(1)">
  <script>alert(2)</script>
  <style>@import url(http://esempio.invalid/a.css);</style>
  <rect id="scudo" width="40" height="40" fill="#c00" onclick="alert(3)"/>
  <image xlink:href="http://esempio.invalid/x.png" width="10" height="10"/>
  <use href="#scudo"/>
  <foreignObject><p>x</p></foreignObject>
  <circle r="5" fill="url(http://esempio.invalid/p#g)"/>
</svg>"""


def _svg(data_uri: str) -> str:
    assert data_uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(data_uri.split(",", 1)[1]).decode()


def test_an_svg_is_stripped_of_scripts_handlers_and_external_references():
    pulito = _svg(stemma_sanifica(contenuto=SVG_OSTILE, nome_file="stemma.svg"))
    assert "<rect" in pulito and 'fill="#c00"' in pulito
    assert 'href="#scudo"' in pulito  # internal references stay
    for vietato in (
        "script",
        "alert",
        "onload",
        "onclick",
        "esempio.invalid",
        "foreignObject",
        "@import",
    ):
        assert vietato not in pulito, vietato


def test_a_png_is_kept_and_other_files_are_refused_with_a_clear_message():
    png = FIRMA_PNG + b"\x00" * 20
    assert stemma_sanifica(contenuto=png, nome_file="s.png").startswith(
        "data:image/png;base64,"
    )
    with pytest.raises(ValidationError, match="solo file PNG o SVG"):
        stemma_sanifica(contenuto=b"GIF89a...", nome_file="s.gif")
    with pytest.raises(ValidationError, match="il massimo è 200 kB"):
        stemma_sanifica(contenuto=png + b"0" * DIMENSIONE_MASSIMA, nome_file="s.png")
    with pytest.raises(ValidationError, match="SVG non è leggibile"):
        stemma_sanifica(
            contenuto=b'<!DOCTYPE svg [<!ENTITY x "y">]><svg>&x;</svg>',
            nome_file="s.svg",
        )


def test_staff_upload_the_emblem_and_the_cover_prints_it(client_staff_a, ambito_a):
    from piani.documento import documento_html
    from piani.models import PianoAnnuale

    dati = dati_form(AmbitoForm(instance=ambito_a))
    dati["stemma_file"] = SimpleUploadedFile(
        "stemma.svg", SVG_OSTILE, content_type="image/svg+xml"
    )
    url = reverse("ambiti:ambito_update", args=[ambito_a.slug])
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    stemma = Ambito.objects.get(pk=ambito_a.pk).stemma
    assert "alert" not in _svg(stemma)

    piano = PianoAnnuale.objects.filter(ambito=ambito_a).first()
    pagina = documento_html(piano)
    copertina = pagina[pagina.index('<header class="copertina"') :]
    assert f'<img class="stemma" src="{stemma}"' in copertina[:400_000]
    assert "alt=\"Stemma dell'ambito" in copertina


def test_a_bad_file_is_refused_and_nothing_is_saved(client_staff_a, ambito_a):
    dati = dati_form(AmbitoForm(instance=ambito_a), superficie_kmq="1.00")
    dati["stemma_file"] = SimpleUploadedFile("stemma.gif", b"GIF89a", "image/gif")
    url = reverse("ambiti:ambito_update", args=[ambito_a.slug])
    risposta = client_staff_a.post(url, dati)
    assert risposta.status_code == 200
    assert "Stemma: sono ammessi solo file PNG o SVG." in risposta.content.decode()
    ambito = Ambito.objects.get(pk=ambito_a.pk)
    assert ambito.stemma == "" and str(ambito.superficie_kmq) != "1.00"


def test_the_sindaco_cannot_upload_an_emblem(client_sindaco_a, ambito_a):
    dati = dati_form(AmbitoForm(instance=ambito_a))
    dati["stemma_file"] = SimpleUploadedFile("s.svg", SVG_OSTILE, "image/svg+xml")
    url = reverse("ambiti:ambito_update", args=[ambito_a.slug])
    assert client_sindaco_a.post(url, dati).status_code == 403
    assert Ambito.objects.get(pk=ambito_a.pk).stemma == ""
