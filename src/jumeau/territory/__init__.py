"""The twin: a territory's layers, terrain and road network in one metric CRS."""

from jumeau.territory.estimate import EstimationRules
from jumeau.territory.model import DEFAULT_CRS, Territory
from jumeau.territory.network import RoadNetwork
from jumeau.territory.terrain import Terrain

__all__ = ["DEFAULT_CRS", "EstimationRules", "RoadNetwork", "Terrain", "Territory"]
