"""A new plan from the browser, and the plan's own narrative: sections and strategy
paragraphs that staff add, retitle, reorder and delete.

Thin shells over ``piani.services`` (``piano_crea``, ``sezione_*``,
``sottosezione_*``) and ``piani.impaginazioni``; scoped through ``ambiti.permessi``:
another ambito's objects are 404, read-only users get 403 on every write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ambiti.models import Ambito
from ambiti.permessi import ambiti_visibili, get_object_for_user, puo_modificare
from misure.models import Bando

from .. import services
from ..forms import StileMixin
from ..impaginazioni import modello_proposto, normativa_avviso, normativa_proposta
from ..models import (
    ModelloDocumento,
    PianoAnnuale,
    PianoCongelato,
    Sezione,
    SottosezioneStrategie,
    VersioneNormativa,
)

# --- A new plan ---------------------------------------------------------------------


class PianoNuovoForm(StileMixin, forms.Form):
    anno = forms.IntegerField(
        label=_("Anno del piano"),
        min_value=2017,
        max_value=2100,
        # A plain number: 2026, never «2.026».
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    normativa = forms.ModelChoiceField(
        label=_("Versione normativa"),
        queryset=VersioneNormativa.objects.order_by("-in_vigore_dal"),
        empty_label=None,
        help_text=_(
            "Proposta: quella in vigore il 1° gennaio dell'anno del piano. Se se ne "
            "sceglie un'altra il piano si crea comunque, con un avviso."
        ),
    )
    modello = forms.ModelChoiceField(
        label=_("Impaginazione del documento"),
        queryset=ModelloDocumento.objects.order_by("ordine", "codice"),
        empty_label=None,
        help_text=_(
            "Lettere e struttura del documento. Proposta: quella del piano dell'anno "
            "precedente, se c'è."
        ),
    )


def _ambito_modificabile(request: HttpRequest, slug: str) -> Ambito:
    """404 for an ambito the user cannot see, 403 if only read-only."""
    ambito = ambiti_visibili(request.user).filter(slug=slug).first()
    if ambito is None:
        raise Http404
    if not puo_modificare(request.user, ambito):
        raise PermissionDenied
    return ambito


@login_required
def piano_create(request: HttpRequest, slug: str) -> HttpResponse:
    ambito = _ambito_modificabile(request, slug)
    ultimo = ambito.piani.order_by("-anno").values_list("anno", flat=True).first()
    if request.method == "POST":
        form = PianoNuovoForm(request.POST)
        if form.is_valid():
            dati = form.cleaned_data
            try:
                piano = services.piano_crea(
                    ambito=ambito,
                    anno=dati["anno"],
                    normativa=dati["normativa"],
                    modello=dati["modello"],
                    utente=request.user,
                )
            except ValidationError as errore:
                form.add_error("anno", errore)
            else:
                avviso = normativa_avviso(anno=piano.anno, normativa=piano.normativa)
                if avviso:
                    messages.warning(request, avviso)
                messages.success(
                    request,
                    _g("Creata la bozza del piano %(anno)s.") % {"anno": piano.anno},
                )
                return redirect("piani:piano_detail", pk=piano.pk)
    else:
        # «Proponi» sends the year back by GET: the form then proposes its version.
        richiesto = request.GET.get("anno", "")
        if richiesto.isdigit() and 2017 <= int(richiesto) <= 2100:
            anno = int(richiesto)
        else:
            # Plans are drawn up in the autumn for the year after.
            anno = ultimo + 1 if ultimo else timezone.localdate().year + 1
        normativa = normativa_proposta(anno=anno)
        form = PianoNuovoForm(
            initial={
                "anno": anno,
                "normativa": normativa,
                "modello": modello_proposto(
                    ambito=ambito, anno=anno, normativa=normativa
                ),
            }
        )
    proposte = [
        {"anno": v.in_vigore_dal.year, "normativa": v}
        for v in VersioneNormativa.objects.order_by("in_vigore_dal")
    ]
    return render(
        request,
        "piani/piano_nuovo.html",
        {
            "ambito": ambito,
            "form": form,
            "proposte": proposte,
            "titolo": _g("Nuovo piano – %(ambito)s") % {"ambito": ambito},
        },
    )


# --- Sections and strategy paragraphs -----------------------------------------------


class SezioneNuovaForm(StileMixin, forms.ModelForm):
    class Meta:
        model = Sezione
        fields = ["titolo", "testo"]
        widgets = {"testo": forms.Textarea(attrs={"rows": 12})}

    def clean_titolo(self) -> str:
        titolo = self.cleaned_data["titolo"].strip()
        if not titolo:
            raise ValidationError(_("Il titolo della nuova sezione è obbligatorio."))
        return titolo


class SottosezioneForm(StileMixin, forms.ModelForm):
    class Meta:
        model = SottosezioneStrategie
        fields = ["titolo", "bando", "testo"]
        widgets = {
            "titolo": forms.TextInput(),
            "testo": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, piano: PianoAnnuale, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the ambito's own bandi.
        self.fields["bando"].queryset = Bando.objects.filter(
            ambito_id=piano.ambito_id
        ).order_by("-data_pubblicazione", "titolo")
        self.fields["bando"].required = False


def _piano(request: HttpRequest, pk: int, *, scrittura: bool = False) -> PianoAnnuale:
    return get_object_for_user(
        request.user,
        PianoAnnuale.objects.select_related("ambito", "normativa", "modello"),
        scrittura=scrittura,
        pk=pk,
    )


def _url_narrativa(piano: PianoAnnuale) -> str:
    return reverse("piani:narrativa", args=[piano.pk])


@login_required
def narrativa(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's sections and strategy paragraphs in document order, with the
    actions (for staff, while the plan is not frozen)."""
    piano = get_object_for_user(
        request.user,
        PianoAnnuale.objects.select_related(
            "ambito", "normativa", "modello"
        ).prefetch_related(
            Prefetch("sezioni", queryset=Sezione.objects.order_by("ordine", "pk")),
            Prefetch(
                "sottosezioni_strategie",
                queryset=SottosezioneStrategie.objects.select_related("bando").order_by(
                    "ordine", "pk"
                ),
            ),
        ),
        pk=pk,
    )
    impaginazione = piano.impaginazione
    collocate = set(impaginazione.chiavi if impaginazione else [])
    sezioni = list(piano.sezioni.all())
    for sezione in sezioni:
        sezione.collocata = sezione.chiave in collocate
    return render(
        request,
        "piani/narrativa.html",
        {
            "piano": piano,
            "impaginazione": impaginazione,
            "sezioni": sezioni,
            "sottosezioni": list(piano.sottosezioni_strategie.all()),
            "puo_modificare": puo_modificare(request.user, piano.ambito)
            and piano.modificabile,
            "titolo": _g("Testi del piano %(anno)s") % {"anno": piano.anno},
        },
    )


