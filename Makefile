# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test lint messages clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_visits_demo
	$(PY) manage.py seed_reception_demo
	$(PY) manage.py seed_campaign_demo
	$(PY) manage.py serve $(HOST)

lint: install
	$(VENV)/bin/ruff check .

test: lint
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || (echo "missing migrations"; exit 1)
	bash scripts/test.sh

messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=tests --ignore=scripts
	$(PY) scripts/fill_zh_catalogue.py
	$(PY) scripts/apply_translations.py locale/en/translations/*.json
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
