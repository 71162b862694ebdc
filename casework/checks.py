from django.conf import settings
from django.core.checks import Error, register


@register()
def check_settings(app_configs, **kwargs):
    errors = []
    if settings.LANGUAGE_CODE != "zh-hans":
        errors.append(Error("LANGUAGE_CODE must be 'zh-hans': Chinese is the first language.", id="casework.E001"))
    if not settings.USE_TZ:
        errors.append(Error("USE_TZ must be True: no naive datetimes.", id="casework.E002"))
    if not getattr(settings, "SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD", False):
        errors.append(Error("History change reasons must be text fields.", id="casework.E003"))
    return errors
