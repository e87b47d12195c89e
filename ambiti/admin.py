from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Ambito,
    AmbitoComune,
    Comune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)


@admin.register(Comune)
class ComuneAdmin(admin.ModelAdmin):
    list_display = ["nome", "codice_istat", "sigla_provincia", "regione"]
    list_filter = ["sigla_provincia"]
    search_fields = ["nome", "codice_istat"]


class SubAmbitoInline(admin.TabularInline):
    model = SubAmbito
    extra = 0


class AmbitoComuneInline(admin.TabularInline):
    model = AmbitoComune
    extra = 0
    autocomplete_fields = ["comune"]


class IncaricoInline(admin.TabularInline):
    model = Incarico
    extra = 0
    autocomplete_fields = ["utente"]


@admin.register(Ambito)
class AmbitoAdmin(SimpleHistoryAdmin):
    list_display = ["nome", "numero", "provincia", "comune_capofila"]
    search_fields = ["nome", "slug"]
    prepopulated_fields = {"slug": ["nome"]}
    autocomplete_fields = ["comune_capofila"]
    inlines = [SubAmbitoInline, AmbitoComuneInline, IncaricoInline]


@admin.register(SubAmbito)
class SubAmbitoAdmin(admin.ModelAdmin):
    list_display = ["nome", "ambito", "ordine"]
    list_filter = ["ambito"]


@admin.register(AmbitoComune)
class AmbitoComuneAdmin(admin.ModelAdmin):
    list_display = ["comune", "ambito", "sub_ambito", "area"]
    list_filter = ["ambito"]
    list_select_related = ["comune", "ambito", "sub_ambito"]
    autocomplete_fields = ["comune"]


@admin.register(PopolazioneComune)
class PopolazioneComuneAdmin(SimpleHistoryAdmin):
    list_display = ["comune", "data", "popolazione", "fonte"]
    list_filter = ["data"]
    list_select_related = ["comune"]
    search_fields = ["comune__nome"]
    autocomplete_fields = ["comune"]


@admin.register(SerieDemografica)
class SerieDemograficaAdmin(SimpleHistoryAdmin):
    list_display = ["ambito", "anno", "popolazione", "nati", "stranieri"]
    list_filter = ["ambito"]


@admin.register(Incarico)
class IncaricoAdmin(admin.ModelAdmin):
    list_display = ["utente", "ambito", "ruolo"]
    list_filter = ["ambito", "ruolo"]
    autocomplete_fields = ["utente"]
