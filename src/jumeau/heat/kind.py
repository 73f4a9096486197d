"""The heatwave kind's declaration: what it needs and every output it gives, declared once."""

from __future__ import annotations

from jumeau.heat.landcover import CLASSES
from jumeau.heat.params import HeatParams
from jumeau.heat.simulate import simulate
from jumeau.i18n import Text
from jumeau.scenario.kinds import Kind, Output

_O = Output
_LOWER = "lower"

KIND = Kind(
    name="heatwave",
    title=Text("Canicule", "Heatwave"),
    params=HeatParams,
    simulate=simulate,
    # Vector layers or a land-cover raster: checked by the simulation itself.
    needs=(),
    outputs=(
        _O.indicator("night_max_c", "°C", Text("température de nuit maximale",
                                               "maximum night temperature"),
                     "hottest night air temperature (the episode's warmest night)",
                     better=_LOWER, headline=True),
        _O.indicator("night_mean_c", "°C", Text("température de nuit moyenne (commune)",
                                                "mean night temperature (commune)"),
                     "mean night air temperature over the grid, warmest night", better=_LOWER),
        _O.indicator("day_max_c", "°C", Text("température de jour maximale",
                                             "maximum day temperature"),
                     "hottest daytime air temperature (the episode's hottest day)",
                     better=_LOWER, headline=True),
        _O.indicator("day_mean_c", "°C", Text("température de jour moyenne (commune)",
                                              "mean day temperature (commune)"),
                     "mean daytime air temperature over the grid, hottest day", better=_LOWER),
        _O.indicator("night_homes_c", "°C", Text("nuit moyenne au domicile des habitants",
                                                 "mean night temperature at residents' homes"),
                     "night temperature at home, averaged over the episode and the residents",
                     better=_LOWER),
        _O.indicator("heatwave_days", "j", Text("jours de canicule (seuils {tmin_threshold_c} / "
                                                "{tmax_threshold_c} °C)",
                                                "heatwave days (thresholds {tmin_threshold_c} / "
                                                "{tmax_threshold_c} °C)"),
                     "days in a 3-day window above both Météo-France thresholds"),
        _O.indicator("residents_hot", "", Text("habitants des îlots de chaleur (+{hot_c} °C)",
                                               "residents of heat islands (+{hot_c} °C)"),
                     "residents of buildings where the heat island adds at least "
                     "hot_anomaly_c at night", better=_LOWER, headline=True),
        _O.indicator("residents_75p_hot", "", Text("dont 75 ans ou plus", "of whom aged 75+"),
                     "residents aged 75 or over of those buildings", better=_LOWER,
                     headline=True),
        _O.indicator("tropical_nights_max", "", Text("nuits tropicales (> 20 °C), au pire",
                                                     "tropical nights (> 20 °C), worst home"),
                     "most nights above 20 °C at any building", better=_LOWER),
        _O.indicator("degree_hours_mean", "°C·h", Text("degrés-heures au-dessus du seuil "
                                                       "(moyenne par habitant)",
                                                       "degree-hours above the threshold "
                                                       "(mean per resident)"),
                     "hours × degrees above the comfort threshold, averaged over residents",
                     better=_LOWER),
        _O.indicator("excess_risk_indicative_pct", "%",
                     Text("surmortalité relative (indicatif, Baccini 2008)",
                          "relative excess mortality (indicative, Baccini 2008)"),
                     "INDICATIVE: Baccini et al. 2008 slope × daily excess over the IBMx "
                     "threshold, mean per resident", better=_LOWER, headline=True),
        _O.indicator("sensitive_facilities_hot", "",
                     Text("EHPAD, écoles, crèches en îlot de chaleur",
                          "nursing homes, schools, childcare in hot places"),
                     "sensitive facilities in the hottest places", better=_LOWER),
        _O.indicator("heat_index_max_c", "°C", Text("indice de chaleur NWS maximal",
                                                    "maximum NWS heat index"),
                     "NWS heat index of the rural maximum (empty without humidity or out of "
                     "its validity range)", better=_LOWER),
        _O.indicator("plan_registered", "", Text("personnes inscrites au registre",
                                                 "people on the register"),
                     "people the heatwave plan calls"),
        _O.indicator("plan_reached_day1_pct", "%", Text("inscrits joints le 1er jour",
                                                        "registered people reached on day 1"),
                     "share of those due on day 1 who were reached that day", better="higher"),
        _O.indicator("plan_never_reached", "", Text("inscrits jamais joints",
                                                    "registered people never reached"),
                     "people not reached once over the episode", better=_LOWER),
        _O.grid("air_temperature_day_c", "°C", Text("température de l'air le jour",
                                                    "daytime air temperature"),
                "air temperature of the hottest day (InVEST T_air, factors method)",
                better=_LOWER, threshold="hot_day_c"),
        _O.grid("air_temperature_night_c", "°C", Text("température de l'air la nuit",
                                                      "night air temperature"),
                "air temperature of the warmest night (InVEST T_air, intensity method)",
                better=_LOWER, threshold="hot_night_c"),
        _O.grid("park_cooling_c", "°C", Text("rafraîchissement par les espaces verts",
                                             "cooling by green spaces"),
                "daytime cooling brought by green spaces (park term of the model)",
                better="higher"),
        _O.grid("landcover", "", Text("occupation du sol", "land cover"),
                "land-cover codes the model ran on",
                classes={code: label for code, (_name, label) in CLASSES.items()}),
        _O.layer("buildings_heat", Text("bâtiments et chaleur", "buildings and heat"),
                 "per building: day and night temperatures, degree-hours, tropical nights, "
                 "residents, indicative excess risk", key="building_id", flag="hot",
                 sums=(("residents", Text("habitants", "residents"), ""),
                       ("residents_75p", Text("75 ans ou plus", "aged 75+"), ""))),
        _O.layer("facilities_heat", Text("établissements sensibles", "sensitive facilities"),
                 "nursing homes, schools, childcare and hospitals with their temperatures",
                 key="building_id", flag="hot"),
        _O.layer("heat_measures", Text("mesures (arbres, parcs, toits frais…)",
                                       "measures (trees, parks, cool roofs…)"),
                 "land-cover measures in force"),
        _O.table("episode_by_day", Text("épisode jour par jour", "episode day by day"),
                 "rural Tmin / Tmax, heatwave flag, heat index, grid means and maxima"),
        _O.table("plan_by_day", Text("plan canicule jour par jour", "heatwave plan by day"),
                 "registered, reached, not reached, first contact, calls, visits, agent "
                 "utilisation, cooled-room occupancy"),
        _O.series("temperature_by_day_c", "°C", Text("températures de l'épisode",
                                                     "temperatures of the episode"),
                  "rural and hottest-place Tmin / Tmax by day", x_unit="day"),
        _O.series("plan_reached_pct", "%", Text("personnes jointes", "people reached"),
                  "share of the people due reached each day, and reached at least once",
                  x_unit="day", better="higher"),
        _O.series("plan_load_pct", "%", Text("charge des agents et des salles",
                                             "load of agents and rooms"),
                  "agent utilisation and cooled-room occupancy by day", x_unit="day"),
    ),
    draw="jumeau.heat.map:draw",
    method=Text(
        "Modèle InVEST Urban Cooling (capacité de rafraîchissement par l'ombre, l'albédo et "
        "l'évapotranspiration le jour, par l'intensité bâtie la nuit ; effet des espaces "
        "verts de plus de 2 ha jusqu'à 450 m ; mélange de l'air sur 500 m) appliqué à chaque "
        "jour d'un épisode de canicule ; exposition des habitants et des plus de 75 ans ; "
        "plan canicule communal simulé à événements discrets (appels, visites, salles "
        "rafraîchies).",
        "InVEST Urban Cooling Model (cooling capacity from shade, albedo and "
        "evapotranspiration by day, building intensity by night; green spaces over 2 ha cool "
        "up to 450 m; air mixed over 500 m) applied to each day of a heatwave; exposure of "
        "residents and over-75s; the municipal heatwave plan as a discrete-event simulation "
        "(calls, visits, cooled rooms)."),
    limits=Text(
        "Pas de rayonnement ni de vent explicites, pas de température intérieure des "
        "logements ; l'îlot de chaleur maximal est un paramètre ; la table biophysique par "
        "défaut est indicative ; l'indice de surmortalité est indicatif (pente moyenne "
        "européenne, pas une estimation de décès).",
        "No explicit radiation or wind, no indoor temperatures; the heat-island magnitude is "
        "a parameter; the default biophysical table is indicative; the excess-risk index is "
        "indicative (a European average slope, not a death estimate)."),
    uncertainty=Text(
        "Les écarts entre quartiers et entre variantes sont plus sûrs que les valeurs "
        "absolues (±1 à 2 °C) ; le plan canicule dépend d'hypothèses (taux de réponse, "
        "durées) à ajuster localement.",
        "Differences between districts and variants are surer than absolute values "
        "(±1-2 °C); the plan depends on assumptions (answer rate, durations) to tune "
        "locally."),
    example={"day": {"t_ref_c": 30, "uhi_max_c": 3}, "night": {"t_ref_c": 20, "uhi_max_c": 4},
             "resolution_m": 10, "plan": {"agents": 1}},
)
