#!/usr/bin/env bash
# Runs the issue-7 target scenarios three times each (separate processes) and prints the median of every figure.
# Usage: bench/Load/run-targets.sh [out-dir, default $TMPDIR/openclaw-load-results]   (Redis at 127.0.0.1:6390; about 15 minutes on 2 cores)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-${TMPDIR:-/tmp}/openclaw-load-results}"
mkdir -p "$out"
dotnet build -c Release "$here/Load.csproj" -v q -nologo >/dev/null
load="dotnet $here/bin/Release/net10.0/OpenClaw.Channels.Bench.Load.dll"
w="${WARMUP:-20}"   # seconds of load before the measured window (JIT tiering, pools, connections)
d="${DURATION:-20}" # measured seconds
for i in 1 2 3; do
  $load --label ack-1000     --chats 1000 --rate 1000 --warmup-seconds "$w" --duration "$d" --json "$out/ack-1000-$i.json" >/dev/null 2>&1 || true
  $load --label max-redis    --chats 1000 --rate max  --warmup-seconds 10 --duration 10 --json "$out/max-redis-$i.json" >/dev/null 2>&1 || true
  $load --label overhead-500 --chats 1000 --rate 500  --warmup-seconds "$w" --duration "$d" --json "$out/overhead-500-$i.json" >/dev/null 2>&1 || true
  $load --label max-embedded --chats 1000 --rate max  --warmup-seconds 10 --duration 10 --redis none --json "$out/max-embedded-$i.json" >/dev/null 2>&1 || true
done
if [ "${MEMORY:-1}" = "1" ]; then
  $load --label memory-200k --chats 1000 --rate max --warmup-seconds 0 --messages 200000 --rss-sample-at 20000 --json "$out/memory-200k-1.json" >/dev/null 2>&1 || true
fi
python3 "$here/median.py" "$out"
