"""Attachments (附件) and related-case links (重复来访), and the intake desk's one write.

Files are checked before anything is written: size, count, and the type sniffed from the
first bytes (the browser's claimed type and the file name's extension are not trusted).
They are stored under random names outside any public URL; a failed transaction removes
the files it wrote.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..clock import now
from ..exceptions import InvalidInput, NotAllowed, TransitionRefused
from ..models import Attachment, Case, CaseLink
from ..models.attachment import LinkKind
from ..models.case import TERMINAL_STATUSES
from . import core

MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MB: a phone photo or a scanned contract
MAX_FILES_PER_CASE = 10

# (magic prefix, offset) → content type, extension. Only what a desk receives: photos, scans, PDFs.
_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"%PDF-", 0, "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"GIF87a", 0, "image/gif", ".gif"),
    (b"GIF89a", 0, "image/gif", ".gif"),
    (b"II*\x00", 0, "image/tiff", ".tif"),
    (b"MM\x00*", 0, "image/tiff", ".tif"),
    (b"WEBP", 8, "image/webp", ".webp"),
]
ALLOWED_TYPES_LABEL = gettext_lazy("JPG、PNG、GIF、WebP、TIFF 图片或 PDF 文件")

# Recordings (an interview's originals, not a case's files): accepted only where a caller
# passes ``audio_max_size`` to ``check_files``. MP3 is an ID3 tag or an MPEG layer III frame
# header (checked in ``sniff_audio``); an MP4 container (.m4a) cannot be told from a video
# by its first bytes, so only the audio brands and the two general ones phones write count.
_AUDIO_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"ID3", 0, "audio/mpeg", ".mp3"),
    (b"ftypM4A ", 4, "audio/mp4", ".m4a"),
    (b"ftypM4B ", 4, "audio/mp4", ".m4a"),
    (b"ftypmp42", 4, "audio/mp4", ".m4a"),
    (b"ftypisom", 4, "audio/mp4", ".m4a"),
    (b"WAVE", 8, "audio/wav", ".wav"),
    (b"OggS", 0, "audio/ogg", ".ogg"),
    (b"fLaC", 0, "audio/flac", ".flac"),
    (b"#!AMR\n", 0, "audio/amr", ".amr"),
]
AUDIO_TYPES_LABEL = gettext_lazy("MP3、M4A、WAV、OGG、FLAC、AMR 录音")


def attachment_root() -> Path:
    return Path(getattr(settings, "CASEWORK_ATTACHMENT_ROOT", None) or settings.BASE_DIR / "var" / "attachments")


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's first bytes, or None when not allowed."""
    for magic, offset, content_type, ext in _SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and head[:4] != b"RIFF":
                continue
            return content_type, ext
    return None


