#!/bin/sh
# Rehearse the production topology on this machine (docs/deployment.md, "演练"):
# nginx → two gunicorn app servers, two workers, PostgreSQL, Redis; a province-scale
# dataset; a bounded mixed load while one app server and one worker are killed and restarted.
#
#   REHEARSE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaohe_rehearse \
#   REHEARSE_REDIS_URL=redis://127.0.0.1:6379/5 deploy/rehearse.sh
#
# Options (environment): REHEARSE_PORT (nginx; app servers on +1 and +2, default 18580),
# REHEARSE_SECONDS (load, default 60), REHEARSE_SUBJECTS (default 3000), REHEARSE_PROBES.
# Needs Debian's nginx, a PostgreSQL database it may fill, and a Redis database it may flush.
set -eu
cd "$(dirname "$0")/.."
: "${REHEARSE_DATABASE_URL:?set REHEARSE_DATABASE_URL=postgres://…}"
: "${REHEARSE_REDIS_URL:?set REHEARSE_REDIS_URL=redis://…/N}"
PYTHON="${PYTHON:-.venv/bin/python}"
command -v /usr/sbin/nginx >/dev/null || { echo "需要 nginx：apt-get install nginx" >&2; exit 1; }
"$PYTHON" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REHEARSE_REDIS_URL"
exec "$PYTHON" deploy/rehearse.py
