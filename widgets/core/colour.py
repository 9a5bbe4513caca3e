"""Colour arithmetic shared by the views and the tests: CIEDE2000 and colour-blindness simulation.

Pure numpy, so the clinical scenes can mix skin colours and the tests can check
that what is drawn stays distinguishable, without a drawing library.

- ``ciede2000``: Sharma, Wu & Dalal (2005), kL = kC = kH = 1.
- ``CVD_SIMULATIONS``: Machado, Oliveira & Fernandes (2009), IEEE TVCG
  15(6):1291-8, severity 1.0, applied to linear RGB.
"""

import numpy as np

CVD_SIMULATIONS = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}
"""Protanopia and deuteranopia as 3x3 matrices on linear RGB."""

_SRGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65_WHITE = _SRGB_TO_XYZ @ np.ones(3)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB components in 0..1 to linear light."""
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_lab(linear: np.ndarray) -> np.ndarray:
    """Linear sRGB (0..1) to CIELAB under D65."""
    xyz = (_SRGB_TO_XYZ @ np.clip(linear, 0, 1)) / _D65_WHITE
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p, h2p = np.degrees(np.arctan2(b1, a1p)) % 360, np.degrees(np.arctan2(b2, a2p)) % 360
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_lp, d_cp = l2 - l1, c2p - c1p
    d_hp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_mean - 30))
        + 0.24 * np.cos(np.radians(2 * hp_mean))
        + 0.32 * np.cos(np.radians(3 * hp_mean + 6))
        - 0.20 * np.cos(np.radians(4 * hp_mean - 63))
    )
    rotation = 30 * np.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -np.sin(np.radians(2 * rotation)) * r_c
    return float(
        np.sqrt(
            (d_lp / s_l) ** 2
            + (d_cp / s_c) ** 2
            + (d_hp / s_h) ** 2
            + r_t * (d_cp / s_c) * (d_hp / s_h)
        )
    )


def hex_to_rgb(colour: str) -> np.ndarray:
    """'#rrggbb' to sRGB components in 0..1."""
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def hex_to_linear(colour: str) -> np.ndarray:
    """'#rrggbb' to linear RGB."""
    return srgb_to_linear(hex_to_rgb(colour))


def colour_difference(first: str, second: str, simulation: np.ndarray | None = None) -> float:
    """CIEDE2000 between two '#rrggbb' colours, as seen with normal vision or through ``simulation``."""
    matrix = np.eye(3) if simulation is None else simulation
    return ciede2000(
        linear_to_lab(matrix @ hex_to_linear(first)), linear_to_lab(matrix @ hex_to_linear(second))
    )


def smallest_difference(first: str, second: str) -> float:
    """The CIEDE2000 between two colours for the viewer who finds them most alike.

    The minimum over normal vision, protanopia and deuteranopia.
    """
    return min(
        colour_difference(first, second, matrix) for matrix in (None, *CVD_SIMULATIONS.values())
    )


def mix(first: str, second: str, share: float) -> str:
    """The sRGB blend ``share`` of the way from ``first`` to ``second``, as '#rrggbb'."""
    rgb = (1 - share) * hex_to_rgb(first) + share * hex_to_rgb(second)
    return "#" + "".join(f"{round(255 * value):02x}" for value in np.clip(rgb, 0, 1))