def _form_pagina(
    request: HttpRequest,
    *,
    piano: PianoAnnuale,
    form: forms.Form,
    titolo: str,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "generic/object_form.html",
        {
            "piano": piano,
            "form": form,
            "titolo": titolo,
            "congelato": not piano.modificabile,
            "url_annulla": _url_narrativa(piano),
        },
        status=status,
    )


@login_required
def sezione_create(request: HttpRequest, pk: int) -> HttpResponse:
    piano = _piano(request, pk, scrittura=True)
    form = SezioneNuovaForm(request.POST or None)
    titolo = _g("Nuova sezione – piano %(anno)s") % {"anno": piano.anno}
    if request.method == "POST" and form.is_valid():
        try:
            services.sezione_crea(
                piano=piano,
                titolo=form.cleaned_data["titolo"],
                testo=form.cleaned_data["testo"],
                utente=request.user,
            )
        except PianoCongelato as errore:
            form.add_error(None, str(errore))
            return _form_pagina(
                request, piano=piano, form=form, titolo=titolo, status=409
            )
        messages.success(request, _g("Sezione aggiunta in fondo al piano."))
        return redirect(_url_narrativa(piano))
    return _form_pagina(request, piano=piano, form=form, titolo=titolo)


def _sezione(request: HttpRequest, pk: int) -> Sezione:
    return get_object_for_user(
        request.user,
        Sezione.objects.select_related("piano__ambito", "piano__normativa"),
        "piano__ambito",
        scrittura=True,
        pk=pk,
    )


