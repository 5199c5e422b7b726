"""Message catalogues: complete, not fuzzy, compiled, in English, Spanish, Italian and Latvian."""

import ast
import gettext
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["en", "es", "it", "lv"]
CATALOGUE_DIRS = [
    ROOT / "interlink_blocks" / "locale",
    ROOT / "federation" / "locale",
    ROOT / "search" / "locale",
    ROOT / "themes" / "locale",
    ROOT / "site" / "interlink_site" / "locale",
]
PLURAL_FORMS = {"en": 2, "es": 2, "it": 2, "lv": 3}


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (list), fuzzy; obsolete skipped."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and "msgid" in entry and key != "comment":
                finish()
                entry = None
            entry = entry or {"fuzzy": False, "msgstr": {}}
            key = "comment"
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
            continue
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            finish()
            entry = None
        entry = entry or {"fuzzy": False, "msgstr": {}}
        value = ast.literal_eval(rest)
        if keyword.startswith("msgstr"):
            key = keyword
            entry["msgstr"][keyword] = value
        else:
            key = keyword
            entry[keyword] = value
    finish()
    return entries


def catalogues():
    for directory in CATALOGUE_DIRS:
        for language in LANGUAGES:
            yield pytest.param(
                directory / language / "LC_MESSAGES",
                language,
                id=f"{directory.relative_to(ROOT)}-{language}",
            )


@pytest.mark.parametrize(("folder", "language"), list(catalogues()))
def test_catalogue_is_complete_and_compiled(folder, language):
    """Ensures that every message is translated, none is fuzzy, plurals have every form the
    language needs, and the committed .mo matches the .po."""
    po, mo = folder / "django.po", folder / "django.mo"
    assert po.exists(), f"missing {po}"
    assert mo.exists(), f"missing {mo}: run `make messages`"
    entries = parse_po(po)
    header = next(e for e in entries if e["msgid"] == "")
    assert f"nplurals={PLURAL_FORMS[language]};" in header["msgstr"]["msgstr"], (
        "Plural-Forms header"
    )
    problems = []
    compiled = gettext.GNUTranslations(mo.open("rb"))
    for entry in entries:
        if entry["msgid"] == "":
            continue
        label = entry["msgid"][:60]
        if entry["fuzzy"]:
            problems.append(f"fuzzy: {label}")
        if "msgid_plural" in entry:
            forms = [entry["msgstr"].get(f"msgstr[{n}]", "") for n in range(PLURAL_FORMS[language])]
            if not all(forms):
                problems.append(f"untranslated plural: {label}")
        elif not entry["msgstr"].get("msgstr"):
            problems.append(f"untranslated: {label}")
        else:
            lookup = entry["msgid"]
            if "msgctxt" in entry:
                lookup = f"{entry['msgctxt']}\x04{lookup}"
            if compiled._catalog.get(lookup) != entry["msgstr"]["msgstr"]:
                problems.append(f"stale .mo for: {label}")
    assert not problems, f"{len(problems)} problems in {po}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("lv", 0, "0 rezultātu"),
        ("lv", 1, "1 rezultāts"),
        ("lv", 21, "21 rezultāts"),
        ("lv", 5, "5 rezultāti"),
        ("es", 1, "1 resultado"),
        ("es", 3, "3 resultados"),
        ("it", 2, "2 risultati"),
    ],
)
def test_plural_forms_follow_each_language(language, count, expected):
    """Ensures that counts use the right plural form, including Latvian's three."""
    from django.utils import translation

    with translation.override(language):
        text = translation.ngettext("%(counter)s result", "%(counter)s results", count)
    assert text % {"counter": count} == expected
