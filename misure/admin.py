from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ambiti.admin import SceltePerAmbitoMixin
from pianocasa.versioni import ModuloAdminVersionato

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
from .services import accesso_registra


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
    form = ModuloAdminVersionato  # a stale change is refused
    list_display = ["titolo", "ambito", "misura", "data_pubblicazione", "gestito"]
    list_filter = ["ambito", "misura", "gestito"]
    search_fields = ["titolo"]
    # publication is the staff's decision, taken on the bando's page
    readonly_fields = ["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"]
    inlines = [FonteInline, CriterioInline]


@admin.register(Domanda)
class DomandaAdmin(SceltePerAmbitoMixin, SimpleHistoryAdmin):
    """Personal data: every view from the admin is logged as from the pages."""

    form = ModuloAdminVersionato  # a stale change is refused

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

    def changelist_view(self, request, extra_context=None):
        risposta = super().changelist_view(request, extra_context)
        elenco = getattr(risposta, "context_data", {}).get("cl")
        if elenco is not None:
            per_bando: dict[int, list] = {}
            for domanda in elenco.result_list:
                per_bando.setdefault(domanda.bando_id, []).append(domanda)
            for domande in per_bando.values():
                accesso_registra(
                    utente=request.user,
                    bando=domande[0].bando,
                    domande=domande,
                    vista="admin: elenco domande",
                )
        return risposta

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._registra(request, object_id, "admin: domanda")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._registra(request, object_id, "admin: storia della domanda")
        return super().history_view(request, object_id, extra_context)

    def _registra(self, request, object_id, vista: str) -> None:
        domanda = (
            self.get_queryset(request)
            .select_related("bando")
            .filter(pk=object_id)
            .first()
        )
        if domanda is not None:
            accesso_registra(
                utente=request.user, bando=domanda.bando, domande=[domanda], vista=vista
            )


@admin.register(Scorrimento)
class ScorrimentoAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = [
        "bando",
        "versione_graduatoria",
        "eseguito_da",
        "eseguito_il",
        "superato_il",
    ]
    readonly_fields = [f.name for f in Scorrimento._meta.fields]


@admin.register(Erogazione)
class ErogazioneAdmin(SceltePerAmbitoMixin, admin.ModelAdmin):
    list_display = ["domanda", "fonte", "importo", "scorrimento"]

    def get_queryset(self, request):
        # The quotas of superseded runs too: they are the record.
        return Erogazione.tutte.select_related("scorrimento")

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
