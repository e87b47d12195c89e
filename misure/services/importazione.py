"""Import of domande from XLSX: all or nothing, every bad row reported in one pass."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from django.db import IntegrityError
from django.utils.translation import gettext as _t

from pianocasa.lettori import (
    ErroreImport,
    Tabella,
    lettera_colonna,
    normalizza_intestazione,
    tabella_leggi,
)
from pianocasa.righe import ControlloRighe
from pianocasa.scrittura import oggetti_inserisci

from ..models import (
    Bando,
    Domanda,
)

# --------------------------------------------------------------------------
# Import of domande from XLSX (all or nothing, every bad row reported)
# --------------------------------------------------------------------------
# (field, header) in template order; headers are matched case- and accent-blind.
COLONNE_IMPORT: list[tuple[str, str]] = [
    ("protocollo", "Protocollo"),
    ("data_protocollo", "Data protocollo"),
    ("cognome", "Cognome"),
    ("nome", "Nome"),
    ("codice_fiscale", "Codice fiscale"),
    ("data_nascita", "Data di nascita"),
    ("comune_residenza", "Codice ISTAT comune"),
    ("componenti", "Componenti"),
    ("minori", "Minori"),
    ("isee", "ISEE"),
    ("canone_mensile", "Canone mensile"),
    ("contratto_registrato", "Contratto registrato"),
    ("mesi_alloggio", "Mesi nell'alloggio"),
    ("inquilino_sap_sat", "Inquilino SAP/SAT"),
    ("altri_contributi_data", "Altri contributi percepiti il"),
    ("procedura", "Procedura di rilascio"),
]
FACOLTATIVE = {"altri_contributi_data", "procedura", "minori"}
INTESTAZIONI = dict(COLONNE_IMPORT)
_PER_INTESTAZIONE = {normalizza_intestazione(h): c for c, h in COLONNE_IMPORT}


class ImportazioneNonValida(Exception):
    def __init__(self, errori: list[str]):
        super().__init__("\n".join(errori))
        self.errori = errori


def _cella(valore, campo: str) -> str:
    """A calamine cell as the text a form field expects."""
    if valore is None:
        return ""
    if isinstance(valore, datetime):
        valore = valore.date()
    if isinstance(valore, date):
        return valore.strftime("%d/%m/%Y")
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, float):
        if campo == "comune_residenza":
            # a numeric cell loses the leading zero of the ISTAT code
            return f"{int(valore):06d}"
        if valore.is_integer():
            return str(int(valore))
        # The form's one Italian parser reads it (pianocasa.numeri): 9876,54.
        return f"{round(valore, 2):.2f}".replace(".", ",")
    # Text as typed («€ 9.876,54»): the same parser as the web form decides.
    return str(valore).strip()


def domande_leggi_xlsx(contenuto: bytes, *, nome_file: str = "domande.xlsx") -> Tabella:
    """The applicants' spreadsheet through the one hardened reader of the
    application (size, zip bombs, macros, XML entities, far-away cells; calamine in
    a child process with memory and time limits). Raises ``ErroreImport``."""
    suffisso = Path(nome_file).suffix.lower() or ".xlsx"
    with tempfile.NamedTemporaryFile(suffix=suffisso) as copia:
        copia.write(contenuto)
        copia.flush()
        return tabella_leggi(
            copia.name,
            nome_file=nome_file,
            riconosci=lambda forma: forma in _PER_INTESTAZIONE,
        )


def domande_importa(
    *,
    bando: Bando,
    contenuto: bytes,
    nome_file: str = "domande.xlsx",
    avanzamento: Callable[[int, str], None] | None = None,
) -> int:
    """Create the domande of an XLSX file: every bad row is reported in one
    pass («Riga 12, colonna ISEE: …») and nothing is written if any is bad.
    ``avanzamento(percentuale, fase)`` is told how far it got (the background
    task writes it where the page reads it)."""
    segnala = avanzamento or (lambda _p, _f: None)
    segnala(5, _t("Lettura del file"))
    try:
        tabella = domande_leggi_xlsx(contenuto, nome_file=nome_file)
    except ErroreImport as errore:
        raise ImportazioneNonValida(errore.messaggi) from errore
    posizioni = _posizioni_colonne(tabella)
    errori: list[str] = [
        _t(
            "Riga %(n)d, colonna %(c)s: formula senza valore calcolato: aprire il "
            "file in Excel, ricalcolare e salvare."
        )
        % {"n": riga, "c": _intestazione_di(tabella, colonna)}
        for riga, colonna in tabella.formule_senza_valore
    ]
    controllo = _controllo_righe(bando)
    da_salvare: list[Domanda] = []
    visti: dict[str, int] = {}
    totale = max(len(tabella.righe), 1)
    for indice_riga, riga in enumerate(tabella.righe):
        if indice_riga % 2000 == 0:
            segnala(10 + 70 * indice_riga // totale, _t("Controllo delle righe"))
        numero = tabella.numero_riga(indice_riga)
        if all(v is None or str(v).strip() == "" for v in riga):
            continue
        dati = {
            campo: _cella(riga[i] if i < len(riga) else None, campo)
            for campo, i in posizioni.items()
        }
        dati.setdefault("minori", "0")
        domanda, errori_riga = controllo.istanza(dati)
        if errori_riga:
            errori.extend(_messaggi_riga(numero, errori_riga))
            continue
        if domanda.protocollo in visti:
            errori.append(
                _t("Riga %(n)d, colonna Protocollo: già presente alla riga %(r)d.")
                % {"n": numero, "r": visti[domanda.protocollo]}
            )
            continue
        visti[domanda.protocollo] = numero
        da_salvare.append(domanda)
    if errori:
        raise ImportazioneNonValida(errori)
    if not da_salvare:
        raise ImportazioneNonValida([_t("Il file non contiene domande.")])
    segnala(85, _t("Scrittura delle domande"))
    try:
        oggetti_inserisci(da_salvare)
    except IntegrityError as errore:
        # The protocols were read before the rows were checked: someone
        # registered one of them meanwhile. Nothing was written.
        raise ImportazioneNonValida(
            [
                _t(
                    "Nel frattempo è stata registrata una domanda con uno dei "
                    "protocolli del file: nessuna domanda è stata importata. "
                    "Ricaricare il file."
                )
            ]
        ) from errore
    segnala(100, _t("Completata"))
    return len(da_salvare)


def _posizioni_colonne(tabella: Tabella) -> dict[str, int]:
    posizioni: dict[str, int] = {}
    for indice, intestazione in enumerate(tabella.intestazioni):
        campo = _PER_INTESTAZIONE.get(normalizza_intestazione(intestazione))
        if campo:
            posizioni[campo] = indice
    mancanti = [
        h for c, h in COLONNE_IMPORT if c not in posizioni and c not in FACOLTATIVE
    ]
    if mancanti:
        raise ImportazioneNonValida(
            [_t("Colonne mancanti: %(c)s.") % {"c": ", ".join(mancanti)}]
        )
    return posizioni


def _controllo_righe(bando: Bando) -> ControlloRighe:
    """The web form's rules for every row; the bando's protocols read once."""
    from ..forms import DomandaImportForm

    presenti = set(bando.domande.values_list("protocollo", flat=True))
    form = DomandaImportForm(
        instance=Domanda(bando=bando), protocolli_presenti=presenti
    )
    return ControlloRighe(form, nuova=lambda: Domanda(bando=bando))


def _messaggi_riga(numero: int, errori: dict[str, list[str]]) -> list[str]:
    messaggi = []
    for campo, testi in errori.items():
        colonna = INTESTAZIONI.get(campo) or _colonna_di(testi)
        for testo in testi:
            messaggi.append(
                _t("Riga %(n)d, colonna %(c)s: %(m)s")
                % {"n": numero, "c": colonna, "m": testo}
                if colonna
                else _t("Riga %(n)d: %(m)s") % {"n": numero, "m": testo}
            )
    return messaggi


def _intestazione_di(tabella: Tabella, colonna: int) -> str:
    if colonna < len(tabella.intestazioni) and tabella.intestazioni[colonna]:
        return tabella.intestazioni[colonna]
    return lettera_colonna(colonna)


def _colonna_di(messaggi) -> str:
    # constraint errors arrive as non-field errors: name the column they concern
    testo = " ".join(str(m) for m in messaggi).lower()
    if "protocollo" in testo:
        return "Protocollo"
    if "minori" in testo:
        return "Minori"
    return ""


def domande_modello_xlsx() -> bytes:
    """The empty template for the import, with its headers."""
    from openpyxl import Workbook

    libro = Workbook()
    foglio = libro.active
    foglio.title = "Domande"
    foglio.append([h for _c, h in COLONNE_IMPORT])
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()
