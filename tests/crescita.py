"""Grows the data that pages list, for the query-count tests: ``cresci(n=…,
domande=…)`` adds, to one ambito (its latest plan and its managed bando), n rows of
every kind a page lists (past plans too) and that many domande. Called twice (n,
then 9·n) it makes two sizes 10× apart.

Bulk inserts only (seconds, not minutes); invented names and numbers ("Ente di
prova …", protocols from 900000), nothing taken from a seed plan.
"""

import itertools
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from ambiti.models import (
    Ambito,
    AmbitoComune,
    Comune,
    Incarico,
    PopolazioneComune,
    SerieDemografica,
    SubAmbito,
)
from misure.models import (
    AssegnazioneDgr,
    Bando,
    Dgr,
    Domanda,
    Elaborazione,
    Erogazione,
    FonteFinanziamento,
    GraduatoriaPubblicata,
)
from patrimonio.models import Alloggio, EnteProprietario, Importazione
from piani.models import (
    BloccoDgr,
    Comunicazione,
    DecisioneComune,
    FinestraRaccolta,
    PianoAnnuale,
    RiscontroAnomalia,
    Sezione,
    SottosezioneStrategie,
    Transizione,
)

_contatore = itertools.count(1)


def cresci(*, ambito: Ambito, n: int, domande: int = 0) -> None:
    """n more rows of each listed kind for ``ambito`` (its latest plan and its
    managed bandi), and ``domande`` more domande, ranked and partly funded, in
    each managed bando."""
    lotto = next(_contatore)
    rng = random.Random(lotto)
    piano = PianoAnnuale.objects.filter(ambito=ambito).order_by("-anno").first()
    _comuni_ed_enti(ambito=ambito, piano=piano, n=n, lotto=lotto)
    _alloggi(ambito=ambito, n=10 * n, lotto=lotto, rng=rng)
    _importazioni(ambito=ambito, piano=piano, n=n, lotto=lotto)
    bandi, assegnazioni = _misure(ambito=ambito, n=n, lotto=lotto)
    if piano is not None:
        _piano(piano=piano, bandi=bandi, assegnazioni=assegnazioni, lotto=lotto)
    _ambito_e_piano(ambito=ambito, piano=piano, n=n, lotto=lotto)
    _storia(ambito=ambito, piano=piano, n=n)
    if piano is not None:
        # Plans of past years (far back, so the current plan stays the latest).
        PianoAnnuale.objects.bulk_create(
            [
                PianoAnnuale(
                    ambito=ambito, anno=1800 + lotto * 25 + i, normativa=piano.normativa
                )
                for i in range(n)
            ]
        )
    for bando in Bando.objects.filter(ambito=ambito, gestito=True):
        domande_aggiungi(bando=bando, n=domande, lotto=lotto, rng=rng)
    _utenti(ambito=ambito, n=n, lotto=lotto)


def _comuni_ed_enti(*, ambito: Ambito, piano: PianoAnnuale, n: int, lotto: int):
    # Comuni that belong to no ambito join this one: its lists of comuni,
    # population and decisions grow; each becomes an ente with a comunicazione.
    liberi = list(
        Comune.objects.filter(appartenenze__isnull=True, ente__isnull=True).order_by(
            "codice_istat"
        )[:n]
    )
    AmbitoComune.objects.bulk_create(
        [AmbitoComune(ambito=ambito, comune=c, area="Area di prova") for c in liberi]
    )
    PopolazioneComune.objects.bulk_create(
        [
            PopolazioneComune(comune=c, data=date(2024, 1, 1), popolazione=1000 + i)
            for i, c in enumerate(liberi)
        ]
    )
    enti = EnteProprietario.objects.bulk_create(
        [
            EnteProprietario(
                tipo=EnteProprietario.Tipo.COMUNE,
                denominazione=f"Comune di {c.nome}",
                comune=c,
            )
            for c in liberi
        ]
        + [
            EnteProprietario(
                tipo=EnteProprietario.Tipo.ALTRO,
                denominazione=f"Ente di prova {lotto}-{i}",
            )
            for i in range(n)
        ]
    )
    if piano is None:
        return
    Comunicazione.objects.bulk_create(
        [
            Comunicazione(
                piano=piano,
                ente=e,
                esito=Comunicazione.Esito.DATI,
                alloggi_totali=i % 7,
                alloggi_sap=i % 5,
                alloggi_sas=0,
            )
            for i, e in enumerate(enti)
        ]
    )
    DecisioneComune.objects.bulk_create(
        [DecisioneComune(piano=piano, comune=c) for c in liberi]
    )


