"""The development kind's declaration: what it needs and every output it gives."""

from __future__ import annotations

from jumeau.development.params import DevelopmentParams
from jumeau.development.simulate import simulate
from jumeau.i18n import Text
from jumeau.scenario.kinds import Kind, Need, Output

_O = Output

KIND = Kind(
    name="development",
    title=Text("Projet d'aménagement", "New development"),
    params=DevelopmentParams,
    simulate=simulate,
    needs=(Need("buildings", Text("des bâtiments", "buildings")),),
    outputs=(
        _O.indicator("residents_added", "", Text("habitants en plus", "residents added"),
                     "residents of new and changed buildings, less those of removed ones",
                     headline=True),
        _O.indicator("dwellings_added", "", Text("logements en plus", "dwellings added"),
                     "dwellings added, less those removed", headline=True),
        _O.indicator("social_dwellings_added", "", Text("dont logements sociaux",
                                                        "of which social dwellings"),
                     "social dwellings added, less those removed", better="higher"),
        _O.indicator("floor_area_added_m2", "m²", Text("surface de plancher en plus",
                                                        "floor area added"),
                     "floor area added (footprint × storeys), less that removed"),
        _O.indicator("sealed_area_added_m2", "m²", Text("sols imperméabilisés en plus",
                                                         "sealed ground added"),
                     "roofs, roads and sealed ground added, less those de-sealed",
                     better="lower", headline=True),
        _O.indicator("sealed_share_pct", "%", Text("part des sols imperméabilisés",
                                                   "share of sealed ground"),
                     "sealed share of the territory's land after the measures",
                     better="lower"),
        _O.indicator("runoff_coefficient", "", Text("coefficient de ruissellement (pluie de "
                                                    "{storm_mm} mm)", "runoff coefficient "
                                                    "({storm_mm} mm storm)"),
                     "runoff volume / rain volume on land, reference storm", better="lower"),
        _O.indicator("runoff_volume_m3", "m³", Text("volume ruisselé (pluie de {storm_mm} mm)",
                                                    "runoff volume ({storm_mm} mm storm)"),
                     "runoff of the reference storm on the territory's land",
                     better="lower"),
        _O.indicator("runoff_volume_added_m3", "m³",
                     Text("ruissellement en plus (pluie de {storm_mm} mm)",
                          "runoff added ({storm_mm} mm storm)"),
                     "change of the reference storm's runoff volume", better="lower"),
        _O.indicator("green_share_pct", "%", Text("part d'espaces végétalisés",
                                                  "share of green land"),
                     "vegetated share of the land after the measures", better="higher"),
        _O.indicator("tree_cover_pct", "%", Text("couvert arboré", "tree cover"),
                     "share of the land under tree canopy after the measures",
                     better="higher"),
        _O.indicator("residents_near_park_pct", "%",
                     Text("habitants à moins de {park_distance_m} m d'un parc",
                          "residents within {park_distance_m} m of a park"),
                     "share of residents near a park after the measures", better="higher"),
        _O.indicator("residents_near_park_added", "",
                     Text("habitants en plus près d'un parc", "more residents near a park"),
                     "change of the number of residents near a park", better="higher"),
        _O.indicator("new_residents_flood_zone", "",
                     Text("habitants en plus en zone inondable ({flood_scenario})",
                          "residents added in the flood zone ({flood_scenario})"),
                     "residents added inside the headline flood-zone scenario",
                     better="lower", headline=True),
        _O.indicator("buildings_forbidden_zone", "",
                     Text("bâtiments neufs en zone d'aléa fort ou fréquente",
                          "new buildings in a high-hazard or frequent zone"),
                     "new buildings where a PPRI usually forbids building", better="lower",
                     headline=True),
        _O.indicator("waste_added_t_year", "t/an", Text("déchets ménagers en plus",
                                                        "household waste added"),
                     "household waste of the residents added, per year", better="lower"),
        _O.indicator("school_distance_mean_m", "m", Text("distance moyenne à l'école",
                                                         "mean distance to a school"),
                     "straight-line distance from new dwellings to the nearest school",
                     better="lower"),
        _O.indicator("bus_stop_distance_mean_m", "m",
                     Text("distance moyenne à un arrêt de bus", "mean distance to a bus stop"),
                     "straight-line distance from new dwellings to the nearest bus stop",
                     better="lower"),
        _O.indicator("roads_added_km", "km", Text("rues nouvelles", "new streets"),
                     "length of streets added"),
        _O.indicator("roads_closed_km", "km", Text("rues fermées", "closed streets"),
                     "length of streets closed to traffic"),
        _O.grid("sealed_change", "", Text("sols imperméabilisés ou rendus perméables",
                                          "ground sealed or de-sealed"),
                "+1 newly sealed, -1 de-sealed, 0 unchanged", better="lower", threshold=0.5,
                classes={1: Text("imperméabilisé", "sealed"),
                         -1: Text("désimperméabilisé", "de-sealed")}),
        _O.layer("buildings_development", Text("bâtiments du projet", "project buildings"),
                 "every building added, removed or changed, before and after, with its "
                 "flood zone and distances", key="building_id", flag="in_flood_zone",
                 sums=(("residents_added", Text("habitants en plus", "residents added"), ""),
                       ("dwellings_added", Text("logements en plus", "dwellings added"), ""))),
        _O.layer("development_warnings", Text("alertes : zone inconstructible (PPRI)",
                                              "warnings: no-build zone (PPRI)"),
                 "new buildings in a high-hazard or frequent flood zone, with the zone's "
                 "source", key="building_id"),
        _O.table("residents_by_flood_zone", Text("habitants en plus par zone inondable",
                                                 "residents added by flood zone"),
                 "buildings, dwellings and residents added by scenario and hazard class"),
        _O.table("floor_area_by_use", Text("surface de plancher par usage",
                                           "floor area by use"),
                 "floor area before, after and added, by use"),
        _O.table("waste_by_stream", Text("déchets en plus par flux", "waste added by stream"),
                 "household waste added per year, by stream (ADEME production)"),
        _O.table("surfaces", Text("surfaces et ruissellement", "surfaces and runoff"),
                 "land area and runoff of the reference storm by surface, before and after"),
    ),
    draw="jumeau.development.map:draw",
    method=Text(
        "Comparaison du territoire avant et après les mesures : logements, habitants "
        "(logements × 2,19 personnes, INSEE), surfaces de plancher ; carte des surfaces "
        "(bâti, voirie, couverts végétaux) et ruissellement d'une pluie de référence par la "
        "méthode SCS du numéro de courbe (USDA TR-55) ou la méthode rationnelle ; "
        "croisement avec les zones inondables (TRI, PPRI) ; déchets selon les ratios ADEME ; "
        "distances à vol d'oiseau à l'école et à l'arrêt de bus.",
        "Comparison of the territory before and after the measures: dwellings, residents "
        "(dwellings × 2.19 persons, INSEE), floor area; a map of surfaces (buildings, roads, "
        "land covers) and the runoff of a reference storm by the SCS curve-number method "
        "(USDA TR-55) or the rational method; overlay with flood zones (TRI, PPRI); waste "
        "from ADEME ratios; straight-line distances to a school and a bus stop."),
    limits=Text(
        "Le ruissellement est un bilan de volume, sans écoulement ni réseau (le modèle "
        "d'inondation le simule) ; le sol non décrit par une couche compte comme herbe ; "
        "l'avertissement PPRI est indicatif : seul le règlement du PPRI de la commune fait "
        "foi ; les distances sont à vol d'oiseau, pas à pied.",
        "Runoff is a volume balance, without flow or sewers (the flood model simulates "
        "them); ground no layer describes counts as grass; the PPRI warning is indicative: "
        "only the commune's own PPRI rules decide; distances are straight lines, not "
        "walking routes."),
    uncertainty=Text(
        "Les habitants d'un projet dépendent de la taille des ménages qui l'occuperont "
        "(± 20 %) ; les numéros de courbe varient avec le sol, inconnu par défaut (groupe "
        "B) : le volume ruisselé est un ordre de grandeur, la différence entre variantes "
        "est plus sûre que les valeurs absolues.",
        "A project's residents depend on the size of the households that will live there "
        "(± 20 %); curve numbers vary with the soil, unknown by default (group B): runoff "
        "volumes are an order of magnitude, differences between variants are surer than "
        "absolute values."),
    example={"storm_mm": 30},
)
