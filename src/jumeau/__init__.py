"""jumeau — an open digital twin for French communes.

The flat public API::

    import jumeau
    territory = jumeau.load_territory("demo")          # or a manifest / folder
    scenario = jumeau.read_scenario("scenarios/crue-centennale.yaml")
    result = jumeau.run(scenario, out_dir="out/crue")  # map.html, indicators, layers…
    jumeau.show_versions()                              # for a bug report
"""

__version__ = "0.1.0"

from jumeau.errors import JumeauError
from jumeau.io.manifest import load_territory
from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario
from jumeau.territory import Terrain, Territory
from jumeau.versions import show_versions, versions

__all__ = ["JumeauError", "Terrain", "Territory", "__version__", "load_territory",
           "read_scenario", "run", "show_versions", "versions"]
