#!/usr/bin/env bash
# TikTok upload benchmark (issue: streaming chunk uploader). In one run, on this machine:
#   - throughput: a 1 GiB file uploaded to huntaze-sandbox's TikTok upload URL by the
#     product's own uploader (TikTokUploader, chunks from ChunkPlan::forSize), and the
#     reference: curl sending the very same chunks (cut beforehand) to an upload of its
#     own at the same endpoint, one PUT per chunk on one kept-alive connection;
#   - each client alone: both again against a null sink (bench/nullsink.py) that reads
#     and answers but stores and hashes nothing, to tell the client's cost from the
#     server's;
#   - peak memory (max RSS, /usr/bin/time -v) of the uploader for a 256 MiB and a 2 GiB
#     file (sparse, made with truncate: the content is not checked, the reads are real).
# Prints figures beside the reference; never a pass/fail test (exit 1 only when an upload
# fails). BENCH_UPLOAD_CHUNK sets the preferred chunk size (default: the product's).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/release
if [[ -z ${BENCH_BUILT:-} ]]; then # bench/run.sh has installed and built everything
  bash "$root/scripts/install-deps.sh" "$root/scripts/debian-packages.txt" \
    "$root/bench/debian-packages.txt"
  bash "$root/scripts/build.sh" release huntaze-uploadbench huntaze-sandbox
fi
bench=$build/bin/huntaze-uploadbench
chunk=${BENCH_UPLOAD_CHUNK:-10000000}
gib=$((1024 * 1024 * 1024))

