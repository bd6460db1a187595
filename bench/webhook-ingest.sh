#!/usr/bin/env bash
# Webhook ingest benchmark (issue: relay). Signed TikTok webhooks from C concurrent
# connections for S seconds against huntaze-relay on a durable PostgreSQL (fsync on),
# and, in the same run on the same machine, the two references:
#   - nginx answering a static 200 to the same requests (the HTTP ceiling),
#   - pgbench doing the same single-row INSERT ... ON CONFLICT DO NOTHING at the same
#     concurrency (what one-commit-per-event would give).
# Prints durable events/s, p50/p99 acknowledgement latency, and checks that committed
# rows equal 2xx answers. The relay's processing workers are off (BENCH_WORKERS=0) so
# the figure is ingest alone; processing drains the inbox asynchronously afterwards.
# BENCH_ROUNDS rounds (3) of all three, interleaved; the ratios are per round, then the
# medians.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/release
connections=${BENCH_CONNECTIONS:-50}
seconds=${BENCH_SECONDS:-20}
work=$build/bench-work
secret=bench-secret

mkdir -p "$work"
chmod 755 "$work"
pg=$work/pg
relay_pid=""
nginx_pid=""
cleanup() {
  [[ -n $relay_pid ]] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null || true
  bash "$root/scripts/pg-cluster.sh" stop "$pg" || true
}
trap cleanup EXIT

admin_url=$(bash "$root/scripts/pg-cluster.sh" start "$pg")
psql -q "$admin_url" -c "DROP DATABASE IF EXISTS bench WITH (FORCE)" -c "CREATE DATABASE bench"
db_url=${admin_url%/postgres}/bench
HUNTAZE_DATABASE_URL=$db_url "$build/bin/huntaze-relay" migrate 2>/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Each round measures the relay, then nginx, then pgbench, each for the full time on an
# empty table. The machine's speed drifts by 15-20% within minutes (references
# included), so the ratios are taken within a round and the medians reported.
rounds=${BENCH_ROUNDS:-3}
pgbench_bin=$(ls -d /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n1) # the newest
pg_port=$(sed -E 's/.*:([0-9]+)\/.*/\1/' "$pg/url")
mkdir -p "$work/nginx"
# Like the relay, it names the correlation id itself rather than paying for the column's
# gen_random_uuid(): the key's md5 serves as the id.
cat >"$work/insert.sql" <<'SQL'
\set n random(1, 2000000000)
WITH k AS (SELECT md5(:n::text || clock_timestamp()::text) AS h)
INSERT INTO webhook_events (provider, external_id, event_type, verified, headers, body, correlation_id)
SELECT 'tiktok', h, 'post.publish.inbox_delivered', true, '{}',
       convert_to('{"client_key":"bench","event":"post.publish.inbox_delivered","create_time":1700000000}', 'UTF8'),
       h::uuid
FROM k
ON CONFLICT (provider, external_id) DO NOTHING;
SQL
empty_inbox() { psql -q "$db_url" -c "TRUNCATE webhook_events" -c "CHECKPOINT" >/dev/null; }

results=()
for round in $(seq 1 "$rounds"); do
  # --- huntaze-relay -------------------------------------------------------------
  empty_inbox
  relay_port=$(free_port)
  env HUNTAZE_DATABASE_URL=$db_url HUNTAZE_LISTEN=127.0.0.1:$relay_port TIKTOK_WEBHOOK_SECRET=$secret \
    HUNTAZE_WORKERS=${BENCH_WORKERS:-0} ${BENCH_HTTP_THREADS:+HUNTAZE_HTTP_THREADS=$BENCH_HTTP_THREADS} \
    HUNTAZE_RATE_LIMIT_WEBHOOKS=10000000 \
    "$build/bin/huntaze-relay" serve 2>"$work/relay.log" &
  relay_pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$relay_port/healthz" >/dev/null && break; sleep 0.1; done
  relay=$("$build/bin/huntaze-webhookload" --port "$relay_port" --secret "$secret" \
            --connections "$connections" --seconds "$seconds")
  rows=$(psql -tA "$db_url" -c "SELECT count(*) FROM webhook_events")
  # The group commits as the relay saw them: how many, how large, how long.
  inbox=$(curl -fs "http://127.0.0.1:$relay_port/metrics" |
    sed -nE 's/^huntaze_inbox_(batch_events|commit_seconds)_(sum|count) ([0-9.e+-]+)$/\1_\2=\3/p' | tr '\n' ' ')
  kill "$relay_pid"; wait "$relay_pid" 2>/dev/null || true; relay_pid=""

  # --- nginx: static 200 -----------------------------------------------------------
  nginx_port=$(free_port)
  cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # nginx closes a keep-alive connection after 1000 requests by default; the load
  # generator does not reconnect, so the reference would last well under a second.
  keepalive_requests 1000000000;
  client_body_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; location / { return 200 '{"received":1}'; } }
}
CONF
  nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 1 100); do curl -fs -X POST "http://127.0.0.1:$nginx_port/" >/dev/null && break; sleep 0.1; done
  nginx=$("$build/bin/huntaze-webhookload" --port "$nginx_port" --plain \
            --connections "$connections" --seconds "$seconds")
  kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""

  # --- pgbench: one INSERT ... ON CONFLICT DO NOTHING per transaction -----------------
  empty_inbox
  pgbench_out=$(PGPASSWORD=$(cat "$pg/password") "$pgbench_bin" -n -h 127.0.0.1 -p "$pg_port" \
    -U postgres -c "$connections" -j 2 -T "$seconds" -f "$work/insert.sql" bench 2>&1)
  pgbench_tps=$(echo "$pgbench_out" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -n1)
  pgbench_latency=$(echo "$pgbench_out" | sed -nE 's/^latency average = ([0-9.]+) ms/\1/p')

  results+=("$(python3 -c 'import json,sys; print(json.dumps({"relay": json.loads(sys.argv[1]), "nginx": json.loads(sys.argv[2]), "pgbench": float(sys.argv[3]), "pgbench_latency": float(sys.argv[4]), "rows": int(sys.argv[5]), "inbox": sys.argv[6]}))' \
    "$relay" "$nginx" "$pgbench_tps" "$pgbench_latency" "$rows" "$inbox")")
