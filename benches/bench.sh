#!/usr/bin/env bash
# Benchmark: Brief building all three editions of an N-section profile
# (default 10,000) against Hugo building one site of the same text, plus
# search index size and build time, and query time in headless Chromium.
#
#   benches/bench.sh [N] [WORKDIR]
#
# Needs: python3, hugo (apt-get install hugo), /usr/bin/time, node + npm ci
# and chromium for the query timing. BENCH_HUGO_NAV=1 also times Hugo with the
# corpus generator's default layout (a nav listing every page: O(n^2), slow).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10000}"
work="${2:-/tmp/brief-bench}"
gen="$here/../shared/bench/gen_corpus.py"
runs="${BENCH_RUNS:-3}"

rm -rf "$work" && mkdir -p "$work"
python3 "$gen" "$work/brief" "$n" --hugo "$work/hugo-nonav" --no-nav >/dev/null
[ "${BENCH_HUGO_NAV:-0}" = 1 ] && python3 "$gen" "$work/brief-nav" "$n" --hugo "$work/hugo-nav" >/dev/null
(cd "$here" && cargo build --release --quiet)
brief="$here/target/release/brief"

measure() { # label, dir, command...: best wall time (and its peak memory) of $runs clean runs
  local label="$1" dir="$2"; shift 2
  local best="" mem="" t m
  for _ in $(seq "$runs"); do
    rm -rf "$dir/public" "$dir/reports"
    (cd "$dir" && /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>&1)
    read -r t m < "$work/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf "%-44s %8.2f s  %7.0f MB peak\n" "$label" "$best" "$(awk "BEGIN{print $mem/1024}")"
}

echo "== $n sections, $(nproc) cores, best of $runs clean builds"
measure "brief build (3 editions)" "$work/brief" "$brief" build
measure "hugo (1 site, layout without nav)" "$work/hugo-nonav" hugo --quiet
[ "${BENCH_HUGO_NAV:-0}" = 1 ] && measure "hugo (1 site, generator's nav layout)" "$work/hugo-nav" hugo --quiet

echo "== steps of one brief build"
(cd "$work/brief" && rm -rf public reports && BRIEF_TIMINGS=1 "$brief" build 2>&1 | grep -E "^ +[a-z].*: [0-9]" || true)

echo "== search index (all files under search/ but the page)"
for e in partnership elected-members bordering-forces; do
  dir="$work/brief/public/$e/search"
  bytes=$(find "$dir" -name '*.js' -printf '%s\n' | awk '{s+=$1} END {print s}')
  files=$(find "$dir" -name '*.js' | wc -l)
  root=$(stat -c %s "$dir/index.js")
  sections=$(find "$work/brief/public/$e/sections" -name '*.html' | wc -l)
  printf "%-20s %10d bytes in %6d files (root %7d) for %6d sections = %8.0f bytes per 1,000 sections\n" "$e" "$bytes" "$files" "$root" "$sections" "$(awk "BEGIN{print $bytes*1000/$sections}")"
done
echo "== search index build alone (median of 5, no pages rendered or written)"
(cd "$here" && cargo run --release --quiet --example search_index_time -- "$work/brief" 5)

if command -v node >/dev/null && [ -d "$here/node_modules/puppeteer-core" ] && [ -x /usr/bin/chromium ]; then
  echo "== search in Chromium (partnership edition): bytes loaded and query times"
  node "$here/benches/search_query.mjs" "$work/brief/public/partnership"
fi
