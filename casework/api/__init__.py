"""The REST API under ``/api/v1/`` (issue 4).

Thin: serializers shape input and output, views call ``casework.services`` and the
action registry (``casework.actions``), reads go through ``casework.selectors``.
Every error leaves through ``errors.exception_handler`` as JSON with a stable code.
"""
