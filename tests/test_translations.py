"""Every user-visible string is in the catalogues: zh_Hans complete, English complete,
and the compiled .mo files match their .po sources."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Every app (a folder with apps.py), plus the project templates and config.
SOURCES = sorted({p.name for p in ROOT.iterdir() if (p / "apps.py").exists()} | {"config"}) + ["templates", "manage.py"]
LANGS = ["zh_Hans", "en"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Run makemessages over a copy of the sources, so new strings show up as untranslated."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (GNU gettext) is not installed")
    work = tmp_path_factory.mktemp("messages")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "locale"))
        elif source.exists():
            shutil.copy(source, work / name)
    shutil.copytree(ROOT / "locale", work / "locale")
    args = [sys.executable, "manage.py", "makemessages", "--no-obsolete"]
    for lang in LANGS:
        args += ["-l", lang]
    subprocess.run(args, cwd=work, check=True, capture_output=True)  # noqa: S603 - our own manage.py
    return {lang: polib.pofile(str(work / "locale" / lang / "LC_MESSAGES" / "django.po")) for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_is_complete(extracted, lang):
    catalogue = extracted[lang]
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"{lang}: {len(missing)} untranslated, e.g. {missing[:10]} — run `make messages` and translate"


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_source(lang):
    po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
    mo = polib.mofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo}
    stale = [e.msgid for e in po.translated_entries() if not e.msgid_plural and compiled.get(e.msgid) != e.msgstr]
    assert not stale, f"{lang}: django.mo is out of date for {stale[:5]} — run `make messages`"


def test_english_is_the_second_language(client, db):
    from django.utils import translation

    with translation.override("en"):
        assert translation.gettext("首问负责人") != "首问负责人"
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录" in chinese and "登录" not in english
