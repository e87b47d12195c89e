from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ambiti.admin import SceltePerAmbitoMixin
from patrimonio.models import (
    Alloggio,
    EnteDellAmbito,
    EnteProprietario,
    Importazione,
    MappaturaColonne,
)
from patrimonio.territorio import enti_visibili


class SceltePatrimonioMixin(SceltePerAmbitoMixin):
    """As in ambiti, plus the enti: those of the user's ambiti (and their ALER)."""

    def scelte(self, request, modello):
        if modello is EnteProprietario:
            return enti_visibili(request.user)
        return super().scelte(request, modello)


class EnteDellAmbitoInline(SceltePatrimonioMixin, admin.TabularInline):
    model = EnteDellAmbito
    extra = 0
    autocomplete_fields = ["ambito", "comune"]


@admin.register(EnteProprietario)
class EnteProprietarioAdmin(SceltePatrimonioMixin, SimpleHistoryAdmin):
    list_display = ["denominazione", "tipo", "comune", "sigle_province"]
    list_filter = ["tipo"]
    list_select_related = ["comune"]
    search_fields = ["denominazione", "denominazione_breve", "codice_fiscale"]
    # A name to search rather than an ID in a popup.
    autocomplete_fields = ["comune"]
    inlines = [EnteDellAmbitoInline]


@admin.register(EnteDellAmbito)
class EnteDellAmbitoAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["ente", "ambito", "comune"]
    list_filter = ["ambito", "ente__tipo"]
    list_select_related = ["ente", "ambito", "comune"]
    search_fields = ["ente__denominazione"]
    autocomplete_fields = ["ente", "ambito", "comune"]


@admin.register(Alloggio)
class AlloggioAdmin(SceltePatrimonioMixin, admin.ModelAdmin):
    list_display = ["codice", "ente", "comune", "servizio", "stato"]
    list_filter = ["servizio", "stato"]
    list_select_related = ["ente", "comune"]
    search_fields = ["codice", "indirizzo"]
    autocomplete_fields = ["ente", "comune"]


@admin.register(Importazione)
class ImportazioneAdmin(admin.ModelAdmin):
    list_display = ["creata_il", "tipo", "nome_file", "utente", "stato", "righe"]
    list_filter = ["tipo", "stato"]
    readonly_fields = [f.name for f in Importazione._meta.fields]


@admin.register(MappaturaColonne)
class MappaturaColonneAdmin(admin.ModelAdmin):
    list_display = ["tipo", "intestazione", "campo", "aggiornata_il"]
    list_filter = ["tipo"]
