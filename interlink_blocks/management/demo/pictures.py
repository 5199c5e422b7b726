"""Small illustrations drawn for the demo, instead of photographs nobody may reuse.

Each is a flat drawing (a few kilobytes of PNG) of what the asset is about, made here with
Pillow, so the demo ships no binary files and fetches nothing. They are the demo's own
work, offered under CC BY 4.0; ``CREDIT`` is shown under each picture.
"""

import io

from PIL import Image, ImageDraw

CREDIT = "Illustration drawn for the Interlink demo · CC BY 4.0 · City of Valmora (fictional)"
SIZE = (480, 320)
INK = "#1d3b53"
PAPER = "#fbfaf6"


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, colour: str, scale: float = 1.0) -> None:
    """A seated or standing figure: a head and shoulders."""
    r = int(14 * scale)
    draw.ellipse([x - r, y - r, x + r, y + r], fill=colour, outline=INK, width=2)
    draw.rounded_rectangle(
        [x - int(26 * scale), y + r + 4, x + int(26 * scale), y + r + int(44 * scale)],
        radius=int(14 * scale),
        fill=colour,
        outline=INK,
        width=2,
    )


def stakeholder_canvas() -> bytes:
    """A printed canvas in four quadrants, with sticky notes on it."""
    picture = Image.new("RGB", SIZE, "#e9e4d8")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([24, 20, 456, 300], fill=PAPER, outline=INK, width=3)
    draw.line([240, 20, 240, 300], fill=INK, width=3)
    draw.line([24, 160, 456, 160], fill=INK, width=3)
    notes = {
        (0, 0): "#ffe08a",
        (1, 0): "#ffc3a0",
        (0, 1): "#b8e0c2",
        (1, 1): "#bcd4f2",
    }
    for (column, row), colour in notes.items():
        left, top = 40 + column * 216, 36 + row * 140
        for index in range(3 + column):
            x = left + (index % 3) * 62
            y = top + (index // 3) * 54 + 20
            draw.rectangle([x, y, x + 50, y + 42], fill=colour, outline="#8a7a55")
            draw.line([x + 8, y + 14, x + 42, y + 14], fill="#6b6046", width=2)
            draw.line([x + 8, y + 24, x + 34, y + 24], fill="#6b6046", width=2)
    return _png(picture)


def study_space() -> bytes:
    """A library learning space seen from above: group tables, chairs and a quiet corner."""
    picture = Image.new("RGB", SIZE, "#f3efe6")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([16, 16, 464, 304], outline=INK, width=4)
    for x in (70, 230):
        draw.rounded_rectangle(
            [x, 60, x + 120, 130], radius=10, fill="#c89f6b", outline=INK, width=2
        )
        for cx in (x + 20, x + 60, x + 100):
            draw.ellipse([cx - 12, 40, cx + 12, 56], fill="#5b8fb9", outline=INK)
            draw.ellipse([cx - 12, 134, cx + 12, 150], fill="#5b8fb9", outline=INK)
    for y in (200, 250):
        for x in (60, 150, 240):
            draw.rectangle([x, y, x + 60, y + 30], fill="#d9b98f", outline=INK, width=2)
            draw.ellipse([x + 18, y + 34, x + 42, y + 46], fill="#7fae7a", outline=INK)
    draw.rectangle([380, 30, 450, 290], fill="#8fb3a0", outline=INK, width=2)
    for y in range(44, 290, 28):
        draw.line([386, y, 444, y], fill="#46695a", width=3)
    return _png(picture)


def digital_helpers() -> bytes:
    """Two people at a table with a laptop: a helper and a neighbour."""
    picture = Image.new("RGB", SIZE, "#eaf1f7")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 230, 480, 320], fill="#d8c3a5")
    _person(draw, 150, 120, "#c0504d", 1.4)
    _person(draw, 330, 120, "#4f81bd", 1.4)
    draw.rectangle([40, 214, 440, 236], fill="#a67c52", outline=INK, width=2)
    draw.polygon([(200, 212), (280, 212), (292, 166), (212, 166)], fill="#44546a", outline=INK)
    draw.rectangle([188, 210, 296, 216], fill="#8497b0", outline=INK)
    draw.rectangle([222, 174, 282, 204], fill="#dbe9f6")
    draw.ellipse([90, 190, 118, 212], fill="#ffffff", outline=INK, width=2)
    return _png(picture)


# By asset slug: the drawing, its alternative text (what it shows) and its caption.
PICTURES = {
    "stakeholder-mapping-canvas": (
        stakeholder_canvas,
        "A printed canvas divided into four quadrants (users, affected people, providers, "
        "decision makers), each covered with sticky notes.",
    ),
    "library-study-space-occupancy": (
        study_space,
        "Plan of a library learning space: two group tables with chairs, rows of single "
        "desks and a bookcase along the wall.",
    ),
    "digital-helpers-training": (
        digital_helpers,
        "A digital helper and an older neighbour sitting side by side at a laptop.",
    ),
}