def _alloggi(*, ambito: Ambito, n: int, lotto: int, rng: random.Random):
    coppie = list(
        EnteProprietario.objects.filter(comune__appartenenze__ambito=ambito)
        .values_list("pk", "comune_id")
        .order_by("pk")
    )
    Alloggio.objects.bulk_create(
        [
            Alloggio(
                codice=f"PROVA-{lotto}-{i:06d}",
                ente_id=coppie[i % len(coppie)][0],
                comune_id=coppie[i % len(coppie)][1],
                indirizzo="Via di prova",
                civico=str(i),
                servizio=rng.choice(["SAP", "SAS"]),
                stato=rng.choice(["occupato", "libero", "carenza"]),
            )
            for i in range(n)
        ]
    )


def _importazioni(*, ambito: Ambito, piano: PianoAnnuale, n: int, lotto: int):
    utente = Incarico.objects.filter(ambito=ambito).first()
    Importazione.objects.bulk_create(
        [
            Importazione(
                tipo=Importazione.Tipo.ALLOGGI,
                utente=utente.utente if utente else None,
                nome_file=f"anagrafe-prova-{lotto}-{i}.xlsx",
                sha256=f"{lotto:032d}{i:032d}",
                piano=piano,
                stato=Importazione.Stato.COMPLETATA,
                conclusa_il=timezone.now(),
                righe=10 + i,
                creati=i,
            )
            for i in range(n)
        ]
    )


def _misure(*, ambito: Ambito, n: int, lotto: int):
    # Regional acts and the ambito's ledger rows; historical bandi funded by them.
    atti = Dgr.objects.bulk_create(
        [
            Dgr(numero=90000 + lotto * 1000 + i, anno=2030, data=date(2030, 1, 1))
            for i in range(n)
        ]
    )
    assegnazioni = AssegnazioneDgr.objects.bulk_create(
        [
            AssegnazioneDgr(ambito=ambito, dgr=d, assegnate=Decimal("1000.00"))
            for d in atti
        ]
    )
    bandi = Bando.objects.bulk_create(
        [
            Bando(
                ambito=ambito,
                titolo=f"Bando di prova {lotto}-{i}",
                data_pubblicazione=date(2001, 1, 1),
                domande_pervenute=10,
                domande_accolte=5,
                domande_finanziate=3,
            )
            for i in range(n)
        ]
    )
    FonteFinanziamento.objects.bulk_create(
        [
            FonteFinanziamento(
                bando=b, assegnazione=a, ordine=1, importo=Decimal("1000.00")
            )
            for b, a in zip(bandi, assegnazioni, strict=True)
        ]
    )
    return bandi, assegnazioni


def _piano(*, piano: PianoAnnuale, bandi, assegnazioni, lotto: int):
    # Chapter 3 paragraphs (one per new bando, with its DGR block), steps of the
    # plan's life and acknowledged anomalie.
    sottosezioni = SottosezioneStrategie.objects.bulk_create(
        [
            SottosezioneStrategie(
                piano=piano,
                ordine=100 + i,
                titolo=f"Paragrafo di prova {lotto}-{i}",
                bando=b,
                testo="Testo di prova.",
            )
            for i, b in enumerate(bandi)
        ]
    )
    BloccoDgr.objects.bulk_create(
        [
            BloccoDgr(sottosezione=s, assegnazione=a, ordine=1)
            for s, a in zip(sottosezioni, assegnazioni, strict=True)
        ]
    )
    utente = get_user_model().objects.filter(incarichi__ambito=piano.ambito).first()
    if utente is None:
        return
    Transizione.objects.bulk_create(
        [
            Transizione(
                piano=piano,
                da_stato=piano.stato,
                a_stato=piano.stato,
                utente=utente,
                nota=f"Passaggio di prova {lotto}-{i}",
            )
            for i in range(len(bandi))
        ]
    )
    RiscontroAnomalia.objects.bulk_create(
        [
            RiscontroAnomalia(
                piano=piano,
                codice="prova",
                oggetto=f"oggetto di prova {lotto}-{i}",
                motivazione="Motivazione di prova.",
                utente=utente,
            )
            for i in range(len(bandi))
        ]
    )


def _ambito_e_piano(*, ambito: Ambito, piano: PianoAnnuale | None, n: int, lotto: int):
    # Sub-ambiti, yearly series (years far back), collection windows, sections.
    SubAmbito.objects.bulk_create(
        [
            SubAmbito(ambito=ambito, nome=f"Sub-ambito di prova {lotto}-{i}")
            for i in range(n)
        ]
    )
    SerieDemografica.objects.bulk_create(
        [
            SerieDemografica(
                ambito=ambito,
                anno=1800 + lotto * 25 + i,
                data=date(1800 + lotto * 25 + i, 12, 31),
                popolazione=10000 + i,
            )
            for i in range(n)
        ]
    )
    if piano is None:
        return
    FinestraRaccolta.objects.bulk_create(
        [
            FinestraRaccolta(
                piano=piano,
                inizio=date(2020, 1, 1) + timedelta(days=10 * i),
                fine=date(2020, 1, 5) + timedelta(days=10 * i),
            )
            for i in range(n)
        ]
    )
    Sezione.objects.bulk_create(
        [
            Sezione(
                piano=piano,
                chiave=f"prova-{lotto}-{i}",
                titolo=f"Sezione di prova {lotto}-{i}",
                testo="Testo di prova.",
                ordine=200 + i,
            )
            for i in range(n)
        ]
    )


