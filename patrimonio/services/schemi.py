"""Le colonne riconosciute di ogni tipo di importazione (sinonimi delle intestazioni
e convertitori): anagrafe, tabelle per ente di un piano, popolazione ISTAT."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from patrimonio import lettori
from patrimonio.models import Importazione

from .campi import (
    SERVIZI,
    STATI,
    Campo,
    _anno,
    _conteggio,
    _obbligatorio,
    _percentuale,
    _scelta,
    _testo,
)

CAMPI_ALLOGGI: tuple[Campo, ...] = (
    Campo(
        "codice",
        gettext_lazy("Codice alloggio"),
        (
            "codice alloggio",
            "codice",
            "cod alloggio",
            "codice unita",
            "codice ui",
            "codice u i",
            "id alloggio",
            "identificativo alloggio",
            "codice immobile",
        ),
        _obbligatorio(_testo(40)),
        obbligatorio=True,
    ),
    Campo(
        "ente",
        gettext_lazy("Ente proprietario"),
        (
            "ente proprietario",
            "ente",
            "proprietario",
            "ragione sociale ente proprietario",
            "denominazione ente",
            "ente gestore proprietario",
        ),
        _obbligatorio(_testo(200)),
        obbligatorio=True,
    ),
    Campo(
        "comune_istat",
        gettext_lazy("Codice ISTAT comune"),
        (
            "codice istat comune",
            "codice istat",
            "istat",
            "cod istat",
            "istat comune",
            "codice comune",
        ),
        _testo(10),
    ),
    Campo(
        "comune_nome",
        gettext_lazy("Comune"),
        ("comune", "denominazione comune", "nome comune", "comune ubicazione"),
        _testo(100),
    ),
    Campo(
        "indirizzo",
        gettext_lazy("Indirizzo"),
        ("indirizzo", "via", "toponimo", "indirizzo alloggio"),
        _testo(200),
    ),
    Campo(
        "civico",
        gettext_lazy("Civico"),
        ("civico", "numero civico", "n civico"),
        _testo(20),
    ),
    Campo(
        "piano",
        gettext_lazy("Piano"),
        ("piano", "piano alloggio", "livello"),
        _testo(20),
    ),
    Campo(
        "superficie_mq",
        gettext_lazy("Superficie (m²)"),
        (
            "superficie m2",
            "superficie",
            "superficie mq",
            "mq",
            "superficie utile",
            "sup mq",
            "superficie utile mq",
        ),
        lettori.converti_decimale,
    ),
    Campo(
        "vani",
        gettext_lazy("Vani"),
        ("vani", "numero vani", "n vani", "locali", "numero locali"),
        lambda v: lettori.converti_intero(v, massimo=99),
    ),
    Campo(
        "servizio",
        gettext_lazy("Servizio"),
        (
            "servizio",
            "tipologia servizio",
            "servizio abitativo",
            "tipo servizio",
            "destinazione",
        ),
        _scelta(SERVIZI, "SAP, SAS, SAT, altro"),
        obbligatorio=True,
    ),
    Campo(
        "stato",
        gettext_lazy("Stato"),
        ("stato", "stato alloggio", "stato occupazione", "stato d uso", "stato uso"),
        _scelta(STATI, "libero, carenza, ristrutturazione, occupato"),
        obbligatorio=True,
    ),
    Campo(
        "anno_costruzione",
        gettext_lazy("Anno di costruzione"),
        ("anno di costruzione", "anno costruzione", "anno"),
        _anno,
    ),
    Campo(
        "aggiornato_il",
        gettext_lazy("Ultimo aggiornamento"),
        (
            "ultimo aggiornamento",
            "data aggiornamento",
            "aggiornato il",
            "data ultimo aggiornamento",
        ),
        lettori.converti_data,
    ),
)

CAMPI_ENTI: tuple[Campo, ...] = (
    Campo(
        "ente",
        gettext_lazy("Ente proprietario"),
        (
            "ente proprietario",
            "ragione sociale ente proprietario",
            "ragione sociale dll ente proprietario",
            "ragione sociale dell ente proprietario",
            "comuni aler",
            "ente",
            "denominazione ente",
            "ragione sociale",
        ),
        _obbligatorio(_testo(200)),
        obbligatorio=True,
    ),
    Campo(
        "alloggi_totali",
        gettext_lazy("Alloggi complessivi"),
        (
            "numero alloggi complessivi",
            "numero u i di proprieta",
            "di proprieta",
            "alloggi complessivi",
            "alloggi totali",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_sas",
        gettext_lazy("Alloggi SAS"),
        (
            "numero alloggi servizio abitativo sociale sas",
            "numero u i per servizi abitativi sociali sas",
            "alloggi sas",
            "sas",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_sap",
        gettext_lazy("Alloggi SAP"),
        (
            "numero alloggi servizio abitativo pubblico sap",
            "numero u i per servizi abitativi pubblici sap",
            "alloggi sap",
            "sap",
        ),
        _conteggio,
    ),
    Campo(
        "alloggi_altro",
        gettext_lazy("Alloggi altro uso residenziale"),
        (
            "numero alloggi altro uso residenziale",
            "altro uso residenziale",
            "alloggi altro uso residenziale",
        ),
        _conteggio,
    ),
    Campo(
        "sap_liberi", gettext_lazy("SAP liberi"), ("stato libero", "liberi"), _conteggio
    ),
    Campo(
        "sap_carenze",
        gettext_lazy("SAP sfitti per carenze manutentive"),
        ("sfitto per carenze manutentive", "sfitti per carenze manutentive"),
        _conteggio,
    ),
    Campo(
        "sap_ristrutturazione",
        gettext_lazy("SAP sfitti per ristrutturazione"),
        ("sfitto per ristrutturazione", "sfitti per ristrutturazione"),
        _conteggio,
    ),
    Campo(
        "sap_occupati",
        gettext_lazy("SAP occupati"),
        ("stato occupato", "occupati"),
        _conteggio,
    ),
    Campo(
        "assegnabili_carenza",
        gettext_lazy("Assegnabili in carenza manutentiva"),
        (
            "numero u i in carenza manutentiva assegnabili nello stato di fatto",
            "u i in carenza manutentiva assegnabili nello stato di fatto",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_ristrutturazione",
        gettext_lazy("Assegnabili da ristrutturazione, recupero, riqualificazione"),
        (
            "numero u i disponibili per nuova edificazione ristrutturazione recupero "
            "riqualificazione",
            "numero u i da ristrutturazione recupero riqualificazione",
            "ristrutturazione recupero riqualificazione",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_nuova_edificazione",
        gettext_lazy("Assegnabili da nuova edificazione"),
        ("numero u i da nuova edificazione", "nuova edificazione"),
        _conteggio,
    ),
    Campo(
        "assegnabili_turnover",
        gettext_lazy("Assegnabili da turn over"),
        (
            "numero u i che si libereranno per effetto del turn over",
            "unita abitative che si libereranno per effetto del turn over",
            "numero u i libere e che si libereranno per effetto del turn over",
            "turn over",
        ),
        _conteggio,
    ),
    Campo(
        "assegnabili_privati",
        gettext_lazy("Conferite da privati"),
        ("numero u i conferite da privati", "conferite da privati"),
        _conteggio,
    ),
    Campo(
        "assegnabili_totale",
        gettext_lazy("Totale assegnabili nell'anno"),
        (
            "numero complessivo u i disponibili nell anno",
            "disponibili nell anno",
            "numero complessivo u i disponibili",
        ),
        _conteggio,
    ),
    Campo(
        "quota_art14",
        gettext_lazy("Quota art. 14 (%)"),
        ("quota art 14", "quota riservata art 14"),
        _percentuale,
    ),
    Campo(
        "unita_sat",
        gettext_lazy("Unità SAT"),
        ("u i da destinare a sat", "numero u i da destinare a sat", "unita sat"),
        _conteggio,
    ),
    Campo(
        "assegnate_anno_precedente",
        gettext_lazy("Assegnate l'anno precedente"),
        (
            "numero u i assegname l anno precedente",
            "numero u i assegnate l anno precedente",
            r"re:(numero )?u i assegnate nel \d{4}",
        ),
        _conteggio,
    ),
)

CAMPI_POPOLAZIONE: tuple[Campo, ...] = (
    Campo(
        "comune_istat",
        gettext_lazy("Codice ISTAT comune"),
        (
            "codice comune",
            "codice istat",
            "codice istat comune",
            "cod istat",
            "istat",
            "codice",
            # dati.istat.it exports name the territory code column ITTER107.
            "itter107",
        ),
        _testo(10),
    ),
    Campo(
        "comune_nome",
        gettext_lazy("Comune"),
        ("comune", "denominazione", "denominazione comune", "territorio"),
        _testo(100),
    ),
    Campo("eta", gettext_lazy("Età"), ("eta",), _testo(10)),
    # Some exports give one row per sex: only the total counts.
    Campo("sesso", gettext_lazy("Sesso"), ("sesso",), _testo(20)),
    Campo(
        "data",
        gettext_lazy("Data"),
        ("data", "data di riferimento", "data riferimento"),
        lettori.converti_data,
    ),
    Campo(
        "popolazione",
        gettext_lazy("Popolazione"),
        (
            "popolazione",
            "popolazione residente",
            "totale",
            "totale maschi e femmine",
            "residenti",
            "popolazione al 1 gennaio",
            "popolazione totale",
        ),
        _obbligatorio(_conteggio),
        obbligatorio=True,
    ),
)

SCHEMI: dict[str, tuple[Campo, ...]] = {
    Importazione.Tipo.ALLOGGI: CAMPI_ALLOGGI,
    Importazione.Tipo.ENTI: CAMPI_ENTI,
    Importazione.Tipo.POPOLAZIONE: CAMPI_POPOLAZIONE,
}

CAMPI_COMUNICAZIONE = [c.chiave for c in CAMPI_ENTI if c.chiave != "ente"]
