"""Reading small user tables (CSV) that replace built-in parameters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jumeau.errors import JumeauError
from jumeau.i18n import Text


def read_damage_curves(path: Path):
    """Depth–damage curves from a CSV (see :mod:`jumeau.flood.damage`)."""
    from jumeau.flood.damage import DamageCurves

    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise JumeauError(Text("table de dommages illisible ({e})",
                               "unreadable damage table ({e})").format(e=exc), path=path,
                          fix=Text("un CSV : depth_m puis une colonne par courbe",
                                   "a CSV: depth_m then one column per curve")) from None
    return DamageCurves.from_table(table, str(path))
