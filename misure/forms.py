from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ambiti.models import Comune
from pianocasa.ui import DataInput, StileMixin
from pianocasa.versioni import VersioneLettaMixin

from .codice_fiscale import controllo_valido
from .models import (
    AssegnazioneDgr,
    Bando,
    CriterioPunteggio,
    Domanda,
    FonteFinanziamento,
)

FORMATI_DATA = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
SI = {"si", "sì", "s", "x", "vero", "true", "1", "yes", "y"}
NO = {"no", "n", "falso", "false", "0", ""}


class SiNoField(forms.Field):
    """«sì»/«no» (and the usual spreadsheet spellings) as a boolean."""

    def to_python(self, value):
        if isinstance(value, bool):
            return value
        testo = str(value or "").strip().lower()
        if testo in SI:
            return True
        if testo in NO:
            return False
        raise forms.ValidationError(_("Indicare «sì» o «no»."), code="invalid")

    def validate(self, value):
        pass


class ProceduraField(forms.ChoiceField):
    """A procedura by its code or its label; blank = none."""

    def to_python(self, value):
        testo = str(value or "").strip().lower()
        if not testo:
            return Domanda.Procedura.NESSUNA
        for codice, etichetta in Domanda.Procedura.choices:
            if testo in {codice, str(etichetta).lower()}:
                return codice
        return testo


class DomandaFormBase(StileMixin, VersioneLettaMixin, forms.ModelForm):
    """Italian numbers and dates (StileMixin), in the form and in the import alike."""

    class Meta:
        model = Domanda
        fields = [
            "protocollo",
            "data_protocollo",
            "cognome",
            "nome",
            "codice_fiscale",
            "data_nascita",
            "comune_residenza",
            "componenti",
            "minori",
            "isee",
            "canone_mensile",
            "contratto_registrato",
            "mesi_alloggio",
            "inquilino_sap_sat",
            "altri_contributi_data",
            "procedura",
        ]

    def clean_codice_fiscale(self) -> str:
        codice = self.cleaned_data["codice_fiscale"].strip().upper()
        if len(codice) == 16 and not controllo_valido(codice):
            raise forms.ValidationError(
                _("Il carattere di controllo del codice fiscale non corrisponde."),
                code="controllo",
            )
        return codice

    def clean_protocollo(self) -> str:
        protocollo = self.cleaned_data["protocollo"].strip()
        # «bando» is not a form field, so Django skips the unique constraint
        if self.instance.bando_id and self.protocollo_presente(protocollo):
            raise forms.ValidationError(
                _("Esiste già una domanda con questo protocollo nel bando."),
                code="unique",
            )
        return protocollo

    def protocollo_presente(self, protocollo: str) -> bool:
        return (
            Domanda.objects.filter(
                bando_id=self.instance.bando_id, protocollo=protocollo
            )
            .exclude(pk=self.instance.pk)
            .exists()
        )


class DomandaForm(DomandaFormBase):
    """Entry and edit of one domanda (Italian number and date formats)."""

    def __init__(self, *args, ambito=None, **kwargs):
        super().__init__(*args, **kwargs)
        for nome in ("data_protocollo", "data_nascita", "altri_contributi_data"):
            self.fields[nome].input_formats = FORMATI_DATA
        if ambito is not None:
            # the ambito's comuni first would need a custom widget; a plain list
            # of the ambito's comuni covers the ordinary case, others via import
            self.fields["comune_residenza"].queryset = Comune.objects.filter(
                ambiti=ambito
            )