def sniff_audio(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a recording from its first bytes, or None."""
    for magic, offset, content_type, ext in _AUDIO_SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            if content_type == "audio/wav" and head[:4] != b"RIFF":
                continue
            return content_type, ext
    # An MP3 without an ID3 tag starts with a frame: 11 sync bits, MPEG version 1/2/2.5, layer III.
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 == 0x02:
        return "audio/mpeg", ".mp3"
    return None


_UNSAFE = re.compile(r"[^\w.\-（）()\[\]【】 ]+", re.UNICODE)


def sanitize_filename(name: str, ext: str) -> str:
    """A display name without paths, control characters or odd punctuation, ending in ``ext``."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:100] or _("附件")
    return stem + ext


@dataclass
class CheckedFile:
    upload: object
    name: str
    content_type: str
    ext: str
    size: int


def check_files(files, *, existing: int = 0, audio_max_size: int | None = None) -> list[CheckedFile]:
    """Validate uploads; raises ``InvalidInput`` on ``attachments`` with every problem found.

    With ``audio_max_size`` (bytes), recordings (``sniff_audio``) are accepted too, each up to
    that size; images and PDFs keep ``MAX_FILE_SIZE``.
    """
    files = [f for f in (files or []) if f is not None]
    errors: list[str] = []
    if existing + len(files) > MAX_FILES_PER_CASE:
        errors.append(_("每件案件最多 %(n)d 个附件。") % {"n": MAX_FILES_PER_CASE})
    types = ALLOWED_TYPES_LABEL
    if audio_max_size:
        types = _("%(files)s，或%(audio)s") % {"files": ALLOWED_TYPES_LABEL, "audio": AUDIO_TYPES_LABEL}
    checked: list[CheckedFile] = []
    for f in files:
        original = getattr(f, "name", "") or ""
        size = int(getattr(f, "size", 0) or 0)
        if size == 0:
            errors.append(_("“%(name)s”是空文件。") % {"name": original})
            continue
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        sniffed, limit = sniff_content_type(head), MAX_FILE_SIZE
        if sniffed is None and audio_max_size:
            sniffed, limit = sniff_audio(head), audio_max_size
        if sniffed is None:
            errors.append(_("“%(name)s”不是允许的文件类型，只接受%(types)s。") % {"name": original, "types": types})
            continue
        if size > limit:
            errors.append(
                _("“%(name)s”大小为 %(size).1f MB，超过单个附件 %(max)d MB 的上限。")
                % {"name": original, "size": size / 1024 / 1024, "max": limit // 1024 // 1024}
            )
            continue
        content_type, ext = sniffed
        checked.append(CheckedFile(f, sanitize_filename(original, ext), content_type, ext, size))
    if errors:
        raise InvalidInput(fields={"attachments": errors})
    return checked


def write_file(item: CheckedFile, folder: str, written: list[Path]) -> tuple[str, str]:
    """Write a checked upload under a random name in ``folder``; returns (stored name, sha256).

    The path is appended to ``written`` before the first byte, so a caller that fails later
    can delete what was written (the database rolls back, the files must follow).
    """
    stored_name = f"{folder}/{secrets.token_hex(16)}{item.ext}"
    path = attachment_root() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    item.upload.seek(0)
    with open(path, "xb") as out:
        written.append(path)
        for chunk in item.upload.chunks() if hasattr(item.upload, "chunks") else [item.upload.read()]:
            digest.update(chunk)
            out.write(chunk)
    return stored_name, digest.hexdigest()


def _store(case: Case, actor, item: CheckedFile, written: list[Path]) -> Attachment:
    stored_name, sha256 = write_file(item, str(case.pk), written)
    return Attachment.objects.create(
        case=case,
        name=item.name,
        stored_name=stored_name,
        content_type=item.content_type,
        size=item.size,
        sha256=sha256,
        uploaded_by=actor,
        uploaded_at=now(),
    )


def _remove_on_rollback(written: list[Path]) -> None:
    for path in written:
        path.unlink(missing_ok=True)


def attachment_add(*, case: Case | str, actor, files, expected_version: int | None = None) -> list[Attachment]:
    """附件: add files to a case the actor may work on; one history row."""
    from .. import rules

    with core.locked_case(case, expected_version=expected_version) as c:
        if not (rules.is_owner(c, actor) or rules.can_handle(c, actor) or rules.can_lead(c, actor)):
            raise NotAllowed()
        if c.status in TERMINAL_STATUSES:
            # 已办结 (or merged, withdrawn, not accepted): the record is final; a reopen comes first.
            raise TransitionRefused(
                _("案件当前状态为“%(status)s”，不能再上传附件。") % {"status": c.get_status_display()}
            )
        checked = check_files(files, existing=c.attachments.count())
        if not checked:
            raise InvalidInput(fields={"attachments": [_("请选择要上传的文件。")]})
        written: list[Path] = []
        try:
            saved = [_store(c, actor, item, written) for item in checked]
            names = "、".join(a.name for a in saved)
            core.record(c, actor=actor, action="attach", reason=_("上传附件：%(names)s") % {"names": names})
        except BaseException:
            _remove_on_rollback(written)
            raise
        return saved


def case_link(*, case: Case, related: Case, actor, kind: str = LinkKind.REPEAT) -> CaseLink:
    """关联: mark ``case`` as a repeat of ``related``; one history row on ``case``."""
    if related.pk == case.pk:
        raise InvalidInput(fields={"duplicate": [_("不能关联到本案件自身。")]})
    with core.locked_case(case) as c:
        link, _created = CaseLink.objects.get_or_create(
            case=c, related=related, defaults={"kind": kind, "created_by": actor, "created_at": now()}
        )
        label = LinkKind(kind).label
        core.record(c, actor=actor, action="link", reason=f"{label}：{related.number}")
        return link
