"""List the untranslated strings of the Chinese catalogue, or fill them from a JSON file.

    python scripts/translate.py list > todo.json        # {"msgid": "", ...}
    python scripts/translate.py fill done.json          # {"msgid": "译文", ...}

Plural entries take a list of one Chinese form. Run scripts/update-translations before (to
extract) and after (to compile).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "portal/translations/zh_Hans_CN/LC_MESSAGES"
PO = PO / "messages.po"


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _missing(message) -> bool:
    if not message.id:
        return False
    return not (message.string if isinstance(message.string, str) else all(message.string))


def main(argv: list[str]) -> int:
    with PO.open("rb") as f:
        catalog = read_po(f)
    if argv[:1] == ["list"]:
        todo = {_key(m): "" for m in catalog if _missing(m)}
        json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if argv[:1] == ["fill"] and len(argv) == 2:
        done = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        filled = 0
        for message in catalog:
            text = done.get(_key(message))
            if not text or not _missing(message):
                continue
            if isinstance(message.id, str):
                message.string = text
            else:
                message.string = tuple(text if isinstance(text, list) else [text])
            filled += 1
        with PO.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False)
        print(f"filled {filled}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