class DomandaImportForm(DomandaFormBase):
    """One row of the XLSX import: comune by ISTAT code, «sì»/«no» flags."""

    comune_residenza = forms.ModelChoiceField(
        queryset=Comune.objects.all(),
        to_field_name="codice_istat",
        error_messages={"invalid_choice": _("codice ISTAT sconosciuto.")},
    )
    contratto_registrato = SiNoField(required=False)
    inquilino_sap_sat = SiNoField(required=False)
    procedura = ProceduraField(choices=Domanda.Procedura.choices, required=False)

    def __init__(self, *args, protocolli_presenti: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The import reads the bando's protocols once instead of a query per row.
        self.protocolli_presenti = protocolli_presenti
        for nome in ("data_protocollo", "data_nascita", "altri_contributi_data"):
            self.fields[nome].input_formats = FORMATI_DATA

    def protocollo_presente(self, protocollo: str) -> bool:
        if self.protocolli_presenti is None:
            return super().protocollo_presente(protocollo)
        return protocollo in self.protocolli_presenti


class ImportaDomandeForm(forms.Form):
    file = forms.FileField(
        label=_("File XLSX delle domande"),
        help_text=_("Una riga per domanda, con le intestazioni del modello."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Caricare un file .xlsx."))
        # The same limit as every other import (the reader checks it again).
        massimo = settings.PIANOCASA_MAX_UPLOAD_BYTES
        if file.size > massimo:
            raise forms.ValidationError(
                _("Il file è troppo grande: il massimo è %(mb)s MB."),
                params={"mb": massimo // 2**20},
            )
        return file


class BandoForm(StileMixin, VersioneLettaMixin, forms.ModelForm):
    """A bando with its requirements, contribution rule and tie-break."""

    class Meta:
        model = Bando
        fields = [
            "ambito",
            "titolo",
            "descrizione_breve",
            "misura",
            "finalita",
            "data_pubblicazione",
            "data_scadenza",
            "importo",
            "gestito",
            "isee_massimo",
            "richiede_residenza_ambito",
            "richiede_contratto_registrato",
            "mesi_minimi_alloggio",
            "esclude_inquilini_sap_sat",
            "altri_contributi_dal",
            "richiede_procedura_rilascio",
            "contributo_mensilita",
            "contributo_massimo",
            "spareggio",
        ]
        widgets = {
            "data_pubblicazione": DataInput(),
            "data_scadenza": DataInput(),
            "altri_contributi_dal": DataInput(),
        }

    def __init__(self, *args, ambiti=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # a bando does not move to another ambito
            del self.fields["ambito"]
        elif ambiti is not None:
            self.fields["ambito"].queryset = ambiti
        for nome in ("data_pubblicazione", "data_scadenza", "altri_contributi_dal"):
            self.fields[nome].input_formats = FORMATI_DATA


class FonteForm(StileMixin, forms.ModelForm):
    class Meta:
        model = FonteFinanziamento
        fields = ["ordine", "assegnazione", "importo"]

    def __init__(self, *args, ambito=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ambito is not None:
            self.fields["assegnazione"].queryset = AssegnazioneDgr.objects.filter(
                ambito=ambito
            ).select_related("dgr", "ambito")


class FonteBaseFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            fonte = form.instance
            if fonte.pk and fonte.erogazioni.exists():
                # payments are records: the source stays until a new run
                raise forms.ValidationError(
                    _(
                        "La fonte %(fonte)s ha già finanziato domande: ricalcolare "
                        "la graduatoria prima di toglierla."
                    )
                    % {"fonte": fonte.assegnazione.dgr.breve}
                )


FonteFormSet = forms.inlineformset_factory(
    Bando,
    FonteFinanziamento,
    form=FonteForm,
    formset=FonteBaseFormSet,
    extra=1,
    can_delete=True,
)


class CriterioForm(StileMixin, forms.ModelForm):
    class Meta:
        model = CriterioPunteggio
        fields = ["criterio", "peso", "soglia", "ordine"]


class AssegnazioneForm(StileMixin, forms.ModelForm):
    class Meta:
        model = AssegnazioneDgr
        fields = ["assegnate", "nota_assegnate", "spese_gestione", "erogate", "misura"]


CriterioFormSet = forms.inlineformset_factory(
    Bando,
    CriterioPunteggio,
    form=CriterioForm,
    fields=["criterio", "peso", "soglia", "ordine"],
    extra=1,
    can_delete=True,
)
