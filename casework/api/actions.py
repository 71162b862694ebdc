"""``POST /cases/{number}/actions/{action}/``: the action registry, over JSON.

Every action is looked up in ``casework.actions.ACTIONS`` when the request comes (so actions
other apps register appear without a change here). Its page form stays the one source of
the input rules: a DRF serializer is derived from the form only to check JSON types and
sizes and to describe the body in the OpenAPI document, then the form validates.
"""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import actions as registry
from .errors import UnknownAction
from .fields import TEXT_MAX, Text

VERSION_HELP = _("可选：客户端看到的案件版本号；案件已被他人更新则返回 409。")


def _serializer_field(field: forms.Field) -> serializers.Field | None:
    common = {"required": False, "help_text": str(field.label or "")}
    if isinstance(field, forms.FileField):
        return None  # files are not sent as JSON
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(min_value=field.min_value, max_value=field.max_value, **common)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return serializers.ChoiceField(choices=list(field.choices), allow_blank=not field.required, **common)
    max_length = getattr(field, "max_length", None) or TEXT_MAX
    return Text(max_length=max_length, allow_blank=True, **common)


def body_serializer(code: str) -> type[serializers.Serializer]:
    """A serializer class for action ``code``'s body: its form's fields plus ``version``."""
    spec = registry.ACTIONS.get(code)
    if spec is None:
        raise UnknownAction()
    form = spec.form()
    attrs: dict = {}
    for name, field in form.fields.items():
        if name == "version":
            continue
        converted = _serializer_field(field)
        if converted is not None:
            attrs[name] = converted
    attrs["version"] = serializers.IntegerField(required=False, min_value=0, help_text=str(VERSION_HELP))
    from .serializers import Strict

    name = "".join(part.title() for part in code.split("_")) + "ActionBody"
    return type(name, (Strict,), attrs)


def form_data(code: str, body) -> tuple[dict, int | None]:
    """Validate ``body`` for action ``code``: JSON shape, then the action's own form.

    Returns ``(cleaned_data, version)``; raises ``ValidationError`` (400) with per-field messages.
    """
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise serializers.ValidationError({"non_field_errors": [_("请求体应为 JSON 对象。")]})
    shaped = body_serializer(code)(data=body)
    shaped.is_valid(raise_exception=True)
    data = dict(shaped.validated_data)
    version = data.pop("version", None)
    form = registry.ACTIONS[code].form(data={**data, "version": version if version is not None else ""})
    form.fields["version"].required = False
    if not form.is_valid():
        errors = {("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in form.errors.items()}
        raise serializers.ValidationError(errors)
    cleaned = dict(form.cleaned_data)
    cleaned["version"] = version
    return cleaned, version


def action_codes() -> list[str]:
    return list(registry.ACTIONS)


def action_body_serializer() -> type[serializers.Serializer]:
    """For the OpenAPI document: every field any action takes (each action accepts its own)."""
    from .serializers import Strict

    attrs: dict = {}
    for code in action_codes():
        for name, field in body_serializer(code)().fields.items():
            attrs.setdefault(name, copy.deepcopy(field))  # DRF fields copy as new, unbound fields
    return type("ActionBody", (Strict,), attrs)
