# ISP Portal — `make run` to try it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DEBUG=1

.PHONY: run test install lint serve bench clean manage

$(BIN)/.instalado: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(BIN)/.instalado

# A developer's settings for manage.py (git-ignored; see manage.py): written once, never
# overwritten, so `.venv/bin/python manage.py …` runs as the README shows.
.env:
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "Escrito .env (DEBUG=1 y una SECRET_KEY generada) para manage.py en esta máquina."

# Any manage.py command with the project's settings: make manage ARGS="importar clientes x.csv"
manage: install .env
	$(BIN)/python manage.py $(ARGS)

run: install .env
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py cargar_demo --si-vacia
	$(DEV_ENV) $(BIN)/python manage.py crear_admin
	@# Beside the server, workers apply the scheduled BW changes, send the maintenance
	@# notices (as files in correos/ unless EMAIL_HOST is set) and roll up the utilisation
	@# readings (and pull them from PROMETHEUS_URL when set); they stop with the server.
	$(DEV_ENV) $(BIN)/python manage.py aplicar_ajustes_programados --cada 30 & \
	AJUSTES=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py enviar_avisos_mantenimiento --cada 10 & \
	AVISOS=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py procesar_utilizacion --cada 300 & \
	UTILIZACION=$$!; \
	trap "kill $$AJUSTES $$AVISOS $$UTILIZACION 2>/dev/null" EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# One pytest-xdist worker per core, each with its own test database and browser; a worker
# that runs out of tests takes some of the other's. TEST_WORKERS=0: all in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Production-like: hashed, compressed static files served by whitenoise under gunicorn.
# Needs SECRET_KEY (README, Production): without it nothing starts.
serve: install
	DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	@# gunicorn.conf.py: gthread workers (BIND, WORKERS, THREADS, FORWARDED_ALLOW_IPS).
	DEBUG=0 $(BIN)/gunicorn isp_portal.wsgi --config gunicorn.conf.py

# Benchmark at 100k clients / 200k connections on PostgreSQL (DATABASE_URL or isp_bench).
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
