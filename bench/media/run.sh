#!/usr/bin/env bash
# Benchmark of the leaflet renderer (package media) against its peers.
#
# One 12-megapixel photo-like JPEG (the one BenchmarkRenderAll uses) is
# turned into the five variant sizes by:
#   ours          bench/media/render: one process decodes once and renders
#                 the five leaflets (photo + text + QR code), in parallel
#   vipsthumbnail five invocations, one per size, centre crop, Q=90
#   imagemagick   one convert/magick invocation, decoded once, five cropped
#                 resizes, quality 90
# The peers only resize and crop; ours also lays out and draws the text.
# Wall time is measured with hyperfine when installed (else a plain loop) in
# ROUNDS rounds, each timing all three tools, so that load from other work
# on a shared machine hits them alike; the report gives the median over
# rounds, the ratios ours/peer per round and their median, and the peak
# resident memory of each tool (GNU time). Goal: ours/vips <= 1.5.
#
# Environment: RUNS (timed runs per tool per round, default 5), ROUNDS
# (default 3), TEMPLATE (leaflet template for ours, default photo-top),
# WORK (scratch directory), PHOTO (reuse another JPEG), HYPERFINE (path to
# hyperfine; set it empty to use the plain loop).
set -euo pipefail

cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
ROUNDS=${ROUNDS:-3}
TEMPLATE=${TEMPLATE:-photo-top}
HYPERFINE=${HYPERFINE-$(command -v hyperfine || true)}
WORK=${WORK:-${TMPDIR:-/tmp}/lantoa-bench-media}
PHOTO=${PHOTO:-$WORK/photo-12mp.jpg}
SIZES="2480x3508 1748x2480 1080x1350 1280x720 320x400"
mkdir -p "$WORK/out/ours" "$WORK/out/vips" "$WORK/out/imagemagick"

if [ ! -s "$PHOTO" ]; then
	echo "generating $PHOTO (4000x3000)"
	go run ./bench/media/render -gen "$PHOTO" -size 4000x3000
fi
go build -o "$WORK/render" ./bench/media/render

# Each tool is a small script so that hyperfine, the fallback loop and
# GNU time all run exactly the same thing.
tools=(ours)
printf 'exec %q -in %q -out %q -template %q\n' "$WORK/render" "$PHOTO" "$WORK/out/ours" "$TEMPLATE" >"$WORK/ours.sh"
if command -v vipsthumbnail >/dev/null; then
	tools+=(vips)
	{
		for s in $SIZES; do
			printf 'vipsthumbnail %q --size %s --smartcrop centre -o %q\n' "$PHOTO" "$s" "$WORK/out/vips/$s.jpg[Q=90,strip]"
		done
	} >"$WORK/vips.sh"
else
	echo "vipsthumbnail not found (Debian package libvips-tools): skipped"
fi
IM=$(command -v magick || command -v convert || true)
if [ -n "$IM" ]; then
	tools+=(imagemagick)
	{
		printf '%q %q' "$IM" "$PHOTO"
		for s in $SIZES; do
			printf ' \\( +clone -resize %s^ -gravity center -extent %s -strip -quality 90 -write %q +delete \\)' \
				"$s" "$s" "$WORK/out/imagemagick/$s.jpg"
		done
		printf ' null:\n'
	} >"$WORK/imagemagick.sh"
else
	echo "ImageMagick (magick or convert) not found: skipped"
fi

# time_round appends "tool seconds" lines (mean wall time of RUNS runs).
time_round() {
	if [ -n "$HYPERFINE" ]; then
		local args=()
		for t in "${tools[@]}"; do args+=(-n "$t" "bash $WORK/$t.sh"); done
		"$HYPERFINE" -N --style basic --warmup 1 --runs "$RUNS" --export-csv "$WORK/round.csv" "${args[@]}" >&2
		awk -F, 'NR > 1 { print $1, $2 }' "$WORK/round.csv"
	else
		for t in "${tools[@]}"; do
			bash "$WORK/$t.sh"
			local start end
			start=$(date +%s%N)
			for _ in $(seq "$RUNS"); do bash "$WORK/$t.sh"; done
			end=$(date +%s%N)
			echo "$t $(awk -v d=$((end - start)) -v n="$RUNS" 'BEGIN { printf "%.6f", d / n / 1e9 }')"
		done
	fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$WORK/times.txt"
for round in $(seq "$ROUNDS"); do
	echo "round $round of $ROUNDS" >&2
	time_round | sed "s/^/$round /" >>"$WORK/times.txt"
done

rss_mb() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' -o "$WORK/rss.txt" bash "$WORK/$1.sh" && awk '{ printf "%.0f MB", $1 / 1024 }' "$WORK/rss.txt"
	else
		echo "n/a (no GNU time)"
	fi
}

echo
echo "Results: $PHOTO, template $TEMPLATE, $ROUNDS rounds x $RUNS runs, $(nproc) CPUs"
printf '%-14s %-12s %-28s %s\n' tool "wall (s)" "per round (s)" "peak RSS"
for t in "${tools[@]}"; do
	per=$(awk -v t="$t" '$2 == t { printf "%.3f ", $3 }' "$WORK/times.txt")
	med=$(awk -v t="$t" '$2 == t { print $3 }' "$WORK/times.txt" | median)
	printf '%-14s %-12.3f %-28s %s\n' "$t" "$med" "$per" "$(rss_mb "$t")"
done
for peer in vips imagemagick; do
	grep -q " $peer " "$WORK/times.txt" || continue
	ratios=$(awk -v p="$peer" '$2 == "ours" { o[$1] = $3 } $2 == p { q[$1] = $3 }
		END { for (r in o) if (r in q) printf "%.3f\n", o[r] / q[r] }' "$WORK/times.txt")
	printf 'ours/%-12s median %.2f  (rounds: %s)\n' "$peer" "$(echo "$ratios" | median)" "$(echo $ratios)"
done
echo "goal: ours/vips <= 1.5"

# Every tool must have produced the five sizes.
if command -v vipsheader >/dev/null; then
	for t in "${tools[@]}"; do
		echo "$t: $(for f in "$WORK/out/$t"/*.jpg; do vipsheader -f width "$f" | tr -d '\n'; printf x; vipsheader -f height "$f" | tr -d '\n'; printf ' '; done)"
	done
fi
