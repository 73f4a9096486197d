"""Scenario files: one YAML file = one scenario, validated by typed models.

::

    name: mur-du-quai               # the output folder's name
    title: "Crue centennale : que change un mur de 1,20 m le long du quai ?"
    territory: demo                 # or a path to a territory manifest (relative to this file)
    seed: 42
    measures: []                    # changes applied to the territory of every variant
    simulate:
      flood: {…}                    # one entry per simulation kind, shared by every variant
    variants:                       # optional; the first one is the baseline
      sans-mur: {}
      avec-mur:
        measures: [{type: wall, line: […], crest_height_m: 1.2}]
      mur-et-crue-millennale:
        measures: [{type: wall, line: […], crest_height_m: 1.2}]
        simulate: {flood: {inflows: […]}}     # deep-merged over the shared block

A file without ``variants:`` has one implicit variant. Every variant gets the same seed
derivation, so differences come from the choices, not from chance. A kind may name the
outputs of other kinds it uses (``simulate: {waste: {uses: [flood.roads_cut]}}``); by
default it uses every declared input whose producer the variant runs.

Every mistake — a typo, a wrong type, a negative duration, an unknown simulation kind, a
missing file, a variant name that is not a folder name, a producer the scenario does not
run, a cycle — is reported with the file, the line and the field, and a "did you mean"
where it helps (:class:`jumeau.errors.JumeauError`, exit code 2).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.io.yamlfile import Lines, line_of, read_yaml, validation_error
from jumeau.scenario import kinds as kinds_module
from jumeau.scenario import measures as measures_module

#: Folder of the comparison outputs (a variant may not take this name).
COMPARISON_DIR = "comparaison"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class VariantSpec(BaseModel):
    """One variant: its own measures and overrides of the shared ``simulate`` block."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    title: str = Field("", description="What this variant is, in a few words.")
    description: str = ""
    measures: list[dict[str, Any]] = Field(default_factory=list)
    simulate: dict[str, dict[str, Any] | None] = Field(default_factory=dict)

    @field_validator("measures", mode="before")
    @classmethod
    def _measures_list(cls, value):
        return [] if value is None else value


