"""Draw the app's icons once into chibo/static/chibo/icons (run again only to change them).

A white "chibo" on the accent colour: `icon-*.png` fill the square (browsers round it as they
like), `maskable-*.png` keep the word inside the central 80 % that Android's masks never cut, and
`badge.png` is the white mark alone, which Android shows in the status bar.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ACCENT = "#b3261e"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OUT = Path(__file__).resolve().parent.parent / "chibo" / "static" / "chibo" / "icons"


def draw(size: int, width_share: float, background: str | None = ACCENT) -> Image.Image:
    image = Image.new("RGBA", (size, size), background or (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    # The largest type whose word fits the share of the width asked for.
    points = size
    while True:
        font = ImageFont.truetype(FONT, points)
        left, top, right, bottom = pen.textbbox((0, 0), "chibo", font=font)
        if right - left <= size * width_share:
            break
        points -= 1
    x = (size - (right - left)) / 2 - left
    y = (size - (bottom - top)) / 2 - top
    pen.text((x, y), "chibo", font=font, fill="white")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, 0.78).save(OUT / f"icon-{size}.png", optimize=True)
        draw(size, 0.62).save(OUT / f"maskable-{size}.png", optimize=True)
    draw(96, 0.9, background=None).save(OUT / "badge.png", optimize=True)


if __name__ == "__main__":
    main()
