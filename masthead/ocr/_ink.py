"""Which pixels of a word's box are ink: private to the library's ink-reading steps.

A page-wide threshold loses faint strokes wherever the page has darker parts (a scan's
dark edge, a shadow), so each word's box gets its own: Otsu's threshold of the box, and
the smaller side is the ink (dark print on paper, or light type on a dark screen). The
same threshold then tells ink from paper in the blanks beside the word.
"""

from __future__ import annotations

import cv2
import numpy as np


def ink_side(gray: np.ndarray) -> tuple[float, bool]:
    """Otsu's threshold of a non-empty greyscale box, and whether its ink is the dark side."""
    threshold, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(threshold), bool((gray <= threshold).mean() <= 0.5)


def ink_mask(gray: np.ndarray, threshold: float, dark: bool) -> np.ndarray:
    """True where ``gray`` is ink, by a threshold and side from ``ink_side``."""
    return gray <= threshold if dark else gray > threshold
