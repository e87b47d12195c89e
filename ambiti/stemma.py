"""The ambito's emblem for the plan's cover: an uploaded PNG or SVG, checked and
cleaned before it is stored as a data URI (nothing of it is fetched or run).

SVG is parsed with defusedxml (no entities, no external DTD) and stripped of
scripts, foreign objects, event handlers and every reference that is not internal
(``#id``); PNG is accepted only with its signature. Both have a size limit.
"""

from __future__ import annotations

import base64
import re

from defusedxml import ElementTree as SicuroET
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DIMENSIONE_MASSIMA = 200 * 1024  # bytes
FIRMA_PNG = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
# Elements that run code, embed other documents or animate attributes.
_VIETATI = {"script", "foreignObject", "iframe", "object", "embed", "set", "animate"}
_URL_ESTERNO = re.compile(r"url\(\s*['\"]?(?!#)", re.IGNORECASE)


def _nome_locale(nome: str) -> str:
    return nome.rsplit("}", 1)[-1]


def _svg_pulito(contenuto: bytes) -> bytes:
    try:
        radice = SicuroET.fromstring(contenuto)
    except Exception as errore:  # defusedxml and expat raise several kinds
        raise ValidationError(
            _("Stemma: il file SVG non è leggibile (%(errore)s).")
            % {"errore": errore.__class__.__name__}
        ) from errore
    if _nome_locale(radice.tag) != "svg":
        raise ValidationError(_("Stemma: il file non è un'immagine SVG."))
    genitori = {figlio: padre for padre in radice.iter() for figlio in padre}
    for elemento in list(radice.iter()):
        if _nome_locale(elemento.tag) in _VIETATI and elemento in genitori:
            genitori[elemento].remove(elemento)
            continue
        for attributo in list(elemento.attrib):
            nome = _nome_locale(attributo).lower()
            valore = elemento.attrib[attributo].strip()
            esterno = nome == "href" and not valore.startswith("#")
            if nome.startswith("on") or esterno or _URL_ESTERNO.search(valore):
                del elemento.attrib[attributo]
        if _nome_locale(elemento.tag) == "style" and elemento.text:
            if _URL_ESTERNO.search(elemento.text) or "@import" in elemento.text:
                elemento.text = ""
    from xml.etree import ElementTree

    ElementTree.register_namespace("", SVG_NS)
    return ElementTree.tostring(radice, encoding="utf-8")


def stemma_sanifica(*, contenuto: bytes, nome_file: str) -> str:
    """The emblem as a data URI, cleaned; ValidationError with an Italian message
    naming the field when the file is too big or not a PNG or SVG."""
    if len(contenuto) > DIMENSIONE_MASSIMA:
        raise ValidationError(
            _("Stemma: il file pesa %(kb)d kB, il massimo è %(max)d kB.")
            % {"kb": len(contenuto) // 1024, "max": DIMENSIONE_MASSIMA // 1024}
        )
    if contenuto.startswith(FIRMA_PNG):
        tipo, dati = "image/png", contenuto
    elif nome_file.lower().endswith(".svg") or contenuto.lstrip().startswith(
        (b"<?xml", b"<svg")
    ):
        tipo, dati = "image/svg+xml", _svg_pulito(contenuto)
    else:
        raise ValidationError(_("Stemma: sono ammessi solo file PNG o SVG."))
    return f"data:{tipo};base64,{base64.b64encode(dati).decode('ascii')}"
