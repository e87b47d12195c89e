"""Fixture delle importazioni (definite in aiuti.py, che si può anche caricare da
solo con ``-p tests.patrimonio.aiuti``)."""

from tests.patrimonio.aiuti import anagrafe_base, piano_esempio  # noqa: F401
