"""The one Italian number parser and the number field every form gets: "1.000" is a
thousand, "1.00" is refused, never a silently different value."""

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from pianocasa.campi_numerici import (
    DecimaleItalianoField,
    InteroItalianoField,
    NumeroInput,
)
from pianocasa.numeri import formatta_italiano, numero_italiano
from pianocasa.ui import DataInput, StileMixin


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("1000", 1000),
        ("1.000", 1000),
        ("€ 1.000", 1000),
        ("€1.000,00", 1000),
        (" 12.000 ", 12000),
        ("1.000 €", 1000),
        ("1.234.567", 1234567),
        ("0", 0),
        ("-5", -5),
    ],
)
def test_interi_accettati(testo, atteso):
    valore = numero_italiano(testo, decimali=False)
    assert valore == atteso
    assert type(valore) is int


@pytest.mark.parametrize(
    ("testo", "atteso"),
    [
        ("1.000,50", Decimal("1000.50")),
        ("1000,5", Decimal("1000.5")),
        ("€ 1.000", Decimal("1000")),
        ("€1.000,00", Decimal("1000.00")),
        ("0,125", Decimal("0.125")),
        ("1.234,567", Decimal("1234.567")),
    ],
)
def test_decimali_accettati(testo, atteso):
    assert numero_italiano(testo, decimali=True) == atteso


@pytest.mark.parametrize(
    "testo",
    ["1.00", "1,000", "12.34.5", "1.000.00", "1.5", "abc", "1,000,000", "1.0000", ""],
)
@pytest.mark.parametrize("decimali", [True, False])
def test_ambigui_o_sbagliati_rifiutati(testo, decimali):
    with pytest.raises(ValueError) as errore:
        numero_italiano(testo, decimali=decimali)
    assert str(errore.value)  # a message to show, never an empty one


def test_messaggi_spiegano_cosa_scrivere():
    with pytest.raises(ValueError, match="il punto separa le migliaia"):
        numero_italiano("1.00", decimali=True)
    with pytest.raises(ValueError, match="ambiguo"):
        numero_italiano("1,000", decimali=False)
    with pytest.raises(ValueError, match="senza decimali"):
        numero_italiano("1000,5", decimali=False)


def test_numeri_gia_letti_passano():
    assert numero_italiano(12, decimali=False) == 12
    assert numero_italiano(12.0, decimali=False) == 12
    assert numero_italiano(0.1, decimali=True) == Decimal("0.1")
    with pytest.raises(ValueError):
        numero_italiano(12.5, decimali=False)
    with pytest.raises(ValueError):
        numero_italiano(True, decimali=False)


def _all_italiana(numero, *, punti: bool, euro: str, decimali: int = 0) -> str:
    """A number written the way an Italian office would."""
    segno = "-" if numero < 0 else ""
    testo = f"{abs(numero):.{decimali}f}"
    intera, _, frazione = testo.partition(".")
    if punti:
        intera = f"{int(intera):,}".replace(",", ".")
    corpo = intera + ("," + frazione if frazione else "")
    if euro == "prima":
        return f"{segno}€ {corpo}"
    if euro == "attaccato":
        return f"€{segno}{corpo}"
    if euro == "dopo":
        return f"{segno}{corpo} €"
    return segno + corpo


MODI_EURO = st.sampled_from(["", "prima", "attaccato", "dopo"])


@given(st.integers(min_value=-(10**15), max_value=10**15), st.booleans(), MODI_EURO)
def test_ogni_intero_scritto_all_italiana_torna_se_stesso(numero, punti, euro):
    testo = _all_italiana(numero, punti=punti, euro=euro)
    assert numero_italiano(testo, decimali=False) == numero
    assert numero_italiano(f"  {testo} ", decimali=True) == numero


