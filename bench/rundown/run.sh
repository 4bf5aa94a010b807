#!/usr/bin/env bash
# Benchmark of the loudspeaker rundown pull against nginx serving the same
# bytes as a static file.
#
# Starts the real service (go build; embedded store in a scratch folder),
# seeds through its HTTP API a station with a realistic day (two slots,
# three approved scripts in each) and a station token (bench/rundown/seed),
# then, in the same run and on the same machine, drives with wrk
#   ours   GET /api/v1/stations/:id/rundown?date=… with the station token
#          (authentication, the station scope check, the stamp check and the
#          cached JSON; every request is logged as a JSON line, as in
#          production), read and answered by the service's lane (api/lane.go)
#   nginx  the very same bytes as a static file (sendfile, no access log)
#   nginx+h the same nginx adding the header lines the service sends (taken
#          from its response: its security headers, Cache-Control, Vary,
#          request id; nginx writes its own ETag), so that the cost of those
#          lines to a server that writes them cheaply shows too
#   floor  the very same bytes from memory through Go's net/http alone (no
#          router, middleware, authentication or log: bench/rundown/floor),
#          what any Go handler of the rundown stands on
#   floor+h the floor dressed as the service: the same bytes with the header
#          lines the service sends (taken from its response) and its server
#          settings (api.HTTPServer), so that what is left between it and
#          ours is the service's own code
#   lane+h the dressed floor served through the service's lane instead of
#          net/http's connection loop, as ours is: what the lane stands on,
#          and what is left between it and ours is the service's own code
# and prints requests/s, p99 latency, errors and each one's ratio to nginx.
# Goal (issue 19): ours >= 0.6 × nginx's requests/s, p99 <= 10 ms, no errors.
#
# Everything listens on 127.0.0.1 only and is stopped on exit; the whole run
# is bounded (about ROUNDS × 6 × (DURATION + WARMUP) + start-up, about six
# minutes by default).
#
# Environment: DURATION (wrk run, default 20s), WARMUP (default 3s), ROUNDS
# (rounds of the six servers in turn, default 2),
# CONNECTIONS (default 64), THREADS (wrk threads, default 2), PORT_OURS
# (default 18080), PORT_NGINX (default 18081), PORT_FLOOR (default 18082),
# PORT_DRESSED (default 18083), PORT_NGINX_H (default 18084), PORT_LANE
# (default 18085), WORK (scratch directory).
set -euo pipefail

cd "$(dirname "$0")/../.."
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
PORT_OURS=${PORT_OURS:-18080}
PORT_NGINX=${PORT_NGINX:-18081}
PORT_FLOOR=${PORT_FLOOR:-18082}
PORT_DRESSED=${PORT_DRESSED:-18083}
PORT_NGINX_H=${PORT_NGINX_H:-18084}
PORT_LANE=${PORT_LANE:-18085}
WORK=${WORK:-${TMPDIR:-/tmp}/lantoa-bench-rundown}
PASSWORD=bench-password-123

need() { # need COMMAND DEBIAN-PACKAGE
	command -v "$1" >/dev/null && return
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing $2"
		timeout 300 apt-get install -y -q "$2" >/dev/null || { timeout 300 apt-get update -q >/dev/null && timeout 300 apt-get install -y -q "$2" >/dev/null; }
	fi
	command -v "$1" >/dev/null || { echo "$1 not found: install the Debian package $2" >&2; exit 1; }
}
need wrk wrk
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { need nginx nginx; NGINX=$(command -v nginx || echo /usr/sbin/nginx); }

rm -rf "$WORK"
mkdir -p "$WORK/data" "$WORK/nginx/www" "$WORK/nginx/tmp"
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/www"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

echo "building"
go build -o "$WORK/lantoa" .
go build -o "$WORK/seed" ./bench/rundown/seed
go build -o "$WORK/floor" ./bench/rundown/floor

# up WHAT URL TRIES PAUSE LOG: wait until URL answers, or fail naming the log.
up() {
	for i in $(seq 1 "$3"); do
		curl -fsS "$2" >/dev/null 2>&1 && return
		sleep "$4"
	done
	echo "$1 did not start; see $5" >&2
	exit 1
}

LANTOA_OUTBOX=1 LANTOA_ADDR=127.0.0.1:$PORT_OURS LANTOA_DATA=$WORK/data LANTOA_ADMIN_PASSWORD=$PASSWORD \
	LANTOA_BASE_URL=http://127.0.0.1:$PORT_OURS "$WORK/lantoa" serve >"$WORK/lantoa.out" 2>"$WORK/lantoa.log" &
pids+=($!)
up "the service" "http://127.0.0.1:$PORT_OURS/readyz" 120 0.5 "$WORK/lantoa.log"

