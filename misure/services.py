"""Rent-support workflows: eligibility, graduatoria, scorrimento, import,
publication and the log of accesses to applicants' personal data.

The allocation itself (``scorrimento_ripartisci``) is a pure function on plain
numbers, so its invariants can be tested on many generated cases; the database
services wrap it.
"""

from __future__ import annotations

import io
import logging
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.db import IntegrityError, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from pianocasa.formati import data as data_it
from pianocasa.formati import euro
from pianocasa.lettori import (
    ErroreImport,
    Tabella,
    lettera_colonna,
    normalizza_intestazione,
    tabella_leggi,
)
from pianocasa.pdf import html_in_pdf
from pianocasa.ui import neutralizza

from .models import (
    AccessoDatiPersonali,
    Bando,
    CriterioPunteggio,
    Domanda,
    Erogazione,
    Scorrimento,
)

logger_accessi = logging.getLogger("pianocasa.accessi")

CENTESIMO = Decimal("0.01")
ZERO = Decimal("0.00")
# Reference ISEE for the ISEE criterion when the bando sets no cap.
ISEE_RIFERIMENTO = Decimal("26000")


def _cent(valore: Decimal) -> Decimal:
    return valore.quantize(CENTESIMO, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------
# Pure functions
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Quota:
    """A share of an application's contribution paid by one source (indices into
    the ranked contributions and the ordered sources)."""

    domanda: int
    fonte: int
    importo: Decimal


def scorrimento_ripartisci(
    *, contributi: Sequence[Decimal], disponibilita: Sequence[Decimal]
) -> list[Quota]:
    """Pour the sources, in order, down the ranked list of contributions.

    Each source pays from the first application not yet fully funded; when it
    runs out, that application stays partial and the next source first completes
    it. At most one application ends partial: the lowest-ranked funded one.
    """
    quote: list[Quota] = []
    i = 0
    residuo_domanda = contributi[0] if contributi else ZERO
    for f, disponibile in enumerate(disponibilita):
        while disponibile > 0 and i < len(contributi):
            if residuo_domanda <= 0:
                # nothing due (should not happen for admitted domande): skip it
                i += 1
                residuo_domanda = contributi[i] if i < len(contributi) else ZERO
                continue
            pagato = min(disponibile, residuo_domanda)
            quote.append(Quota(i, f, pagato))
            disponibile -= pagato
            residuo_domanda -= pagato
            if residuo_domanda == 0:
                i += 1
                residuo_domanda = contributi[i] if i < len(contributi) else ZERO
    return quote


def contributo_calcola(
    *, canone_mensile: Decimal, mensilita: int | None, massimo: Decimal | None
) -> Decimal:
    """Months × rent, up to the cap, to the cent (e.g. 10 months, at most 3.600)."""
    if mensilita:
        importo = canone_mensile * mensilita
    elif massimo is not None:
        importo = massimo
    else:
        importo = canone_mensile
    if massimo is not None:
        importo = min(importo, massimo)
    return _cent(importo)


def eta_calcola(nascita: date, al: date) -> int:
    return al.year - nascita.year - ((al.month, al.day) < (nascita.month, nascita.day))


def requisiti_verifica(
    *, domanda: Domanda, bando: Bando, comuni_ambito: set[int]
) -> list[str]:
    """The reasons for excluding the domanda; empty if it is admitted."""
    motivi: list[str] = []
    if bando.isee_massimo is not None and domanda.isee > bando.isee_massimo:
        motivi.append(
            _t("ISEE %(isee)s superiore al limite di %(tetto)s")
            % {"isee": euro(domanda.isee), "tetto": euro(bando.isee_massimo)}
        )
    if (
        bando.richiede_residenza_ambito
        and domanda.comune_residenza_id not in comuni_ambito
    ):
        motivi.append(_t("Residenza in un comune che non appartiene all'ambito"))
    if bando.richiede_contratto_registrato and not domanda.contratto_registrato:
        motivi.append(_t("Contratto di locazione non registrato"))
    if (
        bando.mesi_minimi_alloggio
        and domanda.mesi_alloggio < bando.mesi_minimi_alloggio
    ):
        motivi.append(
            _t("Residenza nell'alloggio da %(mesi)d mesi, ne sono richiesti %(minimo)d")
            % {"mesi": domanda.mesi_alloggio, "minimo": bando.mesi_minimi_alloggio}
        )
    if bando.esclude_inquilini_sap_sat and domanda.inquilino_sap_sat:
        motivi.append(_t("Inquilino di un alloggio SAP o SAT"))
    if (
        bando.altri_contributi_dal
        and domanda.altri_contributi_data
        and domanda.altri_contributi_data >= bando.altri_contributi_dal
    ):
        motivi.append(
            _t("Altro contributo per l'alloggio percepito dopo il %(data)s")
            % {"data": data_it(bando.altri_contributi_dal)}
        )
    if (
        bando.richiede_procedura_rilascio
        and domanda.procedura == Domanda.Procedura.NESSUNA
    ):
        motivi.append(_t("Nessuna procedura di sfratto o pignoramento in corso"))
    if domanda.canone_mensile <= 0:
        motivi.append(_t("Canone mensile nullo: nessun contributo spettante"))
    return motivi


def punteggio_calcola(
    *, domanda: Domanda, criteri: Iterable[CriterioPunteggio], bando: Bando
) -> Decimal:
    """Σ peso × fattore: età ≥ soglia → 1; componenti e minori contati fino
    alla soglia; ISEE → (riferimento − ISEE) / riferimento, mai negativo."""
    al = bando.data_scadenza or domanda.data_protocollo
    totale = Decimal("0")
    for criterio in criteri:
        soglia = criterio.soglia or CriterioPunteggio.SOGLIE.get(criterio.criterio, 0)
        match criterio.criterio:
            case CriterioPunteggio.Criterio.ETA:
                fattore = Decimal(int(eta_calcola(domanda.data_nascita, al) >= soglia))
            case CriterioPunteggio.Criterio.COMPONENTI:
                fattore = Decimal(min(domanda.componenti, soglia))
            case CriterioPunteggio.Criterio.MINORI:
                fattore = Decimal(min(domanda.minori, soglia))
            case CriterioPunteggio.Criterio.ISEE:
                riferimento = bando.isee_massimo or ISEE_RIFERIMENTO
                fattore = max(Decimal("0"), (riferimento - domanda.isee) / riferimento)
            case _:
                fattore = Decimal("0")
        totale += criterio.peso * fattore
    return _cent(totale)


def _protocollo_chiave(protocollo: str) -> tuple:
    # «99» before «100»: compare the digits as numbers
    cifre = "".join(c for c in protocollo if c.isdigit())
    return (int(cifre) if cifre else 0, protocollo)


def graduatoria_chiave(domanda: Domanda, spareggio: str) -> tuple:
    """Higher score first; ties by lower ISEE (if chosen), then earlier protocol."""
    chiave: tuple = (-domanda.punteggio,)
    if spareggio == "isee_protocollo":
        chiave += (domanda.isee,)
    return chiave + (
        domanda.data_protocollo,
        _protocollo_chiave(domanda.protocollo),
        domanda.pk or 0,
    )


# --------------------------------------------------------------------------
# Database services
# --------------------------------------------------------------------------
class ScorrimentoNonEseguibile(Exception):
    pass


@transaction.atomic
def graduatoria_calcola(*, bando: Bando) -> int:
    """Check every domanda, score and rank the admitted ones, compute the
    contribution due. Invalidates an earlier scorrimento (its quotas are deleted:
    the ranking they followed no longer exists). Returns the admitted count."""
    bando = Bando.objects.select_for_update().get(pk=bando.pk)
    comuni = set(bando.ambito.appartenenze.values_list("comune_id", flat=True))
    criteri = list(bando.criteri.all())
    domande = list(bando.domande.all())
    ammesse = []
    for domanda in domande:
        motivi = requisiti_verifica(domanda=domanda, bando=bando, comuni_ambito=comuni)
        domanda.motivi_esclusione = motivi
        domanda.posizione = None
        if motivi:
            domanda.esito = Domanda.Esito.ESCLUSA
            domanda.punteggio = None
            domanda.contributo = None
        else:
            domanda.esito = Domanda.Esito.AMMESSA
            domanda.punteggio = punteggio_calcola(
                domanda=domanda, criteri=criteri, bando=bando
            )
            domanda.contributo = contributo_calcola(
                canone_mensile=domanda.canone_mensile,
                mensilita=bando.contributo_mensilita,
                massimo=bando.contributo_massimo,
            )
            ammesse.append(domanda)
    ammesse.sort(key=lambda d: graduatoria_chiave(d, bando.spareggio))
    for posizione, domanda in enumerate(ammesse, start=1):
        domanda.posizione = posizione
    Erogazione.objects.filter(domanda__bando=bando).delete()
    _domande_aggiorna(
        domande, ["esito", "motivi_esclusione", "punteggio", "posizione", "contributo"]
    )
    # A new ranking is not what the staff decided to publish: withdraw it from
    # the public page until they publish it again.
    Bando.objects.filter(pk=bando.pk).update(
        versione_graduatoria=bando.versione_graduatoria + 1,
        graduatoria_pubblicata_il=None,
        graduatoria_pubblicata_da=None,
    )
    return len(ammesse)


@transaction.atomic
def bando_salva(*, form, fonti=None, criteri=None) -> Bando:
    """A bando with its funding sources and scoring criteria, all or nothing
    (the forms are already valid)."""
    bando = form.save()
    for formset in (fonti, criteri):
        if formset is not None:
            formset.instance = bando
            formset.save()
    return bando


def _domande_aggiorna(domande: list[Domanda], campi: list[str]) -> None:
    """One UPDATE per row through executemany: bulk_update builds a CASE per
    field and row and costs ~4 ms a row (0,8 s for the 200-domande demo)."""
    if not domande:
        return
    connessione = connections[Domanda.objects.db]
    quota = connessione.ops.quote_name
    campi_modello = [Domanda._meta.get_field(c) for c in campi]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quota(Domanda._meta.db_table),
        ", ".join(f"{quota(f.column)} = %s" for f in campi_modello),
        quota(Domanda._meta.pk.column),
    )
    righe = [
        [f.get_db_prep_save(getattr(d, f.attname), connessione) for f in campi_modello]
        + [d.pk]
        for d in domande
    ]
    with connessione.cursor() as cursore:
        cursore.executemany(sql, righe)


