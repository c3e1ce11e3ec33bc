#!/usr/bin/env bash
# Restarts the Docker daemon the way an operator's restart does: stops the running dockerd (SIGTERM, as a service
# manager would; its containers stop with it), then starts it again with the same command line and waits until it
# answers. For DockerRestartIT; needs root and a dockerd that no service manager watches (as on CI machines here).
set -euo pipefail
pid=$(pidof dockerd || true)
[ -n "$pid" ] || { echo "no dockerd runs" >&2; exit 2; }
mapfile -d '' command < "/proc/$pid/cmdline"
kill -TERM "$pid"
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then echo "dockerd $pid did not stop within 60 s" >&2; exit 1; fi
setsid nohup "${command[@]}" >>/var/log/cloudfunc-dockerd.log 2>&1 </dev/null &
for _ in $(seq 1 600); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "dockerd did not come back within 60 s" >&2
exit 1