echo "seeding: a station, 2 slots × 3 approved scripts, a station token"
eval "$(timeout 120 "$WORK/seed" -base "http://127.0.0.1:$PORT_OURS" -password "$PASSWORD" -out "$WORK/nginx/www/rundown.json")"
chmod 644 "$WORK/nginx/www/rundown.json"
OURS_URL="http://127.0.0.1:$PORT_OURS$RUNDOWN_PATH"
curl -fsS -D "$WORK/ours.headers" -H "Authorization: Bearer $TOKEN" "$OURS_URL" >"$WORK/ours.body"
# The service's header lines as nginx's add_header (its own Date, Content-*
# and ETag left to it).
ADD_HEADERS=$(awk -F': ' 'NR > 1 && NF > 1 { sub(/\r$/, ""); k = tolower($1)
	if (k != "date" && k != "content-type" && k != "content-length" && k != "etag")
		printf "\t\tadd_header %s \"%s\";\n", $1, substr($0, length($1) + 3) }' "$WORK/ours.headers")

cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $WORK/nginx/tmp/body;
	proxy_temp_path $WORK/nginx/tmp/proxy;
	fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
	uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
	scgi_temp_path $WORK/nginx/tmp/scgi;
	sendfile on;
	tcp_nopush on;
	keepalive_timeout 65;
	keepalive_requests 10000000;
	default_type application/json;
	server {
		listen 127.0.0.1:$PORT_NGINX;
		root $WORK/nginx/www;
	}
	server {
		listen 127.0.0.1:$PORT_NGINX_H;
		root $WORK/nginx/www;
		charset utf-8;
		charset_types application/json;
$ADD_HEADERS
	}
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
up nginx "http://127.0.0.1:$PORT_NGINX/rundown.json" 40 0.25 "$WORK/nginx/error.log"

"$WORK/floor" -addr "127.0.0.1:$PORT_FLOOR" -file "$WORK/nginx/www/rundown.json" 2>"$WORK/floor.log" &
pids+=($!)
up "the floor server" "http://127.0.0.1:$PORT_FLOOR/" 40 0.25 "$WORK/floor.log"

FLOOR_URL="http://127.0.0.1:$PORT_FLOOR/"
DRESSED_URL="http://127.0.0.1:$PORT_DRESSED/"
NGINX_URL="http://127.0.0.1:$PORT_NGINX/rundown.json"
NGINX_H_URL="http://127.0.0.1:$PORT_NGINX_H/rundown.json"
"$WORK/floor" -addr "127.0.0.1:$PORT_DRESSED" -file "$WORK/nginx/www/rundown.json" -headers "$WORK/ours.headers" 2>"$WORK/floor+h.log" &
pids+=($!)
up "the dressed floor server" "$DRESSED_URL" 40 0.25 "$WORK/floor+h.log"
LANE_URL="http://127.0.0.1:$PORT_LANE$RUNDOWN_PATH"
"$WORK/floor" -addr "127.0.0.1:$PORT_LANE" -file "$WORK/nginx/www/rundown.json" -headers "$WORK/ours.headers" -lane 2>"$WORK/lane+h.log" &
pids+=($!)
up "the dressed floor server on the lane" "$LANE_URL" 40 0.25 "$WORK/lane+h.log"
curl -fsS -D "$WORK/lane+h.headers" "$LANE_URL" >"$WORK/lane+h.body"
curl -fsS "$NGINX_URL" >"$WORK/nginx.body"
curl -fsS "$FLOOR_URL" >"$WORK/floor.body"
curl -fsS -D "$WORK/floor+h.headers" "$DRESSED_URL" >"$WORK/floor+h.body"
curl -fsS -D "$WORK/nginx+h.headers" "$NGINX_H_URL" >"$WORK/nginx+h.body"
for s in nginx nginx+h floor floor+h lane+h; do
	cmp -s "$WORK/ours.body" "$WORK/$s.body" || { echo "$s does not serve the bytes the service serves" >&2; exit 1; }
done
# names: the header names a response carries, sorted, one line
names() { awk -F: 'NR > 1 && NF > 1 { print tolower($1) }' "$1" | sort | tr '\n' ' '; }
for s in floor+h lane+h; do
	[ "$(names "$WORK/ours.headers")" = "$(names "$WORK/$s.headers")" ] ||
		{ echo "$s does not send the service's headers: $(names "$WORK/$s.headers") / $(names "$WORK/ours.headers")" >&2; exit 1; }
done
for h in $(names "$WORK/ours.headers"); do
	grep -qi "^$h:" "$WORK/nginx+h.headers" || { echo "nginx+h does not send $h" >&2; exit 1; }
done
echo "headers: $(names "$WORK/ours.headers")"
echo "rundown: $BYTES bytes, 2 slots × 3 scripts"

