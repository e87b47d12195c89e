"""Forms of the plan: parse and normalise input; cross-field checks are anomalie
(piani.anomalie), not form errors."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ambiti.models import Comune
from pianocasa.ui import DataInput, StileMixin  # noqa: F401 (re-exported)

from .models import (
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    Sezione,
    TotaleDichiarato,
)

# Model field → canonical content of VersioneNormativa.lettere (the printed letter).
CONTENUTO_DEI_CAMPI = {
    "alloggi_totali": "consistenza",
    "alloggi_sas": "consistenza",
    "alloggi_sap": "consistenza",
    "alloggi_altro": "consistenza",
    "assegnabili_carenza": "carenza",
    "assegnabili_ristrutturazione": "ristrutturazione",
    "assegnabili_nuova_edificazione": "nuova_edificazione",
    "assegnabili_turnover": "turn_over",
    "assegnabili_privati": "privati",
    "assegnabili_totale": "totale",
    "quota_art14": "art14",
    "categorie_art14": "art14",
    "unita_sat": "sat",
    "assegnate_anno_precedente": "assegnate_anno_precedente",
    "quota_indigenti": "indigenti",
    "categoria_ulteriore": "ulteriore_categoria",
    "motivazione_categoria": "ulteriore_categoria",
    "quota_forze_ordine": "forze_ordine",
    "quota_polizia_locale": "forze_ordine",
}


class VersioneMixin(forms.Form):
    """The record's ``versione`` as the user saw it: the save service refuses the
    save when somebody else has saved in between (optimistic locking)."""

    versione = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        istanza = getattr(self, "instance", None)
        if istanza is not None and istanza.pk:
            self.fields["versione"].initial = istanza.versione

    def dati(self) -> dict:
        """The model's fields as cleaned, without the lock token."""
        return {k: v for k, v in self.cleaned_data.items() if k != "versione"}


class LettereMixin:
    """Prefixes labels with the letter the plan's document layout prints."""

    def applica_lettere(self, piano) -> None:
        """``piano``: anything with ``lettera(contenuto)`` — the plan, whose layout
        sets the letters."""
        if piano is None:
            return
        for nome, campo in self.fields.items():
            contenuto = CONTENUTO_DEI_CAMPI.get(nome)
            if not contenuto:
                continue
            lettera = piano.lettera(contenuto)
            if lettera:
                campo.label = f"{lettera}) {campo.label}"
            else:
                campo.help_text = _("Non previsto da questa versione normativa.")


class PianoForm(StileMixin, VersioneMixin, forms.ModelForm):
    class Meta:
        model = PianoAnnuale
        fields = [
            "normativa",
            "id_piattaforma",
            "organo_approvazione",
            "data_approvazione",
            "luogo_approvazione",
            "tetto_sat",
            "data_popolazione",
        ]
        widgets = {"data_approvazione": DataInput(), "data_popolazione": DataInput()}


class FinestraForm(StileMixin, forms.ModelForm):
    class Meta:
        model = FinestraRaccolta
        fields = ["inizio", "fine"]
        widgets = {"inizio": DataInput(), "fine": DataInput()}


FinestraFormSet = inlineformset_factory(
    PianoAnnuale, FinestraRaccolta, form=FinestraForm, extra=1, can_delete=True
)


CAMPI_RICEZIONE = ["esito", "canale", "data", "protocollo", "denominazione_ricevuta"]


class ComunicazioneForm(StileMixin, LettereMixin, VersioneMixin, forms.ModelForm):
    class Meta:
        model = Comunicazione
        fields = [*CAMPI_RICEZIONE, *Comunicazione.CAMPI_DATI]
        widgets = {"data": DataInput()}

    # Field groups of the page, in order (legend, fields).
    GRUPPI = [
        (_("Ricezione"), CAMPI_RICEZIONE),
        (_("Consistenza del patrimonio"), list(Comunicazione.CAMPI_CONSISTENZA)),
        (_("Stato del patrimonio SAP"), list(Comunicazione.CAMPI_STATO_SAP)),
        (
            _("Unità assegnabili nell'anno"),
            [*Comunicazione.CAMPI_ASSEGNABILI, "assegnabili_totale"],
        ),
        (_("Riserve e altre unità"), list(Comunicazione.CAMPI_RISERVE)),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applica_lettere(self.instance.piano if self.instance.pk else None)

    def gruppi(self):
        return [(titolo, [self[n] for n in nomi]) for titolo, nomi in self.GRUPPI]

    def clean(self):
        dati = super().clean()
        if dati.get("canale") == Comunicazione.Canale.PROTOCOLLO and not dati.get(
            "esito"
        ):
            self.add_error(
                "esito",
                _("Indicare l'esito di una comunicazione ricevuta per lettera."),
            )
        return dati


class DecisioneComuneForm(StileMixin, LettereMixin, VersioneMixin, forms.ModelForm):
    class Meta:
        model = DecisioneComune
        fields = list(DecisioneComune.CAMPI_DATI)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.applica_lettere(self.instance.piano if self.instance.pk else None)


class DecisioneNuovaForm(DecisioneComuneForm):
    """A comune's decisions for a plan that has none for it yet."""

    class Meta(DecisioneComuneForm.Meta):
        fields = ["comune", *DecisioneComuneForm.Meta.fields]

    def __init__(self, *args, piano: PianoAnnuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.piano = piano
        self.applica_lettere(piano)
        del self.fields["versione"]
        self.fields["comune"].queryset = (
            Comune.objects.filter(appartenenze__ambito_id=piano.ambito_id)
            .exclude(decisioni__piano=piano)
            .order_by("nome")
        )
        self.fields["comune"].empty_label = _("Scegliere il comune")


class SezioneForm(StileMixin, VersioneMixin, forms.ModelForm):
    class Meta:
        model = Sezione
        fields = ["titolo", "testo"]
        widgets = {"testo": forms.Textarea(attrs={"rows": 16})}


class RiscontroForm(StileMixin, forms.Form):
    codice = forms.CharField(widget=forms.HiddenInput, max_length=40)
    oggetto = forms.CharField(widget=forms.HiddenInput, max_length=200)
    motivazione = forms.CharField(
        label=_("Motivazione della presa d'atto"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Scrivere la motivazione della presa d'atto.")},
    )


class TotaleDichiaratoForm(StileMixin, forms.Form):
    """An ambito-level total where the source gives no per-ente rows; an empty
    value removes the total already entered for that content."""

    contenuto = forms.ChoiceField(
        label=_("Contenuto"), choices=TotaleDichiarato.Contenuto.choices
    )
    valore = forms.IntegerField(
        label=_("Totale dell'ambito"),
        min_value=0,
        required=False,
        help_text=_("Vuoto: elimina il totale dichiarato per questo contenuto."),
    )
    nota = forms.CharField(label=_("Fonte o nota"), max_length=300, required=False)
