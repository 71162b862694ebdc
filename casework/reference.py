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


# 常用答复语 every installation starts with (category code or None for all, title, text);
# the admins edit them. A blank "＿＿" is for the officer to fill in.
REPLY_TEMPLATES = [
    (
        None,
        "已协调解决",
        "您反映的问题，经工会协调，企业已按您的诉求予以解决。如对办理结果有异议，"
        "可自收到本答复之日起30日内提出复查申请。感谢您对工会工作的信任和支持。",
    ),
    (
        None,
        "政策解释说明",
        "经核实，您反映的问题涉及的政策规定为：＿＿。工会已向您作出解释说明。"
        "如仍有疑问，可拨打12351职工服务热线咨询。",
    ),
    (
        None,
        "转有关部门办理",
        "您反映的问题属于＿＿的职责范围，工会已转请其依法处理，并将持续跟踪办理进展，及时告知您办理结果。",
    ),
    (
        "wages",
        "工资已补发",
        "经工会协调，企业已于＿＿年＿＿月＿＿日补发拖欠您的工资共计＿＿元。如企业再次拖欠，"
        "可随时向工会反映或拨打12351职工服务热线。",
    ),
    (
        "wages",
        "引导申请劳动仲裁",
        "经工会协调，企业与您未能就工资支付达成一致。您可向当地劳动人事争议仲裁委员会申请仲裁，"
        "工会法律援助律师可为您免费提供法律咨询和代理服务。",
    ),
    (
        "social_insurance",
        "社会保险已补缴",
        "经工会协调，企业已为您补缴＿＿年＿＿月至＿＿年＿＿月的社会保险费。"
        "您可通过当地社会保险经办机构或国家社会保险公共服务平台查询缴费记录。",
    ),
    (
        "injury",
        "协助申报工伤",
        "经工会协调，企业已同意为您申报工伤认定。请您备齐医疗诊断证明等材料，工会将全程跟踪协助。",
    ),
    (
        "contract",
        "已签订劳动合同",
        "经工会协调，企业已于＿＿年＿＿月＿＿日与您签订书面劳动合同。关于未签合同期间的二倍工资差额，"
        "如双方未能协商一致，您可依法申请劳动仲裁。",
    ),
]


def ensure_reply_templates(template_model=None, category_model=None) -> None:
    """Create the missing 常用答复语 (idempotent; never overwrites an admin's edits)."""
    if template_model is None:
        from .models import ReplyTemplate as template_model  # noqa: N813
    if category_model is None:
        from .models import Category as category_model  # noqa: N813
    categories = {c.code: c for c in category_model.objects.filter(code__in={r[0] for r in REPLY_TEMPLATES if r[0]})}
    for order, (code, title, text) in enumerate(REPLY_TEMPLATES):
        if code is not None and code not in categories:
            continue  # an installation that removed the category
        category = categories.get(code)
        template_model.objects.get_or_create(category=category, title=title, defaults={"text": text, "order": order})
