"""Dall'anagrafe alle tabelle del piano (consistenza e stato SAP per ente e per
comune) e confronto con quanto comunicato dagli enti."""

from patrimonio.services import alloggi_importa, registro_calcola
from piani.importazioni import registro_confronta
from tests.patrimonio.aiuti import scrivi_xlsx


def _alloggi(prefisso, ente, istat, servizio, stati: dict[str, int]) -> list[list]:
    righe = []
    for stato, quanti in stati.items():
        for _i in range(quanti):
            n = len(righe)
            righe.append(
                [f"{prefisso}-{stato[:3]}-{n:04d}", ente, istat, "Via Roma", "1", "1",
                 60, 3, servizio, stato, 1980, None]
            )  # fmt: skip
    return righe


def _registro(tmp_path):
    # Come comunicato nel seed 000: Clusone 61 SAP (0/9/4/48), ALER 63 (7/6/6/44).
    righe = _alloggi(
        "CLU",
        "Comune di Clusone",
        "016077",
        "SAP",
        {"libero": 0, "carenza": 9, "ristrutturazione": 4, "occupato": 48},
    )
    righe += _alloggi(
        "ALER",
        "ALER Bergamo - Lecco - Sondrio",
        "016077",
        "SAP",
        {"libero": 7, "carenza": 6, "ristrutturazione": 6, "occupato": 44},
    )
    # Ardesio ne comunica 36 SAP (2/7/0/27): l'anagrafe ne ha 35 SAP + 2 SAS.
    righe += _alloggi(
        "ARD",
        "Comune di Ardesio",
        "016012",
        "SAP",
        {"libero": 1, "carenza": 7, "occupato": 27},
    )
    righe += _alloggi("ARDS", "Comune di Ardesio", "016012", "SAS", {"occupato": 2})
    # Un alloggio ALER fuori dall'ambito (Bergamo) non conta per questo piano.
    righe += _alloggi("ALBG", "ALER Bergamo - Lecco - Sondrio", "016024", "SAP",
                      {"occupato": 1})  # fmt: skip
    esito = alloggi_importa(
        percorso=scrivi_xlsx(tmp_path / "r.xlsx", righe), scrivi=True
    )
    assert esito.errori == [], esito.errori


def test_registry_tables_per_ente_and_per_comune(
    tmp_path, anagrafe_base, piano_esempio
):
    _registro(tmp_path)
    tabella = registro_calcola(piano=piano_esempio)
    per_ente = {r.oggetto.denominazione: r.valori for r in tabella.per_ente}
    assert per_ente["ALER Bergamo - Lecco - Sondrio"]["alloggi_sap"] == 63
    assert per_ente["Comune di Clusone"] == {
        "alloggi_totali": 61, "alloggi_sas": 0, "alloggi_sap": 61,
        "alloggi_altro": 0, "sap_liberi": 0, "sap_carenze": 9,
        "sap_ristrutturazione": 4, "sap_occupati": 48,
    }  # fmt: skip
    assert per_ente["Comune di Ardesio"]["alloggi_totali"] == 37
    assert [r.oggetto.denominazione for r in tabella.per_ente][0].startswith("ALER")
    per_comune = {r.oggetto.nome: r.valori for r in tabella.per_comune}
    assert per_comune["Clusone"]["alloggi_sap"] == 124
    assert "Bergamo" not in per_comune


def test_differences_with_the_communicated_data(tmp_path, anagrafe_base, piano_esempio):
    _registro(tmp_path)
    differenze = registro_confronta(piano=piano_esempio)
    trovate = {
        (d.ente.denominazione, d.campo): (d.comunicato, d.registro) for d in differenze
    }
    assert trovate == {
        ("Comune di Ardesio", "alloggi_totali"): (36, 37),
        ("Comune di Ardesio", "alloggi_sas"): (0, 2),
        ("Comune di Ardesio", "alloggi_sap"): (36, 35),
        ("Comune di Ardesio", "sap_liberi"): (2, 1),
    }
    messaggio = next(d.messaggio for d in differenze if d.campo == "alloggi_sap")
    assert "Comune di Ardesio" in messaggio and "36" in messaggio and "35" in messaggio


def test_no_registry_no_differences(anagrafe_base, piano_esempio):
    assert registro_confronta(piano=piano_esempio) == []


def test_registry_page_of_a_plan(
    tmp_path, anagrafe_base, piano_esempio, staff_a, staff_b
):
    from django.test import Client
    from django.urls import reverse

    client_staff_a, client_staff_b = Client(), Client()
    client_staff_a.force_login(staff_a)
    client_staff_b.force_login(staff_b)
    _registro(tmp_path)
    url = reverse("piani:registro_piano", args=[piano_esempio.pk])
    pagina = client_staff_a.get(url)
    assert pagina.status_code == 200
    testo = pagina.content.decode()
    assert (
        "Comune di Ardesio: alloggi SAP comunicati 36, nell&#x27;anagrafe 35." in testo
    )
    assert '<td class="text-end">124</td>' in testo  # SAP a Clusone (61 + 63)
    assert client_staff_b.get(url).status_code == 404
