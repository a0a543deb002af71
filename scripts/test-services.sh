#!/usr/bin/env bash
# Make sure what the tests talk to is there: the PostgreSQL server on 127.0.0.1:5432 and
# headless Chromium. Installs or starts them where it can (root, Debian); says so where it cannot.
set -u

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "test-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "test-services: PostgreSQL is reachable on 127.0.0.1:5432"
else
  echo "test-services: PostgreSQL is NOT reachable on 127.0.0.1:5432; its tests will say so"
fi

if ! [ -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-services: installing Debian chromium and chromium-driver"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
      || echo "test-services: could not install chromium; browser tests will say so"
  fi
fi
[ -x /usr/bin/chromium ] && echo "test-services: chromium at /usr/bin/chromium"
exit 0
