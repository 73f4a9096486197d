"""Uncertain inputs and their Latin hypercube members.

A scenario gives some inputs a range or a distribution instead of one value, by dotted
path into its ``simulate:`` block::

    uncertain:
      flood.inflows.0.hydrograph.discharge_m3s: {scale_pct: 20}   # every value × U(0.8, 1.2)
      flood.manning.default: {min: 0.03, max: 0.08}               # uniform range
      flood.duration_h: {min: 5, mode: 6, max: 8}                 # triangular
      heatwave.day.uhi_max_c: {mean: 3, sd: 0.5}                  # normal, truncated at ±3 sd
      heatwave.day.t_ref_c: {value: 30, scale_pct: 5}             # ± 5 % around 30

:func:`draw_members` draws N members by Latin hypercube sampling
(:class:`scipy.stats.qmc.LatinHypercube`, McKay, Beckman & Conover 1979): each input's
range is cut into N strata of equal probability and every stratum holds exactly one
member, so 20 members cover each input's range evenly, where 20 plain random draws would
leave gaps. Stratum probabilities map to values through each distribution's quantile
function (:mod:`scipy.stats`).

Reproducibility: the design is drawn from a seed derived from the scenario's seed
(:func:`jumeau.scenario.runner.derive_seed`), so the same seed, the same inputs and the
same N give the same members; member *i* is rebuilt alone by :func:`draw_member`
(the design costs microseconds; only member *i* is run), and its own simulation seed is
``derive_seed(seed, "member", str(i))``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from scipy import stats
from scipy.stats import qmc

from jumeau.errors import JumeauError
from jumeau.i18n import Text

#: Default truncation of a normal distribution without ``min`` / ``max``, in standard
#: deviations either side of the mean (assumption: keeps 99.7 % of the mass and rules
#: out physically absurd draws such as a negative roughness).
NORMAL_TRUNCATION_SD = 3.0


class _Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @property
    def relative(self) -> bool:
        """True when a draw is a factor applied to the value already in the scenario."""
        return False

    def ppf(self, u: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def bounds(self) -> tuple[float, float]:  # pragma: no cover - abstract
        raise NotImplementedError


class Uniform(_Distribution):
    """Every value in ``[min, max]`` equally likely."""

    min: float = Field(description="Lowest value.")
    max: float = Field(description="Highest value.")

    def ppf(self, u):
        return self.min + np.asarray(u, float) * (self.max - self.min)

    def bounds(self):
        return self.min, self.max


class Triangular(_Distribution):
    """Most likely at ``mode``, falling linearly to zero at ``min`` and ``max``."""

    min: float
    mode: float
    max: float

    def ppf(self, u):
        width = self.max - self.min
        if width == 0:
            return np.full(np.shape(u), self.min, dtype=float)
        return stats.triang(c=(self.mode - self.min) / width, loc=self.min,
                            scale=width).ppf(u)

    def bounds(self):
        return self.min, self.max


class Normal(_Distribution):
    """A normal distribution truncated to ``[min, max]`` (default mean ± 3 sd)."""

    mean: float
    sd: float = Field(gt=0, description="Standard deviation.")
    min: float | None = None
    max: float | None = None

    def bounds(self):
        lo = self.mean - NORMAL_TRUNCATION_SD * self.sd if self.min is None else self.min
        hi = self.mean + NORMAL_TRUNCATION_SD * self.sd if self.max is None else self.max
        return lo, hi

    def ppf(self, u):
        lo, hi = self.bounds()
        return stats.truncnorm(a=(lo - self.mean) / self.sd, b=(hi - self.mean) / self.sd,
                               loc=self.mean, scale=self.sd).ppf(u)


class Percent(_Distribution):
    """Uniform within ± ``scale_pct`` % of ``value``, or, without ``value``, a factor
    in ``[1 − p, 1 + p]`` applied to the value(s) already in the scenario (every number
    of a list, such as a hydrograph's discharges, scaled together)."""

    scale_pct: float = Field(ge=0, lt=100, description="Half-width of the range, in %.")
    value: float | None = Field(None, description="The central value (default: the "
                                                  "scenario's own value, scaled).")

    @property
    def relative(self) -> bool:
        return self.value is None

    def bounds(self):
        centre = 1.0 if self.value is None else self.value
        lo, hi = centre * (1 - self.scale_pct / 100), centre * (1 + self.scale_pct / 100)
        return min(lo, hi), max(lo, hi)

    def ppf(self, u):
        lo, hi = self.bounds()
        return lo + np.asarray(u, float) * (hi - lo)


Distribution = Uniform | Triangular | Normal | Percent


def parse_distribution(data: Any, *, field: str) -> Distribution:
    """A distribution from its scenario form (see the module docstring).

    Raises
    ------
    JumeauError
        An unknown form, a missing or unknown key, ``min`` > ``max``, a ``mode``
        outside ``[min, max]``.
    """
    forms = Text("formes possibles : {min, max} (uniforme), {min, mode, max} "
                 "(triangulaire), {mean, sd[, min, max]} (normale tronquée), "
                 "{scale_pct[, value]} (± %)", "possible forms: {min, max} (uniform), "
                 "{min, mode, max} (triangular), {mean, sd[, min, max]} (truncated normal), "
                 "{scale_pct[, value]} (± %)")
    if not isinstance(data, Mapping):
        raise JumeauError(Text("une entrée incertaine se décrit par une plage ou une loi",
                               "an uncertain input is described by a range or a "
                               "distribution"), field=field, fix=forms)
    model = (Percent if "scale_pct" in data else Normal if "mean" in data
             else Triangular if "mode" in data else Uniform)
    try:
        dist = model.model_validate(dict(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise JumeauError(Text("loi incorrecte : {m}", "bad distribution: {m}").format(
            m=f"{where}: {first['msg']}" if where else first["msg"]),
            field=f"{field}.{where}" if where else field, fix=forms) from None
    lo, hi = (dist.min, dist.max) if not isinstance(dist, Percent) else (0, 0)
    if lo is not None and hi is not None and lo > hi:
        raise JumeauError(
            Text("le minimum ({lo}) dépasse le maximum ({hi})",
                 "the minimum ({lo}) is above the maximum ({hi})").format(lo=lo, hi=hi),
            field=f"{field}.min", fix=Text("échangez min et max", "swap min and max"))
    if isinstance(dist, Triangular) and not dist.min <= dist.mode <= dist.max:
        raise JumeauError(
            Text("le mode ({m}) doit être entre le minimum et le maximum",
                 "the mode ({m}) must lie between the minimum and the maximum").format(
                m=dist.mode), field=f"{field}.mode")
    if isinstance(dist, Normal):
        a, b = dist.bounds()
        if not a < b:
            raise JumeauError(Text("la troncature [{a}, {b}] est vide", "the truncation "
                                   "[{a}, {b}] is empty").format(a=a, b=b),
                              field=f"{field}.min")
    return dist


def parse_inputs(data: Mapping[str, Any] | None, *, field: str = "uncertain"
                 ) -> dict[str, Distribution]:
    """``{dotted path: distribution}`` from a scenario's ``uncertain:`` block."""
    return {str(path): parse_distribution(spec, field=f"{field}.{path}")
            for path, spec in (data or {}).items()}


# --------------------------------------------------------------------------- design


@dataclass(frozen=True)
class Member:
    """One member of an ensemble.

    Attributes
    ----------
    index
        Its number, 0 … N − 1.
    seed
        Its own simulation seed, derived from the scenario's seed and ``index``.
    values
        ``{dotted path: drawn value}`` (a factor for relative inputs).
    """

    index: int
    seed: int
    values: dict[str, float]


def member_seed(seed: int, index: int) -> int:
    """Member ``index``'s simulation seed, derived from the scenario's ``seed``."""
    from jumeau.scenario.runner import derive_seed

    return derive_seed(seed, "member", str(int(index)))


def latin_hypercube(n_members: int, n_inputs: int, seed: int) -> np.ndarray:
    """A Latin hypercube design in the unit cube, shape ``(n_members, n_inputs)``.

    Column *j* holds one value in each of the ``n_members`` strata
    ``[k / N, (k + 1) / N)``, placed at random inside it.

    Examples
    --------
    >>> u = latin_hypercube(5, 2, seed=1)
    >>> sorted(np.floor(u[:, 0] * 5).astype(int).tolist())
    [0, 1, 2, 3, 4]
    """
    from jumeau.scenario.runner import derive_seed

    if n_members < 1:
        raise JumeauError(Text("il faut au moins un membre", "at least one member is needed"),
                          field="members")
    if n_inputs == 0:
        return np.zeros((n_members, 0))
    rng = np.random.default_rng(derive_seed(seed, "uncertain", "latin-hypercube"))
    return qmc.LatinHypercube(d=n_inputs, rng=rng).random(n_members)


def draw_members(inputs: Mapping[str, Distribution], n_members: int, seed: int
                 ) -> list[Member]:
    """The ``n_members`` members of an ensemble over ``inputs`` (module notes)."""
    names = list(inputs)
    u = latin_hypercube(n_members, len(names), seed)
    columns = {name: np.asarray(inputs[name].ppf(u[:, j]), float)
               for j, name in enumerate(names)}
    return [Member(i, member_seed(seed, i), {n: float(columns[n][i]) for n in names})
            for i in range(n_members)]


def draw_member(inputs: Mapping[str, Distribution], n_members: int, seed: int,
                index: int) -> Member:
    """Member ``index`` alone: the same as ``draw_members(...)[index]``."""
    if not 0 <= index < n_members:
        raise JumeauError(Text("le membre {i} n'existe pas (0 … {n})", "member {i} does not "
                               "exist (0 … {n})").format(i=index, n=n_members - 1),
                          field="members")
    return draw_members(inputs, n_members, seed)[index]


# --------------------------------------------------------------------------- applying


def apply_member(block: Mapping[str, Any], inputs: Mapping[str, Distribution],
                 member: Member, *, defaults: Mapping[str, Any] | None = None,
                 field: str = "uncertain") -> dict[str, Any]:
    """The ``simulate:`` block with member's draws written in (a changed deep copy).

    Parameters
    ----------
    block
        ``{kind: params}`` as written in the scenario.
    inputs
        The uncertain inputs, by dotted path (``flood.manning.default``).
    member
        The member whose values are written.
    defaults
        The same block with every default filled in (the validated parameters
        dumped): where a relative input's path is not written in ``block``, its value
        comes from here.
    field
        The scenario field of the inputs, for error messages.

    Examples
    --------
    >>> block = {"flood": {"inflows": [{"hydrograph": {"discharge_m3s": [10.0, 20.0]}}]}}
    >>> inputs = {"flood.inflows.0.hydrograph.discharge_m3s": Percent(scale_pct=10)}
    >>> m = Member(0, 0, {"flood.inflows.0.hydrograph.discharge_m3s": 1.1})
    >>> apply_member(block, inputs, m)["flood"]["inflows"][0]["hydrograph"]
    {'discharge_m3s': [11.0, 22.0]}
    """
    out = copy.deepcopy(dict(block))
    for path, dist in inputs.items():
        value = member.values[path]
        keys = path.split(".")
        parent = _walk(out, keys[:-1], path, field, create=True)
        last = _key(parent, keys[-1], path, field)
        present = _has(parent, last)
        if dist.relative:
            if present:
                base = parent[last]
            else:
                base = _walk(defaults or {}, keys, path, field, create=False)
            parent[last] = _scale(base, value, path, field)
        else:
            if present and not _is_number(parent[last]):
                raise JumeauError(
                    Text("« {p} » n'est pas un nombre : une plage ne peut pas le remplacer",
                         "'{p}' is not a number: a range cannot replace it").format(p=path),
                    field=f"{field}.{path}",
                    fix=Text("pour une liste de valeurs, utilisez {scale_pct: …}",
                             "for a list of values, use {scale_pct: …}"))
            parent[last] = value
    return out


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _scale(base, factor: float, path: str, field: str):
    if _is_number(base):
        return float(base) * factor
    if isinstance(base, list) and all(_is_number(b) or isinstance(b, list) for b in base):
        return [_scale(b, factor, path, field) for b in base]
    raise JumeauError(
        Text("« {p} » n'est ni un nombre ni une liste de nombres : impossible de le "
             "multiplier", "'{p}' is neither a number nor a list of numbers: it cannot be "
             "scaled").format(p=path), field=f"{field}.{path}")


def _has(parent, key) -> bool:
    return (key in parent) if isinstance(parent, dict) else key < len(parent)


def _key(parent, part: str, path: str, field: str):
    if isinstance(parent, list):
        if not part.isdigit():
            raise _missing(path, part, field)
        return int(part)
    return part


def _walk(tree, parts: Sequence[str], path: str, field: str, *, create: bool):
    node = tree
    for part in parts:
        if isinstance(node, dict):
            if part not in node or node[part] is None:
                if not create:
                    raise _missing(path, part, field)
                node[part] = {}
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise _missing(path, part, field)
    return node


def _missing(path: str, part: str, field: str) -> JumeauError:
    return JumeauError(
        Text("le bloc simulate n'a pas « {k} » (chemin « {p} »)", "the simulate block has "
             "no '{k}' (path '{p}')").format(k=part, p=path), field=f"{field}.{path}",
        fix=Text("le chemin suit les clés du bloc simulate, les indices de liste en "
                 "chiffres : flood.inflows.0.hydrograph.discharge_m3s", "the path follows "
                 "the keys of the simulate block, list indices as numbers: "
                 "flood.inflows.0.hydrograph.discharge_m3s"))
