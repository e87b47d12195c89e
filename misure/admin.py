from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ambiti.admin import SceltePerAmbitoMixin

from .models import (
    AccessoDatiPersonali,
    AssegnazioneDgr,
    Bando,
    CriterioPunteggio,
    Dgr,
    Domanda,
    Erogazione,
    FonteFinanziamento,
    Scorrimento,
)


@admin.register(Dgr)
class DgrAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["estremi", "fonte", "titolo"]
    list_filter = ["tipo_atto", "fonte", "anno"]
    search_fields = ["numero", "titolo"]


@admin.register(AssegnazioneDgr)
class AssegnazioneDgrAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    list_display = ["dgr", "ambito", "assegnate", "spese_gestione", "erogate"]
    list_filter = ["ambito"]
    list_select_related = ["dgr", "ambito"]


class FonteInline(SceltePerAmbitoMixin, admin.TabularInline):
    model = FonteFinanziamento
    extra = 0
    fields = [
        "ordine",
        "assegnazione",
        "importo",
        "domande_finanziate",
        "domande_parziali",
    ]


class CriterioInline(SceltePerAmbitoMixin, admin.TabularInline):
    model = CriterioPunteggio
    extra = 0


@admin.register(Bando)
class BandoAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    list_display = ["titolo", "ambito", "misura", "data_pubblicazione", "gestito"]
    list_filter = ["ambito", "misura", "gestito"]
    search_fields = ["titolo"]
    # publication is the staff's decision, taken on the bando's page
    readonly_fields = ["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"]
    inlines = [FonteInline, CriterioInline]


@admin.register(Domanda)
class DomandaAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = [
        "protocollo",
        "bando",
        "esito",
        "posizione",
        "punteggio",
        "contributo",
    ]
    list_filter = ["bando__ambito", "esito"]
    search_fields = ["protocollo"]
    readonly_fields = [
        "esito",
        "motivi_esclusione",
        "punteggio",
        "posizione",
        "contributo",
    ]
    list_select_related = ["bando"]


@admin.register(Scorrimento)
class ScorrimentoAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["bando", "versione_graduatoria", "eseguito_da", "eseguito_il"]
    readonly_fields = [f.name for f in Scorrimento._meta.fields]


@admin.register(Erogazione)
class ErogazioneAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["domanda", "fonte", "importo"]
    list_select_related = ["domanda", "fonte__assegnazione__dgr", "fonte__bando"]


@admin.register(AccessoDatiPersonali)
class AccessoDatiPersonaliAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    """The access log is evidence: nobody edits or deletes it from here."""

    list_display = ["momento", "utente", "vista", "bando", "domanda"]
    list_filter = ["vista"]
    readonly_fields = ["utente", "momento", "bando", "domanda", "vista"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
