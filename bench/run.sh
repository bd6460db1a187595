#!/usr/bin/env bash
# Runs every benchmark, each beside its reference measured in the same run.
# Never part of the tests' pass/fail. BENCH_SECONDS and BENCH_CONNECTIONS adjust the webhook
# benchmark, BENCH_UPLOAD_CHUNK the upload one.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-deps.sh" "$root/scripts/debian-packages.txt" "$root/bench/debian-packages.txt"
bash "$root/scripts/build.sh" release
bash "$root/bench/webhook-ingest.sh"
BENCH_BUILT=1 bash "$root/bench/upload.sh"
