"""The reviewers' observations on a draft: one page per plan with the list, the
form to write one (anyone who may read the plan, reviewers included) and the
staff's answers. Thin over ``piani.osservazioni``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ambiti.permessi import get_object_for_user, puo_modificare

from ..forms import StileMixin
from ..models import Osservazione, PianoAnnuale, PianoCongelato
from ..osservazioni import (
    osservazione_crea,
    osservazione_riapri,
    osservazione_rispondi,
    osservazioni_del_piano,
)
from .kit import StoriaView

PIANO_INTERO = "piano"


class OsservazioneForm(StileMixin, forms.Form):
    riferimento = forms.ChoiceField(label=_("Riferita a"))
    testo = forms.CharField(
        label=_("Osservazione"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Scrivere il testo dell'osservazione.")},
    )

    def __init__(self, *args, piano: PianoAnnuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.piano = piano
        self.sezioni = {str(s.pk): s for s in piano.sezioni.order_by("ordine", "pk")}
        self.righe = {
            str(c.pk): c
            for c in piano.comunicazioni.select_related("ente").order_by(
                "ente__denominazione"
            )
        }
        self.fields["riferimento"].choices = [
            (PIANO_INTERO, _g("Il piano nel suo insieme")),
            (
                _g("Sezioni"),
                [(f"sezione:{pk}", str(s)) for pk, s in self.sezioni.items()],
            ),
            (
                _g("Dati degli enti"),
                [(f"riga:{pk}", str(c.ente)) for pk, c in self.righe.items()],
            ),
        ]

    def oggetto(self) -> dict:
        """The section or ente's row chosen, as keyword arguments."""
        tipo, _sep, pk = self.cleaned_data["riferimento"].partition(":")
        if tipo == "sezione":
            return {"sezione": self.sezioni[pk]}
        if tipo == "riga":
            return {"comunicazione": self.righe[pk]}
        return {}


class RispostaForm(StileMixin, forms.Form):
    risposta = forms.CharField(
        label=_("Risposta dell'ufficio"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    chiudi = forms.BooleanField(
        label=_("Segna come affrontata"), required=False, initial=True
    )


def _piano(request, pk: int) -> PianoAnnuale:
    return get_object_for_user(
        request.user, PianoAnnuale.objects.select_related("ambito"), pk=pk
    )


def _iniziale(request, piano: PianoAnnuale) -> dict:
    """The section or row the link came from (?sezione=… / ?riga=…)."""
    for chiave, prefisso in (("sezione", "sezione"), ("riga", "riga")):
        valore = request.GET.get(chiave, "")
        if valore.isdigit():
            return {"riferimento": f"{prefisso}:{valore}"}
    return {}


@login_required
def osservazioni(request, pk: int):
    """GET: the list and the form; POST: a new observation."""
    piano = _piano(request, pk)
    form = OsservazioneForm(
        request.POST or None, piano=piano, initial=_iniziale(request, piano)
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            osservazione_crea(
                piano=piano,
                utente=request.user,
                testo=form.cleaned_data["testo"],
                **form.oggetto(),
            )
        except ValidationError as errore:
            form.add_error(None, errore)
        except PianoCongelato as errore:
            form.add_error(None, str(errore))
            status = 409
        else:
            messages.success(request, _g("Osservazione registrata."))
            return redirect("piani:osservazioni", pk=piano.pk)
    modificabile = puo_modificare(request.user, piano.ambito)
    elenco = osservazioni_del_piano(piano)
    contesto = {
        "piano": piano,
        "titolo": _g("Osservazioni dei revisori"),
        "osservazioni": elenco,
        "aperte": sum(1 for o in elenco if o.aperta),
        "form": form,
        "puo_osservare": piano.modificabile,
        "puo_rispondere": modificabile and piano.modificabile,
        "form_risposta": RispostaForm(),
    }
    return render(request, "piani/osservazioni.html", contesto, status=status)


def _osservazione_dello_staff(request, pk: int) -> Osservazione:
    osservazione = get_object_for_user(
        request.user,
        Osservazione.objects.select_related("piano__ambito"),
        "piano__ambito",
        pk=pk,
    )
    if not puo_modificare(request.user, osservazione.piano.ambito):
        raise PermissionDenied
    return osservazione


@login_required
@require_POST
def osservazione_risposta(request, pk: int):
    """Staff's answer; a reviewer gets 403, another ambito 404."""
    osservazione = _osservazione_dello_staff(request, pk)
    form = RispostaForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_text())
        osservazione_rispondi(
            osservazione=osservazione,
            utente=request.user,
            risposta=form.cleaned_data["risposta"],
            chiudi=form.cleaned_data["chiudi"],
        )
    except ValidationError as errore:
        messages.error(request, " ".join(errore.messages))
    except PianoCongelato as errore:
        messages.error(request, str(errore))
    else:
        messages.success(request, _g("Risposta registrata."))
    return redirect(
        reverse("piani:osservazioni", args=[osservazione.piano_id])
        + f"#osservazione-{osservazione.pk}"
    )


@login_required
@require_POST
def osservazione_riapertura(request, pk: int):
    osservazione = _osservazione_dello_staff(request, pk)
    try:
        osservazione_riapri(osservazione=osservazione)
    except PianoCongelato as errore:
        messages.error(request, str(errore))
    return redirect(
        reverse("piani:osservazioni", args=[osservazione.piano_id])
        + f"#osservazione-{osservazione.pk}"
    )


class OsservazioneStoriaView(StoriaView):
    model = Osservazione
    ambito_lookup = "piano__ambito"

    def get_context_data(self, **kwargs):
        contesto = super().get_context_data(**kwargs)
        contesto["url_oggetto"] = reverse(
            "piani:osservazioni", args=[self.object.piano_id]
        )
        return contesto
