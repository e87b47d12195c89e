"""The plan's population reference date is a fact of the plan (one rule proposes
it, staff change it): newer ISTAT data never change an existing plan's document,
dashboard, checks or comparison until the date is changed."""

from datetime import date

from django.urls import reverse

from ambiti.models import PopolazioneComune
from piani.anomalie import anomalie_calcola
from piani.documento import documento_html
from piani.models import PianoAnnuale
from piani.popolazione import data_popolazione_proposta, popolazione_del_piano


def test_the_seed_plans_use_the_date_the_published_plans_print(piano_a, piano_b):
    # Plan 2026 → 31/12/2024; plan 2025 → 01/01/2024 (seed 002).
    assert piano_a.data_popolazione == date(2024, 12, 31)
    assert piano_b.data_popolazione == date(2024, 1, 1)


def test_newer_population_leaves_the_document_byte_identical(piano_a, client_staff_a):
    prima = documento_html(piano_a)
    anomalie_prima = [a.codice for a in anomalie_calcola(piano_a)]
    giorno, righe = popolazione_del_piano(piano_a)
    PopolazioneComune.objects.bulk_create(
        PopolazioneComune(
            comune=p.comune, data=date(2025, 12, 31), popolazione=p.popolazione + 7
        )
        for p in righe
    )
    piano = PianoAnnuale.objects.get(pk=piano_a.pk)
    assert documento_html(piano) == prima
    assert [a.codice for a in anomalie_calcola(piano)] == anomalie_prima
    # A new plan of the same ambito would propose… the rule's date for 2026.
    assert data_popolazione_proposta(ambito_id=piano.ambito_id, anno=2026) == giorno
    assert data_popolazione_proposta(ambito_id=piano.ambito_id, anno=2027) == date(
        2025, 12, 31
    )

    # Staff change the date on the plan's form: the document follows.
    pagina = client_staff_a.get(reverse("piani:piano_update", args=[piano.pk]))
    modulo = pagina.context["form"]
    dati = {
        nome: valore
        for nome, valore in (
            (c.html_name, c.value()) for c in modulo if c.value() is not None
        )
    }
    dati["data_popolazione"] = "31/12/2025"
    dati.update(
        {
            "finestre-TOTAL_FORMS": "0",
            "finestre-INITIAL_FORMS": "0",
            "finestre-MIN_NUM_FORMS": "0",
            "finestre-MAX_NUM_FORMS": "1000",
        }
    )
    risposta = client_staff_a.post(reverse("piani:piano_update", args=[piano.pk]), dati)
    assert risposta.status_code == 302, risposta.content.decode()[:2000]
    piano.refresh_from_db()
    assert piano.data_popolazione == date(2025, 12, 31)
    dopo = documento_html(piano)
    assert dopo != prima
    assert "31/12/2025" in dopo
    totale = sum(p.popolazione + 7 for p in righe)
    assert f"{totale:,}".replace(",", ".") in dopo
