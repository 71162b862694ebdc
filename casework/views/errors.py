from django import forms

from ..exceptions import CaseworkError

# Service field names that differ from form field names.
_FIELD_ALIASES = {
    "worker.phone": "phone",
    "worker.id_number": "id_number",
    "worker.name": "name",
    "worker.birth_month": "birth_month",
    "to_unit": "to_unit",
    "into": "duplicate",
}


def apply_error(form: forms.Form, exc: CaseworkError) -> None:
    """Show a service error on the form: per field where it names one, else on top."""
    placed = False
    for field, messages in (exc.fields or {}).items():
        name = _FIELD_ALIASES.get(field, field.removeprefix("worker."))
        if name in form.fields:
            for message in messages:
                form.add_error(name, str(message))
            placed = True
        else:
            for message in messages:
                form.add_error(None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))
