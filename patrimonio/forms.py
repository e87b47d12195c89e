from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ambiti.models import Ambito, Ats, Comune
from patrimonio.models import EnteProprietario, Importazione
from patrimonio.services import SCHEMI
from patrimonio.territorio import nomi_e_sub_ambiti
from pianocasa.ui import campi_italiani


def _piani_scelta(utente):
    return None


def piani_scelta_imposta(funzione) -> None:
    """The plans a user may import per-ente tables into: ``piani`` fills this at
    start-up (patrimonio does not import the app above it)."""
    global _piani_scelta
    _piani_scelta = funzione


class ImportazioneForm(forms.Form):
    """Caricamento di un file: tipo, file e, secondo il tipo, piano o data."""

    tipo = forms.ChoiceField(
        label=_("Cosa importare"), choices=Importazione.Tipo.choices
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Excel (.xlsx) o CSV (separato da ; o ,), prima riga = intestazioni."
        ),
    )
    piano = forms.ModelChoiceField(
        label=_("Piano"),
        queryset=None,
        required=False,
        help_text=_("Solo per le tabelle per ente."),
    )
    data_riferimento = forms.DateField(
        label=_("Data di riferimento"),
        required=False,
        help_text=_("Solo per la popolazione, se il file non la indica."),
    )

    def __init__(self, *args, utente=None, **kwargs):
        super().__init__(*args, **kwargs)
        campi_italiani(self)  # the site's date input
        piani = _piani_scelta(utente)
        if utente is not None and not utente.is_superuser:
            # Staff import only into their ambito's plans; the unit registry
            # spans every ambito and stays with the administrators.
            self.fields["tipo"].choices = [
                scelta
                for scelta in Importazione.Tipo.choices
                if scelta[0] != Importazione.Tipo.ALLOGGI
            ]
        self.fields["piano"].queryset = piani

    def clean_file(self):
        file = self.cleaned_data["file"]
        massimo = settings.PIANOCASA_MAX_UPLOAD_BYTES
        if file.size > massimo:
            raise forms.ValidationError(
                _("Il file è troppo grande: il massimo è %(mb)s MB."),
                params={"mb": massimo // 2**20},
            )
        return file

    def clean(self):
        dati = super().clean()
        if dati.get("tipo") == Importazione.Tipo.ENTI and not dati.get("piano"):
            self.add_error("piano", _("Indicare il piano in cui importare le tabelle."))
        piano = dati.get("piano")
        if (
            dati.get("tipo") == Importazione.Tipo.ENTI
            and piano
            and not piano.modificabile
        ):
            self.add_error("piano", _("Il piano è approvato o pubblicato."))
        return dati


class MappaturaForm(forms.Form):
    """Una scelta per ogni colonna non riconosciuta: a quale campo corrisponde."""

    def __init__(self, *args, importazione: Importazione, **kwargs):
        super().__init__(*args, **kwargs)
        scelte = [("", _("— ignora questa colonna —"))] + [
            (c.chiave, c.etichetta) for c in SCHEMI[importazione.tipo]
        ]
        self.intestazioni = list(importazione.colonne_sconosciute)
        for i, intestazione in enumerate(self.intestazioni):
            self.fields[f"colonna_{i}"] = forms.ChoiceField(
                label=intestazione, choices=scelte, required=False
            )

    def mappatura(self) -> dict[str, str]:
        return {
            intestazione: self.cleaned_data.get(f"colonna_{i}", "")
            for i, intestazione in enumerate(self.intestazioni)
        }


# --- nuovo ambito ---------------------------------------------------------------------


def _stile(form: forms.BaseForm) -> None:
    # Italian number and date inputs, then the Bootstrap Italia classes (as
    # pianocasa.ui.StileMixin, without its checkbox and radio handling).
    campi_italiani(form)
    for campo in form.fields.values():
        widget = campo.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            continue
        classe = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {classe}".strip()
        if isinstance(widget, forms.Textarea):
            widget.attrs.setdefault("rows", 8)


class AmbitoNuovoForm(forms.Form):
    """Primo passo del nuovo ambito: i dati e i comuni incollati, da riconoscere."""

    error_css_class = "campo-errato"

    nome = forms.CharField(
        label=_("Denominazione"),
        max_length=200,
        help_text=_("Senza la parola «Ambito», che il sito aggiunge dove serve."),
    )
    slug = forms.SlugField(
        label=_("Identificativo"),
        max_length=80,
        help_text=_("Minuscole, cifre e trattini: compare negli indirizzi pubblici."),
    )
    numero = forms.IntegerField(label=_("Numero"), required=False, min_value=1)
    ats = forms.ModelChoiceField(
        label=_("ATS"), queryset=Ats.objects.all(), required=False
    )
    capofila = forms.CharField(
        label=_("Comune capofila"),
        max_length=100,
        help_text=_("Nome o codice ISTAT; deve essere fra i comuni dell'ambito."),
    )
    comuni = forms.CharField(
        label=_("Comuni dell'ambito"),
        widget=forms.Textarea,
        help_text=_(
            "Incollare i nomi o i codici ISTAT, uno per riga o separati da punto e "
            "virgola o virgola. Sub-ambiti facoltativi: una riga «Sub-ambito: comune, "
            "comune». I nomi non esatti vanno confermati al passo successivo."
        ),
    )
    altri_enti = forms.CharField(
        label=_("Altri enti proprietari"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "ASP, fondazioni, cooperative: una riga per ente, «Denominazione; "
            "comune di sede» (un comune dell'ambito)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _stile(self)

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Ambito.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("Esiste già un ambito con questo identificativo.")
            )
        return slug

    def clean_comuni(self) -> list[tuple[str, str]]:
        nomi = nomi_e_sub_ambiti(self.cleaned_data["comuni"])
        if not nomi:
            raise forms.ValidationError(_("Indicare almeno un comune."))
        return nomi


def _etichetta(comune: Comune) -> str:
    return f"{comune.nome} ({comune.sigla_provincia}, {comune.codice_istat})"


class RisoluzioneForm(forms.Form):
    """Secondo passo: ogni nome non esatto si conferma scegliendo un suggerimento
    (mai indovinato); le ALER del territorio si possono togliere."""

    error_css_class = "campo-errato"

    aler = forms.ModelMultipleChoiceField(
        label=_("ALER del territorio"),
        queryset=EnteProprietario.objects.filter(tipo=EnteProprietario.Tipo.ALER),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Proposte in base alle province dei comuni; togliere la spunta a "
            "quelle che non comunicano al piano."
        ),
    )

    def __init__(self, *args, righe: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.righe = righe
        for riga in righe:
            corrispondenza = riga["corrispondenza"]
            if corrispondenza.esatta or not corrispondenza.candidati:
                continue
            campo = forms.ChoiceField(
                label=riga["testo"],
                choices=[
                    (str(c.oggetto.pk), _etichetta(c.oggetto))
                    for c in corrispondenza.candidati
                ],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={
                    "required": _("Scegliere quale comune si intende."),
                },
            )
            self.fields[riga["campo"]] = campo
        self.fields["aler"].label_from_instance = lambda e: (
            f"{e.denominazione} ({e.sigle_province.replace(',', ', ')})"
        )

    def comune_scelto(self, riga: dict) -> Comune | None:
        corrispondenza = riga["corrispondenza"]
        if corrispondenza.esatta:
            return corrispondenza.oggetto
        scelta = self.cleaned_data.get(riga["campo"])
        for candidato in corrispondenza.candidati:
            if str(candidato.oggetto.pk) == scelta:
                return candidato.oggetto
        return None
