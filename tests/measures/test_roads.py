"""Road measures: closing streets (left out of the network), adding a joined street."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pydantic import ValidationError

from jumeau.errors import JumeauError
from jumeau.measures.roads import AddRoad, CloseRoad

X0, Y0 = 650_000.0, 6_600_000.0   # south-west corner of the tiny site


def pt(x: float, y: float) -> tuple[float, float]:
    """A point in the tiny site's local metres."""
    return (X0 + x, Y0 + y)


def test_close_road_by_street_leaves_it_out_of_the_network(tiny):
    """Closing Rue Haute (one two-way section) removes its 2 directed edges."""
    after = CloseRoad(street="Rue Haute").apply(tiny)
    assert after.roads["closed"].tolist() == [False, False, True]
    assert tiny.network.n_edges - after.network.n_edges == 2
    assert not tiny.roads["closed"].any()                   # input untouched
    s = after.structures
    assert s["kind"].tolist() == ["road_closed"] and s["name"].tolist() == ["Rue Haute"]
    assert s.geometry.iloc[0].length == pytest.approx(220 + 30)


def test_close_road_along_a_line(tiny):
    """A line drawn along Rue des Écoles closes it and not the quay it crosses."""
    after = CloseRoad(near=[pt(292, 30), pt(292, 370)]).apply(tiny)
    assert after.roads["closed"].tolist() == [False, True, False]


def test_close_road_by_id_and_unknown_street(tiny):
    """Ids select sections; a misspelt street name is refused with a suggestion."""
    assert CloseRoad(road_ids=["R1"]).apply(tiny).roads["closed"].tolist() == [True, False,
                                                                              False]
    with pytest.raises(JumeauError) as err:
        CloseRoad(street="Rue Hautte").apply(tiny)
    assert err.value.field == "measures.close_road.street"
    assert "Rue Haute" in err.value.render("fr")


def test_close_road_needs_one_selection():
    """Two selections at once are refused."""
    with pytest.raises(ValidationError, match="exactly one"):
        CloseRoad(street="Rue Haute", road_ids=["R1"])


def test_add_road_joins_the_network(tiny):
    """A street from the quay to Rue des Écoles joins the tiny site's two pieces of network
    into one; the roads it joins keep their ids and gain a vertex."""
    assert tiny.network.n_components == 2   # Rue des Écoles does not end on a quay vertex
    after = AddRoad(street="Rue Neuve", line=[pt(200, 40), pt(200, 300), pt(285, 300)]
                    ).apply(tiny)
    assert after.network.n_components == 1
    assert after.roads["road_id"].tolist() == ["R1", "R2", "R3", "new-rue-neuve-1"]
    new = after.roads.geometry.iloc[3]
    # Both ends snapped onto the roads they join (within 15 m).
    assert shapely.get_coordinates(new)[[0, -1]].tolist() == [list(pt(200, 45)),
                                                               list(pt(290, 300))]
    assert list(pt(200, 45)) in shapely.get_coordinates(after.roads.geometry.iloc[0]).tolist()
    net = after.network
    a, _ = net.nearest_node(*np.array(pt(20, 45)))
    b, _ = net.nearest_node(*np.array(pt(510, 350)))
    cost, _ = net.shortest_path(int(a[0]), int(b[0]), weight="length")
    # Quay 180 m, new street 255 + 90 m, Rue des Écoles 80 m, Rue Haute 220 + 30 m.
    assert cost == pytest.approx(180 + 255 + 90 + 80 + 250)
    s = after.structures
    assert s["kind"].tolist() == ["new_road"]


def test_add_road_crossing_a_street_makes_a_junction(tiny):
    """A street crossing the quay at grade shares a node with it there."""
    after = AddRoad(line=[pt(400, 20), pt(400, 100)], snap_m=0).apply(tiny)
    quay = shapely.get_coordinates(after.roads.geometry.iloc[0]).tolist()
    new = shapely.get_coordinates(after.roads.geometry.iloc[3]).tolist()
    assert list(pt(400, 45)) in quay and list(pt(400, 45)) in new
    assert after.network.n_components == tiny.network.n_components


def test_add_road_joined_to_nothing_is_refused(tiny):
    """A street 60 m from any road is refused, naming the line."""
    with pytest.raises(JumeauError) as err:
        AddRoad(line=[pt(400, 150), pt(400, 250)]).apply(tiny)
    assert err.value.field == "measures.add_road.line"


def test_add_road_outside_the_territory_is_refused(tiny):
    """A street running out of the territory is refused."""
    with pytest.raises(JumeauError, match="en dehors du territoire"):
        AddRoad(line=[pt(400, 45), pt(400, -500)]).apply(tiny)


def test_typed_choices_follow_the_schema():
    """The measures' and the development kind's literal choices are the schema's values."""
    from typing import get_args

    from jumeau.development.params import Cover
    from jumeau.measures.buildings import Use
    from jumeau.measures.roads import RoadClass
    from jumeau.territory.schema import BUILDING_USES, LAND_COVERS, ROAD_CLASSES

    assert get_args(Use) == BUILDING_USES
    assert get_args(RoadClass) == ROAD_CLASSES
    assert get_args(Cover) == LAND_COVERS
