"""The UI kit, now in the core (``pianocasa.ui``) and the scoped history view in
``ambiti.viste``: re-exported here so that ``piani.views`` keeps its names."""

from ambiti.viste import StoriaView
from pianocasa.ui import PER_PAGINA, PaginaMixin, voci_storia

__all__ = ["PER_PAGINA", "PaginaMixin", "StoriaView", "voci_storia"]
