"""Colour palettes that stay readable for colour-blind readers and on a projector.

Which palette for which map:

- :func:`blues` — water depth, rainfall, anything "more water": a one-hue sequential
  ColorBrewer scheme, ordered by lightness, so it reads in any colour vision and in
  greyscale.
- :func:`ylorrd` — hazard, heat, damage: ColorBrewer YlOrRd, sequential by lightness
  (yellow → dark red); safe for the common red-green deficiencies because lightness,
  not hue, carries the order.
- :func:`puor` — differences (alternative − baseline): ColorBrewer PuOr, a diverging
  scheme (orange ↔ purple) that avoids the red/green pair.
- :func:`okabe_ito` — unordered categories (uses, kinds): the Okabe & Ito (2008)
  qualitative palette, designed to be told apart by colour-blind readers.
- :data:`HAZARD` — the four PPRI hazard classes (faible → très fort) on YlOrRd.

ColorBrewer schemes (Cynthia Brewer, Penn State, Apache 2.0 licence) are read from
branca's copy, so the hex values are the published ones for 3 to 9 classes.

Examples
--------
>>> blues(4)
('#eff3ff', '#bdd7e7', '#6baed6', '#2171b5')
>>> okabe_ito(2)
('#0072B2', '#E69F00')
"""

from __future__ import annotations

from branca.utilities import color_brewer

#: Okabe & Ito (2008), "Color Universal Design": black is left out (it is the text
#: colour); ordered so that the first colours are the most distinct.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _brewer(name: str, n: int) -> tuple[str, ...]:
    if not 3 <= n <= 9:
        if n in (1, 2):
            # Darker end of the 3-class scheme: enough contrast with the background.
            return tuple(color_brewer(name, 3)[3 - n:])
        raise ValueError(f"{name} has 1 to 9 classes, not {n}")
    return tuple(color_brewer(name, n))


def blues(n: int) -> tuple[str, ...]:
    """``n`` blues, light to dark (ColorBrewer Blues): water depth, rain."""
    return _brewer("Blues", n)


def ylorrd(n: int) -> tuple[str, ...]:
    """``n`` colours yellow → dark red (ColorBrewer YlOrRd): hazard, heat, damage."""
    return _brewer("YlOrRd", n)


def puor(n: int) -> tuple[str, ...]:
    """``n`` colours orange → white → purple (ColorBrewer PuOr, diverging): differences."""
    return _brewer("PuOr", n)


def okabe_ito(n: int) -> tuple[str, ...]:
    """``n`` distinct colours for unordered categories (at most 7)."""
    if not 1 <= n <= len(OKABE_ITO):
        raise ValueError(f"the Okabe-Ito palette has 1 to {len(OKABE_ITO)} colours, not {n}")
    return OKABE_ITO[:n]


#: PPRI hazard classes faible, moyen, fort, très fort (YlOrRd, 4 classes).
HAZARD = _brewer("YlOrRd", 4)
