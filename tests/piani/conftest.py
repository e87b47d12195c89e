"""Fixtures of the invented ambito (tests/piani/ambito_inventato.py) for the tests
of a new plan."""

from tests.piani.ambito_inventato import (  # noqa: F401 - fixtures
    ambito_nuovo,
    client_staff_nuovo,
    staff_nuovo,
)
