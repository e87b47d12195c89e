"""The demo bando: 200 generated applications for an ambito, ranked and funded,
so a new user sees a graduatoria and a funding run. Invented people, fixed seed."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from ambiti.models import Ambito, Comune

from .codice_fiscale import codice_fiscale_calcola
from .models import (
    AssegnazioneDgr,
    Bando,
    CriterioPunteggio,
    Dgr,
    Domanda,
    FonteFinanziamento,
)
from .services import graduatoria_calcola, scorrimento_esegui

TITOLO_DEMO = (
    "Avviso dimostrativo 2026 – contributi per il mantenimento dell'alloggio in "
    "locazione (misura unica, DGR XII/5292 del 10/11/2025)"
)
N_DOMANDE = 200
SEME = 20260202

NOMI_M = [
    "Marco",
    "Luca",
    "Giuseppe",
    "Giovanni",
    "Alessandro",
    "Andrea",
    "Matteo",
    "Francesco",
    "Stefano",
    "Roberto",
    "Paolo",
    "Davide",
    "Simone",
    "Fabio",
    "Massimo",
    "Claudio",
    "Daniele",
    "Mario",
    "Pietro",
    "Angelo",
    "Gianluca",
    "Riccardo",
    "Emanuele",
    "Youssef",
    "Ion",
    "Mohamed",
    "Omar",
]
NOMI_F = [
    "Giulia",
    "Francesca",
    "Chiara",
    "Sara",
    "Laura",
    "Valentina",
    "Elena",
    "Federica",
    "Silvia",
    "Martina",
    "Alessia",
    "Paola",
    "Monica",
    "Elisa",
    "Cristina",
    "Barbara",
    "Roberta",
    "Daniela",
    "Giovanna",
    "Patrizia",
    "Fatima",
    "Maria",
    "Ioana",
    "Amina",
    "Lucia",
]
COGNOMI = [
    "Bonetti",
    "Bertocchi",
    "Carrara",
    "Pezzoli",
    "Zanoletti",
    "Morstabilini",
    "Trussardi",
    "Fornoni",
    "Bonaldi",
    "Bertuletti",
    "Rota",
    "Cortinovis",
    "Pedrini",
    "Savoldelli",
    "Ghilardi",
    "Magri",
    "Zucchelli",
    "Cattaneo",
    "Bellini",
    "Ferrari",
    "Colombo",
    "Ruggeri",
    "Guerinoni",
    "Bonomi",
    "Poloni",
    "Lazzaroni",
    "Scandella",
    "Tiraboschi",
    "Mosconi",
    "Azzola",
    "Fiorina",
    "Pasinetti",
    "Oprea",
    "El Amrani",
    "Popescu",
    "Benali",
    "Bendotti",
    "Personeni",
    "Moioli",
    "Belotti",
]
# Belfiore codes of birthplaces: some comuni of the province and abroad.
LUOGHI_NASCITA = ["A794", "C800", "F205", "L388", "D952", "Z129", "Z330", "A246"]


def _domanda_genera(
    rng: random.Random,
    bando: Bando,
    numero: int,
    comuni_ambito: list[Comune],
    comuni_fuori: list[Comune],
) -> Domanda:
    femmina = rng.random() < 0.55
    nome = rng.choice(NOMI_F if femmina else NOMI_M)
    cognome = rng.choice(COGNOMI)
    nascita = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 63))
    componenti = rng.choices([1, 2, 3, 4, 5, 6], weights=[25, 22, 20, 18, 10, 5])[0]
    minori = rng.randint(0, max(0, componenti - 1)) if componenti > 1 else 0
    # cents never «,00», so an ISEE cannot be mistaken for a whole-euro amount
    isee = Decimal(rng.randrange(150_000, 1_660_000)) / 100
    if isee == isee.to_integral_value():
        isee += Decimal("0.37")
    comune = rng.choice(comuni_fuori) if rng.random() < 0.02 else None
    return Domanda(
        bando=bando,
        protocollo=f"{1200 + numero * 7:07d}/2026",
        data_protocollo=bando.data_pubblicazione
        + timedelta(days=numero * 57 // N_DOMANDE),
        cognome=cognome,
        nome=nome,
        codice_fiscale=codice_fiscale_calcola(
            cognome=cognome,
            nome=nome,
            nascita=nascita,
            femmina=femmina,
            belfiore=rng.choice(LUOGHI_NASCITA),
        ),
        data_nascita=nascita,
        comune_residenza=comune or rng.choice(comuni_ambito),
        componenti=componenti,
        minori=minori,
        isee=isee,
        canone_mensile=Decimal(rng.randrange(280, 760, 5)),
        contratto_registrato=rng.random() > 0.02,
        mesi_alloggio=rng.choices([8, 14, 24, 36, 60, 120], weights=[1, 3, 4, 4, 3, 2])[
            0
        ],
        inquilino_sap_sat=rng.random() < 0.02,
        altri_contributi_data=(
            date(2025, 3, 1) + timedelta(days=rng.randrange(300))
            if rng.random() < 0.03
            else None
        ),
    )


@transaction.atomic
def bando_demo_carica(*, ambito: Ambito) -> Bando:
    """The demo bando of the ambito, with 200 applications, the graduatoria and
    one funding run. Idempotent: a complete demo bando is returned as it is."""
    bando = _bando_demo(ambito)
    if (
        bando.domande.count() == N_DOMANDE
        and bando.scorrimenti.filter(
            versione_graduatoria=bando.versione_graduatoria
        ).exists()
    ):
        return bando
    _fonte_demo(bando, ambito)
    _criteri_demo(bando)
    _domande_demo(bando, ambito)
    graduatoria_calcola(bando=bando)
    bando.refresh_from_db()
    scorrimento_esegui(bando=bando, utente=None)
    return bando


def _bando_demo(ambito: Ambito) -> Bando:
    bando, _creato = Bando.objects.get_or_create(
        ambito=ambito,
        titolo=TITOLO_DEMO,
        defaults={
            "descrizione_breve": "avviso dimostrativo (dati inventati)",
            "misura": Bando.Misura.UNICA,
            "data_pubblicazione": date(2026, 2, 2),
            "data_scadenza": date(2026, 3, 31),
            "importo": Decimal("10816.00"),
            "gestito": True,
            "isee_massimo": Decimal("16000.00"),
            "richiede_residenza_ambito": True,
            "richiede_contratto_registrato": True,
            "mesi_minimi_alloggio": 12,
            "esclude_inquilini_sap_sat": True,
            "altri_contributi_dal": date(2025, 1, 1),
            "contributo_mensilita": 3,
            "contributo_massimo": Decimal("1500.00"),
        },
    )
    return bando


def _fonte_demo(bando: Bando, ambito: Ambito) -> None:
    """The whole amount from one regional DGR assigned to the ambito."""
    dgr, _c = Dgr.objects.get_or_create(
        tipo_atto=Dgr.TipoAtto.DGR,
        numero=5292,
        anno=2025,
        defaults={"legislatura": "XII", "data": date(2025, 11, 10)},
    )
    assegnazione, _c = AssegnazioneDgr.objects.get_or_create(
        ambito=ambito, dgr=dgr, defaults={"assegnate": Decimal("10816.00")}
    )
    FonteFinanziamento.objects.update_or_create(
        bando=bando,
        assegnazione=assegnazione,
        defaults={"ordine": 1, "importo": Decimal("10816.00")},
    )


def _criteri_demo(bando: Bando) -> None:
    # Seed 002's criteria: applicant's age, household size, minors, ISEE.
    for ordine, (criterio, peso, soglia) in enumerate(
        [
            (CriterioPunteggio.Criterio.ETA, "10", 65),
            (CriterioPunteggio.Criterio.COMPONENTI, "2", 6),
            (CriterioPunteggio.Criterio.MINORI, "3", 4),
            (CriterioPunteggio.Criterio.ISEE, "20", None),
        ],
        start=1,
    ):
        CriterioPunteggio.objects.update_or_create(
            bando=bando,
            criterio=criterio,
            defaults={"peso": Decimal(peso), "soglia": soglia, "ordine": ordine},
        )


def _domande_demo(bando: Bando, ambito: Ambito) -> None:
    """200 invented applications, most from the ambito's comuni."""
    bando.scorrimenti.all().delete()
    bando.domande.all().delete()
    rng = random.Random(SEME)
    comuni_ambito = list(Comune.objects.filter(ambiti=ambito).order_by("codice_istat"))
    comuni_fuori = (
        list(
            Comune.objects.filter(sigla_provincia="BG")
            .exclude(ambiti=ambito)
            .order_by("codice_istat")[:20]
        )
        or comuni_ambito
    )
    Domanda.objects.bulk_create(
        [
            _domanda_genera(rng, bando, n, comuni_ambito, comuni_fuori)
            for n in range(1, N_DOMANDE + 1)
        ]
    )
