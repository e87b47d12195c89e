"""The UI kit every app builds on: page title and history views, table columns,
exports, form widgets, the filters' base. Core: imports no app of the project."""

from .colonne import ModificaColumn, NumeroColumn, TabellaConPermessi
from .esportazione import (
    FORMATI_ESPORTAZIONE,
    EsportaMixin,
    cella_sicura,
    esporta,
    neutralizza,
)
from .filtri import FiltriBase
from .moduli import DataInput, StileMixin, campi_italiani
from .viste import (
    PER_PAGINA,
    PaginaMixin,
    StoriaMixin,
    avanzamento_json,
    voci_storia,
)

__all__ = [
    "avanzamento_json",
    "FORMATI_ESPORTAZIONE",
    "PER_PAGINA",
    "DataInput",
    "EsportaMixin",
    "FiltriBase",
    "ModificaColumn",
    "NumeroColumn",
    "PaginaMixin",
    "StileMixin",
    "StoriaMixin",
    "TabellaConPermessi",
    "campi_italiani",
    "cella_sicura",
    "esporta",
    "neutralizza",
    "voci_storia",
]
