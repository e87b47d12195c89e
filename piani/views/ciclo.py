"""Views of the plan's life: state and transitions, approved versions, next year's
plan, comparison between two years, and the public page of an ambito.

Thin shells over ``piani.ciclo``: staff views scope by ambito through
``ambiti.permessi`` (404 for another ambito, 403 for read-only users on POST).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ambiti.models import Ambito
from ambiti.permessi import get_object_for_user, puo_modificare
from pianocasa.pubblico import file_conservato, limite_pubblico, pubblicato
from pianocasa.ui import DataInput

from .. import ciclo, grafici
from ..anomalie import anomalie_aperte
from ..models import PianoAnnuale, VersioneApprovata


class ApprovazioneForm(forms.Form):
    organo = forms.CharField(
        label=_("Organo che approva"),
        max_length=200,
        help_text=_("Es. «Assemblea distrettuale dei Sindaci»."),
    )
    data = forms.DateField(
        label=_("Data della seduta"),
        widget=DataInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    luogo = forms.CharField(
        label=_("Luogo della seduta"), max_length=120, help_text=_("Es. «Albino».")
    )


class RiaperturaForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo della revisione"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sarà registrato con la riapertura e con la nuova revisione."),
    )


def _piano(request: HttpRequest, pk: int, *, scrittura: bool = False) -> PianoAnnuale:
    return get_object_for_user(
        request.user,
        PianoAnnuale.objects.select_related("ambito", "normativa"),
        scrittura=scrittura,
        pk=pk,
    )


def _url_ciclo(piano: PianoAnnuale) -> str:
    return reverse("ciclo:piano_ciclo", args=[piano.pk])


def _errore(request: HttpRequest, errore: ValidationError) -> None:
    for messaggio in errore.messages:
        messages.error(request, messaggio)


@login_required
def piano_ciclo(request: HttpRequest, pk: int) -> HttpResponse:
    piano = _piano(request, pk)
    in_raccolta = piano.stato in (
        PianoAnnuale.Stato.RACCOLTA_APERTA,
        PianoAnnuale.Stato.RACCOLTA_CHIUSA,
    )
    successivo = PianoAnnuale.objects.filter(
        ambito=piano.ambito, anno=piano.anno + 1
    ).first()
    altri = PianoAnnuale.objects.filter(ambito=piano.ambito).exclude(pk=piano.pk)
    contesto = {
        "piano": piano,
        "titolo": _g("Stato e approvazione del piano %(anno)d") % {"anno": piano.anno},
        "modificabile": puo_modificare(request.user, piano.ambito),
        "passaggi": {p.azione for p in ciclo.passaggi_possibili(piano, request.user)},
        "transizioni": piano.transizioni.select_related("utente").order_by(
            "-avvenuta_il", "-pk"
        ),
        "versioni": piano.versioni_approvate.select_related("approvata_da").order_by(
            "-revisione"
        ),
        "pubblicate": {v.revisione for v in ciclo.revisioni_pubblicate(piano)},
        "enti_mancanti": ciclo.enti_senza_comunicazione(piano) if in_raccolta else [],
        "anomalie": list(anomalie_aperte(piano)),
        "successivo": successivo,
        "altri_piani": altri.order_by("-anno"),
        "form_approva": ApprovazioneForm(
            initial={
                "organo": piano.organo_approvazione or ciclo.ORGANO_PREDEFINITO,
                "luogo": piano.luogo_approvazione,
                "data": piano.data_approvazione,
            }
        ),
        "form_riapri": RiaperturaForm(),
        "grafico_popolazione": grafici.grafico_popolazione(piano.ambito),
        "grafico_sap": grafici.grafico_patrimonio_sap(piano),
    }
    return render(request, "piani/ciclo/piano_ciclo.html", contesto)


def _esegui(request: HttpRequest, pk: int, azione) -> HttpResponse:
    piano = _piano(request, pk, scrittura=True)
    try:
        esito = azione(piano)
    except ValidationError as errore:
        _errore(request, errore)
    else:
        if isinstance(esito, str):
            messages.success(request, esito)
    return redirect(_url_ciclo(piano))


@login_required
@require_POST
def piano_apri_raccolta(request: HttpRequest, pk: int) -> HttpResponse:
    def azione(piano):
        ciclo.piano_apri_raccolta(piano=piano, utente=request.user)
        return _g("Raccolta delle comunicazioni aperta.")

    return _esegui(request, pk, azione)


@login_required
@require_POST
def piano_chiudi_raccolta(request: HttpRequest, pk: int) -> HttpResponse:
    def azione(piano):
        mancanti = ciclo.piano_chiudi_raccolta(piano=piano, utente=request.user)
        if mancanti:
            messages.warning(
                request,
                _g("Enti senza comunicazione (%(n)d): %(elenco)s.")
                % {"n": len(mancanti), "elenco": "; ".join(map(str, mancanti))},
            )
        return _g("Raccolta delle comunicazioni chiusa.")

    return _esegui(request, pk, azione)


@login_required
@require_POST
def piano_pubblica(request: HttpRequest, pk: int) -> HttpResponse:
    def azione(piano):
        ciclo.piano_pubblica(piano=piano, utente=request.user)
        return _g("Piano pubblicato: è sulla pagina pubblica dell'ambito.")

    return _esegui(request, pk, azione)


def _passaggio_con_form(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    esegui,
    nome_url: str,
    titolo: str,
    pulsante: str,
) -> HttpResponse:
    """A step that asks for data first (approval, reopening): GET goes back to the
    plan's life page, where the form is; a valid POST runs ``esegui(piano, dati)``,
    which returns the success message; otherwise the form is shown again."""
    piano = _piano(request, pk, scrittura=request.method == "POST")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            messaggio = esegui(piano, form.cleaned_data)
        except ValidationError as errore:
            _errore(request, errore)
        else:
            messages.success(request, messaggio)
            return redirect(_url_ciclo(piano))
    if request.method == "GET":
        return redirect(_url_ciclo(piano))
    return render(
        request,
        "piani/ciclo/piano_form.html",
        {
            "piano": piano,
            "form": form,
            "titolo": titolo % {"anno": piano.anno},
            "azione": reverse(nome_url, args=[piano.pk]),
            "pulsante": pulsante,
        },
    )


@login_required
def piano_approva(request: HttpRequest, pk: int) -> HttpResponse:
    def esegui(piano, dati):
        versione = ciclo.piano_approva(piano=piano, utente=request.user, **dati)
        return _g("Approvazione registrata: revisione %(n)d, documento congelato.") % {
            "n": versione.revisione
        }

    return _passaggio_con_form(
        request,
        pk,
        form_class=ApprovazioneForm,
        esegui=esegui,
        nome_url="ciclo:piano_approva",
        titolo=_g("Registra l'approvazione del piano %(anno)d"),
        pulsante=_g("Registra l'approvazione"),
    )


@login_required
def piano_riapri(request: HttpRequest, pk: int) -> HttpResponse:
    def esegui(piano, dati):
        ciclo.piano_riapri(piano=piano, utente=request.user, motivo=dati["motivo"])
        return _g(
            "Piano riaperto: la prossima approvazione sarà la revisione "
            "%(n)d. Le versioni approvate restano scaricabili."
        ) % {"n": piano.revisione + 1}

    return _passaggio_con_form(
        request,
        pk,
        form_class=RiaperturaForm,
        esegui=esegui,
        nome_url="ciclo:piano_riapri",
        titolo=_g("Riapri il piano %(anno)d per una revisione"),
        pulsante=_g("Riapri il piano"),
    )


@login_required
@require_POST
def piano_crea_successivo(request: HttpRequest, pk: int) -> HttpResponse:
    piano = _piano(request, pk, scrittura=True)
    try:
        nuovo = ciclo.piano_successivo(piano=piano, utente=request.user)
    except ValidationError as errore:
        _errore(request, errore)
        return redirect(_url_ciclo(piano))
    messages.success(
        request,
        _g(
            "Creata la bozza del piano %(anno)d: consistenza e stato del patrimonio "
            "riportati dal %(prima)d, da confermare."
        )
        % {"anno": nuovo.anno, "prima": piano.anno},
    )
    return redirect(_url_ciclo(nuovo))


def _risposta_file(versione: VersioneApprovata, campo: str, tipo: str, nome: str):
    return file_conservato(
        versione,
        campo,
        tipo,
        nome,
        mancante=_g("Il file della versione approvata non è disponibile."),
    )


def _nome_file(versione: VersioneApprovata, estensione: str) -> str:
    piano = versione.piano
    return (
        f"piano-{piano.ambito.slug}-{piano.anno}-rev{versione.revisione}.{estensione}"
    )


@login_required
def versione_pdf(request: HttpRequest, pk: int, revisione: int) -> HttpResponse:
    piano = _piano(request, pk)
    versione = get_object_or_404(piano.versioni_approvate, revisione=revisione)
    return _risposta_file(
        versione, "pdf", "application/pdf", _nome_file(versione, "pdf")
    )


@login_required
def versione_istantanea(request: HttpRequest, pk: int, revisione: int) -> HttpResponse:
    piano = _piano(request, pk)
    versione = get_object_or_404(piano.versioni_approvate, revisione=revisione)
    return _risposta_file(
        versione, "istantanea", "application/json", _nome_file(versione, "json")
    )


@login_required
def piano_confronto(request: HttpRequest, pk: int) -> HttpResponse:
    piano = _piano(request, pk)
    altri = PianoAnnuale.objects.filter(ambito=piano.ambito).exclude(pk=piano.pk)
    altro = None
    scelto = request.GET.get("con", "")
    if scelto.isdigit():
        altro = altri.filter(pk=int(scelto)).first()
    if altro is None:
        altro = (
            altri.filter(anno__lt=piano.anno).order_by("-anno").first()
            or altri.order_by("anno").first()
        )
    confronto = ciclo.piani_confronta(prima=altro, dopo=piano) if altro else None
    contesto = {
        "piano": piano,
        "altro": altro,
        "altri_piani": altri.order_by("-anno"),
        "confronto": confronto,
        "titolo": _g("Confronto tra piani – %(ambito)s") % {"ambito": piano.ambito},
    }
    if confronto:
        contesto["grafici_sap"] = [
            grafici.grafico_patrimonio_sap(confronto.prima),
            grafici.grafico_patrimonio_sap(confronto.dopo),
        ]
        contesto["grafico_popolazione"] = grafici.grafico_popolazione(piano.ambito)
    return render(request, "piani/ciclo/piano_confronto.html", contesto)


# --- Public pages: no login ----------------------------------------------------


def _url_graduatorie(ambito: Ambito) -> str:
    """The ambito's public rent-support graduatorie, when at least one is
    published (one query, however many bandi)."""
    from misure.models import Bando

    if not Bando.objects.graduatoria_pubblicata().filter(ambito=ambito).exists():
        return ""
    return reverse("misure:graduatorie_pubbliche", args=[ambito.slug])


@limite_pubblico
@pubblicato()
def pubblico_ambito(request: HttpRequest, slug: str) -> HttpResponse:
    ambito = get_object_or_404(Ambito, slug=slug)
    piani = []
    elenco = list(ambito.piani.order_by("-anno"))
    per_piano = ciclo.revisioni_pubblicate_per_piano(elenco)
    for piano in elenco:
        pubblicate = per_piano[piano.pk]
        if pubblicate:
            piani.append({"piano": piano, "versioni": list(reversed(pubblicate))})
    return render(
        request,
        "pubblico/ambito.html",
        {
            "ambito": ambito,
            "piani": piani,
            "url_graduatorie": _url_graduatorie(ambito),
            "titolo": _g("Piani annuali dell'offerta abitativa – %(ambito)s")
            % {"ambito": ambito},
        },
    )


def _versione_pubblicata(slug: str, anno: int, revisione: int):
    piano = get_object_or_404(PianoAnnuale, ambito__slug=slug, anno=anno)
    for versione in ciclo.revisioni_pubblicate(piano):
        if versione.revisione == revisione:
            return versione
    # Approved but never published revisions are not public.
    raise Http404


def _etag_pdf_pubblico(request, slug: str, anno: int, revisione: int) -> str:
    return _versione_pubblicata(slug, anno, revisione).sha256_pdf


@limite_pubblico
@pubblicato(_etag_pdf_pubblico)
def pubblico_pdf(
    request: HttpRequest, slug: str, anno: int, revisione: int
) -> HttpResponse:
    """The published PDF as stored at approval: never rendered for a visitor."""
    versione = _versione_pubblicata(slug, anno, revisione)
    return _risposta_file(
        versione, "pdf", "application/pdf", _nome_file(versione, "pdf")
    )
