"""Write ``gbt15311/font_metrics.txt``, the bundled font's coverage and advances, from the font.

    .venv/bin/python scripts/generate_font_metrics.py

Run it after replacing ``fonts/WenQuanYiZenHeiMono.ttf`` or changing ``measure_font``;
``tests/test_font.py`` fails until the file matches the font again.
"""

from __future__ import annotations

from gbt15311.font import METRICS_PATH, font_path, metrics_text

if __name__ == "__main__":
    METRICS_PATH.write_text(metrics_text(font_path()), "ascii")
    print(f"wrote {METRICS_PATH}")
