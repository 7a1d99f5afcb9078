#!/bin/sh
# Entry point of local/postgres:bookworm and local/redis:bookworm (deploy/make-base-image.sh): Debian's
# PostgreSQL and Redis started the way the official postgres and redis images start them, reading the
# same variables (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD, PGDATA), so
# compose.yaml runs unchanged on either. Starts as root, prepares the data directory, runs as the
# service's own user.
set -eu

as_user() { user=$1; shift; exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"; }

# A new cluster in $PGDATA: the superuser POSTGRES_USER with POSTGRES_PASSWORD, the database POSTGRES_DB.
init_postgres() {
  user=${POSTGRES_USER:-postgres}
  set -- --username="$user" --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    auth=scram-sha-256
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    set -- "$@" --auth-host=$auth --pwfile="$pwfile"
  elif [ "${POSTGRES_HOST_AUTH_METHOD:-}" = trust ]; then
    auth=trust
    set -- "$@" --auth-host=trust
  else
    echo "services-entrypoint: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  setpriv --reuid=postgres --regid=postgres --init-groups initdb "$@" -D "$PGDATA" >/dev/null
  rm -f "${pwfile:-}"
  echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\" OWNER \"$user\";" |
      setpriv --reuid=postgres --regid=postgres --init-groups postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "services-entrypoint: initialised $PGDATA (user $user, database $db)"
}

case "${1:-}" in
  postgres)
    shift
    : "${PGDATA:=/var/lib/postgresql/data}"
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 0700 "$PGDATA"
    [ -s "$PGDATA/PG_VERSION" ] || init_postgres
    as_user postgres postgres -D "$PGDATA" -c listen_addresses='*' "$@"
    ;;
  redis-server)
    shift
    mkdir -p /data
    chown redis:redis /data
    cd /data
    # Like the redis image: reachable from other containers without a password unless given a config.
    case "${1:-}" in
      "" | -*) as_user redis redis-server --protected-mode no --dir /data "$@" ;;
      *) as_user redis redis-server "$@" ;;
    esac
    ;;
  *)
    exec "$@"
    ;;
esac
