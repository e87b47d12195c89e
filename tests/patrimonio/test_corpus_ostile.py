"""Ogni file del corpus ostile è rifiutato con un messaggio italiano (con riga e
colonna quando c'entrano) e le tabelle restano come erano."""

import pytest

from patrimonio.services import alloggi_importa, popolazione_importa
from piani.importazioni import comunicazioni_importa, righe_conta
from tests.patrimonio.corpus import CASI


def test_the_corpus_has_at_least_50_files():
    assert len(CASI) >= 50
    assert len({c.nome for c in CASI}) == len(CASI)


@pytest.mark.parametrize("caso", CASI, ids=[c.nome for c in CASI])
def test_it_rejects_the_file_and_writes_nothing(
    caso, tmp_path, anagrafe_base, piano_esempio
):
    percorso = tmp_path / caso.nome_file
    percorso.write_bytes(caso.contenuto())
    prima = righe_conta()
    if caso.tipo == "alloggi":
        esito = alloggi_importa(percorso=percorso, scrivi=True)
    elif caso.tipo == "enti":
        esito = comunicazioni_importa(
            piano=piano_esempio, percorso=percorso, scrivi=True
        )
    else:
        esito = popolazione_importa(percorso=percorso, scrivi=True)
    assert not esito.scritto
    assert esito.errori, "il file doveva essere rifiutato"
    assert any(caso.atteso in messaggio for messaggio in esito.errori), esito.errori
    assert righe_conta() == prima
