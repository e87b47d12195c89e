from django.contrib import admin
from django.db.models import Model, QuerySet
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Ambito,
    AmbitoComune,
    Ats,
    Comune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from .permessi import ambiti_visibili


class SceltePerAmbitoMixin:
    """Selects and autocompletes of the admin offer a user who is not an
    administrator only their ambiti's ambiti, comuni and sub-ambiti (higher apps
    add their own models in `scelte`)."""

    def scelte(self, request, modello: type[Model]) -> QuerySet | None:
        ambiti = ambiti_visibili(request.user)
        if modello is Ambito:
            return ambiti
        if modello is Comune:
            return Comune.objects.filter(appartenenze__ambito__in=ambiti).distinct()
        if modello is SubAmbito:
            return SubAmbito.objects.filter(ambito__in=ambiti)
        return None

    def _limita(self, db_field, request, kwargs: dict) -> dict:
        if not request.user.is_superuser and "queryset" not in kwargs:
            scelte = self.scelte(request, db_field.related_model)
            if scelte is not None:
                kwargs["queryset"] = scelte
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._limita(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._limita(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of a related field searches this model's admin: the
        # same restriction applies to what it offers.
        risultati, duplicati = super().get_search_results(
            request, queryset, search_term
        )
        if request.user.is_superuser or "autocomplete" not in request.path:
            return risultati, duplicati
        scelte = self.scelte(request, queryset.model)
        if scelte is not None:
            risultati = risultati.filter(pk__in=scelte.values("pk"))
        return risultati, duplicati


@admin.register(Ats)
class AtsAdmin(admin.ModelAdmin):
    list_display = ["codice", "nome", "sigle_province"]
    search_fields = ["codice", "nome"]


@admin.register(Comune)
class ComuneAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["nome", "codice_istat", "sigla_provincia", "regione"]
    list_filter = ["sigla_provincia"]
    search_fields = ["nome", "codice_istat"]


class SubAmbitoInline(SceltePerAmbitoMixin, admin.TabularInline):
    model = SubAmbito
    extra = 0


class AmbitoComuneInline(SceltePerAmbitoMixin, admin.TabularInline):
    model = AmbitoComune
    extra = 0
    autocomplete_fields = ["comune"]


class IncaricoInline(SceltePerAmbitoMixin, admin.TabularInline):
    model = Incarico
    extra = 0
    autocomplete_fields = ["utente"]


@admin.register(Ambito)
class AmbitoAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    list_display = ["nome", "numero", "provincia", "comune_capofila", "ats"]
    search_fields = ["nome", "slug"]
    prepopulated_fields = {"slug": ["nome"]}
    autocomplete_fields = ["comune_capofila"]
    list_select_related = ["comune_capofila", "ats"]
    inlines = [SubAmbitoInline, AmbitoComuneInline, IncaricoInline]


@admin.register(SubAmbito)
class SubAmbitoAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["nome", "ambito", "ordine"]
    list_filter = ["ambito"]


@admin.register(AmbitoComune)
class AmbitoComuneAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["comune", "ambito", "sub_ambito", "area"]
    list_filter = ["ambito"]
    list_select_related = ["comune", "ambito", "sub_ambito"]
    autocomplete_fields = ["comune"]


@admin.register(PopolazioneComune)
class PopolazioneComuneAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    list_display = ["comune", "data", "popolazione", "fonte"]
    list_filter = ["data"]
    list_select_related = ["comune"]
    search_fields = ["comune__nome"]
    autocomplete_fields = ["comune"]


@admin.register(SerieDemografica)
class SerieDemograficaAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    list_display = ["ambito", "anno", "popolazione", "nati", "stranieri"]
    list_filter = ["ambito"]


@admin.register(Incarico)
class IncaricoAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["utente", "ambito", "ruolo"]
    list_filter = ["ambito", "ruolo"]
    autocomplete_fields = ["utente"]
