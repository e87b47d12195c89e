"""XLSX: controlli sull'archivio e sui fogli prima di leggerli, poi la lettura con
python-calamine in un processo figlio con limiti di memoria e di tempo.

calamine costruisce un foglio come un rettangolo dalla prima all'ultima cella: un
file di 2 KB con una cella in A1 e una in XFD1048576 gli fa chiedere centinaia di
GB e il processo abortisce senza che Python possa intervenire. Per questo: (1) la
dimensione dichiarata e le celle più lontane di ogni foglio si controllano prima,
scorrendo l'XML decompresso; (2) calamine gira comunque in un figlio con
``RLIMIT_AS`` e un tempo massimo, così un caso sfuggito ai controlli uccide il
figlio e diventa un messaggio, non la caduta del server o del worker.

The steps live in their own modules: ``archivio`` (the zip archive), ``fogli``
(the sheets' area and formulas), ``processo`` (the child process); their names
are re-exported here, where operators' scripts and the benchmark import them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from pianocasa.lettori.archivio import (
    MAX_BYTE_DECOMPRESSI,
    MAX_RAPPORTO_COMPRESSIONE,
    MAX_VOCI_ZIP,
    NS_REL,
    TESTA_XML,
    TIPI_MACRO,
    _controlla_archivio,
    _prologo_con_dtd,
    _xml_sicuro,
)
from pianocasa.lettori.fogli import (
    BLOCCO_SCANSIONE,
    _coordinate,
    _formule_senza_valore,
    _numero_colonna,
    _riga_vuota,
    _scansiona_foglio,
)
from pianocasa.lettori.processo import (
    FIGLIO,
    PYTHON,
    _SoloDate,
    righe_in_processo,
    righe_isolate,
)
from pianocasa.lettori.valori import ErroreImport

__all__ = [
    "BLOCCO_SCANSIONE",
    "FIGLIO",
    "MAX_BYTE_DECOMPRESSI",
    "MAX_CELLE",
    "MAX_MEMORIA",
    "MAX_RAPPORTO_COMPRESSIONE",
    "MAX_SECONDI",
    "MAX_VOCI_ZIP",
    "NS_REL",
    "PYTHON",
    "TESTA_XML",
    "TIPI_MACRO",
    "_SoloDate",
    "_controlla_archivio",
    "_coordinate",
    "_formule_senza_valore",
    "_numero_colonna",
    "_prologo_con_dtd",
    "_riga_vuota",
    "_scansiona_foglio",
    "_xml_sicuro",
    "leggi_xlsx",
    "limiti",
    "righe_in_processo",
    "righe_isolate",
]

# Limiti del processo figlio e delle celle (sovrascrivibili nei settings).
MAX_CELLE = 20_000_000
MAX_MEMORIA = 2 * 2**30
MAX_SECONDI = 120


def limiti() -> dict[str, int]:
    """I limiti in vigore: quelli dei settings, altrimenti i predefiniti."""
    return {
        "celle": getattr(settings, "PIANOCASA_LETTURA_MAX_CELLE", MAX_CELLE),
        "memoria": getattr(settings, "PIANOCASA_LETTURA_MAX_MEMORIA", MAX_MEMORIA),
        "secondi": getattr(settings, "PIANOCASA_LETTURA_MAX_SECONDI", MAX_SECONDI),
    }


def leggi_xlsx(
    percorso: Path,
    *,
    max_righe: int,
    max_colonne: int,
    intanto: Callable[[], None] | None = None,
) -> tuple[list[list], list[tuple[int, int]]]:
    """Le righe del primo foglio e le celle con formula senza valore calcolato.
    ``max_righe`` conta tutte le righe del foglio, titolo e intestazione compresi.
    I controlli dell'archivio e ``intanto`` girano mentre il figlio (con i suoi
    limiti di memoria e di tempo) legge: un file rifiutato dai controlli ferma il
    figlio. Solleva solo ``ErroreImport``."""
    massimi = limiti()
    formule: list[tuple[int, int]] = []

    def controlli() -> None:
        formule.extend(_controlla_xlsx(percorso, max_righe, max_colonne, massimi))
        if intanto is not None:
            intanto()

    righe = righe_isolate(
        percorso,
        max_righe=max_righe,
        max_colonne=max_colonne,
        max_celle=massimi["celle"],
        memoria=massimi["memoria"],
        secondi=massimi["secondi"],
        intanto=controlli,
    )
    return righe, formule


def _controlla_xlsx(
    percorso: Path, max_righe: int, max_colonne: int, massimi: dict[str, int]
) -> list[tuple[int, int]]:
    try:
        archivio = zipfile.ZipFile(percorso)
    except Exception as exc:  # BadZipFile, NotImplementedError, EOFError…
        raise ErroreImport(
            _("Il file .xlsx è danneggiato o troncato (archivio non leggibile).")
        ) from exc
    formule: list[tuple[int, int]] = []
    try:
        with archivio:
            fogli = _controlla_archivio(archivio)
            viste: set[str] = set()
            for posizione, (nome, parte) in enumerate(fogli):
                if parte in viste:
                    continue  # più fogli sulla stessa parte: una scansione basta
                viste.add(parte)
                con_formule = _scansiona_foglio(
                    archivio,
                    parte,
                    nome,
                    max_righe=max_righe,
                    max_colonne=max_colonne,
                    max_celle=massimi["celle"],
                )
                if posizione == 0 and con_formule:
                    formule = _formule_senza_valore(archivio, parte)
    except ErroreImport:
        raise
    except Exception as exc:
        raise ErroreImport(_("Il file .xlsx è danneggiato.")) from exc
    return formule
