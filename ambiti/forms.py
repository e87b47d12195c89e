"""Forms of the ambito: its data, sub-ambiti, the comuni's membership, population."""

from django import forms
from django.contrib.auth import password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _

from pianocasa.ui import DataInput, StileMixin

from .models import (
    Ambito,
    AmbitoComune,
    Comune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)


def _campo_https(campo, **kwargs):
    # Addresses typed without scheme are https (Django 6 default, no warning).
    if isinstance(campo, models.URLField):
        kwargs["assume_scheme"] = "https"
    return campo.formfield(**kwargs)


class AmbitoForm(StileMixin, forms.ModelForm):
    stemma_file = forms.FileField(
        label=_("Stemma (PNG o SVG, al massimo 200 kB)"),
        required=False,
        help_text=_("Stampato sulla copertina del piano."),
    )
    stemma_rimuovi = forms.BooleanField(label=_("Rimuovi lo stemma"), required=False)

    class Meta:
        model = Ambito
        formfield_callback = _campo_https
        fields = [
            "numero",
            "nome",
            "provincia",
            "comune_capofila",
            "ats",
            "superficie_kmq",
            "contatti_pubblici",
            "url_privacy",
            "url_accessibilita",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The capofila is one of the ambito's own comuni.
        self.fields["comune_capofila"].queryset = Comune.objects.filter(
            appartenenze__ambito=self.instance
        )

    def clean_stemma_file(self):
        from .stemma import stemma_sanifica

        caricato = self.cleaned_data.get("stemma_file")
        if not caricato:
            return None
        return stemma_sanifica(contenuto=caricato.read(), nome_file=caricato.name)

    def save(self, commit=True):
        if self.cleaned_data.get("stemma_file"):
            self.instance.stemma = self.cleaned_data["stemma_file"]
        elif self.cleaned_data.get("stemma_rimuovi"):
            self.instance.stemma = ""
        return super().save(commit)


class SubAmbitoForm(StileMixin, forms.ModelForm):
    class Meta:
        model = SubAmbito
        fields = ["nome", "ordine"]

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.ambito = ambito


class AppartenenzaForm(StileMixin, forms.ModelForm):
    class Meta:
        model = AmbitoComune
        fields = ["sub_ambito", "area"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_ambito"].queryset = SubAmbito.objects.filter(
            ambito_id=self.instance.ambito_id
        )


class AppartenenzaNuovaForm(StileMixin, forms.ModelForm):
    """A Lombardy comune (ISTAT list) joining the ambito; never a typed name."""

    class Meta:
        model = AmbitoComune
        fields = ["comune", "sub_ambito", "area"]

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.ambito = ambito
        # A comune belongs to one ambito: those already in any ambito are not
        # offered.
        self.fields["comune"].queryset = Comune.objects.filter(
            appartenenze__isnull=True
        ).order_by("nome")
        self.fields["comune"].label_from_instance = lambda c: (
            f"{c.nome} ({c.sigla_provincia}, {c.codice_istat})"
        )
        self.fields["comune"].empty_label = _("Scegliere il comune")
        self.fields["sub_ambito"].queryset = SubAmbito.objects.filter(ambito=ambito)


class SerieDemograficaForm(StileMixin, forms.ModelForm):
    class Meta:
        model = SerieDemografica
        fields = ["anno", "data", "popolazione", "nati", "stranieri"]
        widgets = {"data": DataInput()}

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.ambito = ambito


class PopolazioneForm(StileMixin, forms.ModelForm):
    class Meta:
        model = PopolazioneComune
        fields = ["comune", "data", "popolazione", "fonte"]
        widgets = {"data": DataInput()}

    def __init__(self, *args, ambito: Ambito, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comune"].queryset = Comune.objects.filter(
            appartenenze__ambito=ambito
        ).order_by("nome")
        self.fields["comune"].empty_label = _("Scegliere il comune")


class IncaricoForm(StileMixin, forms.Form):
    """Un utente (esistente o nuovo) con il suo ruolo nell'ambito."""

    username = forms.CharField(label=_("Nome utente"), max_length=150)
    ruolo = forms.ChoiceField(label=_("Ruolo"), choices=Incarico.Ruolo.choices)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("Solo per un utente nuovo.")
    )
    password = forms.CharField(
        label=_("Password iniziale"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Solo per un utente nuovo: da cambiare al primo accesso."),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password)
        return password