def scorrimento_esegui(*, bando: Bando, utente) -> Scorrimento:
    """Pour the bando's sources down its graduatoria and record each quota.

    Atomic. The bando row is locked, and the run is recorded once per version
    of the graduatoria (a unique constraint backs it): of two concurrent runs
    the second finds the first committed and is refused."""
    versione_vista = bando.versione_graduatoria
    with transaction.atomic():
        bando = Bando.objects.select_for_update().get(pk=bando.pk)
        versione = bando.versione_graduatoria
        if versione == 0:
            raise ScorrimentoNonEseguibile(_t("Calcolare prima la graduatoria."))
        if versione != versione_vista:
            raise ScorrimentoNonEseguibile(
                _t("La graduatoria è stata ricalcolata nel frattempo.")
            )
        if bando.scorrimenti.filter(versione_graduatoria=versione).exists():
            raise ScorrimentoNonEseguibile(
                _t("Lo scorrimento di questa graduatoria è già stato eseguito.")
            )
        fonti = list(bando.fonti.order_by("ordine", "pk"))
        if not fonti or any(f.importo is None for f in fonti):
            raise ScorrimentoNonEseguibile(
                _t("Ogni fonte di finanziamento deve avere un importo.")
            )
        ammesse = list(
            bando.domande.filter(esito=Domanda.Esito.AMMESSA).order_by("posizione")
        )
        quote = scorrimento_ripartisci(
            contributi=[d.contributo for d in ammesse],
            disponibilita=[f.importo for f in fonti],
        )
        Erogazione.objects.filter(domanda__bando=bando).delete()
        try:
            with transaction.atomic():
                scorrimento = Scorrimento.objects.create(
                    bando=bando,
                    versione_graduatoria=versione,
                    eseguito_da=utente,
                    importo_erogato=sum((q.importo for q in quote), ZERO),
                    domande_finanziate=len({q.domanda for q in quote}),
                )
        except IntegrityError as errore:
            # the unique (bando, versione) record: another run got there first
            raise ScorrimentoNonEseguibile(
                _t("Lo scorrimento di questa graduatoria è già stato eseguito.")
            ) from errore
        Erogazione.objects.bulk_create(
            [
                Erogazione(
                    scorrimento=scorrimento,
                    domanda=ammesse[q.domanda],
                    fonte=fonti[q.fonte],
                    importo=q.importo,
                )
                for q in quote
            ],
            batch_size=500,
        )
    return scorrimento


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
        return repr(round(valore, 2))
    testo = str(valore).strip()
    if campo in {"isee", "canone_mensile"} and "," in testo:
        testo = testo.replace("€", "").replace(".", "").replace(",", ".").strip()
    return testo


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
    *, bando: Bando, contenuto: bytes, nome_file: str = "domande.xlsx"
) -> int:
    """Create the domande of an XLSX file: every bad row is reported in one
    pass («Riga 12, colonna ISEE: …») and nothing is written if any is bad."""
    from .forms import DomandaImportForm

    try:
        tabella = domande_leggi_xlsx(contenuto, nome_file=nome_file)
    except ErroreImport as errore:
        raise ImportazioneNonValida(errore.messaggi) from errore
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
    errori: list[str] = [
        _t(
            "Riga %(n)d, colonna %(c)s: formula senza valore calcolato: aprire il "
            "file in Excel, ricalcolare e salvare."
        )
        % {"n": riga, "c": _intestazione_di(tabella, colonna)}
        for riga, colonna in tabella.formule_senza_valore
    ]
    da_salvare: list[Domanda] = []
    visti: dict[str, int] = {}
    for indice_riga, riga in enumerate(tabella.righe):
        numero = tabella.numero_riga(indice_riga)
        if all(v is None or str(v).strip() == "" for v in riga):
            continue
        dati = {
            campo: _cella(riga[i] if i < len(riga) else None, campo)
            for campo, i in posizioni.items()
        }
        dati.setdefault("minori", "0")
        form = DomandaImportForm(data=dati, instance=Domanda(bando=bando))
        if not form.is_valid():
            for campo, messaggi in form.errors.items():
                colonna = INTESTAZIONI.get(campo) or _colonna_di(messaggi)
                for messaggio in messaggi:
                    errori.append(
                        _t("Riga %(n)d, colonna %(c)s: %(m)s")
                        % {"n": numero, "c": colonna, "m": messaggio}
                        if colonna
                        else _t("Riga %(n)d: %(m)s") % {"n": numero, "m": messaggio}
                    )
            continue
        protocollo = form.cleaned_data["protocollo"]
        if protocollo in visti:
            errori.append(
                _t("Riga %(n)d, colonna Protocollo: già presente alla riga %(r)d.")
                % {"n": numero, "r": visti[protocollo]}
            )
            continue
        visti[protocollo] = numero
        da_salvare.append(form.instance)
    if errori:
        raise ImportazioneNonValida(errori)
    if not da_salvare:
        raise ImportazioneNonValida([_t("Il file non contiene domande.")])
    with transaction.atomic():
        Domanda.objects.bulk_create(da_salvare, batch_size=500)
    return len(da_salvare)


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


