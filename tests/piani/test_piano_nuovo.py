"""A new plan of an ambito that is in no seed: the version proposed from the year,
the three layouts, starter texts from the ambito's own data (never a seed's
sentences), ``crea_piano`` then ``piano_pdf``, and the «Nuovo piano» page."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from piani.documento import documento_html, documento_pdf
from piani.impaginazioni import (
    modello_proposto,
    normativa_avviso,
    normativa_proposta,
)
from piani.models import ModelloDocumento, PianoAnnuale, VersioneNormativa
from piani.services import piano_crea
from tests.piani.ambito_inventato import ALTRO_ENTE, SLUG
from tests.piani.test_documento_cifre import leggi_html, leggi_pdf

COMUNI_NUOVI = ["Bellano", "Dervio", "Esino Lario", "Perledo", "Varenna"]
FILE_SEED = sorted((Path(settings.BASE_DIR) / "fixtures" / "esempi").glob("*.json"))


def _normativa(codice: str) -> VersioneNormativa:
    return VersioneNormativa.objects.get(codice=codice)


def _modello(codice: str) -> ModelloDocumento:
    return ModelloDocumento.objects.get(codice=codice)


def _testo(valore) -> str:
    return "\n".join(valore) if isinstance(valore, list) else (valore or "")


def _frasi_dei_seed() -> list[str]:
    """Every sentence of both seeds' narrative (sections and strategy paragraphs)
    of at least five words, without Markdown marks."""
    frasi = []
    for percorso in FILE_SEED:
        dati = json.loads(percorso.read_text(encoding="utf-8"))
        testi = [_testo(s["testo"]) for s in dati["piano"].get("sezioni", [])]
        testi += [_testo(s.get("testo")) for s in dati.get("strategie", [])]
        for testo in testi:
            pulito = re.sub(r"[*_#>`\[\]]|^\s*(?:[-+]|\d+\.)\s", " ", testo, flags=re.M)
            for frase in re.split(r"(?<=[.;:!?])\s+|\n+", pulito):
                frase = re.sub(r"\s+", " ", frase).strip(" .;:")
                if len(frase.split()) >= 5:
                    frasi.append(frase)
    return frasi


def _luoghi_dei_seed() -> set[str]:
    """Place names of the seeds: their comuni, sub-ambiti, areas and ambito names."""
    luoghi = set()
    for percorso in FILE_SEED:
        ambito = json.loads(percorso.read_text(encoding="utf-8"))["ambito"]
        luoghi.add(ambito["nome"])
        luoghi.update(c["nome"] for c in ambito["comuni"])
        luoghi.update(c["area"] for c in ambito["comuni"] if c.get("area"))
        luoghi.update(ambito.get("sub_ambiti", []))
    luoghi.update({"Valle Seriana", "Scalve", "Presolana"})
    return luoghi - set(COMUNI_NUOVI)


# --- version proposed from the year -------------------------------------------------


def test_the_version_proposed_is_the_one_in_force_on_1_january(db):
    assert normativa_proposta(anno=2025).codice == "rr-4-2017"
    assert normativa_proposta(anno=2026).codice == "rr-2-2025"
    assert normativa_proposta(anno=2019).codice == "rr-4-2017"


def test_it_warns_when_year_and_version_disagree(db):
    assert normativa_avviso(anno=2026, normativa=_normativa("rr-2-2025")) == ""
    avviso = normativa_avviso(anno=2024, normativa=_normativa("rr-2-2025"))
    assert "1° gennaio 2024" in avviso
    assert "R.R. 4/2017 (testo previgente al R.R. 2/2025)" in avviso


def test_the_layout_proposed_is_last_years_else_the_versions(ambito_nuovo, piano_b):
    assert (
        modello_proposto(
            ambito=ambito_nuovo, anno=2026, normativa=_normativa("rr-2-2025")
        ).codice
        == "rr-2-2025"
    )
    # Most plans 2019–2024 followed the comunicato 45/2019.
    assert (
        modello_proposto(
            ambito=ambito_nuovo, anno=2023, normativa=_normativa("rr-4-2017")
        ).codice
        == "comunicato-45-2019"
    )
    # Seed B's plan 2025 uses the eight points: its 2026 plan keeps them.
    assert (
        modello_proposto(
            ambito=piano_b.ambito, anno=2026, normativa=_normativa("rr-2-2025")
        ).codice
        == "art-4-c-3"
    )


# --- starter texts and the three layouts --------------------------------------------


def _crea(ambito, anno, normativa, modello) -> PianoAnnuale:
    return piano_crea(
        ambito=ambito,
        anno=anno,
        normativa=_normativa(normativa),
        modello=_modello(modello),
    )


def test_the_preview_of_a_new_ambito_is_its_own(ambito_nuovo):
    piano = _crea(ambito_nuovo, 2026, "rr-2-2025", "rr-2-2025")

    testo = leggi_html(documento_html(piano))

    assert "Ambito Lario Orientale" in testo
    assert "Ambito Ambito" not in testo
    for comune in COMUNI_NUOVI:
        assert f"Comune di {comune}" in testo
    assert ALTRO_ENTE in testo
    assert "8.160 abitanti" in testo  # 3.100 + 2.650 + 740 + 910 + 760
    assert "4. Piano Annuale 2026 alloggi temporanei" in testo
    assert "2.026" not in testo
    frasi = _frasi_dei_seed()
    assert len(frasi) > 50  # the check reads the seeds' narrative for real
    # The layout's own table captions (printed for every plan of the layout) are
    # also in seed 000's narrative: they are the layout's, not the seed's.
    vuoto = _crea(ambito_nuovo, 2030, "rr-2-2025", "rr-2-2025")
    vuoto.sezioni.all().delete()
    solo_impaginazione = leggi_html(documento_html(vuoto))
    dell_impaginazione = [f for f in frasi if f in solo_impaginazione]
    assert len(dell_impaginazione) <= 2
    copiate = [f for f in frasi if f in testo and f not in dell_impaginazione]
    assert copiate == []
    luoghi = [
        luogo
        for luogo in _luoghi_dei_seed()
        if re.search(rf"(?<!\w){re.escape(luogo)}(?!\w)", testo)
    ]
    assert luoghi == []


def test_layout_rr_2_2025_letters_a_to_k_with_i_bis_and_i_ter(ambito_nuovo):
    piano = _crea(ambito_nuovo, 2026, "rr-2-2025", "rr-2-2025")

    testo = leggi_html(documento_html(piano))

    assert "i bis) Per ciascun ente proprietario" in testo
    assert "i ter) Per ciascun comune, la quota percentuale complessiva" in testo
    assert (
        "j) Le unità abitative da destinarsi ai servizi abitativi transitori" in testo
    )
    assert "k) Per ciascun comune, il numero delle unità abitative" in testo


def test_layout_comunicato_45_2019_letters_a_to_k_without_i_bis_i_ter(ambito_nuovo):
    piano = _crea(ambito_nuovo, 2023, "rr-4-2017", "comunicato-45-2019")

    testo = leggi_html(documento_html(piano))

    assert "Comunicato regionale n. 45 del 02.04.2019" in testo
    assert "g) Il numero complessivo delle unità abitative" in testo
    assert "lettere da b) ad f)" in testo
    assert "h) Soglia percentuale" not in testo  # not the older wording
    assert "h) Per ciascun comune, la soglia percentuale eccedente il 20%" in testo
    assert (
        "j) Le unità abitative da destinarsi ai servizi abitativi transitori" in testo
    )
    assert "k) Per ciascun comune, il numero delle unità abitative" in testo
    assert "i bis)" not in testo
    assert "i ter)" not in testo
    assert "Forze di Polizia" not in testo
    assert "Comuni di Bellano, Dervio, Esino Lario, Perledo, Varenna" in testo


def test_layout_art_4_c_3_eight_points(ambito_nuovo):
    piano = _crea(ambito_nuovo, 2022, "rr-4-2017", "art-4-c-3")

    testo = leggi_html(documento_html(piano))

    assert "b) Unità abitative destinate ai servizi abitativi pubblici" in testo
    assert "f) Unità abitative da destinare ai Servizi Abitativi Transitori" in testo
    assert "g) Unità abitative assegnate nell'anno precedente" in testo
    assert "j)" not in testo
    assert "L'Ambito ha una popolazione di 8.160 abitanti" in testo


def test_a_plan_from_last_years_keeps_its_enti_and_own_sections(piano_b):
    nuovo = piano_crea(
        ambito=piano_b.ambito, anno=2026, normativa=_normativa("rr-2-2025")
    )

    assert nuovo.modello.codice == "art-4-c-3"  # last year's layout
    assert nuovo.normativa.codice == "rr-2-2025"
    assert nuovo.comunicazioni.count() == piano_b.comunicazioni.count() == 19
    assert sorted(nuovo.sezioni.values_list("testo", flat=True)) == sorted(
        piano_b.sezioni.values_list("testo", flat=True)
    )


def test_it_refuses_a_second_plan_for_the_same_year(piano_a):
    with pytest.raises(ValidationError, match="Esiste già il piano 2026"):
        piano_crea(ambito=piano_a.ambito, anno=2026, normativa=piano_a.normativa)


def test_the_read_only_user_cannot_create_a_plan(ambito_a, sindaco_a):
    with pytest.raises(PermissionDenied):
        piano_crea(
            ambito=ambito_a,
            anno=2027,
            normativa=_normativa("rr-2-2025"),
            utente=sindaco_a,
        )


# --- the command, then the PDF ------------------------------------------------------


def test_crea_piano_then_piano_pdf(ambito_nuovo, tmp_path, capsys):
    call_command("crea_piano", SLUG, "2026")
    piano = PianoAnnuale.objects.get(ambito=ambito_nuovo, anno=2026)
    assert piano.normativa.codice == "rr-2-2025"
    assert piano.modello.codice == "rr-2-2025"

    uscita = tmp_path / "piano.pdf"
    call_command("piano_pdf", SLUG, "2026", "--output", str(uscita))

    testo = leggi_pdf(uscita.read_bytes())
    assert "Ambito Lario Orientale" in testo
    assert "Bellano, Dervio, Esino Lario, Perledo e Varenna" in testo
    assert "Valle Seriana" not in testo


def test_crea_piano_warns_on_a_version_not_in_force(ambito_nuovo, capsys):
    call_command("crea_piano", SLUG, "2024", "--normativa", "rr-2-2025")

    errori = capsys.readouterr().err
    assert "1° gennaio 2024" in errori
    assert PianoAnnuale.objects.filter(ambito=ambito_nuovo, anno=2024).exists()


def test_crea_piano_names_a_wrong_layout(ambito_nuovo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Impaginazione «nessuna» inesistente"):
        call_command("crea_piano", SLUG, "2026", "--modello", "nessuna")


def test_the_new_plans_pdf_has_its_figures(ambito_nuovo):
    piano = _crea(ambito_nuovo, 2026, "rr-2-2025", "rr-2-2025")

    testo = leggi_pdf(documento_pdf(piano))

    assert "Comune di Bellano 3.100" in testo
    assert "Totale 8.160" in testo


# --- the «Nuovo piano» page ---------------------------------------------------------


def _url(slug: str = SLUG) -> str:
    return reverse("piani:piano_create", args=[slug])


def test_the_page_proposes_the_next_year_and_its_version(
    client_staff_nuovo, ambito_nuovo, django_assert_num_queries
):
    with django_assert_num_queries(14):
        risposta = client_staff_nuovo.get(_url(), {"anno": "2024"})

    assert risposta.status_code == 200
    form = risposta.context["form"]
    assert form["anno"].value() == 2024
    assert form["normativa"].value() == _normativa("rr-4-2017").pk
    assert form["modello"].value() == _modello("comunicato-45-2019").pk
    assert 'value="2024"' in risposta.content.decode()


def test_staff_create_a_plan_from_the_page(client_staff_nuovo, ambito_nuovo):
    risposta = client_staff_nuovo.post(
        _url(),
        {
            "anno": "2026",
            "normativa": _normativa("rr-2-2025").pk,
            "modello": _modello("rr-2-2025").pk,
        },
        follow=True,
    )

    piano = PianoAnnuale.objects.get(ambito=ambito_nuovo, anno=2026)
    assert risposta.redirect_chain[-1][0] == reverse(
        "piani:piano_detail", args=[piano.pk]
    )
    assert "Creata la bozza del piano 2026." in risposta.content.decode()
    assert piano.sezioni.filter(chiave="premessa").exists()


def test_the_page_warns_when_the_version_is_not_the_years(
    client_staff_nuovo, ambito_nuovo
):
    risposta = client_staff_nuovo.post(
        _url(),
        {
            "anno": "2024",
            "normativa": _normativa("rr-2-2025").pk,
            "modello": _modello("rr-2-2025").pk,
        },
        follow=True,
    )

    assert PianoAnnuale.objects.filter(ambito=ambito_nuovo, anno=2024).exists()
    assert "Attenzione: il 1° gennaio 2024 era in vigore" in risposta.content.decode()


def test_the_page_names_the_field_of_an_existing_year(client_staff_a, piano_a):
    risposta = client_staff_a.post(
        _url("valle-seriana-superiore"),
        {
            "anno": "2026",
            "normativa": piano_a.normativa.pk,
            "modello": piano_a.modello.pk,
        },
    )

    assert risposta.status_code == 200
    assert "Esiste già il piano 2026 per questo ambito." in risposta.content.decode()
    assert PianoAnnuale.objects.filter(ambito=piano_a.ambito).count() == 1


def test_the_read_only_sindaco_gets_403(client_sindaco_a):
    assert client_sindaco_a.get(_url("valle-seriana-superiore")).status_code == 403
    risposta = client_sindaco_a.post(
        _url("valle-seriana-superiore"),
        {"anno": "2027", "normativa": _normativa("rr-2-2025").pk},
    )
    assert risposta.status_code == 403


def test_another_ambitos_staff_get_404(client_staff_b, ambito_a):
    assert client_staff_b.get(_url("valle-seriana-superiore")).status_code == 404


def test_anonymous_users_are_sent_to_login(client, ambito_a):
    risposta = client.get(_url("valle-seriana-superiore"))
    assert risposta.status_code == 302
    assert reverse("login") in risposta["Location"]


def test_the_plan_list_offers_a_new_plan_only_where_one_may_write(client_staff_a):
    pagina = client_staff_a.get(reverse("piani:piano_list")).content.decode()
    assert _url("valle-seriana-superiore") in pagina
    assert _url("valle-seriana") not in pagina
