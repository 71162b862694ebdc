"""Complete the zh_Hans catalogue for our Chinese source strings.

Our msgids are Chinese (Chinese first), so their zh_Hans translation is the msgid itself;
this fills exactly those entries and leaves everything else (e.g. English msgids from
libraries) for a person to translate. Run by ``make messages``.
"""

import re
import sys
from pathlib import Path

import polib

CJK = re.compile(r"[\u4e00-\u9fff]")


def fill(path: Path) -> int:
    catalogue = polib.pofile(str(path))
    filled = 0
    for entry in catalogue:
        if entry.obsolete or not CJK.search(entry.msgid):
            continue
        if entry.msgid_plural:
            if not all(entry.msgstr_plural.values()) or "fuzzy" in entry.flags:
                entry.msgstr_plural = {0: entry.msgid_plural}
                filled += 1
        elif not entry.msgstr or "fuzzy" in entry.flags or entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            filled += 1
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalogue.save()
    return filled


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    count = fill(root / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    print(f"zh_Hans: {count} entries filled", file=sys.stderr)
