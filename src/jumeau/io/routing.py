"""Readers of standard routing benchmark instances, as jumeau routing problems.

- CVRPLIB / TSPLIB95 ``.vrp`` files (node routing), read with the ``vrplib`` package.
  Euclidean distances are rounded to the nearest integer (TSPLIB ``nint``), the
  convention of the published best-known values. The best-known value comes from a
  ``.sol`` file beside the instance (its ``Cost`` line) or from the file's ``COMMENT``
  ("Optimal value: 784", "Best value: …").
- CARPLIB ``.dat`` files (capacitated arc routing, Belenguer's Spanish keywords:
  ``VERTICES``, ``CAPACIDAD``, ``LISTA_ARISTAS_REQ`` …), turned into a generalised VRP
  (:func:`jumeau.waste.solver.arc_routing_matrices`). The file's ``COMENTARIO`` is an old
  upper bound, not a best-known value, so the best-known value comes from a ``.sol``
  beside the file (a ``Cost N`` line or a lone number) or from :data:`CARP_BEST_KNOWN`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.waste.solver import RoutingProblem, arc_routing_matrices

#: Proven optimal costs of the classic CARP sets, for files without a ``.sol`` beside them.
#: gdb (Golden, DeArmon & Baker 1983) and val (Benavent et al. 1992): optimal values
#: closed by the lower bounds of Belenguer & Benavent (2003), as tabulated by Tang, Mei &
#: Yao (2009); egl-e1-A (Li & Eglese 1996): best known, reported optimal by Bode & Irnich
#: (2012).
CARP_BEST_KNOWN = {
    **{f"gdb{i + 1}": v for i, v in enumerate(
        [316, 339, 275, 287, 377, 298, 325, 348, 303, 275, 395, 458, 536, 100, 58, 127,
         91, 164, 55, 121, 156, 200, 233])},
    **dict(zip([f"val{k}" for k in
                ("1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C",
                 "4D", "5A", "5B", "5C", "5D", "6A", "6B", "6C", "7A", "7B", "7C", "8A",
                 "8B", "8C", "9A", "9B", "9C", "9D", "10A", "10B", "10C", "10D")],
               [173, 173, 245, 227, 259, 457, 81, 87, 138, 400, 412, 428, 530, 423, 446,
                474, 575, 223, 233, 317, 279, 283, 334, 386, 395, 521, 323, 326, 332, 389,
                428, 436, 446, 525], strict=True)),
    "egl-e1-A": 3548,
}


@dataclass(frozen=True)
class RoutingInstance:
    """A benchmark instance.

    Attributes
    ----------
    name
        Instance name (``A-n32-k5``, ``gdb1``).
    kind
        ``"cvrp"`` (node routing) or ``"carp"`` (arc routing).
    problem
        The instance as a :class:`~jumeau.waste.solver.RoutingProblem` (distance = cost).
    best_known
        Best-known (often optimal) cost, or None when unknown.
    best_known_source
        Where ``best_known`` comes from.
    """

    name: str
    kind: str
    problem: RoutingProblem
    best_known: float | None
    best_known_source: str


def read_instance(path: str | Path) -> RoutingInstance:
    """Read a ``.vrp`` (CVRPLIB) or ``.dat`` (CARPLIB) instance by its suffix."""
    path = Path(path)
    if not path.exists():
        raise JumeauError(Text("fichier introuvable", "file not found"), path=path,
                          fix=Text("vérifiez le chemin", "check the path"))
    if path.suffix.lower() == ".vrp":
        return read_cvrp(path)
    if path.suffix.lower() == ".dat":
        return read_carp(path)
    raise JumeauError(Text("format d'instance inconnu « {s} »", "unknown instance format "
                           "'{s}'").format(s=path.suffix), path=path,
                      fix=Text("donnez un fichier CVRPLIB .vrp ou CARPLIB .dat",
                               "give a CVRPLIB .vrp or a CARPLIB .dat file"))


def read_cvrp(path: str | Path) -> RoutingInstance:
    """Read a CVRPLIB instance (``.vrp``) and its best-known value."""
    import vrplib

    path = Path(path)
    try:
        inst = vrplib.read_instance(str(path), compute_edge_weights=False)
    except Exception as exc:  # noqa: BLE001 - vrplib raises plain exceptions on bad files
        raise JumeauError(Text("instance CVRPLIB illisible : {e}", "unreadable CVRPLIB "
                               "instance: {e}").format(e=exc), path=path,
                          fix=Text("vérifiez le format VRPLIB du fichier",
                                   "check the file's VRPLIB format")) from None
    if "edge_weight" in inst:
        dist = np.asarray(inst["edge_weight"], dtype=float)
    else:
        xy = np.asarray(inst["node_coord"], dtype=float)
        dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    dist = np.rint(dist).astype(np.int64)  # TSPLIB nint, as the best-known values
    n = len(dist)
    depot = int(np.atleast_1d(inst.get("depot", [0]))[0])
    demand = np.asarray(inst["demand"], dtype=np.int64)
    clients = np.array([i for i in range(n) if i != depot])
    n_vehicles = int(inst.get("vehicles", len(clients)))
    problem = RoutingProblem(distance=dist, duration=dist, client_location=clients,
                             demand=demand[clients].reshape(-1, 1),
                             capacity=(int(inst["capacity"]),), n_vehicles=n_vehicles,
                             depot=depot)
    best, source = _cvrp_best_known(path, str(inst.get("comment", "")))
    return RoutingInstance(str(inst.get("name", path.stem)), "cvrp", problem, best, source)


def _cvrp_best_known(path: Path, comment: str) -> tuple[float | None, str]:
    sol = path.with_suffix(".sol")
    if sol.exists():
        cost = _sol_cost(sol)
        if cost is not None:
            return cost, sol.name
    m = re.search(r"(?:optimal|best)\s*(?:value)?\s*[:=]?\s*(\d+(?:\.\d+)?)", comment, re.IGNORECASE)
    if m:
        return float(m.group(1)), "COMMENT"
    return None, ""


def _sol_cost(sol: Path) -> float | None:
    text = sol.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"^\s*cost\s*:?\s*(\d+(?:\.\d+)?)", text, re.IGNORECASE | re.MULTILINE)
    if m:
        return float(m.group(1))
    lone = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", text)
    return float(lone.group(1)) if lone else None


_EDGE = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*\)\s*coste\s+(\d+(?:\.\d+)?)"
                   r"(?:\s+demanda\s+(\d+(?:\.\d+)?))?", re.IGNORECASE)


def read_carp(path: str | Path) -> RoutingInstance:
    """Read a CARPLIB instance (``.dat``) as a generalised VRP.

    Each required edge becomes two clients, one per serving direction, in a mutually
    exclusive group; non-required edges may only be driven through. The fleet is left
    unbounded (one vehicle per required edge), as in the literature's best-known values.
    """
    path = Path(path)
    text = path.read_text(encoding="latin-1")
    header = dict(re.findall(r"^\s*([A-Z_]+)\s*:\s*(.*?)\s*$", text, re.MULTILINE))

    def number(key: str) -> int:
        if key not in header or not re.fullmatch(r"\d+", header[key].split()[0] if
                                                 header[key] else ""):
            raise JumeauError(Text("champ « {k} » absent ou illisible", "field '{k}' missing "
                                   "or unreadable").format(k=key), path=path, field=key,
                              fix=Text("donnez un fichier CARPLIB complet",
                                       "give a complete CARPLIB file"))
        return int(header[key].split()[0])

    n_vertices = number("VERTICES")
    n_req = number("ARISTAS_REQ")
    capacity = number("CAPACIDAD")
    depot = number("DEPOSITO") - 1
    req_start = text.find("LISTA_ARISTAS_REQ")
    noreq_start = text.find("LISTA_ARISTAS_NOREQ")
    dep_start = text.find("DEPOSITO")
    req_text = text[req_start:noreq_start if noreq_start >= 0 else dep_start]
    noreq_text = text[noreq_start:dep_start] if noreq_start >= 0 else ""
    req = np.array([[float(x or 0) for x in m] for m in _EDGE.findall(req_text)])
    noreq = np.array([[float(x or 0) for x in m] for m in _EDGE.findall(noreq_text)])
    if len(req) != n_req:
        raise JumeauError(Text("{a} arêtes à servir lues, {b} annoncées", "{a} required edges "
                               "read, {b} announced").format(a=len(req), b=n_req), path=path,
                          field="LISTA_ARISTAS_REQ",
                          fix=Text("vérifiez la liste des arêtes", "check the edge list"))
    edges = req[:, :3] if not len(noreq) else np.vstack([req[:, :3], noreq[:, :3]])
    i, j = edges[:, 0].astype(np.int64) - 1, edges[:, 1].astype(np.int64) - 1
    c = edges[:, 2]
    ri, rj = req[:, 0].astype(np.int64) - 1, req[:, 1].astype(np.int64) - 1
    cost = arc_routing_matrices(n_vertices, np.r_[i, j], np.r_[j, i], np.r_[c, c], depot,
                                arc_tail=np.r_[ri, rj], arc_head=np.r_[rj, ri],
                                arc_cost=np.r_[req[:, 2], req[:, 2]])
    cost = np.rint(cost).astype(np.int64)
    demand = np.r_[req[:, 3], req[:, 3]].astype(np.int64).reshape(-1, 1)
    groups = tuple((k, k + n_req) for k in range(n_req))
    problem = RoutingProblem(distance=cost, duration=cost,
                             client_location=np.arange(1, 2 * n_req + 1), demand=demand,
                             capacity=(capacity,), n_vehicles=n_req, depot=0, groups=groups)
    name = header.get("NOMBRE", path.stem).split()[0] if header.get("NOMBRE") else path.stem
    sol = path.with_suffix(".sol")
    best, source = (_sol_cost(sol), sol.name) if sol.exists() else (None, "")
    if best is None:
        for key in (name, path.stem):
            if key in CARP_BEST_KNOWN:
                best, source = float(CARP_BEST_KNOWN[key]), "CARP_BEST_KNOWN"
                break
    return RoutingInstance(name, "carp", problem, best, source)
