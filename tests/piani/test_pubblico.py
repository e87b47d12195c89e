"""The public page of an ambito: published plans and their approved PDFs, no
login."""

from datetime import date

from django.urls import reverse

from piani import ciclo
from tests.piani.test_ciclo import (  # noqa: F401
    approva,
    contenuto,
    media_tmp,
    riscontra_tutte,
    sha,
)


def _url(ambito):
    return reverse("ciclo:pubblico_ambito", args=[ambito.slug])


def _url_pdf(piano, revisione):
    return reverse(
        "ciclo:pubblico_pdf", args=[piano.ambito.slug, piano.anno, revisione]
    )


def test_without_published_plans_it_says_so(client, ambito_a, piano_a):
    risposta = client.get(_url(ambito_a))
    assert risposta.status_code == 200
    assert "Non ci sono ancora piani pubblicati." in risposta.content.decode()
    assert client.get(_url_pdf(piano_a, 1)).status_code == 404


def test_an_unknown_ambito_is_404(client, db):
    assert client.get("/pubblico/nessuno/").status_code == 404


def test_it_lists_only_published_revisions_and_serves_them_as_stored(
    client,
    ambito_a,
    piano_a,
    piano_b,
    staff_a,
    staff_b,
    media_tmp,  # noqa: F811
):
    riscontra_tutte(piano_a, staff_a)
    v1 = approva(piano_a, staff_a, data=date(2025, 11, 20), luogo="Clusone")
    # Approved but not yet published: not public.
    assert (
        "Non ci sono ancora piani pubblicati."
        in client.get(_url(ambito_a)).content.decode()
    )
    assert client.get(_url_pdf(piano_a, 1)).status_code == 404

    ciclo.piano_pubblica(piano=piano_a, utente=staff_a)
    pagina = client.get(_url(ambito_a)).content.decode()
    assert "Piano annuale 2026 – revisione 1 (PDF)" in pagina
    assert _url_pdf(piano_a, 1) in pagina
    assert "seduta del 20/11/2025" in pagina and "Clusone" in pagina
    assert v1.sha256_pdf in pagina
    risposta = client.get(_url_pdf(piano_a, 1))
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "application/pdf"
    assert sha(contenuto(risposta)) == v1.sha256_pdf

    # The other ambito's page does not show it.
    assert "2026" not in client.get(_url(piano_b.ambito)).content.decode()

    # Reopened and approved again: revision 1 stays public, 2 is not yet.
    ciclo.piano_riapri(piano=piano_a, utente=staff_a, motivo="Refuso nella tabella")
    riscontra_tutte(piano_a, staff_a)
    approva(piano_a, staff_a, data=date(2025, 12, 15))
    pagina = client.get(_url(ambito_a)).content.decode()
    assert "revisione 1 (PDF)" in pagina and "revisione 2 (PDF)" not in pagina
    assert client.get(_url_pdf(piano_a, 2)).status_code == 404
    ciclo.piano_pubblica(piano=piano_a, utente=staff_a)
    pagina = client.get(_url(ambito_a)).content.decode()
    assert "revisione 2 (PDF)" in pagina and "revisione 1 (PDF)" in pagina
    assert "Refuso nella tabella" in pagina
    assert pagina.index("revisione 2 (PDF)") < pagina.index("revisione 1 (PDF)")
    assert sha(contenuto(client.get(_url_pdf(piano_a, 1)))) == v1.sha256_pdf
