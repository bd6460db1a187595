#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder of its own, for tests and for the desktop's
# sandbox mode.
#
#   pg-cluster.sh start DIR [--fast]   create if needed, start; prints the admin URL
#   pg-cluster.sh stop DIR             stop (fast shutdown)
#   pg-cluster.sh status DIR           exit 0 when running
#   pg-cluster.sh url DIR              print the admin URL
#
# It listens on a Unix socket in DIR/run and on a free 127.0.0.1 port, never on other
# interfaces. The superuser password is random, kept in DIR/url (mode 0600) and
# required for every connection (scram-sha-256). --fast turns off fsync for throwaway
# test clusters. As root, the server runs as the postgres user, as PostgreSQL requires.
set -euo pipefail

usage() { echo "usage: $0 start|stop|status|url DIR [--fast]" >&2; exit 2; }
(($# >= 2)) || usage
command=$1
dir=$2
fast=${3:-}
[[ $dir == /* ]] || dir=$PWD/$dir

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  bindir=$candidate; break
done
if [[ -z $bindir ]]; then
  bindir=$(dirname "$(command -v pg_ctl || true)")
fi
[[ -x $bindir/pg_ctl ]] || { echo "PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }

as_owner() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

data=$dir/data
run=$dir/run

free_port() {
  # A random high port that nothing listens on (checked with ss, retried by start).
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! ss -Hltn "sport = :$port" | grep -q .; then echo "$port"; return; fi
  done
  echo "no free port found" >&2; exit 1
}

create() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  if ((EUID == 0)); then
    chown postgres: "$dir"
    if ! runuser -u postgres -- test -x "$dir"; then
      echo "The postgres user cannot reach $dir (a parent folder is private). Pick a folder" \
           "under /var/lib, /tmp or a build directory." >&2
      exit 1
    fi
  fi
  local password pwfile
  password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
  pwfile=$dir/.pw
  (umask 077; printf '%s\n' "$password" > "$pwfile")
  ((EUID == 0)) && chown postgres: "$pwfile"
  as_owner "$bindir/initdb" -D "$data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"
  as_owner mkdir -p "$run"
  (umask 077; printf '%s\n' "$password" > "$dir/password")
}

write_url() {
  local port=$1 password
  password=$(cat "$dir/password")
  (umask 077; printf 'postgresql://postgres:%s@127.0.0.1:%s/postgres\n' "$password" "$port" > "$dir/url")
}

start() {
  [[ -d $data ]] || create
  if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    cat "$dir/url"; return
  fi
  local extra="" attempt port
  if [[ $fast == --fast ]]; then
    extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  # Keep the port of the previous start when it is free, so URLs handed out stay valid.
  local previous=""
  [[ -f $dir/url ]] && previous=$(sed -E 's/.*:([0-9]+)\/.*/\1/' "$dir/url")
  for attempt in 1 2 3 4 5; do
    if [[ $attempt == 1 && -n $previous ]] && ! ss -Hltn "sport = :$previous" | grep -q .; then
      port=$previous
    else
      port=$(free_port)
    fi
    if as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start \
         -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$run -c max_connections=200 $extra" \
         >/dev/null 2>&1; then
      write_url "$port"
      cat "$dir/url"
      return
    fi
    tail -n 5 "$dir/server.log" >&2 || true
  done
  echo "PostgreSQL did not start; see $dir/server.log" >&2
  exit 1
}

case $command in
  start) start ;;
  stop)
    if [[ -d $data ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi ;;
  status) as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1 ;;
  url) cat "$dir/url" ;;
  *) usage ;;
esac
