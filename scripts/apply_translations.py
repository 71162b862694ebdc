"""Fill the English catalogue from JSON files of ``{msgid: english}``.

Usage: python scripts/apply_translations.py locale/en/translations/*.json
Entries already translated are overwritten only when the JSON differs; plural entries take
``[singular, plural]`` lists. Unknown msgids are reported, not added.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def apply(paths: list[str]) -> None:
    catalogue = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    by_id = {(e.msgctxt, e.msgid): e for e in catalogue}
    known = {e.msgid: e for e in catalogue}
    unknown = 0
    for path in paths:
        for msgid, english in json.loads(Path(path).read_text(encoding="utf-8")).items():
            entry = known.get(msgid) or by_id.get((None, msgid))
            if entry is None:
                unknown += 1
                continue
            if entry.msgid_plural:
                forms = english if isinstance(english, list) else [english, english]
                entry.msgstr_plural = {0: forms[0], 1: forms[-1]}
            else:
                entry.msgstr = english
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.save()
    left = len([e for e in catalogue if not e.translated() and not e.obsolete])
    print(f"en: {unknown} unknown msgids skipped, {left} still untranslated", file=sys.stderr)


if __name__ == "__main__":
    apply(sys.argv[1:])
