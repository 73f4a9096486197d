"""The flood kind's declaration: what it needs and every output it gives, declared once."""

from __future__ import annotations

from jumeau.flood.forcings import build
from jumeau.flood.impacts import HAZARD_LABELS, HR_LABELS
from jumeau.flood.params import FloodParams
from jumeau.flood.simulate import simulate
from jumeau.flood.solver import kernels_cached
from jumeau.i18n import Text
from jumeau.scenario.kinds import Kind, Need, Output

_O = Output

KIND = Kind(
    name="flood",
    title=Text("Inondation (modèle 2D)", "Flood (2D model)"),
    params=FloodParams,
    simulate=simulate,
    precheck=build,
    kernels_cached=kernels_cached,
    needs=(Need("terrain", Text("un modèle de terrain (MNT)", "a terrain model (DEM)")),
           Need("buildings", Text("bâtiments", "buildings"))),
    outputs=(
        _O.indicator("flooded_buildings", "", Text("bâtiments inondés", "flooded buildings"),
                     "buildings with water above the threshold over their ground floor",
                     better="lower", headline=True),
        _O.indicator("residents_affected", "", Text("habitants touchés", "residents affected"),
                     "residents of flooded buildings", better="lower", headline=True),
        _O.indicator("residents_75p_affected", "", Text("dont 75 ans ou plus",
                                                        "of whom aged 75 or over"),
                     "residents aged 75+ of flooded buildings (empty if unknown)",
                     better="lower"),
        _O.indicator("damage_eur", "€", Text("dommages aux bâtiments", "damage to buildings"),
                     "building damage from depth–damage curves", better="lower", headline=True),
        _O.indicator("roads_cut_km", "km", Text("routes coupées (voitures, > {car_m} m)",
                                                "roads cut (cars, > {car_m} m)"),
                     "roads impassable for cars", better="lower", headline=True),
        _O.indicator("roads_cut_emergency_km", "km",
                     Text("routes coupées aux secours (> {emergency_m} m)",
                          "roads cut to emergency vehicles (> {emergency_m} m)"),
                     "roads impassable for emergency vehicles", better="lower"),
        _O.indicator("facilities_hit", "", Text("équipements sensibles inondés",
                                                "critical facilities flooded"),
                     "schools, nursing homes, town hall… flooded", better="lower"),
        _O.indicator("isolated_people", "", Text("habitants isolés des pompiers",
                                                 "people cut off from the fire station"),
                     "residents no fire station can reach by road (empty if unknown)",
                     better="lower", headline=True),
        _O.indicator("max_depth_m", "m", Text("hauteur d'eau maximale (hors cours d'eau)",
                                              "maximum water depth (outside watercourses)"),
                     "deepest water outside watercourses", better="lower"),
        _O.indicator("flooded_area_ha", "ha", Text("surface inondée (hors cours d'eau)",
                                                   "flooded area (outside watercourses)"),
                     "flooded land", better="lower"),
        _O.indicator("mass_balance_error_pct", "%", Text("erreur de bilan de masse",
                                                         "mass balance error"),
                     "conservation error of the run (a check of the model, not an impact)"),
        _O.grid("max_depth_m", "m", Text("hauteur d'eau maximale", "maximum water depth"),
                "deepest water over the event", better="lower", threshold="flooded_m"),
        _O.grid("max_velocity_ms", "m/s", Text("vitesse maximale", "maximum velocity"),
                "fastest flow over the event", better="lower"),
        _O.grid("arrival_time_min", "min", Text("temps d'arrivée de l'eau",
                                                "water arrival time"),
                "time the water first reaches the cell", better="higher"),
        _O.grid("time_of_max_min", "min", Text("heure du maximum", "time of the maximum"),
                "time of the deepest water"),
        _O.grid("final_depth_m", "m", Text("hauteur d'eau finale", "final water depth"),
                "water left at the end", better="lower"),
        _O.grid("hazard_class", "", Text("aléa (1 faible … 4 très fort)",
                                         "hazard (1 low … 4 very high)"),
                "PPRI-style hazard class from depth and velocity", better="lower",
                classes={i + 1: label for i, label in enumerate(HAZARD_LABELS)}),
        _O.grid("hazard_rating", "", Text("danger pour les personnes HR",
                                          "hazard to people HR"),
                "HR = d (v + 0.5) + DF (Defra / EA FD2320)", better="lower",
                classes=dict(enumerate(HR_LABELS))),
        _O.layer("buildings_flood", Text("bâtiments inondés", "flooded buildings"),
                 "every building the water reached; `flooded` says which count",
                 key="building_id", flag="flooded",
                 sums=(("residents", Text("habitants", "residents"), ""),
                       ("damage_eur", Text("dommages", "damage"), "€"))),
        _O.layer("roads_flood", Text("routes touchées par l'eau", "roads reached"),
                 "every road the water reached, with its highest water", key="road_id",
                 flag="cut_car"),
        _O.layer("roads_cut", Text("routes coupées", "roads cut"),
                 "roads impassable for cars (`cut_emergency`: also for emergency vehicles)",
                 key="road_id"),
        _O.layer("facilities_hit", Text("équipements sensibles inondés",
                                        "critical facilities flooded"),
                 "critical facilities flooded, with the water on their ground floor",
                 key="name"),
        _O.layer("observation_points", Text("points d'observation", "observation points"),
                 "the scenario's observation points and their highest water", key="name"),
        _O.layer("structures", Text("mesures", "measures"),
                 "walls, breaches and other measures in force"),
        _O.table("mass_balance", Text("bilan de masse", "mass balance"),
                 "water in, out, stored and lost (m³), and the relative error"),
        _O.table("observation_series", Text("séries aux points d'observation",
                                            "series at observation points"),
                 "depth and level at each observation point over time"),
        _O.table("damage_by_use", Text("dommages par usage", "damage by use"),
                 "flooded buildings, damage and residents by building use"),
        _O.series("observation_level_m", "m", Text("niveau d'eau (m NGF)",
                                                   "water level (m NGF)"),
                  "water level at each observation point over time", x_unit="s"),
    ),
    draw="jumeau.flood.map:draw",
    method=Text(
        "Modèle 2D d'écoulement à surface libre (formulation inertielle locale de "
        "LISFLOOD-FP : Bates et al. 2010, de Almeida et al. 2012) sur le MNT, bâtiments en "
        "obstacles, frottement de Manning selon l'occupation du sol ; dommages par courbes "
        "hauteur–dommages (JRC, valeurs France).",
        "2D shallow-water model (the local inertial formulation of LISFLOOD-FP: Bates et "
        "al. 2010, de Almeida et al. 2012) on the DEM, buildings as obstacles, Manning "
        "friction by land cover; damage from depth–damage curves (JRC, values for France)."),
    limits=Text(
        "Pas de réseau d'assainissement détaillé (une capacité globale au plus), pas "
        "d'embâcles ni d'érosion ; les bâtiments sont étanches ; l'isolement se lit sur "
        "l'enveloppe des hauteurs maximales, pas heure par heure.",
        "No detailed sewer network (one overall capacity at most), no debris jams or "
        "erosion; buildings are watertight; isolation is read on the envelope of maximum "
        "depths, not hour by hour."),
    uncertainty=Text(
        "Les hauteurs dépendent d'abord du MNT et du débit imposé : quelques décimètres "
        "d'incertitude sont usuels ; les dommages en euros sont un ordre de grandeur (± 50 % "
        "est courant pour des courbes génériques).",
        "Depths depend first on the DEM and the imposed discharge: a few decimetres of "
        "uncertainty are usual; damage in euros is an order of magnitude (± 50 % is common "
        "for generic curves)."),
    example={"duration_h": 0.5,
             "inflows": [{"point": [650300.0, 6600020.0],
                          "hydrograph": {"time_h": [0, 0.5], "discharge_m3s": [5, 5]}}],
             "outflow": {"east": None}},
)