def _sottosezione(request: HttpRequest, pk: int) -> SottosezioneStrategie:
    return get_object_for_user(
        request.user,
        SottosezioneStrategie.objects.select_related("piano__ambito"),
        "piano__ambito",
        scrittura=True,
        pk=pk,
    )


def _esegui(request: HttpRequest, piano: PianoAnnuale, azione, messaggio: str):
    try:
        azione()
    except PianoCongelato as errore:
        messages.error(request, str(errore))
    else:
        messages.success(request, messaggio)
    return redirect(_url_narrativa(piano))


@login_required
@require_POST
def sezione_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sezione = _sezione(request, pk)
    return _esegui(
        request,
        sezione.piano,
        lambda: services.sezione_elimina(sezione=sezione, utente=request.user),
        _g("Sezione «%(titolo)s» eliminata.") % {"titolo": sezione},
    )


@login_required
@require_POST
def sezione_sposta(request: HttpRequest, pk: int) -> HttpResponse:
    sezione = _sezione(request, pk)
    su = request.POST.get("direzione") == "su"
    return _esegui(
        request,
        sezione.piano,
        lambda: services.sezione_sposta(sezione=sezione, su=su, utente=request.user),
        _g("Ordine delle sezioni aggiornato."),
    )


@login_required
def sottosezione_create(request: HttpRequest, pk: int) -> HttpResponse:
    piano = _piano(request, pk, scrittura=True)
    form = SottosezioneForm(request.POST or None, piano=piano)
    titolo = _g("Nuovo paragrafo delle strategie – piano %(anno)s") % {
        "anno": piano.anno
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.sottosezione_crea(
                piano=piano, dati=form.cleaned_data, utente=request.user
            )
        except PianoCongelato as errore:
            form.add_error(None, str(errore))
            return _form_pagina(
                request, piano=piano, form=form, titolo=titolo, status=409
            )
        messages.success(request, _g("Paragrafo aggiunto in fondo alle strategie."))
        return redirect(_url_narrativa(piano))
    return _form_pagina(request, piano=piano, form=form, titolo=titolo)


@login_required
def sottosezione_update(request: HttpRequest, pk: int) -> HttpResponse:
    sottosezione = _sottosezione(request, pk)
    piano = sottosezione.piano
    form = SottosezioneForm(request.POST or None, instance=sottosezione, piano=piano)
    titolo = _g("Paragrafo «%(titolo)s»") % {"titolo": sottosezione}
    if request.method == "POST" and form.is_valid():
        try:
            services.sottosezione_aggiorna(
                sottosezione=sottosezione, dati=form.cleaned_data, utente=request.user
            )
        except PianoCongelato as errore:
            form.add_error(None, str(errore))
            return _form_pagina(
                request, piano=piano, form=form, titolo=titolo, status=409
            )
        messages.success(request, _g("Paragrafo salvato."))
        return redirect(_url_narrativa(piano))
    return _form_pagina(request, piano=piano, form=form, titolo=titolo)


@login_required
@require_POST
def sottosezione_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sottosezione = _sottosezione(request, pk)
    return _esegui(
        request,
        sottosezione.piano,
        lambda: services.sottosezione_elimina(
            sottosezione=sottosezione, utente=request.user
        ),
        _g("Paragrafo «%(titolo)s» eliminato.") % {"titolo": sottosezione},
    )


@login_required
@require_POST
def sottosezione_sposta(request: HttpRequest, pk: int) -> HttpResponse:
    sottosezione = _sottosezione(request, pk)
    su = request.POST.get("direzione") == "su"
    return _esegui(
        request,
        sottosezione.piano,
        lambda: services.sottosezione_sposta(
            sottosezione=sottosezione, su=su, utente=request.user
        ),
        _g("Ordine dei paragrafi aggiornato."),
    )
