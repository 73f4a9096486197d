"""Point symbols as inline SVG (no image file, no icon font).

``%FILL%`` and ``%STROKE%`` are replaced in the page by the class colours of each
point. Shapes are drawn in a 20 × 20 box.
"""

from __future__ import annotations

_SVG = ('<svg width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true">{shape}'
        "</svg>")
_PAINT = 'fill="%FILL%" stroke="%STROKE%" stroke-width="1.5"'

#: Available symbols.
ICONS = {
    "circle": f'<circle cx="10" cy="10" r="7" {_PAINT}/>',
    "square": f'<rect x="3.5" y="3.5" width="13" height="13" {_PAINT}/>',
    "triangle": f'<polygon points="10,2.5 18,17 2,17" {_PAINT}/>',
    "diamond": f'<polygon points="10,2 18,10 10,18 2,10" {_PAINT}/>',
    "star": (f'<polygon points="10,1.5 12.4,7.2 18.5,7.6 13.8,11.5 15.3,17.5 10,14.2 '
             f'4.7,17.5 6.2,11.5 1.5,7.6 7.6,7.2" {_PAINT}/>'),
    "cross": ('<path d="M7.5 2.5h5v5h5v5h-5v5h-5v-5h-5v-5h5z" '
              f'{_PAINT}/>'),
}


def icon_svg(name: str, size_px: int = 20) -> str:
    """The SVG markup of symbol ``name`` at ``size_px``.

    Examples
    --------
    >>> icon_svg("square", 16).startswith('<svg width="16"')
    True
    """
    if name not in ICONS:
        raise ValueError(f"unknown icon {name!r}: choose one of {', '.join(ICONS)}")
    return _SVG.format(size=int(size_px), shape=ICONS[name])
