"""Separate scenario files as the variants of one comparison (``jumeau compare``).

Each file becomes a variant named after its scenario, the first one the baseline. They
must run on the same territory with the same seed, so that — as in a file with
``variants:`` — differences come from the choices, not from chance.
"""

from __future__ import annotations

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io import manifest
from jumeau.scenario.spec import COMPARISON_DIR, Scenario, VariantSpec


def combine(scenarios: list[Scenario]) -> Scenario:
    """One scenario whose variants are ``scenarios`` (each without variants)."""
    if len(scenarios) < 2:
        raise JumeauError(Text("il faut au moins deux scénarios à comparer",
                               "at least two scenarios are needed to compare"),
                          fix=Text("jumeau compare A.yaml B.yaml", "jumeau compare A.yaml B.yaml"))
    first = scenarios[0]
    territory = manifest.resolve_manifest(first.territory_source()).resolve()
    names: list[str] = []
    variants = {}
    for s in scenarios:
        where = dict(path=s.path)
        if s.has_variants:
            raise JumeauError(Text("« {n} » a déjà des variantes", "'{n}' already has variants"
                                   ).format(n=s.name), field="variants",
                              fix=Text("lancez-le avec jumeau run, ou comparez des fichiers "
                                       "sans `variants:`", "run it with jumeau run, or compare "
                                       "files without `variants:`"), **where)
        other = manifest.resolve_manifest(s.territory_source()).resolve()
        if other != territory:
            raise JumeauError(
                Text("« {n} » ne porte pas sur le même territoire que « {f} » ({a} ≠ {b})",
                     "'{n}' is not on the same territory as '{f}' ({a} ≠ {b})").format(
                    n=s.name, f=first.name, a=other, b=territory), field="territory",
                fix=Text("comparez des scénarios d'un même territoire",
                         "compare scenarios of one territory"), **where)
        if s.spec.seed != first.spec.seed:
            raise JumeauError(
                Text("« {n} » a la graine {a}, « {f} » la graine {b}",
                     "'{n}' has seed {a}, '{f}' seed {b}").format(
                    n=s.name, a=s.spec.seed, f=first.name, b=first.spec.seed), field="seed",
                fix=Text("donnez la même graine aux fichiers, ou imposez-la avec --seed",
                         "give the files the same seed, or impose one with --seed"), **where)
        if s.name in names or s.name.lower() == COMPARISON_DIR:
            raise JumeauError(Text("deux scénarios s'appellent « {n} »",
                                   "two scenarios are named '{n}'").format(n=s.name),
                              field="name", fix=Text("donnez-leur des noms différents",
                                                     "give them different names"), **where)
        names.append(s.name)
        variant = s.variants[s.baseline]
        variant.name = s.name
        variant.title = s.spec.title
        variants[s.name] = variant
    name = "-vs-".join(names)[:80].rstrip("-.")
    spec = first.spec.model_copy(update={
        "name": name, "variants": {n: VariantSpec(title=v.title) for n, v in variants.items()}})
    return Scenario(spec=spec, path=first.path, variants=variants, lines=first.lines)
