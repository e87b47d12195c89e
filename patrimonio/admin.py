from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from patrimonio.models import Alloggio, EnteProprietario, Importazione, MappaturaColonne


@admin.register(EnteProprietario)
class EnteProprietarioAdmin(SimpleHistoryAdmin):
    list_display = ["denominazione", "tipo", "comune"]
    list_filter = ["tipo"]
    search_fields = ["denominazione", "denominazione_breve", "codice_fiscale"]
    raw_id_fields = ["comune"]


@admin.register(Alloggio)
class AlloggioAdmin(admin.ModelAdmin):
    list_display = ["codice", "ente", "comune", "servizio", "stato"]
    list_filter = ["servizio", "stato"]
    search_fields = ["codice", "indirizzo"]
    raw_id_fields = ["ente", "comune"]


@admin.register(Importazione)
class ImportazioneAdmin(admin.ModelAdmin):
    list_display = ["creata_il", "tipo", "nome_file", "utente", "stato", "righe"]
    list_filter = ["tipo", "stato"]
    readonly_fields = [f.name for f in Importazione._meta.fields]


@admin.register(MappaturaColonne)
class MappaturaColonneAdmin(admin.ModelAdmin):
    list_display = ["tipo", "intestazione", "campo", "aggiornata_il"]
    list_filter = ["tipo"]
