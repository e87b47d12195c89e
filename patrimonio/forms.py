from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ambiti.permessi import ambiti_modificabili
from patrimonio.models import Importazione
from patrimonio.services import SCHEMI


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
        help_text=_("Solo per la popolazione, se il file non la indica (gg/mm/aaaa)."),
    )

    def __init__(self, *args, utente=None, **kwargs):
        super().__init__(*args, **kwargs)
        from piani.models import PianoAnnuale

        piani = PianoAnnuale.objects.select_related("ambito")
        if utente is not None and not utente.is_superuser:
            # Staff import only into their ambito's plans; the unit registry
            # spans every ambito and stays with the administrators.
            piani = piani.filter(ambito__in=ambiti_modificabili(utente))
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