@given(
    st.decimals(
        min_value=Decimal("-1e12"),
        max_value=Decimal("1e12"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.booleans(),
    MODI_EURO,
)
def test_ogni_importo_scritto_all_italiana_torna_se_stesso(numero, punti, euro):
    testo = _all_italiana(numero, punti=punti, euro=euro, decimali=2)
    letto = numero_italiano(testo, decimali=True)
    assert letto == numero
    assert letto.as_tuple().exponent == -2  # the cents as written


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_formattato_e_riletto(numero):
    assert numero_italiano(formatta_italiano(numero), decimali=False) == numero


@given(
    st.decimals(
        min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False
    )
)
def test_importo_formattato_e_riletto(numero):
    assert numero_italiano(formatta_italiano(numero), decimali=True) == numero


def test_formatta_italiano():
    assert formatta_italiano(1000) == "1.000"
    assert formatta_italiano(Decimal("1234567.50")) == "1.234.567,50"
    assert formatta_italiano(-1000) == "-1.000"
    assert formatta_italiano(None) == ""


class _Modulo(StileMixin, forms.Form):
    alloggi = forms.IntegerField(label="Alloggi", min_value=0, required=False)
    importo = forms.DecimalField(
        label="Importo", max_digits=8, decimal_places=2, required=False
    )
    data = forms.DateField(label="Data", required=False)
    versione = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_stile_mixin_mette_i_campi_italiani():
    modulo = _Modulo()
    assert isinstance(modulo.fields["alloggi"], InteroItalianoField)
    assert isinstance(modulo.fields["importo"], DecimaleItalianoField)
    assert isinstance(modulo.fields["alloggi"].widget, NumeroInput)
    assert isinstance(modulo.fields["data"].widget, DataInput)
    # the lock token stays hidden and plain
    assert type(modulo.fields["versione"]) is forms.IntegerField
    html = str(modulo["alloggi"])
    assert 'inputmode="numeric"' in html
    assert 'type="text"' in html
    assert "form-control" in html
    assert 'inputmode="decimal"' in str(modulo["importo"])
    assert 'type="date"' in str(modulo["data"])


def test_modulo_legge_mille_e_rifiuta_l_ambiguo():
    modulo = _Modulo(
        {"alloggi": "1.000", "importo": "€ 1.000,50", "data": "2025-10-27"}
    )
    assert modulo.is_valid(), modulo.errors
    assert modulo.cleaned_data["alloggi"] == 1000
    assert modulo.cleaned_data["importo"] == Decimal("1000.50")
    assert str(modulo.cleaned_data["data"]) == "2025-10-27"

    modulo = _Modulo({"alloggi": "1.00", "importo": "1,001"})
    assert not modulo.is_valid()
    assert "il punto separa le migliaia" in modulo.errors["alloggi"][0]
    assert "ambiguo" in modulo.errors["importo"][0]


def test_limiti_e_cifre_restano():
    modulo = _Modulo({"alloggi": "-1", "importo": "1.000.000,00"})
    assert not modulo.is_valid()
    assert "alloggi" in modulo.errors
    assert "importo" in modulo.errors  # 9 digits in a field of 8


def test_valori_mostrati_all_italiana():
    modulo = _Modulo(initial={"alloggi": 12000, "importo": Decimal("1234.50")})
    assert 'value="12.000"' in str(modulo["alloggi"])
    assert 'value="1.234,50"' in str(modulo["importo"])
    # what was typed comes back as typed when the form has errors
    modulo = _Modulo({"alloggi": "1.00"})
    assert 'value="1.00"' in str(modulo["alloggi"])


def test_data_in_iso_per_il_browser():
    import datetime

    modulo = _Modulo(initial={"data": datetime.date(2025, 10, 27)})
    assert 'value="2025-10-27"' in str(modulo["data"])


def test_imports_read_numbers_with_the_forms_parser():
    """The same text means the same number in a form and in an import."""
    from decimal import Decimal

    from pianocasa.lettori import ValoreNonValido, converti_decimale, converti_intero

    assert converti_intero("1.000") == 1000
    assert converti_decimale("1.000") == Decimal("1000.00")
    assert converti_decimale("€ 1.234,50") == Decimal("1234.50")
    for ambiguo in ("65.50", "1,000", "12.34.5"):
        with pytest.raises(ValoreNonValido):
            converti_decimale(ambiguo)
    # Spreadsheet numbers are numbers already: unchanged.
    assert converti_decimale(65.5) == Decimal("65.50")
