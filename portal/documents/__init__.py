"""Word documents of the programme: exporters return (filename, mimetype, bytes), importers parse.

Exporters take data a service has gathered and never query by themselves; importers refuse
unsafe or foreign files with `portal.documents.safety.DocumentRejected`.
"""

import re

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_UNSAFE_FILENAME_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(*parts: str, extension: str = ".docx", max_part: int = 60) -> str:
    """Join non-empty parts with '-' into a file name no file system or browser chokes on."""
    cleaned = []
    for part in parts:
        text = _UNSAFE_FILENAME_CHARS.sub("_", part or "")
        text = re.sub(r"\s+", " ", text).strip(" ._")[:max_part].strip(" ._")
        if text:
            cleaned.append(text)
    return "-".join(cleaned or ["document"]) + extension
