"""Il territorio di un ambito: i dati di riferimento (comuni, ATS, ALER), gli enti
che comunicano al suo piano e la creazione di un nuovo ambito con i suoi enti, dal
browser (`ambito_con_enti_crea`) o da un file regionale (`ambiti_da_file_crea`).

Sta in `patrimonio` perché crea enti proprietari; l'ambito in sé lo crea
`ambiti.services.ambito_crea`.
"""

from .enti import aler_del_territorio, ente_collega, enti_dell_ambito, enti_visibili
from .file_regionale import ambiti_da_file_crea
from .nuovo import (
    AltroEnte,
    ambito_con_enti_crea,
    comuni_abbinatore,
    nomi_dal_testo,
    nomi_e_sub_ambiti,
)
from .riferimenti import aler_carica, riferimenti_carica

__all__ = [
    "AltroEnte",
    "aler_carica",
    "aler_del_territorio",
    "ambiti_da_file_crea",
    "ambito_con_enti_crea",
    "comuni_abbinatore",
    "enti_dell_ambito",
    "enti_visibili",
    "ente_collega",
    "nomi_dal_testo",
    "nomi_e_sub_ambiti",
    "riferimenti_carica",
]
