"""Serving stored files (case and visit attachments) after the caller checked visibility."""

from django.http import FileResponse, Http404

from ..services.attachments import attachment_root

INLINE_TYPES = ("application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp")


def serve_stored_file(item) -> FileResponse:
    """The file of ``item`` (``stored_name``, ``content_type``, ``name``): images and PDFs shown
    inline in a sandbox, anything else downloaded; never cached by shared caches."""
    if item is None:
        raise Http404
    path = attachment_root() / item.stored_name
    if not path.is_file():
        raise Http404
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 - FileResponse closes it
        content_type=item.content_type,
        as_attachment=item.content_type not in INLINE_TYPES,
        filename=item.name,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
