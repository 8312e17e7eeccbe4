"""Word documents of the programme: exporters return (filename, mimetype, bytes), importers parse.

Exporters take data a service has gathered and never query by themselves; importers refuse
unsafe or foreign files with `portal.documents.safety.DocumentRejected`.
"""

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