# bench NAME URL [HEADER]: warm up, then run wrk and keep its report.
bench() {
	local name=$1 url=$2
	shift 2
	timeout 60 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
	echo "wrk $name: $CONNECTIONS connections, $DURATION"
	timeout 300 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$name.wrk"
}
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
# The servers, in the order of a round and of the table, and their addresses.
SERVERS=(ours nginx nginx+h floor floor+h lane+h)
declare -A URL=([ours]=$OURS_URL [nginx]=$NGINX_URL [nginx+h]=$NGINX_H_URL [floor]=$FLOOR_URL [floor+h]=$DRESSED_URL [lane+h]=$LANE_URL)
for round in $(seq 1 "$ROUNDS"); do
	for s in "${SERVERS[@]}"; do
		bench "$s-$round" "${URL[$s]}" -H "Authorization: Bearer $TOKEN"
	done
done

# rps FILE, p99 FILE (in ms), ratio A B (A / B, two decimals), errors FILE
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
p99() {
	awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000; printf "%.2f", v }' "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
errors() {
	awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"
}
# The rounds alternate the six servers so that load from other work on a
# shared machine hits all alike; the verdict takes the median round (by
# ours/nginx; with two rounds, the better one). A line of $WORK/rounds is
# that ratio, then requests/s, p99, errors and ratio to nginx of each
# server in the order of SERVERS.
echo
printf '%-6s %-8s %12s %10s %8s %8s\n' round server 'requests/s' 'p99 (ms)' errors ratio
: >"$WORK/rounds"
for round in $(seq 1 "$ROUNDS"); do
	rn=$(rps "$WORK/nginx-$round.wrk") line=
	for s in "${SERVERS[@]}"; do
		f="$WORK/$s-$round.wrk"
		r=$(rps "$f") p=$(p99 "$f") e=$(errors "$f") q=$(ratio "$r" "$rn")
		printf '%-6s %-8s %12s %10s %8s %8s\n' "$round" "$s" "$r" "$p" "$e" "$([ "$s" = nginx ] || echo "$q")"
		line="$line $r $p $e $q"
	done
	echo "$(ratio "$(rps "$WORK/ours-$round.wrk")" "$rn")$line" >>"$WORK/rounds"
done
MEDIAN=$(sort -n "$WORK/rounds" | awk -v n="$ROUNDS" 'NR == int(n / 2) + 1')
# col SERVER N: the column in $WORK/rounds of SERVER's Nth figure (1
# requests/s, 2 p99, 3 errors, 4 ratio to nginx); at SERVER N: that figure
# in the median round.
col() {
	local i
	for i in "${!SERVERS[@]}"; do
		[ "${SERVERS[$i]}" != "$1" ] || { echo $((1 + 4 * i + $2)); return; }
	done
	echo "no server $1" >&2
	exit 1
}
at() { echo "$MEDIAN" | awk -v f="$(col "$1" "$2")" '{ print $f }'; }
RATIO=$(at ours 4) R_OURS=$(at ours 1) P_OURS=$(at ours 2)
E_OURS=$(awk -v f="$(col ours 3)" '{ n += $f } END { print n + 0 }' "$WORK/rounds")
echo "median round: ours $R_OURS requests/s (p99 $P_OURS ms), nginx $(at nginx 1) requests/s (p99 $(at nginx 2) ms)"
echo "ratio ours/nginx (requests/s): $RATIO"
echo "nginx adding the service's header lines in that round: $(at nginx+h 1) requests/s (p99 $(at nginx+h 2) ms), ratio nginx+h/nginx $(at nginx+h 4), ours/nginx+h $(ratio "$R_OURS" "$(at nginx+h 1)")"
echo "the floor (net/http alone): $(at floor 1) requests/s (p99 $(at floor 2) ms), ratio floor/nginx $(at floor 4), ours/floor $(ratio "$R_OURS" "$(at floor 1)")"
echo "the floor dressed as the service (its headers and server settings): $(at floor+h 1) requests/s (p99 $(at floor+h 2) ms), ratio floor+h/nginx $(at floor+h 4), ours/floor+h $(ratio "$R_OURS" "$(at floor+h 1)")"
echo "the dressed floor on the service's lane: $(at lane+h 1) requests/s (p99 $(at lane+h 2) ms), ratio lane+h/nginx $(at lane+h 4), ours/lane+h $(ratio "$R_OURS" "$(at lane+h 1)")"
ok=yes
awk -v r="$RATIO" 'BEGIN { exit !(r >= 0.6) }' || { echo "goal missed: ratio $RATIO < 0.6"; ok=no; }
awk -v p="$P_OURS" 'BEGIN { exit !(p <= 10) }' || { echo "goal missed: p99 $P_OURS ms > 10 ms"; ok=no; }
[ "$E_OURS" = 0 ] || { echo "goal missed: $E_OURS errors"; ok=no; }
echo "goals (ratio >= 0.6, p99 <= 10 ms, no errors): $([ $ok = yes ] && echo met || echo NOT met)"
echo "wrk reports: $WORK/<server>-<round>.wrk"
