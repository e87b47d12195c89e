"""Le intestazioni che la piattaforma regionale stampa (le tabelle dei due piani
d'esempio) si riconoscono tutte, senza mappatura."""

import pytest

from patrimonio.services import CAMPI_ALLOGGI, CAMPI_ENTI, colonne_associa

INTESTAZIONI_SEED = [
    # seed 000 (R.R. 2/2025)
    "Ente Proprietario | Numero Alloggi complessivi | Numero Alloggi Servizio "
    "Abitativo Sociale (SAS) | Numero Alloggi Servizio Abitativo Pubblico (SAP) | "
    "Numero Alloggi altro uso residenziale",
    "Comuni/Aler | Di Proprietà | Stato Libero | Sfitto per Carenze Manutentive | "
    "Sfitto per Ristrutturazione | Stato Occupato | Disponibili nell'Anno",
    "RAGIONE SOCIALE DLL'ENTE PROPRIETARIO | UNITÀ ABITATIVE CHE SI LIBERERANNO PER "
    "EFFETTO DEL TURN OVER",
    "RAGIONE SOCIALE ENTE PROPRIETARIO | NUMERO COMPLESSIVO U.I. DISPONIBILI "
    "NELL'ANNO | NUMERO U.I. CHE SI LIBERERANNO PER EFFETTO DEL TURN OVER",
    "RAGIONE SOCIALE ENTE PROPRIETARIO | NUMERO U.I. ASSEGNAME L'ANNO PRECEDENTE",
    # seed 002 (testo previgente)
    "Ente proprietario | Numero U.I di proprietà | Numero U.I. per Servizi Abitativi "
    "Sociali (SAS) | Numero U.I. per Servizi Abitativi Pubblici (SAP)",
    "Ente proprietario | Numero U.I. libere e che si libereranno per effetto del "
    "turn-over | Numero U.I. in carenza manutentiva assegnabili nello stato di fatto | "
    "Numero U.I. disponibili per nuova edificazione, ristrutturazione, recupero, "
    "riqualificazione",
    "Ente proprietario | Numero complessivo U.I. disponibili nell'anno",
    "Ente proprietario | U.I. da destinare a SAT",
    "Ente proprietario | U.I. assegnate nel 2024",
]


@pytest.mark.parametrize("riga", INTESTAZIONI_SEED)
def test_platform_headers_are_all_recognised(riga):
    intestazioni = [t.strip() for t in riga.split("|")]
    indici, sconosciute, errori = colonne_associa(intestazioni, CAMPI_ENTI, {})
    assert sconosciute == [] and errori == []
    assert len(indici) == len(intestazioni)


def test_registry_synonyms():
    intestazioni = ["COD. ALLOGGIO", "Proprietario", "Codice ISTAT", "Via", "N. civico",
                    "Piano", "Superficie mq", "N. vani", "Tipologia servizio",
                    "Stato alloggio", "Anno costruzione",
                    "Data aggiornamento"]  # fmt: skip
    indici, sconosciute, errori = colonne_associa(intestazioni, CAMPI_ALLOGGI, {})
    assert sconosciute == [] and errori == []
    assert indici["codice"] == 0 and indici["aggiornato_il"] == 11
