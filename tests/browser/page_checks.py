"""Checks the browser tours run on every public page, besides axe-core.

``reflow_problem``: WCAG 2.1 SC 1.4.10 (Reflow), which axe-core does not check. The page is
laid out again in a 320-CSS-px viewport (the criterion's width) and the document's scroll
width compared with the viewport's; the widest element outside a scrolling box is named, so
a failure says what to fix. Data tables may scroll inside their own wrapper (the criterion's
exception for two-dimensional content), never the page.
"""

PHONE = {"width": 320, "height": 640}

OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    const scroll = document.documentElement.scrollWidth;
    if (scroll <= width) return null;
    const inScroller = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
        }
        return false;
    };
    let widest = null;
    for (const el of document.body.querySelectorAll('*')) {
        const right = el.getBoundingClientRect().right;
        if (right > width + 0.5 && (!widest || right > widest.right) && !inScroller(el)) {
            const classes = typeof el.className === 'string' && el.className.trim()
                ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
            widest = {right: Math.round(right), what: el.tagName.toLowerCase() + classes};
        }
    }
    return {scroll, width, widest};
}"""


def reflow_problem(page) -> str | None:
    """Lays ``page`` out at 320 CSS px; describes the horizontal overflow, or ``None``.

    The viewport is restored afterwards, so the caller's other checks see the page as before.
    """
    previous = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        overflow = page.evaluate(OVERFLOW_JS)
    finally:
        page.set_viewport_size(previous)
    if not overflow:
        return None
    widest = overflow["widest"] or {"what": "?", "right": overflow["scroll"]}
    return (
        f"{overflow['scroll']} px wide at {overflow['width']} px "
        f"(widest: {widest['what']}, right edge at {widest['right']} px)"
    )