mkdir -p "$build"
work=$(mktemp -d "$build/bench-upload.XXXXXX") # same disk as the build
sandbox_pid=""
sink_pid=""
cleanup() {
  [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  [[ -n $sink_pid ]] && kill "$sink_pid" 2>/dev/null && wait "$sink_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1 GiB file + its chunk files + what the sandbox stores of one upload (at most 2 GiB).
need_kib=$((5 * 1024 * 1024))
avail_kib=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
if ((avail_kib < need_kib)); then
  echo "upload benchmark: needs 5 GiB free under $build, has $((avail_kib / 1024)) MiB" >&2
  exit 1
fi

field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
drop_stored_uploads() { rm -f "$work/state/uploads/"*.bin; } # the sandbox's copies

# --- the sandbox ----------------------------------------------------------------------
"$build/bin/huntaze-sandbox" --listen 127.0.0.1:0 --state-dir "$work/state" \
  >"$work/sandbox.out" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do [[ -s $work/sandbox.out ]] && break; sleep 0.1; done
base=$(field "$(head -n1 "$work/sandbox.out")" base_url)

# --- the 1 GiB file and, for curl, its chunks (before any timing) ---------------------------
video=$work/video-1g.mp4
head -c "$gib" /dev/urandom >"$video"
# curl's upload: same size, same plan (ChunkPlan::forSize), another test user.
init=$("$bench" --sandbox "$base" --user tt-erin --file "$video" --chunk-size "$chunk" --init-only)
curl_url=$(field "$init" upload_url)
chunk_size=$(field "$init" chunk_size)
chunks=$(field "$init" chunks)
mkdir "$work/chunks"
split -b "$chunk_size" -a 4 -d "$video" "$work/chunks/"
pieces=("$work/chunks/"*)
if ((${#pieces[@]} > chunks)); then # the remainder joins the last chunk
  cat "${pieces[-1]}" >>"${pieces[-2]}"
  rm "${pieces[-1]}"
  unset 'pieces[-1]'
fi
# One curl process, one connection: a config file with one transfer per chunk, separated
# by "next". upload-file streams each chunk file (as the uploader streams the video);
# "Expect:" drops curl's Expect: 100-continue, which the uploader does not send either and
# which would make curl wait 1 s per chunk for a 100 the server never sends.
curl_config() { # URL -> config on stdout
  local first=0 i length
  for ((i = 0; i < chunks; i++)); do
    length=$(stat -c %s "${pieces[i]}")
    ((i > 0)) && echo next
    printf 'url = "%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$1" "${pieces[i]}"
    printf 'header = "Content-Type: video/mp4"\nheader = "Expect:"\n'
    printf 'header = "Content-Range: bytes %d-%d/%d"\n' "$first" $((first + length - 1)) "$gib"
    printf 'write-out = "%%{http_code} %%{num_connects}\\n"\n'
    first=$((first + length))
  done
}
run_curl() { # URL -> {"seconds", "answers", "connections"}
  curl_config "$1" >"$work/curl.cfg"
  local start=$EPOCHREALTIME
  curl -sS --config "$work/curl.cfg" >"$work/curl.out"
  local end=$EPOCHREALTIME
  python3 - "$start" "$end" "$work/curl.out" <<'PY'
import collections, json, sys
lines = [line.split() for line in open(sys.argv[3]) if line.strip()]
statuses = collections.Counter(status for status, _ in lines)
print(json.dumps({"seconds": float(sys.argv[2]) - float(sys.argv[1]),
                  "answers": ", ".join(f"{n} x {s}" for s, n in sorted(statuses.items())),
                  "connections": sum(int(connects) for _, connects in lines)}))
PY
}

# --- throughput against the sandbox: uploader, then curl --------------------------------
uploader=$("$bench" --sandbox "$base" --user tt-frank --file "$video" --chunk-size "$chunk")
drop_stored_uploads
curl_sandbox=$(run_curl "$curl_url")
drop_stored_uploads

# --- each client alone, against the null sink -------------------------------------------
python3 "$root/bench/nullsink.py" >"$work/sink.port" &
sink_pid=$!
for _ in $(seq 1 100); do [[ -s $work/sink.port ]] && break; sleep 0.1; done
sink_url=http://127.0.0.1:$(head -n1 "$work/sink.port")/tiktok/upload/null
uploader_sink=$("$bench" --upload-url "$sink_url" --file "$video" --chunk-size "$chunk")
curl_sink=$(run_curl "$sink_url")
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true; sink_pid=""
rm -rf "$video" "$work/chunks"

# --- peak memory: 256 MiB and 2 GiB -------------------------------------------------------
peak_rss_kib() { # FILE USER -> max RSS in KiB of one whole uploader run (sign-in included)
  /usr/bin/time -v -o "$work/time.txt" "$bench" --sandbox "$base" --user "$2" --file "$1" \
    --chunk-size "$chunk" >"$work/memory-run.json"
  drop_stored_uploads
  sed -nE 's/^\s*Maximum resident set size \(kbytes\): ([0-9]+)/\1/p' "$work/time.txt"
}
truncate -s $((256 * 1024 * 1024)) "$work/video-256m.mp4"
rss_small=$(peak_rss_kib "$work/video-256m.mp4" tt-dave)
rm "$work/video-256m.mp4"
truncate -s $((2 * gib)) "$work/video-2g.mp4"
rss_large=$(peak_rss_kib "$work/video-2g.mp4" tt-alice)
large_run=$(cat "$work/memory-run.json")
rm "$work/video-2g.mp4"

python3 - "$uploader" "$curl_sandbox" "$uploader_sink" "$curl_sink" "$rss_small" "$rss_large" \
  "$large_run" "$gib" <<'PY'
import json, sys
up, cs, us, ks = (json.loads(a) for a in sys.argv[1:5])
rss_small, rss_large = int(sys.argv[5]), int(sys.argv[6])
large, size = json.loads(sys.argv[7]), int(sys.argv[8])
mb = lambda seconds: size / seconds / 1e6
print(f"TikTok upload, 1 GiB in {up['chunks']} chunks of {up['chunk_size']} bytes, "
      f"huntaze-sandbox on 127.0.0.1, 2 cores shared by everything (MB = 10^6 bytes)")
print(f"{'':44}{'MB/s':>8}{'seconds':>10}")
print(f"{'TikTokUploader -> sandbox':44}{up['mb_per_s']:>8.1f}{up['seconds']:>10.2f}")
print(f"{'curl, same chunks -> sandbox':44}{mb(cs['seconds']):>8.1f}{cs['seconds']:>10.2f}"
      f"   ({cs['answers']}, {cs['connections']} connection(s))")
print(f"uploader / curl = {up['mb_per_s'] / mb(cs['seconds']):.2f} (target >= 0.90)")
# Against the sink, "waiting" (last byte handed to the socket -> answer) is per-chunk
# overhead: the sink has nothing to do once the bytes are there.
print(f"{'TikTokUploader -> null sink (client alone)':44}{us['mb_per_s']:>8.1f}{us['seconds']:>10.2f}"
      f"   (waiting for answers {us['waiting_seconds']:.2f} s = "
      f"{us['waiting_seconds'] * 1000 / us['chunks']:.0f} ms per chunk)")
print(f"{'curl -> null sink (client alone)':44}{mb(ks['seconds']):>8.1f}{ks['seconds']:>10.2f}"
      f"   ({ks['answers']}, {ks['connections']} connection(s))")
print(f"uploader peak memory (max RSS): 256 MiB file {rss_small / 1024:.1f} MiB, "
      f"2 GiB file {rss_large / 1024:.1f} MiB ({large['mb_per_s']:.1f} MB/s), "
      f"difference {(rss_large - rss_small) / 1024:+.1f} MiB (target: no growth with the file)")
PY
