#!/usr/bin/env bash
# Load and soak test of the real service on the embedded store (issue 9).
#
#   bench/load/run.sh              # burst + 10-minute soak
#   SOAK=120 bench/load/run.sh     # a shorter soak
#   KEEP_LOG=/tmp/load.log bench/load/run.sh   # keep the service's log
#
# 1. Seeds a commune through the HTTP API: 30 stations, each with a station
#    token, and approved scripts read at 06:00 and 17:30 on every station.
# 2. Morning burst: every station pulls its rundown at once (wrk, 30
#    connections, one per station token rotated by a Lua script), then the
#    calendar and the reach dashboard under 8 connections each.
# 3. Soak: a moderate mixed load (rundowns, calendar, dashboard) for $SOAK
#    seconds; reports errors and the service's RSS at start and end, and
#    fails (exit 1) on any server error or 5xx answer.
# Loopback only; every loop is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
SOAK=${SOAK:-600}
PORT=${PORT:-18399}
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
PID= SAMPLER=
# On exit: stop the service and wait for it (its log is flushed on the way
# out), keep the log if KEEP_LOG=FILE, remove the scratch folder.
cleanup() {
  if [ -n "$SAMPLER" ]; then kill "$SAMPLER" 2>/dev/null || true; fi
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [ -n "${KEEP_LOG:-}" ] && [ -f "$WORK/log" ]; then cp "$WORK/log" "$KEEP_LOG"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

go build -o "$WORK/lantoa" .
LANTOA_OUTBOX=1 LANTOA_ADMIN_PASSWORD=load-test-password LANTOA_ADDR=127.0.0.1:$PORT LANTOA_DATA="$WORK/data" \
  "$WORK/lantoa" serve >"$WORK/log" 2>&1 &
PID=$!
for i in $(seq 100); do
  curl -sf "$BASE/readyz" >/dev/null && break
  [ "$i" = 100 ] && { echo "the service did not start; its log:" >&2; tail -20 "$WORK/log" >&2; exit 1; }
  sleep 0.1
done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
call() { # method path token [body]
  curl -sf -X "$1" "$BASE$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}
}
ADMIN=$(curl -sf -XPOST "$BASE/api/v1/auth/login" -d '{"username":"admin","password":"load-test-password"}' | json '["token"]')
for role in editor manager; do
  call POST /api/v1/users "$ADMIN" "{\"username\":\"$role\",\"password\":\"load-test-password\",\"role\":\"$role\"}" >/dev/null
done
ED=$(curl -sf -XPOST "$BASE/api/v1/auth/login" -d '{"username":"editor","password":"load-test-password"}' | json '["token"]')
MGR=$(curl -sf -XPOST "$BASE/api/v1/auth/login" -d '{"username":"manager","password":"load-test-password"}' | json '["token"]')

echo "seeding 30 stations with tokens and scripts…"
: >"$WORK/tokens"
STATIONS=()
for i in $(seq 30); do
  id=$(call POST /api/v1/stations "$ADMIN" "{\"name\":\"Cụm loa số $i\",\"village\":\"Thôn $((i % 10 + 1))\",\"households\":$((100 + i))}" | json '["id"]')
  STATIONS+=("$id")
  tok=$(call POST "/api/v1/stations/$id/token" "$ADMIN" | json '["token"]')
  echo "$id $tok" >>"$WORK/tokens"
done
TODAY=$(TZ=Asia/Ho_Chi_Minh date +%F)
TO=$(TZ=Asia/Ho_Chi_Minh date -d "+6 days" +%F)
CAMP=$(call GET "/api/v1/campaigns?year=$(date +%Y)" "$ED" | json '[-2]["id"]')
IDS=$(printf '"%s",' "${STATIONS[@]}"); IDS="[${IDS%,}]"
for n in 1 2 3; do
  item=$(call POST /api/v1/items "$ED" "{\"campaign_id\":\"$CAMP\",\"kind\":\"script\",\"title\":\"Bài phát thanh số $n\",
    \"body\":\"Bạo lực gia đình là hành vi vi phạm pháp luật. Khi thấy bạo lực, hãy gọi đường dây nóng 111 hoặc báo Công an xã. $(printf 'Mỗi người dân hãy lên tiếng. %.0s' $(seq 20))\",
    \"channels\":[\"loudspeaker\"],\"station_ids\":$IDS,
    \"schedule\":{\"times\":[\"06:00\",\"17:30\"],\"from\":\"$TODAY\",\"to\":\"$TO\"}}" | json '["id"]')
  call POST "/api/v1/items/$item/submit" "$ED" >/dev/null
  call POST "/api/v1/items/$item/approve" "$MGR" >/dev/null
done

cat >"$WORK/rundowns.lua" <<EOF
local lines = {}
for line in io.lines("$WORK/tokens") do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i % #lines + 1
  local id, tok = lines[i]:match("(%S+) (%S+)")
  return wrk.format("GET", "/api/v1/stations/" .. id .. "/rundown?date=$TODAY", {["Authorization"] = "Bearer " .. tok})
end
EOF
cat >"$WORK/mixed.lua" <<EOF
local lines = {}
for line in io.lines("$WORK/tokens") do lines[#lines + 1] = line end
local i = 0
request = function()
  i = i + 1
  local k = i % 10
  if k < 6 then
    local id, tok = lines[i % #lines + 1]:match("(%S+) (%S+)")
    return wrk.format("GET", "/api/v1/stations/" .. id .. "/rundown?date=$TODAY", {["Authorization"] = "Bearer " .. tok})
  elseif k < 8 then
    return wrk.format("GET", "/api/v1/calendar?from=$TODAY&to=$TO", {["Authorization"] = "Bearer $ED"})
  end
  return wrk.format("GET", "/api/v1/reach/summary?campaign=$CAMP", {["Authorization"] = "Bearer $MGR"})
end
EOF
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$PID/status; }

echo; echo "== morning burst: every station pulls its rundown at once (30 connections, 15 s)"
# The first pull of each station's day builds its rundown (30 builds, one
# store connection); the cold run shows that start, the warm run the rest.
wrk -t2 -c30 -d15s --latency -s "$WORK/rundowns.lua" "$BASE" >"$WORK/burst-cold"
grep -E "Latency  |Requests/sec|Non-2xx|Socket errors| 99%| 50%" "$WORK/burst-cold" | sed 's/^/  cold: /'
wrk -t2 -c30 -d15s --latency -s "$WORK/rundowns.lua" "$BASE" >"$WORK/burst-warm"
grep -E "Latency  |Requests/sec|Non-2xx|Socket errors| 99%| 50%" "$WORK/burst-warm" | sed 's/^/  warm: /'
echo; echo "== calendar, 8 connections, 10 s"
wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $ED" "$BASE/api/v1/calendar?from=$TODAY&to=$TO" | grep -E "Requests/sec|Non-2xx|Socket errors| 99%| 50%"
echo; echo "== reach dashboard, 8 connections, 10 s"
wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $MGR" "$BASE/api/v1/reach/summary?campaign=$CAMP" | grep -E "Requests/sec|Non-2xx|Socket errors| 99%| 50%"

if [ "$SOAK" -gt 0 ]; then
  echo; echo "== soak: mixed moderate load (2 connections) for ${SOAK}s"
  echo "RSS at start: $(rss)"
  # RSS once a minute while the soak runs, to see whether memory is flat.
  ( for _ in $(seq $((SOAK / 60))); do sleep 60; echo "  RSS after $((SECONDS))s of the run: $(rss)"; done ) &
  SAMPLER=$!
  wrk -t1 -c2 -d"${SOAK}s" --latency -s "$WORK/mixed.lua" "$BASE" | grep -E "requests in|Requests/sec|Non-2xx|Socket errors| 99%| 50%"
  kill $SAMPLER 2>/dev/null || true
  echo "RSS at end:   $(rss)"
fi
ERRORS=$(grep -c '"level":"ERROR"' "$WORK/log" || true)
FIVEXX=$(grep -cE '"status":5[0-9][0-9]' "$WORK/log" || true)
echo "server errors logged: $ERRORS"
echo "answers with a 5xx status: $FIVEXX"
grep -E '"level":"ERROR"|"status":5[0-9][0-9]' "$WORK/log" | head -5 || true   # the first few, to read before the log is removed
grep -c '"status":499' "$WORK/log" | sed 's/^/requests abandoned by wrk stopping (logged as 499): /' || true
# The run fails on any server error or 5xx answer (issue 13): under this
# load, the service must answer everything it is asked.
if [ "$ERRORS" -gt 0 ] || [ "$FIVEXX" -gt 0 ]; then
  echo "FAIL: $ERRORS server errors and $FIVEXX 5xx answers" >&2
  exit 1
fi
