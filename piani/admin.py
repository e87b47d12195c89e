from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from patrimonio.admin import SceltePatrimonioMixin

from .models import (
    BloccoDgr,
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    ModelloDocumento,
    PianoAnnuale,
    RilevazioneEthos,
    RiscontroAnomalia,
    Sezione,
    SottosezioneStrategie,
    TotaleDichiarato,
    Transizione,
    VersioneApprovata,
    VersioneNormativa,
)
from .services import comunicazioni_inizializza


@admin.register(VersioneNormativa)
class VersioneNormativaAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "in_vigore_dal", "cartella_template"]


@admin.register(ModelloDocumento)
class ModelloDocumentoAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["nome", "codice", "cartella_template", "normativa_codice"]


class FinestraRaccoltaInline(SceltePatrimonioMixin, admin.TabularInline):
    model = FinestraRaccolta
    extra = 0


class SezioneInline(SceltePatrimonioMixin, admin.StackedInline):
    model = Sezione
    extra = 0


@admin.register(PianoAnnuale)
class PianoAnnualeAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
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
class ComunicazioneAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
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
class DecisioneComuneAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
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
class SezioneAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
    list_display = ["chiave", "titolo", "piano", "ordine"]
    list_filter = ["piano__ambito", "piano__anno"]
    list_select_related = ["piano__ambito"]


@admin.register(TotaleDichiarato)
class TotaleDichiaratoAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
    list_display = ["piano", "contenuto", "valore", "nota"]
    list_filter = ["piano__ambito", "piano__anno", "contenuto"]
    list_select_related = ["piano__ambito"]


@admin.register(RilevazioneEthos)
class RilevazioneEthosAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
    list_display = [
        "piano",
        "anno",
        "senza_tetto",
        "senza_casa",
        "sistemazione_insicura",
        "sistemazione_inadeguata",
    ]


class BloccoDgrInline(SceltePatrimonioMixin, admin.TabularInline):
    model = BloccoDgr
    extra = 0


@admin.register(SottosezioneStrategie)
class SottosezioneStrategieAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "piano", "ordine", "bando"]
    list_filter = ["piano__ambito"]
    inlines = [BloccoDgrInline]


@admin.register(RiscontroAnomalia)
class RiscontroAnomaliaAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
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
