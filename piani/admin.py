from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from patrimonio.admin import SceltePatrimonioMixin
from pianocasa.versioni import ModuloAdminVersionato

from .models import (
    BloccoDgr,
    Comunicazione,
    DatoDelPiano,
    DecisioneComune,
    FinestraRaccolta,
    ModelloDocumento,
    PianoAnnuale,
    PianoCongelato,
    RilevazioneEthos,
    RiscontroAnomalia,
    Sezione,
    SottosezioneStrategie,
    TotaleDichiarato,
    Transizione,
    VersioneApprovata,
    VersioneNormativa,
    piano_congelato,
)
from .services import comunicazioni_inizializza


def _piano_id(obj) -> int | None:
    if isinstance(obj, PianoAnnuale):
        return obj.pk
    if isinstance(obj, DatoDelPiano):
        return obj._piano_id()
    return None


class DatoDelPianoAdminMixin:
    """The plan's data in the admin: no bulk «delete selected» (a queryset delete
    skips the models' check), and a frozen plan's rows shown read-only with the
    reason; a change or delete sent anyway is refused with the Italian message.
    On inlines ``obj`` is the parent (the plan, a paragraph)."""

    def get_actions(self, request):
        azioni = super().get_actions(request)
        azioni.pop("delete_selected", None)
        return azioni

    def _congelato(self, obj) -> bool:
        return obj is not None and piano_congelato(_piano_id(obj))

    def has_change_permission(self, request, obj=None):
        return not self._congelato(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._congelato(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if self._congelato(obj):  # inlines: a new row of a frozen plan
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request, obj)
        return super().has_add_permission(request)


class DatoDelPianoModelAdminMixin(DatoDelPianoAdminMixin):
    """The change and delete pages of a ModelAdmin (inlines have none)."""

    def _rifiuta(self, request, object_id):
        messaggio = PianoCongelato().args[0]
        messages.error(request, messaggio)
        if object_id:
            opts = self.model._meta
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]
            )
        else:
            url = request.path
        return HttpResponseRedirect(url)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if self._congelato(obj):
            if request.method == "POST":
                return self._rifiuta(request, object_id)
            messages.info(
                request,
                _(
                    "Piano approvato o pubblicato: i suoi dati si possono solo "
                    "consultare."
                ),
            )
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PianoCongelato:  # frozen between the page and the save
            return self._rifiuta(request, object_id)

    def delete_view(self, request, object_id, extra_context=None):
        if self._congelato(self.get_object(request, unquote(object_id))):
            return self._rifiuta(request, object_id)
        try:
            return super().delete_view(request, object_id, extra_context)
        except PianoCongelato:
            return self._rifiuta(request, object_id)


@admin.register(VersioneNormativa)
class VersioneNormativaAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "in_vigore_dal", "cartella_template"]


@admin.register(ModelloDocumento)
class ModelloDocumentoAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "cartella_template", "normativa_codice"]


class FinestraRaccoltaInline(
    DatoDelPianoAdminMixin, SceltePatrimonioMixin, admin.TabularInline
):
    model = FinestraRaccolta
    extra = 0


class SezioneInline(DatoDelPianoAdminMixin, SceltePatrimonioMixin, admin.StackedInline):
    model = Sezione
    extra = 0


@admin.register(PianoAnnuale)
class PianoAnnualeAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    form = ModuloAdminVersionato  # a stale change is refused
    list_display = ["ambito", "anno", "normativa", "stato", "revisione"]
    list_filter = ["stato", "normativa", "ambito"]
    list_select_related = ["ambito", "normativa"]
    readonly_fields = ["stato", "revisione"]
    inlines = [FinestraRaccoltaInline, SezioneInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            # A new plan lists every ente of its ambito as «non pervenuta».
            comunicazioni_inizializza(piano=form.instance)


@admin.register(Comunicazione)
class ComunicazioneAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    form = ModuloAdminVersionato  # a stale change is refused
    list_display = [
        "ente",
        "piano",
        "esito",
        "canale",
        "data",
        "protocollo",
        "alloggi_totali",
        "alloggi_sap",
        "assegnabili_totale",
    ]
    list_filter = ["piano__ambito", "piano__anno", "esito", "canale"]
    list_select_related = ["ente", "piano__ambito"]
    search_fields = ["ente__denominazione", "protocollo", "denominazione_ricevuta"]


@admin.register(DecisioneComune)
class DecisioneComuneAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    form = ModuloAdminVersionato  # a stale change is refused
    list_display = [
        "comune",
        "piano",
        "quota_indigenti",
        "quota_forze_ordine",
        "quota_polizia_locale",
    ]
    list_filter = ["piano__ambito", "piano__anno"]
    list_select_related = ["comune", "piano__ambito"]
    autocomplete_fields = ["comune"]


@admin.register(Sezione)
class SezioneAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    form = ModuloAdminVersionato  # a stale change is refused
    list_display = ["chiave", "titolo", "piano", "ordine"]
    list_filter = ["piano__ambito", "piano__anno"]
    list_select_related = ["piano__ambito"]


@admin.register(TotaleDichiarato)
class TotaleDichiaratoAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    list_display = ["piano", "contenuto", "valore", "nota"]
    list_filter = ["piano__ambito", "piano__anno", "contenuto"]
    list_select_related = ["piano__ambito"]


@admin.register(RilevazioneEthos)
class RilevazioneEthosAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    list_display = [
        "piano",
        "anno",
        "senza_tetto",
        "senza_casa",
        "sistemazione_insicura",
        "sistemazione_inadeguata",
    ]


class BloccoDgrInline(
    DatoDelPianoAdminMixin, SceltePatrimonioMixin, admin.TabularInline
):
    model = BloccoDgr
    extra = 0


@admin.register(SottosezioneStrategie)
class SottosezioneStrategieAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, SimpleHistoryAdmin
):
    list_display = ["titolo", "piano", "ordine", "bando"]
    list_filter = ["piano__ambito"]
    inlines = [BloccoDgrInline]


@admin.register(RiscontroAnomalia)
class RiscontroAnomaliaAdmin(
    DatoDelPianoModelAdminMixin, SceltePatrimonioMixin, admin.ModelAdmin
):
    list_display = ["piano", "codice", "oggetto", "utente", "creato_il"]
    list_filter = ["piano__ambito", "codice"]
    readonly_fields = ["creato_il"]


@admin.register(Transizione)
class TransizioneAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    """Read-only: transitions are recorded by the lifecycle services only."""

    list_display = ["piano", "da_stato", "a_stato", "utente", "avvenuta_il"]
    list_filter = ["piano__ambito", "a_stato"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VersioneApprovata)
class VersioneApprovataAdmin(TransizioneAdmin):
    """Frozen documents: shown, never edited from the admin."""

    list_display = ["piano", "revisione", "data_seduta", "sha256_pdf"]
    list_filter = ["piano__ambito"]