def _storia(*, ambito: Ambito, piano: PianoAnnuale | None, n: int):
    # n more history records for every record of the ambito that has a history
    # page (the "storia" pages list them).
    insiemi = [
        Ambito.objects.filter(pk=ambito.pk),
        AssegnazioneDgr.objects.filter(ambito=ambito),
        PopolazioneComune.objects.filter(comune__appartenenze__ambito=ambito),
        SerieDemografica.objects.filter(ambito=ambito),
    ]
    if piano is not None:
        insiemi += [
            PianoAnnuale.objects.filter(pk=piano.pk),
            Comunicazione.objects.filter(piano=piano),
            DecisioneComune.objects.filter(piano=piano),
            Sezione.objects.filter(piano=piano),
        ]
    for qs in insiemi:
        oggetti = list(qs)
        qs.model.history.bulk_history_create(oggetti * n, update=True)


def domande_aggiungi(
    *, bando: Bando, n: int, lotto: int | None = None, rng: random.Random | None = None
) -> None:
    """n domande ranked after the existing ones (one in ten excluded), four in
    ten funded by the bando's latest funding run."""
    lotto = lotto or next(_contatore)
    rng = rng or random.Random(lotto)
    comuni = list(Comune.objects.filter(ambiti=bando.ambito)[:10])
    ultima = bando.domande.aggregate(m=Max("posizione"))["m"] or 0
    domande = Domanda.objects.bulk_create(
        [
            Domanda(
                bando=bando,
                protocollo=f"{900000 + lotto * 100000 + i}/2030",
                data_protocollo=date(2030, 1, 1) + timedelta(days=i % 50),
                cognome="Prova",
                nome=f"Richiedente {i}",
                codice_fiscale="PRVRCH80A01A794X",
                data_nascita=date(1980, 1, 1),
                comune_residenza=comuni[i % len(comuni)],
                componenti=2,
                minori=1,
                isee=Decimal(rng.randrange(1000, 16000)),
                canone_mensile=Decimal("450.00"),
                mesi_alloggio=24,
                esito=(Domanda.Esito.ESCLUSA if i % 10 == 9 else Domanda.Esito.AMMESSA),
                motivi_esclusione=["isee"] if i % 10 == 9 else [],
                punteggio=Decimal("10.00"),
                posizione=None if i % 10 == 9 else ultima + i + 1,
                contributo=Decimal("900.00"),
            )
            for i in range(n)
        ]
    )
    # Finished background work with its error list, so its page is crawled too.
    Elaborazione.objects.bulk_create(
        [
            Elaborazione(
                bando=bando,
                tipo=Elaborazione.Tipo.IMPORTAZIONE,
                stato=Elaborazione.Stato.RIFIUTATA,
                nome_file=f"domande-{lotto}-{i}.xlsx",
                errori=[f"Riga {r}, colonna ISEE: non valido." for r in range(n)],
            )
            for i in range(2)
        ]
    )
    scorrimento = bando.scorrimenti.order_by("-pk").first()
    fonte = bando.fonti.order_by("ordine").first()
    if scorrimento is None or fonte is None:
        return
    Erogazione.objects.bulk_create(
        [
            Erogazione(
                scorrimento=scorrimento,
                domanda=d,
                fonte=fonte,
                importo=Decimal("900.00") if i % 3 else Decimal("450.00"),
            )
            for i, d in enumerate(domande)
            if i % 10 < 4
        ]
    )


def _utenti(*, ambito: Ambito, n: int, lotto: int):
    utenti = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"prova.{lotto}.{i}", first_name="Prova")
            for i in range(n)
        ]
    )
    Incarico.objects.bulk_create(
        [
            Incarico(utente=u, ambito=ambito, ruolo=Incarico.Ruolo.LETTURA)
            for u in utenti
        ]
    )


def pubblicazione_registra(bando: Bando) -> None:
    """The bando's current graduatoria published, rows only: the public page
    reads the stored rows; composing the PDF of 20.000 rows (about 400 pages)
    takes minutes and is tested at the demo's size (test_pubblicazione_congelata)."""
    from misure.services import graduatoria_pubblica, pubblicazione_righe

    dati, impronta = pubblicazione_righe(graduatoria_pubblica(bando=bando))
    GraduatoriaPubblicata.objects.create(
        bando=bando,
        versione_graduatoria=bando.versione_graduatoria,
        righe=dati,
        sha256=impronta,
        motivo="Pubblicazione di prova (solo righe)",
    )
    Bando.objects.filter(pk=bando.pk).update(graduatoria_pubblicata_il=timezone.now())
