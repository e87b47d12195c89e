"""Importazioni (anagrafe del patrimonio, tabelle per ente di un piano, popolazione
ISTAT) e confronto fra anagrafe e comunicazioni.

Ogni importazione ha due passate con lo stesso codice: l'anteprima (``scrivi=False``)
legge, controlla ogni riga e calcola cosa cambierebbe; la conferma rifà lo stesso e
scrive tutto in una transazione, oppure niente se c'è anche un solo errore.

Un modulo per parte: ``campi`` e ``schemi`` (le colonne di ogni tipo), ``esito``
(il resoconto), ``lettura`` (lettura e conversione), ``alloggi``, ``popolazione``,
``importazioni`` (storico ed esecuzione), ``registro`` (anagrafe → piano). Qui si
riesportano i nomi che il resto del progetto usa.
"""

from .alloggi import alloggi_importa
from .alloggi_scrittura import COLONNE_ALLOGGIO
from .campi import SERVIZI, STATI, Campo
from .esito import (
    MAX_ESEMPI,
    Esito,
    Progresso,
    _messaggio_riga,
    _nulla,
    _numero_riga,
)
from .importazioni import (
    MAX_MESSAGGI_SALVATI,
    importatore_piano_registra,
    importazione_crea,
    importazione_esegui,
    importazione_registra,
    importazioni_per,
    sha256_file,
)
from .lettura import (
    _converti_righe,
    _leggi,
    colonne_associa,
    mappatura_ricorda,
    mappature_ricordate,
)
from .popolazione import data_dal_titolo, popolazione_importa
from .registro import CAMPI_REGISTRO, RigaRegistro, TabellaRegistro, registro_calcola
from .schemi import (
    CAMPI_ALLOGGI,
    CAMPI_COMUNICAZIONE,
    CAMPI_ENTI,
    CAMPI_POPOLAZIONE,
    SCHEMI,
)

__all__ = [
    "importazioni_per",
    "CAMPI_ALLOGGI",
    "CAMPI_COMUNICAZIONE",
    "CAMPI_ENTI",
    "CAMPI_POPOLAZIONE",
    "CAMPI_REGISTRO",
    "COLONNE_ALLOGGIO",
    "MAX_ESEMPI",
    "MAX_MESSAGGI_SALVATI",
    "SCHEMI",
    "SERVIZI",
    "STATI",
    "Campo",
    "Esito",
    "Progresso",
    "RigaRegistro",
    "TabellaRegistro",
    "_converti_righe",
    "_leggi",
    "_messaggio_riga",
    "_nulla",
    "_numero_riga",
    "alloggi_importa",
    "colonne_associa",
    "data_dal_titolo",
    "importatore_piano_registra",
    "importazione_crea",
    "importazione_esegui",
    "importazione_registra",
    "mappatura_ricorda",
    "mappature_ricordate",
    "popolazione_importa",
    "registro_calcola",
    "sha256_file",
]
