#!/bin/sh
# Serve the web app and run the scheduled jobs beside it until Ctrl-C.
# Without CELERY_BROKER_URL the jobs run in-process (manage.py run_schedule);
# with a broker, a Celery worker with an embedded beat does.
set -eu
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

if [ -n "${CELERY_BROKER_URL:-}" ]; then
  "$BIN/celery" -A registrar worker --beat --loglevel INFO --schedule var/celerybeat-schedule &
else
  "$BIN/python" manage.py run_schedule &
fi
JOBS=$!
trap 'kill $JOBS 2>/dev/null || true' EXIT INT TERM

"$BIN/python" manage.py demo_logins --url "http://$HOST:$PORT/"
exec_status=0
"$BIN/python" manage.py runserver "$HOST:$PORT" --noreload || exec_status=$?
exit $exec_status
