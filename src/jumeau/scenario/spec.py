"""Scenario files: one YAML file = one scenario, validated by typed models.

::

    name: crue-centre               # the output folder's name
    title: "Crue de la Rive : quels bâtiments sont touchés ?"
    territory: demo                 # or a path to a territory manifest (relative to this file)
    seed: 42
    measures: []                    # changes applied to the territory before simulating
    simulate:
      exposure: {}                  # one entry per simulation kind, with its parameters

Every mistake — a typo, a wrong type, a negative duration, an unknown simulation kind, a
missing file — is reported with the file, the line and the field, and a "did you mean"
where it helps (:class:`jumeau.errors.JumeauError`, exit code 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.io.yamlfile import Lines, line_of, read_yaml, validation_error
from jumeau.scenario import measures as measures_module
from jumeau.scenario import registry


class ScenarioSpec(BaseModel):
    """A scenario file (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80,
                      description="Short name, used for the output folder.")
    title: str = Field("", description="The question the scenario answers, in one sentence.")
    description: str = ""
    territory: str = Field("demo", description="`demo` or a territory manifest / folder.")
    seed: int = Field(0, ge=0, description="Seed of every random draw (same seed, same result).")
    measures: list[dict[str, Any]] = Field(default_factory=list)
    simulate: dict[str, dict[str, Any] | None] = Field(min_length=1)

    @field_validator("measures", mode="before")
    @classmethod
    def _measures_list(cls, value):
        return [] if value is None else value


class Scenario(BaseModel):
    """A validated scenario: the spec with its measures and simulation parameters typed."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    spec: ScenarioSpec
    path: Path
    measures: list[Any]
    simulations: dict[str, BaseModel]
    lines: dict = {}

    def locate(self, err: JumeauError) -> JumeauError:
        """Point an error raised while running (field ``simulate.flood.inflows.0.point``)
        at this file and the line of that field."""
        if err.path is None:
            err.path = self.path
            if err.field and err.line is None:
                loc = tuple(int(p) if p.isdigit() else p for p in err.field.split("."))
                err.line = line_of(self.lines, loc)
        return err

    @property
    def name(self) -> str:
        return self.spec.name

    def territory_source(self) -> str | Path:
        """``demo`` or the territory manifest path, resolved against the scenario file."""
        t = self.spec.territory
        return t if t == "demo" else (self.path.parent / t)

    def resolved(self) -> dict:
        """The scenario with every default filled in (for ``scenario.resolved.yaml``)."""
        data = self.spec.model_dump(mode="json")
        data["measures"] = [m.model_dump(mode="json") for m in self.measures]
        data["simulate"] = {k: p.model_dump(mode="json") for k, p in self.simulations.items()}
        return data


def read_scenario(path: str | Path, *, seed: int | None = None) -> Scenario:
    """Read and validate a scenario file; ``seed`` overrides the file's.

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
                          path=path)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, ScenarioSpec, lines, path) from None
    if seed is not None:
        spec = spec.model_copy(update={"seed": seed})
    _check_territory(spec, path, lines)
    simulations = _simulations(spec, path, lines)
    measures = [_measure(item, i, path, lines) for i, item in enumerate(spec.measures)]
    return Scenario(spec=spec, path=path, measures=measures, simulations=simulations,
                    lines=lines)


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


def _simulations(spec: ScenarioSpec, path: Path, lines: Lines) -> dict[str, BaseModel]:
    known = registry.kinds()
    out = {}
    for name, params in spec.simulate.items():
        if name not in known:
            raise JumeauError(
                Text("type de simulation inconnu « {k} »", "unknown simulation kind '{k}'"
                     ).format(k=name), path=path, line=line_of(lines, ("simulate", name)),
                field=f"simulate.{name}",
                fix=did_you_mean(name, known) or Text("types disponibles : {k}",
                                                      "available kinds: {k}").format(
                    k=", ".join(sorted(known))))
        model = known[name].params
        try:
            out[name] = model.model_validate(params or {}, context={"scenario_dir": path.parent})
        except ValidationError as exc:
            raise _nested(exc, model, lines, path, ("simulate", name)) from None
    return out


def _measure(item: dict, index: int, path: Path, lines: Lines):
    if not isinstance(item, dict) or "type" not in item:
        raise JumeauError(
            Text("chaque mesure doit avoir un `type`", "every measure needs a `type`"),
            path=path, line=line_of(lines, ("measures", index)), field=f"measures.{index}",
            fix=Text("types de mesure : {t}", "measure types: {t}").format(
                t=", ".join(measures_module.types())))
    kind = item["type"]
    model = measures_module.types().get(kind)
    if model is None:
        raise JumeauError(
            Text("type de mesure inconnu « {k} »", "unknown measure type '{k}'").format(k=kind),
            path=path, line=line_of(lines, ("measures", index, "type")),
            field=f"measures.{index}.type",
            fix=did_you_mean(str(kind), measures_module.types()) or Text(
                "types de mesure : {t}", "measure types: {t}").format(
                t=", ".join(measures_module.types()) or "—"))
    try:
        return model.model_validate(item, context={"scenario_dir": path.parent})
    except ValidationError as exc:
        raise _nested(exc, model, lines, path, ("measures", index)) from None


def _nested(exc: ValidationError, model, lines: Lines, path: Path, prefix: tuple) -> JumeauError:
    """A validation error of a nested block, located with the block's prefix."""
    sub = {key[len(prefix):]: line for key, line in lines.items() if key[:len(prefix)] == prefix}
    err = validation_error(exc, model, sub, path)
    err.field = ".".join(str(p) for p in prefix) + (f".{err.field}" if err.field else "")
    if err.line is None:
        err.line = line_of(lines, prefix)
    return err