class ScenarioSpec(BaseModel):
    """A scenario file (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80,
                      description="Short name, used for the output folder.")
    title: str = Field("", description="The question the scenario answers, in one sentence.")
    description: str = ""
    territory: str = Field("demo", description="`demo` or a territory manifest / folder.")
    seed: int = Field(0, ge=0, description="Seed of every random draw (same seed, same result).")
    measures: list[dict[str, Any]] = Field(default_factory=list)
    simulate: dict[str, dict[str, Any] | None] = Field(min_length=1)
    variants: dict[str, VariantSpec | None] | None = Field(
        None, description="Alternatives compared with the first one, the baseline.")

    @field_validator("measures", mode="before")
    @classmethod
    def _measures_list(cls, value):
        return [] if value is None else value


@dataclass
class Variant:
    """A validated variant: its measures and typed simulation parameters.

    Attributes
    ----------
    name
        Folder name (the scenario's name for a file without variants).
    title
        What the variant is.
    measures
        Measures in order (the shared ones first), each with the field it came from.
    simulations
        Kind name → typed parameters, in run order (producers before their users).
    uses
        Kind name → the ``producer.output`` values it uses.
    overrides
        Kind name → the variant's own overrides (to locate errors).
    """

    name: str
    title: str
    measures: list[tuple[Any, str]]
    simulations: dict[str, BaseModel]
    uses: dict[str, tuple[str, ...]]
    overrides: dict[str, dict] = field(default_factory=dict)


class Scenario(BaseModel):
    """A validated scenario: the spec and its variants, typed."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    spec: ScenarioSpec
    path: Path
    variants: dict[str, Variant]
    lines: dict = {}
    #: Events, uncertain inputs, members and costs (:mod:`jumeau.scenario.risk_spec`).
    risk: Any = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def has_variants(self) -> bool:
        """Whether the file declares ``variants:`` (else one implicit variant)."""
        return self.spec.variants is not None

    @property
    def baseline(self) -> str:
        """Name of the baseline variant (the first one)."""
        return next(iter(self.variants))

    # The baseline's measures and simulations (the whole scenario without variants).
    @property
    def measures(self) -> list[Any]:
        return [m for m, _ in self.variants[self.baseline].measures]

    @property
    def simulations(self) -> dict[str, BaseModel]:
        return self.variants[self.baseline].simulations

    @property
    def kinds(self) -> list[str]:
        """Every kind a variant of the scenario runs, in the order they first appear."""
        return list(dict.fromkeys(k for v in self.variants.values() for k in v.simulations))

    def locate(self, err: JumeauError, variant: str | None = None) -> JumeauError:
        """Point an error raised while running (field ``simulate.flood.inflows.0.point``)
        at this file and the line of that field — in the variant's block when the
        variant overrides it."""
        if err.path is None:
            err.path = self.path
            if err.field and err.line is None:
                loc = tuple(int(p) if p.isdigit() else p for p in err.field.split("."))
                v = self.variants.get(variant) if variant else None
                if v is not None and self.has_variants and loc[:1] == ("simulate",) and \
                        len(loc) > 2 and _has_path(v.overrides.get(loc[1], {}), loc[2:]):
                    loc = ("variants", variant) + loc
                    err.field = ".".join(str(p) for p in loc)
                err.line = line_of(self.lines, loc)
        return err

    def territory_source(self) -> str | Path:
        """``demo`` or the territory manifest path, resolved against the scenario file."""
        t = self.spec.territory
        return t if t == "demo" else (self.path.parent / t)

    def resolved(self, variant: str | None = None) -> dict:
        """A variant with every default filled in (for ``scenario.resolved.yaml``)."""
        v = self.variants[variant or self.baseline]
        data = self.spec.model_dump(mode="json", exclude={"variants"})
        if self.has_variants:
            data["variant"] = v.name
        data["measures"] = [m.model_dump(mode="json") for m, _ in v.measures]
        data["simulate"] = {k: p.model_dump(mode="json") for k, p in v.simulations.items()}
        for k, used in v.uses.items():
            if used:
                data["simulate"][k]["uses"] = list(used)
        return data


def read_scenario(path: str | Path, *, seed: int | None = None,
                  overrides: dict | None = None) -> Scenario:
    """Read and validate a scenario file; ``seed`` overrides the file's.

    ``overrides`` is deep-merged into the file's content before validation (a notebook
    shortening a flood for every variant: ``{"simulate": {"flood": {"duration_h": 1}}}``,
    or changing a variant's measures). Files named in parameters are read here, once
    (:mod:`jumeau.io.references`).

    Raises
    ------
    JumeauError
        With the file, line and field of the first mistake.
    """
    path = Path(path)
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise JumeauError(Text("un scénario doit être un dictionnaire YAML (name:, simulate: …)",
                               "a scenario must be a YAML mapping (name:, simulate: …)"),
                          path=path, fix=Text("voyez les exemples du README ou de `jumeau "
                                              "scenarios`", "see the examples of the README "
                                              "or of `jumeau scenarios`"))
    if overrides:
        data = deep_merge(data, overrides)
    from jumeau.scenario.risk_spec import split

    data, risk = split(data, lines, path)  # events, uncertain, members, costs (issue 12)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, ScenarioSpec, lines, path) from None
    if seed is not None:
        spec = spec.model_copy(update={"seed": seed})
    _check_territory(spec, path, lines)
    shared_measures = [(item, ("measures", i)) for i, item in enumerate(spec.measures)]
    blocks = spec.variants if spec.variants is not None else {spec.name: None}
    if spec.variants is not None and not spec.variants:
        raise JumeauError(Text("`variants:` est vide", "`variants:` is empty"), path=path,
                          line=line_of(lines, ("variants",)), field="variants",
                          fix=Text("donnez au moins une variante (la première est la "
                                   "référence), ou retirez `variants:`", "give at least one "
                                   "variant (the first is the baseline), or remove "
                                   "`variants:`"))
    variants = {}
    for name, block in blocks.items():
        block = block or VariantSpec()
        if spec.variants is not None:
            _check_variant_name(name, list(variants), path, lines)
        own = [(item, ("variants", name, "measures", i)) for i, item in
               enumerate(block.measures)]
        variants[name] = _variant(spec, name, block, shared_measures + own, path, lines)
    return Scenario(spec=spec, path=path, variants=variants, lines=lines, risk=risk)


def _check_variant_name(name: str, seen: list[str], path: Path, lines: Lines) -> None:
    where = dict(path=path, line=line_of(lines, ("variants", name)), field=f"variants.{name}")
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > 80:
        raise JumeauError(
            Text("nom de variante « {n} » invalide : il sert de nom de dossier",
                 "invalid variant name '{n}': it is used as a folder name").format(n=name),
            fix=Text("lettres, chiffres, « - », « _ » et « . » seulement, sans espace ni "
                     "« / », en commençant par une lettre ou un chiffre",
                     "letters, digits, '-', '_' and '.' only, no space or '/', starting "
                     "with a letter or a digit"), **where)
    if name.lower() == COMPARISON_DIR or name.lower() in (s.lower() for s in seen):
        raise JumeauError(
            Text("nom de variante « {n} » réservé ou déjà pris",
                 "variant name '{n}' is reserved or already taken").format(n=name),
            fix=Text("choisissez un autre nom (« {c} » est le dossier de la comparaison)",
                     "choose another name ('{c}' is the comparison folder)").format(
                c=COMPARISON_DIR), **where)


def deep_merge(base: dict, override: dict) -> dict:
    """``override`` merged into a copy of ``base``: dictionaries merge key by key, any
    other value (a list, a number) replaces the base's.

    Examples
    --------
    >>> deep_merge({"a": {"x": 1, "y": 2}, "b": [1]}, {"a": {"y": 3}, "b": [2]})
    {'a': {'x': 1, 'y': 3}, 'b': [2]}
    """
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _has_path(tree: object, loc: tuple) -> bool:
    """Whether the first key of ``loc`` is in ``tree`` (the override names the field)."""
    if not loc:
        return True
    head = loc[0]
    if isinstance(tree, dict):
        return head in tree
    if isinstance(tree, list):
        return isinstance(head, int) and head < len(tree)
    return False


def _variant(spec: ScenarioSpec, name: str, block: VariantSpec, measures: list[tuple],
             path: Path, lines: Lines) -> Variant:
    known = kinds_module.kinds()
    raw: dict[str, dict] = {k: dict(v or {}) for k, v in spec.simulate.items()}
    overrides = {k: dict(v or {}) for k, v in block.simulate.items()}
    for k, over in overrides.items():
        raw[k] = deep_merge(raw.get(k, {}), over)
    simulations: dict[str, BaseModel] = {}
    asked_uses: dict[str, tuple[list, tuple]] = {}
    for kind_name, params in raw.items():
        in_variant = kind_name in overrides and (kind_name not in spec.simulate)
        prefix = ("variants", name, "simulate", kind_name) if in_variant else \
            ("simulate", kind_name)
        if kind_name not in known:
            raise JumeauError(
                Text("type de simulation inconnu « {k} »", "unknown simulation kind '{k}'"
                     ).format(k=kind_name), path=path, line=line_of(lines, prefix),
                field=".".join(prefix),
                fix=did_you_mean(kind_name, known) or Text("types disponibles : {k}",
                                                           "available kinds: {k}").format(
                    k=", ".join(sorted(known))))
        if "uses" in params:
            own = "uses" in overrides.get(kind_name, {})
            asked_uses[kind_name] = (params.pop("uses"), (
                ("variants", name, "simulate", kind_name) if own else prefix) + ("uses",))
        model = known[kind_name].params
        try:
            typed = model.model_validate(params, context={"scenario_dir": path.parent})
        except ValidationError as exc:
            loc = tuple(exc.errors()[0]["loc"])
            over = overrides.get(kind_name, {})
            where = ("variants", name, "simulate", kind_name) if _has_path(over, loc) \
                else prefix
            raise _nested(exc, model, lines, path, where) from None
        _resolve_files(typed, path, lines, prefix)
        simulations[kind_name] = typed
    uses = _uses(simulations, asked_uses, known, path, lines)
    order = _order(simulations, uses, path, lines, name)
    typed_measures = []
    for item, loc in measures:
        measure = _measure(item, loc, path, lines)
        _resolve_files(measure, path, lines, loc)
        _check_used(measure, item, loc, simulations, path, lines)
        typed_measures.append((measure, ".".join(str(p) for p in loc)))
    return Variant(name=name, title=block.title, measures=typed_measures,
                   simulations={k: simulations[k] for k in order},
                   uses={k: uses[k] for k in order}, overrides=overrides)


def _resolve_files(model: BaseModel, path: Path, lines: Lines, prefix: tuple) -> None:
    """Read the files the parameters name, once (jumeau.io), locating any error."""
    from jumeau.io.references import resolve

    try:
        resolve(model)
    except JumeauError as err:
        if err.line is None:
            err.field = ".".join(str(p) for p in prefix) + (f".{err.field}" if err.field
                                                             else "")
            err.line = line_of(lines, prefix)
            if err.path is None:
                err.path = path
        raise


def _uses(simulations: dict, asked: dict, known: dict, path: Path, lines: Lines
          ) -> dict[str, tuple[str, ...]]:
    """What each kind uses: asked explicitly, else every declared input whose producer
    runs in the variant."""
    out: dict[str, tuple[str, ...]] = {}
    for kind_name in simulations:
        declared = known[kind_name].uses
        if kind_name not in asked:
            out[kind_name] = tuple(u for u in declared if u.split(".")[0] in simulations)
            continue
        values, loc = asked[kind_name]
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            raise JumeauError(Text("`uses` doit être une liste", "`uses` must be a list"),
                              path=path, line=line_of(lines, loc),
                              field=".".join(map(str, loc)),
                              fix=Text("par exemple : uses: [flood.roads_cut]",
                                       "for example: uses: [flood.roads_cut]"))
        for i, value in enumerate(values):
            where = dict(path=path, line=line_of(lines, loc + (i,)) or line_of(lines, loc),
                         field=".".join(map(str, loc + (i,))))
            if value not in declared:
                raise JumeauError(
                    Text("« {k} » ne sait pas utiliser « {v} »", "'{k}' cannot use '{v}'"
                         ).format(k=kind_name, v=value),
                    fix=did_you_mean(str(value), declared) or Text(
                        "« {k} » peut utiliser : {d}", "'{k}' can use: {d}").format(
                        k=kind_name, d=", ".join(declared) or "—"), **where)
            producer = value.split(".")[0]
            if producer not in simulations:
                raise JumeauError(
                    Text("« {k} » utilise « {v} », mais le scénario ne lance pas « {p} »",
                         "'{k}' uses '{v}', but the scenario does not run '{p}'").format(
                        k=kind_name, v=value, p=producer),
                    fix=Text("ajoutez « {p}: … » sous `simulate:`, ou retirez « {v} » de "
                             "`uses`", "add '{p}: …' under `simulate:`, or remove '{v}' "
                             "from `uses`").format(p=producer, v=value), **where)
        out[kind_name] = tuple(values)
    return out


def _order(simulations: dict, uses: dict, path: Path, lines: Lines, variant: str) -> list[str]:
    """Kinds in run order, producers first (stable: the file's order otherwise)."""
    needs = {k: {u.split(".")[0] for u in uses[k]} for k in simulations}
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(k: str, chain: list[str]) -> None:
        if state.get(k) == 2:
            return
        if state.get(k) == 1:
            cycle = chain[chain.index(k):] + [k]
            raise JumeauError(
                Text("cycle entre simulations : {c}", "cycle between simulations: {c}").format(
                    c=" → ".join(cycle)), path=path,
                line=line_of(lines, ("simulate", cycle[0])), field=f"simulate.{cycle[0]}.uses",
                fix=Text("une simulation ne peut pas utiliser, même indirectement, ses propres "
                         "résultats : retirez un des `uses`", "a simulation cannot use its "
                         "own results, even indirectly: remove one of the `uses`"))
        state[k] = 1
        for p in sorted(needs[k], key=list(simulations).index):
            visit(p, chain + [k])
        state[k] = 2
        order.append(k)

    for k in simulations:
        visit(k, [])
    return order


def _check_territory(spec: ScenarioSpec, path: Path, lines: Lines) -> None:
    if spec.territory == "demo":
        return
    target = path.parent / spec.territory
    if not target.exists():
        raise JumeauError(
            Text("territoire introuvable : {t}", "territory not found: {t}").format(
                t=spec.territory), path=path, line=line_of(lines, ("territory",)),
            field="territory",
            fix=Text("indiquez `demo` ou le chemin d'un manifeste de territoire, relatif au "
                     "fichier de scénario", "give `demo` or the path of a territory manifest, "
                     "relative to the scenario file"))


def _measure(item: dict, loc: tuple, path: Path, lines: Lines):
    field_name = ".".join(str(p) for p in loc)
    types = measures_module.types()
    if not isinstance(item, dict) or "type" not in item:
        raise JumeauError(
            Text("chaque mesure doit avoir un `type`", "every measure needs a `type`"),
            path=path, line=line_of(lines, loc), field=field_name,
            fix=Text("types de mesure : {t}", "measure types: {t}").format(
                t=", ".join(types)))
    kind = item["type"]
    model = types.get(kind)
    if model is None:
        raise JumeauError(
            Text("type de mesure inconnu « {k} »", "unknown measure type '{k}'").format(k=kind),
            path=path, line=line_of(lines, loc + ("type",)), field=f"{field_name}.type",
            fix=did_you_mean(str(kind), types) or Text(
                "types de mesure : {t}", "measure types: {t}").format(
                t=", ".join(types) or "—"))
    try:
        return model.model_validate(item, context={"scenario_dir": path.parent})
    except ValidationError as exc:
        raise _nested(exc, model, lines, path, loc) from None


def _check_used(measure, item: dict, loc: tuple, simulations: dict, path: Path,
                lines: Lines) -> None:
    """Refuse a measure that none of the variant's simulations takes into account."""
    affected = measures_module.used_by(measure)
    if affected and not set(affected) & set(simulations):
        raise JumeauError(
            Text("la mesure « {m} » n'agit sur aucune simulation du scénario ({k})",
                 "measure '{m}' affects none of the scenario's simulations ({k})").format(
                m=item.get("type"), k=", ".join(simulations)),
            path=path, line=line_of(lines, loc), field=".".join(str(p) for p in loc),
            fix=Text("elle agit sur : {a} ; ajoutez l'une de ces simulations ou retirez la "
                     "mesure", "it affects: {a}; add one of these simulations or remove the "
                     "measure").format(a=", ".join(affected)))


def _nested(exc: ValidationError, model, lines: Lines, path: Path, prefix: tuple) -> JumeauError:
    """A validation error of a nested block, located with the block's prefix."""
    sub = {key[len(prefix):]: line for key, line in lines.items() if key[:len(prefix)] == prefix}
    err = validation_error(exc, model, sub, path)
    err.field = ".".join(str(p) for p in prefix) + (f".{err.field}" if err.field else "")
    if err.line is None:
        err.line = line_of(lines, prefix)
    return err
