"""The exposure kind's declaration: what it needs and every output it gives."""

from __future__ import annotations

from jumeau.exposure.simulate import ExposureParams, simulate
from jumeau.i18n import Text
from jumeau.scenario.kinds import Kind, Need, Output

_O = Output

KIND = Kind(
    name="exposure",
    title=Text("Exposition aux zones inondables", "Exposure to flood zones"),
    params=ExposureParams,
    simulate=simulate,
    needs=(Need("buildings", Text("bâtiments", "buildings")),
           Need("flood_zones", Text("zones inondables (TRI, PPRI, AZI)",
                                    "flood zones (TRI, PPRI, AZI)"))),
    outputs=(
        _O.indicator("buildings_exposed", "", Text("bâtiments en zone inondable ({scenario})",
                                                   "buildings in the flood zone ({scenario})"),
                     "buildings intersecting the headline scenario's zones", better="lower",
                     headline=True),
        _O.indicator("residents_exposed", "", Text("habitants en zone inondable",
                                                   "residents in the flood zone"),
                     "residents of those buildings", better="lower", headline=True),
        _O.indicator("residents_75p_exposed", "", Text("dont habitants de 75 ans ou plus",
                                                       "of whom aged 75 or over"),
                     "of whom aged 75 or over (empty if unknown)", better="lower",
                     headline=True),
        _O.indicator("dwellings_exposed", "", Text("logements en zone inondable",
                                                   "dwellings in the flood zone"),
                     "dwellings in those buildings", better="lower"),
        _O.indicator("roads_exposed_km", "km", Text("routes en zone inondable",
                                                    "roads in the flood zone"),
                     "length of road inside the zones", better="lower", headline=True),
        _O.indicator("critical_facilities_exposed", "",
                     Text("équipements sensibles en zone inondable",
                          "critical facilities in the flood zone"),
                     "distinct critical facilities in the zones", better="lower",
                     headline=True),
        _O.layer("exposed_buildings", Text("bâtiments exposés", "exposed buildings"),
                 "one row per building and flood-zone scenario, with its worst hazard class"),
        _O.layer("headline_buildings", Text("bâtiments exposés (scénario de référence)",
                                            "exposed buildings (headline scenario)"),
                 "buildings in the headline scenario's zones", key="building_id",
                 sums=(("residents", Text("habitants", "residents"), ""),
                       ("dwellings", Text("logements", "dwellings"), ""))),
        _O.layer("exposed_roads", Text("routes en zone inondable", "roads in the flood zone"),
                 "pieces of road inside the headline scenario's zones"),
        _O.layer("flood_zones", Text("zones inondables", "flood zones"),
                 "the flood zones considered"),
        _O.layer("exposed_facilities", Text("équipements sensibles exposés",
                                            "exposed critical facilities"),
                 "critical facilities in the headline scenario's zones", key="name"),
        _O.table("exposure_by_zone", Text("exposition par zone", "exposure by zone"),
                 "buildings, residents, dwellings, road km and facilities by scenario and "
                 "hazard class"),
    ),
    draw="jumeau.exposure.map:draw",
    method=Text("Croisement des bâtiments, habitants, routes et équipements avec les zones "
                "inondables réglementaires (TRI, PPRI, AZI), par scénario et classe d'aléa.",
                "Overlay of buildings, residents, roads and facilities with the regulatory "
                "flood zones (TRI, PPRI, AZI), by scenario and hazard class."),
    limits=Text("Aucune physique : un bâtiment compte s'il touche la zone, quelle que soit "
                "la hauteur d'eau ; les habitants viennent de la grille INSEE répartie sur "
                "les logements.", "No physics: a building counts if it touches the zone, "
                "whatever the depth; residents come from the INSEE grid spread over "
                "dwellings."),
    uncertainty=Text("Aussi précis que la cartographie des zones (souvent au 1:25 000) ; "
                     "les effectifs par bâtiment sont des estimations.",
                     "As precise as the zone mapping (often 1:25,000); residents per "
                     "building are estimates."),
    example={},
)
