#!/usr/bin/env bash
# Start a Celery worker for one group of queues. Each group has its own workers so a
# backlog of reminders or a slow mail server cannot hold up the sweep or a new
# confirmation (README, "Background work"). Every queue in CELERY_TASK_QUEUES must be
# in some group that runs; tests/config/test_deploy.py checks the list.
#   deploy/worker.sh default|urgent|mail|retry|all [more celery worker options]
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:?usage: deploy/worker.sh default|urgent|mail|retry|all [options]}
shift
case "$group" in
  default) queues=celery ;;
  urgent) queues=notifications-sweep,notifications-urgent ;;
  mail) queues=notifications-sweep,notifications ;;
  retry) queues=notifications-retry ;;
  all) queues=celery,notifications-sweep,notifications-urgent,notifications,notifications-retry ;;
  *) echo "deploy/worker.sh: unknown group '$group' (default, urgent, mail, retry or all)" >&2; exit 2 ;;
esac
exec "${VENV:-.venv}/bin/celery" -A config worker -Q "$queues" --hostname "$group@%h" \
  --concurrency "${CELERY_CONCURRENCY:-2}" --loglevel INFO "$@"
