"""One rule for each fact: on both seed plans and on generated ones, the figures
the dashboard shows, the document prints, the checks use and the comparison
reads are the same numbers."""

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piani import ciclo
from piani.documento import documento_contesto
from piani.mancanti import enti_senza_comunicazione
from piani.models import Comunicazione, PianoAnnuale
from piani.popolazione import popolazione_del_piano
from piani.services import piano_riepilogo, popolazione_mancante


def _verifica(piano: PianoAnnuale) -> None:
    piano = PianoAnnuale.objects.get(pk=piano.pk)
    riepilogo = piano_riepilogo(piano=piano)
    documento = documento_contesto(piano)
    conteggi, totali = documento["conteggi"], documento["totali"]
    # Counts: the dashboard's aggregate and the document's lists.
    assert riepilogo.enti == conteggi["enti"]
    assert riepilogo.pervenute == conteggi["pervenute"]
    assert riepilogo.con_dati == conteggi["con_dati"]
    assert riepilogo.nessun_patrimonio == conteggi["nessun_patrimonio"]
    assert riepilogo.non_pervenute == len(documento["non_pervenute"])
    # Totals: a missing value is never a 0, in either.
    assert riepilogo.alloggi_totali == (totali["alloggi_totali"] or 0)
    assert riepilogo.alloggi_sap == (totali["alloggi_sap"] or 0)
    assert riepilogo.assegnabili_comunicate == (totali["assegnabili_totale"] or 0)
    assert riepilogo.mancanti_nei_totali == documento["mancanti"]["alloggi_totali"]
    # Who has not answered: the dashboard's rows are the collection's list.
    non_arrivate = {c.ente for c in piano.comunicazioni.filter(esito="")}
    assert non_arrivate <= set(enti_senza_comunicazione(piano))
    # Population: one date, the same comuni present and missing everywhere.
    giorno, righe = popolazione_del_piano(piano)
    assert documento["data_popolazione"] == giorno
    assert {p.comune_id for p in documento["popolazione"]} == {
        p.comune_id for p in righe
    }
    mancante = popolazione_mancante(piano=piano)
    assert mancante.data == giorno
    presenti = {p.comune_id for p in righe}
    assert {c.pk for c in mancante.comuni} == {
        c.pk for c in documento["comuni"] if c.pk not in presenti
    }
    assert documento["popolazione_totale"] == sum(p.popolazione for p in righe)


def _confronto_coerente(piano: PianoAnnuale, utente) -> None:
    """The comparison reads the plan's own date and figures."""
    nuovo = ciclo.piano_successivo(piano=piano, utente=utente)
    confronto = ciclo.piani_confronta(prima=piano, dopo=nuovo)
    giorno, righe = popolazione_del_piano(piano)
    assert confronto.data_popolazione_prima == giorno
    per_comune = {p.comune.nome: p.popolazione for p in righe}
    for riga in confronto.comuni:
        if riga.nome in per_comune:
            assert riga.valori[0].prima == per_comune[riga.nome]


def test_seed_000_agrees_everywhere(piano_a, staff_a):
    _verifica(piano_a)
    _confronto_coerente(piano_a, staff_a)


def test_seed_002_agrees_everywhere(piano_b, staff_b):
    _verifica(piano_b)
    _confronto_coerente(piano_b, staff_b)


NUMERO = st.one_of(st.none(), st.integers(min_value=0, max_value=400))
ESITI = st.sampled_from(["", *Comunicazione.Esito.values])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    righe=st.lists(st.tuples(ESITI, NUMERO, NUMERO, NUMERO), min_size=1, max_size=30)
)
def test_generated_plans_agree_everywhere(piano_a, righe):
    comunicazioni = list(piano_a.comunicazioni.order_by("pk"))
    with transaction.atomic():
        for c, (esito, totali, sap, assegnabili) in zip(
            comunicazioni, righe, strict=False
        ):
            c.esito = esito
            c.alloggi_totali = totali
            c.alloggi_sap = None if totali is None or sap is None else min(sap, totali)
            c.assegnabili_totale = assegnabili
            c.save()
        _verifica(piano_a)
        transaction.set_rollback(True)