# --------------------------------------------------------------------------
# Publication: protocol number, rank, score, outcome and amount ONLY
# (D.Lgs. 33/2013 art. 26 c. 4: no names, tax codes, ISEE or household data)
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class RigaPubblica:
    posizione: int | None
    protocollo: str
    punteggio: Decimal | None
    esito: str
    importo: Decimal


def graduatoria_pubblica(*, bando: Bando) -> list[RigaPubblica]:
    """Admitted domande by rank, then the excluded ones by protocol."""
    assegnato: dict[int, Decimal] = {}
    for domanda_id, importo in Erogazione.objects.filter(
        domanda__bando=bando
    ).values_list("domanda_id", "importo"):
        assegnato[domanda_id] = assegnato.get(domanda_id, ZERO) + importo
    righe = []
    # bando_id too: the related manager sets each row's bando from it, and a
    # deferred bando_id would cost one query per domanda.
    domande = bando.domande.exclude(esito=Domanda.Esito.DA_VALUTARE).only(
        "pk",
        "bando_id",
        "protocollo",
        "data_protocollo",
        "esito",
        "punteggio",
        "posizione",
        "contributo",
    )
    ordinate = sorted(
        domande,
        key=lambda d: (
            d.posizione is None,
            d.posizione or 0,
            d.data_protocollo,
            _protocollo_chiave(d.protocollo),
        ),
    )
    for d in ordinate:
        importo = assegnato.get(d.pk, ZERO)
        if d.esito == Domanda.Esito.ESCLUSA:
            esito = _t("Esclusa")
        elif importo and importo >= d.contributo:
            esito = _t("Finanziata")
        elif importo:
            esito = _t("Finanziata in parte")
        else:
            esito = _t("Ammessa, non finanziata")
        righe.append(
            RigaPubblica(d.posizione, d.protocollo, d.punteggio, esito, importo)
        )
    return righe


