"""The map's colours, taken from the widget's palette so the map follows a dark theme too."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

NEUTRAL_ALPHA = 0.9


def mix(a: QColor, b: QColor, share: float) -> QColor:
    """``a`` moved ``share`` of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * share,
        a.greenF() + (b.greenF() - a.greenF()) * share,
        a.blueF() + (b.blueF() - a.blueF()) * share,
        a.alphaF() + (b.alphaF() - a.alphaF()) * share,
    )


@dataclass(frozen=True)
class MapColours:
    water: QColor
    land: QColor
    coast: QColor
    border: QColor
    text: QColor
    label: QColor
    halo: QColor
    panel: QColor
    ring: QColor
    ring_fill: QColor
    base: QColor
    focus: QColor
    neutral: QColor
    on_mark: QColor
    dark: bool

    def rank(self, rank: float | None) -> QColor:
        """A point's colour: cool blue for a low rank to warm red-orange for the best."""
        if rank is None:
            return self.neutral
        share = max(0.0, min(1.0, rank))
        hue = (215 - 205 * share) / 360
        return QColor.fromHsvF(hue, 0.55 + 0.35 * share, 0.95 if self.dark else 0.82)


def colours_for(palette: QPalette) -> MapColours:
    role = QPalette.ColorRole
    base, window, text = (
        palette.color(role.Base),
        palette.color(role.Window),
        palette.color(role.Text),
    )
    highlight = palette.color(role.Highlight)
    dark = text.lightnessF() > base.lightnessF()
    water = mix(base, highlight, 0.22 if dark else 0.16)
    land = mix(window, text, 0.05) if dark else mix(base, window, 0.8)
    ring_fill = QColor(highlight)
    ring_fill.setAlphaF(0.10)
    halo = QColor(base)
    halo.setAlphaF(0.85)
    panel = QColor(base)
    panel.setAlphaF(0.8)
    return MapColours(
        water=water,
        land=land,
        coast=mix(land, text, 0.45),
        border=mix(land, text, 0.3),
        text=text,
        label=mix(text, base, 0.15),
        halo=halo,
        panel=panel,
        ring=highlight,
        ring_fill=ring_fill,
        base=text,
        focus=highlight,
        neutral=mix(text, base, 0.45),
        on_mark=QColor("white") if not dark else QColor(base),
        dark=dark,
    )


def count_text(count: int) -> str:
    """A cluster's count in at most four characters: 7, 312, 1.2k, 12k."""
    if count < 1000:
        return str(count)
    if count < 10_000:
        return f"{count / 1000:.1f}k"
    return f"{count // 1000}k"