done

printf '%s\n' "${results[@]}" >"$work/rounds.jsonl"
python3 - "$connections" "$seconds" "$work/rounds.jsonl" <<'PY'
import json, statistics, sys
rounds = [json.loads(line) for line in open(sys.argv[3]) if line.strip()]
connections, seconds = sys.argv[1], float(sys.argv[2])
print(f"webhook ingest, {connections} connections, {seconds:.0f} s per measurement, {len(rounds)} rounds, "
      "2 cores shared by everything")
print(f"{'round':7}{'relay/s':>10}{'p50 ms':>8}{'p99 ms':>8}{'nginx/s':>10}{'pgbench/s':>11}"
      f"{'relay/pgbench':>15}{'relay/nginx':>13}")
ok = True
for i, r in enumerate(rounds, 1):
    relay, nginx = r["relay"], r["nginx"]
    r["vs_pgbench"] = relay["rate"] / r["pgbench"]
    r["vs_nginx"] = relay["rate"] / nginx["rate"]
    print(f"{i:<7}{relay['rate']:>10.0f}{relay['p50_ms']:>8.2f}{relay['p99_ms']:>8.2f}{nginx['rate']:>10.0f}"
          f"{r['pgbench']:>11.0f}{r['vs_pgbench']:>14.2f}x{r['vs_nginx']:>13.2f}")
median = lambda key: statistics.median(key(r) for r in rounds)
print(f"{'median':7}{median(lambda r: r['relay']['rate']):>10.0f}{median(lambda r: r['relay']['p50_ms']):>8.2f}"
      f"{median(lambda r: r['relay']['p99_ms']):>8.2f}{median(lambda r: r['nginx']['rate']):>10.0f}"
      f"{median(lambda r: r['pgbench']):>11.0f}{median(lambda r: r['vs_pgbench']):>14.2f}x"
      f"{median(lambda r: r['vs_nginx']):>13.2f}")
print(f"targets: relay/pgbench >= 2x (median {median(lambda r: r['vs_pgbench']):.2f}x), "
      f"relay/nginx >= 0.25 (median {median(lambda r: r['vs_nginx']):.2f}), "
      f"p99 < 50 ms (worst {max(r['relay']['p99_ms'] for r in rounds):.1f} ms)")
for i, r in enumerate(rounds, 1):
    inbox = dict(item.split("=") for item in r["inbox"].split())
    relay = r["relay"]
    if inbox.get("commit_seconds_count"):
        commits = float(inbox["commit_seconds_count"])
        busy = float(inbox["commit_seconds_sum"]) / relay["seconds"]
        print(f"round {i}: relay's group commits: {commits:.0f}, {float(inbox['batch_events_sum']) / commits:.1f} events each, "
              f"{1000 * float(inbox['commit_seconds_sum']) / commits:.2f} ms each; the writer spent {100 * busy:.0f}% of the run in them")
    for name, run in (("relay", relay), ("nginx", r["nginx"])):
        if run['transport_errors'] or run['seconds'] < 0.9 * seconds:
            print(f"warning: round {i}: the {name} run lasted {run['seconds']:.1f} s with {run['transport_errors']} transport errors")
    equal = r["rows"] == relay["ok"]
    ok = ok and equal
    print(f"round {i}: 2xx answers = {relay['ok']}, committed rows = {r['rows']}: {'EQUAL' if equal else 'MISMATCH'}; "
          f"non-2xx {relay['failed']}, transport errors {relay['transport_errors']}")
sys.exit(0 if ok else 1)
PY