class GraduatoriaNonPubblicabile(Exception):
    pass


@transaction.atomic
def graduatoria_pubblica_imposta(*, bando: Bando, utente, pubblica: bool) -> Bando:
    """Publish the graduatoria on the ambito's public page (who and when are
    recorded) or withdraw it. Only a computed graduatoria can be published."""
    bando = Bando.objects.select_for_update().get(pk=bando.pk)
    if pubblica:
        if not bando.graduatoria_pubblicabile:
            raise GraduatoriaNonPubblicabile(
                _t(
                    "La graduatoria non è ancora stata calcolata: "
                    "non può essere pubblicata."
                )
            )
        bando.graduatoria_pubblicata_il = timezone.now()
        bando.graduatoria_pubblicata_da = utente
    else:
        bando.graduatoria_pubblicata_il = None
        bando.graduatoria_pubblicata_da = None
    bando.save(update_fields=["graduatoria_pubblicata_il", "graduatoria_pubblicata_da"])
    return bando


INTESTAZIONI_PUBBLICHE = [
    _("Posizione"),
    _("Protocollo"),
    _("Punteggio"),
    _("Esito"),
    _("Contributo assegnato (€)"),
]


def graduatoria_xlsx(*, bando: Bando) -> bytes:
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    foglio = libro.create_sheet(_t("Graduatoria"))
    foglio.append([neutralizza(bando.titolo)])
    foglio.append([str(h) for h in INTESTAZIONI_PUBBLICHE])
    for r in graduatoria_pubblica(bando=bando):
        foglio.append(
            [
                r.posizione,
                neutralizza(r.protocollo),
                r.punteggio,
                neutralizza(r.esito),
                r.importo,
            ]
        )
    uscita = io.BytesIO()
    libro.save(uscita)
    return uscita.getvalue()


