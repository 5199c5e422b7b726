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


# Same-site addresses that are not pages for reading: machine routes, files and the admin.
MACHINE_PREFIXES = (
    "/api/",
    "/ap/",
    "/.well-known/",
    "/nodeinfo/",
    "/inbox",
    "/static/",
    "/media/",
    "/documents/",
    "/admin/",
    "/django-admin/",
    "/i18n/",
    "/favicon.ico",
)

LINKS_JS = """(machine) => {
    const own = location.origin;
    const found = [];
    const check = (el, attr) => {
        const raw = el.getAttribute(attr);
        if (raw === null || raw.startsWith('#') || raw.startsWith('mailto:') || raw.startsWith('tel:')) return;
        const url = new URL(raw, location.href);
        if (url.origin !== own) return;
        if (machine.some(prefix => url.pathname.startsWith(prefix))) return;
        if (/\\.(csv|json)$/.test(url.pathname)) return;
        const marked = el.closest('[lang]');
        found.push({
            tag: el.tagName.toLowerCase(),
            path: url.pathname,
            lang: marked ? marked.getAttribute('lang') : '',
            hreflang: el.getAttribute('hreflang') || '',
            text: (el.textContent || '').trim().slice(0, 40),
        });
    };
    document.querySelectorAll('a[href]').forEach(el => check(el, 'href'));
    document.querySelectorAll('form[action]').forEach(el => check(el, 'action'));
    return found;
}"""


def language_problems(page, language: str, default: str = "en") -> list[str]:
    """Links and form actions on ``page`` (in ``language``) that lose the visitor's language.

    A same-site link must lead to an address under ``/<language>/`` (the default language
    has no prefix; its text may still be marked as another language, as an untranslated
    footer label is), unless it says where it goes in another language: the language
    switcher's ``hreflang`` entries, or a fallback to a page in another language, marked
    ``lang`` (on the link or around it). Machine routes and files are not checked.
    """
    prefix = "/" if language == default else f"/{language}/"
    other_prefixes = tuple(f"/{code}/" for code in ("en", "es", "it", "lv") if code != default)
    problems = []
    for link in page.evaluate(LINKS_JS, list(MACHINE_PREFIXES)):
        path, marked = link["path"], link["lang"].split("-")[0]
        if link["hreflang"]:
            continue
        in_language = path.startswith(prefix) and (
            language != default or not path.startswith(other_prefixes)
        )
        if in_language:
            continue  # its text may be marked as another language (an untranslated label)
        if marked and marked != language:
            continue  # a fallback to a page in another language, marked as such
        problems.append(f"<{link['tag']}> to {path} ({link['text']!r}) not in this language")
    return problems
