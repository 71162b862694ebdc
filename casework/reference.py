"""The reference data every installation starts with (DOMAIN.md): categories and channels."""

CATEGORIES = [
    ("wages", "劳动报酬（工资拖欠）"),
    ("social_insurance", "社会保险"),
    ("contract", "劳动合同"),
    ("safety", "安全生产与职业健康"),
    ("injury", "工伤"),
    ("employment", "就业"),
    ("housing", "住房"),
    ("schooling", "子女就学"),
    ("hardship", "困难帮扶"),
    ("democratic", "民主管理"),
    ("women", "女职工权益"),
    ("other", "其他"),
]
CHANNELS = [
    ("reception_day", "主席接待日"),
    ("hotline", "12351热线"),
    ("letter", "来信"),
    ("online", "网上职工心声"),
    ("visit", "走访"),
    ("forum", "座谈会"),
]


def ensure_reference_data(category_model=None, channel_model=None) -> None:
    """Create the missing rows (idempotent; never overwrites an admin's edits)."""
    if category_model is None:
        from .models import Category as category_model  # noqa: N813
    if channel_model is None:
        from .models import Channel as channel_model  # noqa: N813
    for model, rows in ((category_model, CATEGORIES), (channel_model, CHANNELS)):
        for order, (code, name) in enumerate(rows):
            model.objects.get_or_create(code=code, defaults={"name": name, "order": order})
