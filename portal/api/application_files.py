"""/api/v1/applications/<id>/files: an enterprise attaches, and readers download, a packet's files.

Uploads are the raw request body, streamed to storage (portal.files.intake); the checks are the
web page's (portal.applications.files).
"""

from __future__ import annotations

from flask import Response, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from pydantic import Field
from werkzeug.wrappers import Response as BaseResponse

from portal.api.auth import api_user
from portal.api.errors import ApiError, api_locale
from portal.api.models.applications import ApplicationError
from portal.api.models.applications import StoredFile as StoredFileAnswer
from portal.api.packets import (
    APPLICATION_ID,
    CONFLICT,
    FILE_IDS,
    HIDDEN,
    load_own,
    load_visible,
    refusal,
)
from portal.api.spec import Query, answer, operation
from portal.applications import rules
from portal.applications.errors import ApplicationError as ApplicationRefused
from portal.applications.files import add_file, remove_file
from portal.applications.models import FileCategory
from portal.db import get_session
from portal.files.intake import UploadRequestInvalid, request_upload_filename, stream_request_body
from portal.files.models import StoredFile
from portal.files.service import UploadRejected, send_stored_file

# API error code for each problem of a raw-body upload request.
UPLOAD_REQUEST_CODES = {
    "length_required": "length_required",
    "length_invalid": "invalid_header",
    "incomplete": "incomplete_upload",
    "filename_missing": "invalid_parameter",
    "filename_encoding": "invalid_parameter",
}


class UploadQuery(Query):
    category: FileCategory | None = Field(default=None, description="Kind of material")
    filename: str | None = Field(
        default=None, description="The file's name (or the X-Filename header)"
    )


UPLOAD = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "*/*"}}
        },
    },
    "parameters": [
        {
            "name": "X-Filename",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "The file's name in percent-encoded UTF-8, instead of ?filename=",
        }
    ],
}


@operation(
    "/applications/<int:application_id>/files",
    "Attach the request body as a file; its type is recognised by content",
    StoredFileAnswer,
    methods=("PUT", "POST"),
    status=201,
    description="The stored file",
    path_ids=APPLICATION_ID,
    query=UploadQuery,
    refusal=ApplicationError,
    errors={
        400: "A parameter or header is invalid (category, file name, Content-Length), or the "
        "body ended before its Content-Length; nothing was stored",
        404: HIDDEN,
        409: CONFLICT,
        411: "No Content-Length header",
        415: "The body is not application/octet-stream",
        422: "The file was refused (type, size, packet cap, count); nothing changed",
    },
    extra=UPLOAD,
)
def upload_file(application_id: int, query: UploadQuery) -> Response:
    """Attach the raw request body as a file of the `category`; nothing else changes."""
    app = load_own(application_id)
    if query.category is None:
        raise ApiError(
            400,
            "invalid_parameter",
            _l(
                "Say which material this is with ?category= (one of: %(allowed)s).",
                allowed=", ".join(c.value for c in FileCategory),
            ),
            parameter="category",
        )
    if request.mimetype != "application/octet-stream":
        raise ApiError(
            415,
            "unsupported_media_type",
            _l("Send the file as the raw request body with Content-Type application/octet-stream."),
        )
    session = get_session()
    try:
        link = add_file(
            session,
            app,
            api_user(),
            category=query.category,
            filename=request_upload_filename(),
            stream=stream_request_body(),
        )
    except UploadRequestInvalid as err:
        session.rollback()
        raise ApiError(
            err.code, UPLOAD_REQUEST_CODES[err.key], err.message, parameter=err.parameter
        ) from err
    except UploadRejected as err:
        session.rollback()
        with force_locale(api_locale()):
            message = err.message
        raise ApiError(422, "upload_rejected", message, reason=err.key) from err
    except ApplicationRefused as err:
        session.rollback()
        raise refusal(err) from err
    session.commit()
    response = answer(StoredFileAnswer.of(app.id, link), 201)
    response.headers["Location"] = url_for(
        "api.application_file", application_id=app.id, file_id=link.stored_file_id
    )
    return response


DOWNLOAD = {
    "responses": {
        "200": {
            "description": "The file's bytes, or a 302 to a short-lived URL on S3",
            "content": {"*/*": {"schema": {"type": "string", "contentMediaType": "*/*"}}},
        },
    }
}


@operation(
    "/applications/<int:application_id>/files/<int:file_id>",
    "Download a file (draft files for the enterprise, submitted ones for readers)",
    None,
    path_ids=FILE_IDS,
    errors={404: HIDDEN},
    extra=DOWNLOAD,
)
def application_file(application_id: int, file_id: int) -> BaseResponse:
    """Download: draft files for the enterprise, submitted ones for those who may read them
    (the bytes, or a redirect to them in the object store)."""
    app = load_visible(application_id)
    allowed = rules.can_download_file(api_user(), app, file_id)
    stored = get_session().get(StoredFile, file_id) if allowed else None
    if stored is None:
        raise ApiError(
            404, "not_found", _l("There is no file with the id %(id)s here.", id=file_id)
        )
    return send_stored_file(stored)


@operation(
    "/applications/<int:application_id>/files/<int:file_id>",
    "Remove a file from the draft",
    None,
    methods=("DELETE",),
    status=204,
    description="Removed",
    path_ids=FILE_IDS,
    refusal=ApplicationError,
    errors={404: HIDDEN, 409: CONFLICT},
)
def delete_application_file(application_id: int, file_id: int) -> tuple[str, int]:
    app = load_own(application_id)
    link = next((f for f in app.files if f.stored_file_id == file_id), None)
    session = get_session()
    try:
        # An unknown file goes to the service too, so a submitted packet says so first.
        remove_file(session, app, api_user(), link.id if link else 0)
    except ApplicationRefused as err:
        session.rollback()
        raise refusal(err) from err
    session.commit()
    return "", 204
