"""The unit cost library: sourced UK unit costs (fiscal, economic, social; who bears them) in any price year."""

from wellspent.costs.library import UnitCostLibrary, load_library
from wellspent.costs.model import Kind, Per, UnitCost

__all__ = ["Kind", "Per", "UnitCost", "UnitCostLibrary", "load_library"]