def graduatoria_html(*, bando: Bando) -> str:
    return render_to_string(
        "misure/graduatoria_pdf.html",
        {
            "bando": bando,
            "righe": graduatoria_pubblica(bando=bando),
            "intestazioni": INTESTAZIONI_PUBBLICHE,
        },
    )


def graduatoria_pdf(*, bando: Bando) -> bytes:
    """A4, tagged PDF (title, author and language in its metadata)."""
    with translation.override("it"):
        html = graduatoria_html(bando=bando)
    return html_in_pdf(html, pdf_tags=True)


# --------------------------------------------------------------------------
# Accesses to personal data
# --------------------------------------------------------------------------
def accesso_registra(
    *, utente, bando: Bando, domande: Iterable[Domanda | None], vista: str
) -> None:
    """Record who saw which domanda, in the table and in «pianocasa.accessi»."""
    righe = [
        AccessoDatiPersonali(utente=utente, bando=bando, domanda=d, vista=vista)
        for d in domande
    ] or [AccessoDatiPersonali(utente=utente, bando=bando, domanda=None, vista=vista)]
    AccessoDatiPersonali.objects.bulk_create(righe)
    for riga in righe:
        logger_accessi.info(
            "accesso dati personali: utente=%s vista=%s bando=%s domanda=%s",
            utente.get_username(),
            vista,
            bando.pk,
            riga.domanda.pk if riga.domanda else "-",
        )
