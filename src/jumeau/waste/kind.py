"""The waste kind's declaration: what it needs and every output it gives, declared once."""

from __future__ import annotations

from jumeau.i18n import Text
from jumeau.scenario.kinds import Kind, Need, Output
from jumeau.waste.params import WasteParams
from jumeau.waste.simulate import simulate

_O = Output

KIND = Kind(
    name="waste",
    title=Text("Collecte des déchets", "Waste collection"),
    params=WasteParams,
    simulate=simulate,
    needs=(Need("buildings", Text("des bâtiments (avec leurs habitants)",
                                  "buildings (with their residents)")),
           Need("roads", Text("des routes", "roads"))),
    uses=("flood.roads_cut",),
    outputs=(
        _O.indicator("distance_km", "km", Text("kilomètres parcourus", "distance driven"),
                     "km driven by all trucks over the simulated day", better="lower",
                     headline=True),
        _O.indicator("hours", "h", Text("heures de tournée", "round hours"),
                     "truck hours from departure to return (with crew)", better="lower"),
        _O.indicator("tonnes_produced", "t", Text("déchets à collecter", "waste to collect"),
                     "waste waiting at the collection points on collection day"),
        _O.indicator("tonnes_collected", "t", Text("déchets collectés", "waste collected"),
                     "waste the trucks collected", better="higher"),
        _O.indicator("tonnes_missed", "t", Text("déchets non collectés", "waste missed"),
                     "waste left at points not collected (unreachable, no time, breakdown)",
                     better="lower", headline=True),
        _O.indicator("trips_to_unloading", "", Text("vidages au site de déchargement",
                                                    "trips to the unloading site"),
                     "times a truck unloaded"),
        _O.indicator("trucks_used", "", Text("camions utilisés", "trucks used"),
                     "trucks that collected something"),
        _O.indicator("fuel_l", "L", Text("gazole consommé", "diesel burnt"),
                     "1 L/km collecting, 0.4 L/km in transit (assumptions)", better="lower"),
        _O.indicator("co2_kg", "kg", Text("émissions de CO2", "CO2 emissions"),
                     "3.17 kg CO2e per litre of diesel (arrêté du 26 avril 2017)",
                     better="lower", headline=True),
        _O.indicator("cost_eur", "€", Text("coût de la journée", "cost of the day"),
                     "truck and crew hours, kilometres and overtime premium", better="lower",
                     headline=True),
        _O.indicator("missed_points", "", Text("points non collectés", "points missed"),
                     "collection points not collected", better="lower"),
        _O.indicator("overtime_h", "h", Text("heures supplémentaires", "overtime"),
                     "truck hours beyond the shift", better="lower", headline=True),
        _O.indicator("km_per_tonne", "km/t", Text("kilomètres par tonne", "km per tonne"),
                     "sanity check: ADEME national average about 12 km/t (7 dense urban, "
                     "20 rural), unloading trips to distant sites included", better="lower"),
        _O.layer("waste_points", Text("points de collecte", "collection points"),
                 "each collection point: waste, truck, order, collection time or why missed",
                 key="point_id", flag="missed",
                 sums=(("kg", Text("déchets", "waste"), "kg"),
                       ("residents", Text("habitants desservis", "residents served"), ""))),
        _O.layer("waste_rounds", Text("tournées", "rounds"),
                 "the path of each truck's trips, in stop order"),
        _O.layer("waste_sites", Text("dépôt et site de déchargement",
                                     "depot and unloading site"),
                 "where the trucks start and unload", key="site"),
        _O.layer("waste_closed_roads", Text("routes fermées aux camions",
                                            "roads closed to trucks"),
                 "roads closed by a measure or cut by a flood", key="road_id"),
        _O.table("waste_trucks", Text("bilan par camion", "summary per truck"),
                 "planned and simulated km and hours, time per activity, tonnes, fuel, cost"),
        _O.table("waste_timeline", Text("chronologie des camions", "truck timeline"),
                 "each truck's activities: driving, collecting, unloading, idle, broken down"),
        _O.series("tonnes_collected_t", "t", Text("déchets collectés au fil de la journée",
                                                  "waste collected through the day"),
                  "tonnes collected so far, per truck and in all", x_unit="h",
                  better="higher"),
    ),
    draw="jumeau.waste.map:draw",
    method=Text(
        "Points de collecte tirés des bâtiments habités (habitants × production ADEME × "
        "jours depuis la dernière collecte) ; temps de parcours des camions sur le réseau "
        "routier du territoire (sens uniques, vitesse par voie plafonnée, routes fermées ou "
        "coupées par une crue retirées) ; tournées optimisées par PyVRP (dépôt, vidages au "
        "site de déchargement, charge utile, volume, durée de poste) ou tournées actuelles "
        "par secteurs en plus proche voisin ; journée simulée avec simpy (temps de service "
        "aléatoires, ralentissements, panne).",
        "Collection points from inhabited buildings (residents × ADEME production × days "
        "since the last collection); truck travel times on the territory's road network "
        "(one-way streets, capped speed per road, roads closed or cut by a flood removed); "
        "rounds optimised by PyVRP (depot, unloading trips, payload, volume, shift) or "
        "today's sector rounds in nearest-neighbour order; the day simulated with simpy "
        "(random service times, slowdowns, breakdown)."),
    limits=Text(
        "Déchets des ménages seulement (pas les professionnels) ; un passage dessert les "
        "deux côtés d'une rue ; les temps de service, consommations et coûts sont des "
        "hypothèses documentées à ajuster ; pas de pause méridienne ni de feux tricolores ; "
        "tous les points sont collectés le jour simulé.",
        "Household waste only (not businesses'); one pass serves both sides of a street; "
        "service times, fuel use and costs are documented assumptions to adjust; no lunch "
        "break or traffic lights; every point is collected on the simulated day."),
    uncertainty=Text(
        "Les tonnages suivent les moyennes nationales ADEME (± 20 % d'une commune à "
        "l'autre) ; les durées dépendent surtout des temps de service supposés ; l'écart "
        "entre deux plans de tournées est plus sûr que leurs valeurs absolues.",
        "Tonnages follow ADEME national averages (± 20 % from one commune to another); "
        "durations depend mostly on the assumed service times; the difference between two "
        "round plans is surer than their absolute values."),
    example={"sites": {"depot": [650020.0, 6600050.0], "unloading": [650580.0, 6600050.0]},
             "rounds": {"time_limit_s": 5, "max_iterations": 200},
             "fleet": {"trucks": 1}},
)
