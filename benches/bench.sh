#!/usr/bin/env bash
# Benchmark: Brief building all three editions of an N-section profile against
# Hugo building one site of the same text, search payload against Pagefind
# run over Hugo's output, a realistic 200-section profile, and the preview's
# one-section rebuild. Ends with one Markdown table for the README.
#
#   benches/bench.sh [--install] [--keep] [N]        (N defaults to 10000)
#
# Needs, and with --install (or BENCH_INSTALL=1) installs when missing, saying so:
#   hugo              apt-get install -y hugo          (Debian's Hugo)
#   /usr/bin/time     apt-get install -y time          (GNU time: wall time, peak RSS)
#   node, npm         apt-get install -y nodejs npm
#   chromium          apt-get install -y chromium      (headless, for the search rows)
#   puppeteer-core    npm ci                           (the browser tests' tools, node_modules/)
#   pagefind          npm install --prefix benches/.tools pagefind@$PAGEFIND_VERSION
# and python3 and cargo, which it never installs. Without --install it installs
# nothing and stops with the list of what is missing.
#
# Environment: BENCH_RUNS (3: interleaved Brief/Hugo builds), BENCH_REALISTIC_RUNS
# (5), BENCH_EDITS (5: one-section edits in the preview), BENCH_WORK (a folder to
# use, missing or empty, instead of a fresh /tmp/brief-bench.XXXXXX; removed at the end
# unless --keep), BRIEF (a brief binary; default: cargo build --release),
# PAGEFIND (a pagefind binary), PAGEFIND_VERSION (1.6.0), BENCH_HUGO_NAV=1
# (also time Hugo, once, with a nav of every page on every page: quadratic).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

install="${BENCH_INSTALL:-0}"
keep=0
n=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=1 ;;
    --keep) keep=1 ;;
    -h | --help) usage; exit 0 ;;
    *[!0-9]* | "") echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    *) n="$1" ;;
  esac
  shift
done
[ "$n" -ge 2 ] || { echo "bench.sh: N must be at least 2" >&2; exit 2; }

here="$(cd "$(dirname "$0")/.." && pwd)"
gen="$here/benches/gen_corpus.py"
tools="$here/benches/.tools"
runs="${BENCH_RUNS:-3}"
rruns="${BENCH_REALISTIC_RUNS:-5}"
edits="${BENCH_EDITS:-5}"
pagefind_version="${PAGEFIND_VERSION:-1.6.0}"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench.sh: $*"; exit 1; }

# ------------------------------------------------------------ requirements

find_pagefind() {
  if [ -n "${PAGEFIND:-}" ]; then echo "$PAGEFIND"
  elif [ -x "$tools/node_modules/.bin/pagefind" ]; then echo "$tools/node_modules/.bin/pagefind"
  else command -v pagefind || true
  fi
}

for tool in python3 cargo; do
  if [ "$tool" = cargo ] && [ -n "${BRIEF:-}" ]; then continue; fi
  command -v "$tool" >/dev/null || die "needs $tool, which this script does not install"
done

apt_missing=()
command -v hugo >/dev/null || apt_missing+=(hugo)
[ -x /usr/bin/time ] && /usr/bin/time -f %e true >/dev/null 2>&1 || apt_missing+=(time)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || apt_missing+=(chromium)
need_npm_ci=0
[ -d "$here/node_modules/puppeteer-core" ] || need_npm_ci=1
need_pagefind=0
[ -n "$(find_pagefind)" ] || need_pagefind=1

plan=()
[ ${#apt_missing[@]} -gt 0 ] && plan+=("apt-get install -y ${apt_missing[*]}")
[ $need_npm_ci = 1 ] && plan+=("npm ci   (in $here: puppeteer-core, the browser tests' tools)")
[ $need_pagefind = 1 ] && plan+=("npm install --prefix benches/.tools pagefind@$pagefind_version")
if [ ${#plan[@]} -gt 0 ]; then
  if [ "$install" != 1 ]; then
    die "missing tools; rerun with --install (or BENCH_INSTALL=1) to run:$(printf '\n  %s' "${plan[@]}")"
  fi
  say "installing what is missing:$(printf '\n  %s' "${plan[@]}")"
  if [ ${#apt_missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "apt-get needs root; install ${apt_missing[*]} yourself"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
  fi
  if [ $need_npm_ci = 1 ]; then (cd "$here" && npm ci --no-audit --no-fund); fi
  if [ $need_pagefind = 1 ]; then
    npm install --prefix "$tools" --no-audit --no-fund "pagefind@$pagefind_version" >/dev/null
  fi
fi
pagefind="$(find_pagefind)"
[ -n "$pagefind" ] || die "pagefind still missing"

# ------------------------------------------------------------ work folder

if [ -n "${BENCH_WORK:-}" ]; then
  work="$BENCH_WORK"
  if [ -e "$work" ] && [ -n "$(ls -A "$work")" ]; then die "BENCH_WORK=$work is not empty; give a new or empty folder"; fi
  mkdir -p "$work"
else
  work="$(mktemp -d /tmp/brief-bench.XXXXXX)"
fi
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$keep" = 1 ]; then say "kept the work folder $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "${BRIEF:-}" ]; then
  brief="$BRIEF"
else
  say "building brief: cargo build --release"
  (cd "$here" && cargo build --release --quiet)
  brief="$(cd "$here" && cargo metadata --format-version 1 --no-deps 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/brief"
fi
[ -x "$brief" ] || die "no brief binary at $brief"

load() { cut -d' ' -f1 /proc/loadavg; }
load_start="$(load)"
date_utc="$(date -u +%Y-%m-%d)"
cores="$(nproc)"
cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
fs="$(df -T "$work" | awk 'NR==2 {print $2}')"
hugo_v="$(hugo version | sed -n 's/^hugo v\{0,1\}\([0-9][0-9.]*\).*/\1/p')"
pagefind_v="$("$pagefind" --version 2>/dev/null | awk '{print $NF}')"
commit="$(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
mb() { echo "$(commas "$(awk -v k="$1" 'BEGIN {printf "%.0f", k/1024}')") MB"; }
human() { awk -v b="$1" 'BEGIN {if (b >= 1048576) printf "%.1f MB", b/1048576; else printf "%.0f KB", b/1024}'; }
commas() { printf '%d' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }

# timed DIR LOG command...: runs the command in DIR, output to LOG; sets $t (s) and $m (KB peak RSS)
timed() {
  local dir="$1" log="$2"; shift 2
  if ! (cd "$dir" && /usr/bin/time -o "$work/time" -f "%e %M" "$@" >"$log" 2>&1); then
    say "failed: $*"; tail -n 30 "$log" >&2; exit 1
  fi
  read -r t m <"$work/time"
}

# ------------------------------------------------------------ corpora

say "== generating $n sections (uniform shape, Hugo layout without nav) and a realistic 200-section profile in $work"
python3 "$gen" "$work/brief" "$n" --hugo "$work/hugo" --no-nav >/dev/null
python3 "$gen" "$work/real" 200 --realistic --images >/dev/null
real_images=$(find "$work/real/content" -name '*.png' | wc -l)
long_lines=30000
python3 "$gen" "$work/long" 20 --long-section "$long_lines" --hugo "$work/hugo-long" --no-nav >/dev/null
[ "${BENCH_HUGO_NAV:-0}" = 1 ] && python3 "$gen" "$work/nav-brief" "$n" --hugo "$work/hugo-nav" >/dev/null

# ------------------------------------------------------------ builds, interleaved

bt=(); bm=(); ht=(); hm=(); pt=(); pm=()
# Every timed build writes into a folder no run has used, and no output is
# deleted until the script ends. This disk's ext4 has no journal, and then
# it passes over every inode deleted in the last minute (five while its
# inode table is unwritten) once per file it creates: deleting one run's
# output right before the next made each build, of either tool, pay for the
# files the one before had written, and runs grew twofold from first to last.
k=0
fresh() { k=$((k + 1)); out="$1/runs/$k"; }
brief_build() { rm -rf "$work/brief/reports"; fresh "$work/brief"; timed "$work/brief" "$work/brief.log" "$brief" build --out "$out"; bt+=("$t"); bm+=("$m"); }
hugo_build() { rm -rf "$work/hugo/resources"; fresh "$work/hugo"; hugo_out="$out"; timed "$work/hugo" "$work/hugo.log" hugo --quiet --destination "$hugo_out"; ht+=("$t"); hm+=("$m"); }
pagefind_index() { timed "$work" "$work/pagefind.log" "$pagefind" --site "$hugo_out"; pt+=("$t"); pm+=("$m"); }
say "== $runs interleaved runs: brief build (3 editions, fresh output) / hugo (1 site, fresh output) + pagefind over it"
for r in $(seq "$runs"); do
  if [ $((r % 2)) = 1 ]; then brief_build; hugo_build; else hugo_build; brief_build; fi
  pagefind_index
  say "   run $r: brief ${bt[-1]} s $(mb "${bm[-1]}") | hugo ${ht[-1]} s $(mb "${hm[-1]}") | pagefind ${pt[-1]} s $(mb "${pm[-1]}") | load $(load)"
done
mv "$hugo_out" "$work/hugo/public"
bt_med=$(median "${bt[@]}"); bm_med=$(median "${bm[@]}")
ht_med=$(median "${ht[@]}"); hm_med=$(median "${hm[@]}")
pt_med=$(median "${pt[@]}"); pm_med=$(median "${pm[@]}")

if [ "${BENCH_HUGO_NAV:-0}" = 1 ]; then
  say "== hugo once with the nav-of-every-page layout (quadratic in N)"
  timed "$work/hugo-nav" "$work/hugo-nav.log" hugo --quiet
  nav_t="$t"; nav_m="$m"
  say "   hugo (nav layout) $nav_t s $(mb "$nav_m")"
fi

say "== steps of one brief build (BRIEF_TIMINGS=1)"
rm -rf "$work/brief/reports"; fresh "$work/brief"
(cd "$work/brief" && BRIEF_TIMINGS=1 "$brief" build --out "$out" 2>&1 | grep -E '^ +[a-z].*: [0-9]' >&2 || true)
mv "$out" "$work/brief/public"

# ------------------------------------------------------------ search payload

editions=(partnership elected-members bordering-forces)
index_cells=()
for e in "${editions[@]}"; do
  dir="$work/brief/public/$e/search"
  [ -d "$dir" ] || die "no search folder in the $e edition ($dir)"
  bytes=0; gz=0; files=0
  while IFS= read -r -d '' f; do
    bytes=$((bytes + $(stat -c %s "$f"))); gz=$((gz + $(gzip -9c "$f" | wc -c))); files=$((files + 1))
  done < <(find "$dir" -type f ! -name '*.html' -print0)
  sections=$(find "$work/brief/public/$e/sections" -name '*.html' | wc -l)
  say "   brief index $e: $bytes bytes in $files file(s) (gzip -9: $gz) for $sections sections"
  cell="$e $(human "$bytes") (gzip $(human "$gz"))"
  if [ "$files" -gt 1 ]; then cell="$cell in $(commas "$files") files"; fi
  index_cells+=("$cell")
done
pf_bytes=$(du -sb "$work/hugo/public/pagefind" | cut -f1)
pf_files=$(find "$work/hugo/public/pagefind" -type f | wc -l)
say "   pagefind bundle: $pf_bytes bytes in $pf_files files"

server_pid=""
serve_dir() { # DIR: serve it on a free loopback port; sets $port
  local log="$work/http-$RANDOM.log"
  python3 -u -m http.server --bind 127.0.0.1 --directory "$1" 0 >"$log" 2>&1 &
  server_pid=$!; pids+=("$server_pid"); port=""
  for _ in $(seq 100); do
    port=$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$log" | head -n1)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  die "python3 -m http.server did not start: $(cat "$log")"
}
stop_server() { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
json_get() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); v=d
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)' "$1" "$2"; }

say "== bytes fetched by a first query, over HTTP in headless Chromium"
serve_dir "$work/hugo/public"
node "$here/benches/search_bytes.mjs" pagefind "http://127.0.0.1:$port/" drugs >"$work/pf-query.txt" 2>&1 \
  || { cat "$work/pf-query.txt" >&2; die "Pagefind query measurement failed"; }
stop_server
grep -v '^RESULT ' "$work/pf-query.txt" >&2
pf_json=$(sed -n 's/^RESULT //p' "$work/pf-query.txt")
serve_dir "$work/brief/public"
node "$here/benches/search_bytes.mjs" brief "http://127.0.0.1:$port/partnership/" drugs >"$work/brief-query.txt" 2>&1 \
  || { cat "$work/brief-query.txt" >&2; die "Brief query measurement failed"; }
stop_server
grep -v '^RESULT ' "$work/brief-query.txt" >&2
bq_json=$(sed -n 's/^RESULT //p' "$work/brief-query.txt")

say "== benches/search_query.mjs (partnership edition, file://)"
node "$here/benches/search_query.mjs" "$work/brief/public/partnership" >"$work/search-query.txt" 2>&1 \
  || { cat "$work/search-query.txt" >&2; die "benches/search_query.mjs failed"; }
cat "$work/search-query.txt" >&2
# Read its table tolerantly: columns named like first/median and bytes, wherever they are.
sq_json=$(python3 - "$work/search-query.txt" <<'PY'
import json, re, statistics, sys
rows, head = [], None
for line in open(sys.argv[1], encoding="utf-8"):
    if "│" not in line:
        continue
    cells = [c.strip().strip("'\"") for c in line.strip().strip("│").split("│")]
    if head is None:
        head = cells
    elif len(cells) == len(head):
        rows.append(dict(zip(head, cells)))
def col(*names):
    for h in head or []:
        if any(n in h.lower() for n in names):
            return h
def num(s):
    m = re.search(r"[0-9]+(?:\.[0-9]+)?", s or "")
    return float(m.group()) if m else None
out = {"queries": len(rows)}
med, first, byt = col("median"), col("first", "cold"), col("byte")
if rows and med:
    v = [x for x in (num(r[med]) for r in rows) if x is not None]
    out["median_ms"] = round(statistics.median(v), 1) if v else None
if rows and first:
    out["cold_ms"] = num(rows[0][first])
    out["first_query"] = rows[0].get("query")
if rows and byt:
    out["first_query_bytes"] = num(rows[0][byt])
for line in open(sys.argv[1], encoding="utf-8"):
    # search_query.mjs's last line: medians over the queries of each way of asking.
    m = re.match(r"median over queries: cold from URL ([0-9.]+) ms, cold typed ([0-9.]+) ms, warm ([0-9.]+) ms", line)
    if m:
        out["from_url_ms"], out["typed_ms"], out["median_ms"] = (float(x) for x in m.groups())
    m = re.match(r"sessions of \d+ queries on one open page, \d+ runs: median ([0-9.]+) ms", line)
    if m:
        out["session_ms"] = float(m.group(1))
    m = re.match(r"\s*page load[^:]*:\s*([0-9.]+)\s*ms", line)
    if m:
        out["page_load_ms"] = float(m.group(1))
print(json.dumps(out))
PY
)

# ------------------------------------------------------------ realistic profile

say "== realistic 200-section profile ($real_images maps): $rruns cold builds, 3 editions, fresh output folder"
rt=(); rm_=()
for r in $(seq "$rruns"); do
  rm -rf "$work/real/reports"; fresh "$work/real"
  timed "$work/real" "$work/real.log" "$brief" build --out "$out"
  rt+=("$t"); rm_+=("$m")
  say "   run $r: $t s $(mb "$m") | load $(load)"
done
rt_med=$(median "${rt[@]}"); rm_med=$(median "${rm_[@]}")

# ------------------------------------------------------------ one long section

# A reading quadratic in a section's length shows here, not in many short ones.
say "== one long section ($long_lines lines of code, a link in every tenth line of prose) beside 20 short: $rruns runs each, Brief and Hugo"
lt=(); lht=()
for r in $(seq "$rruns"); do
  rm -rf "$work/long/reports"; fresh "$work/long"
  timed "$work/long" "$work/long.log" "$brief" build --out "$out"; lt+=("$t")
  rm -rf "$work/hugo-long/resources"; fresh "$work/hugo-long"
  timed "$work/hugo-long" "$work/hugo-long.log" hugo --quiet --destination "$out"; lht+=("$t")
  say "   run $r: brief ${lt[-1]} s | hugo ${lht[-1]} s | load $(load)"
done
lt_med=$(median "${lt[@]}"); lht_med=$(median "${lht[@]}")

# ------------------------------------------------------------ preview rebuild

say "== brief serve on the $n-section profile: $edits one-section edits"
rm -rf "$work/brief/public" "$work/brief/reports"
if python3 "$here/benches/preview_rebuild.py" "$work/brief" "$brief" --edits "$edits" --log "$work/serve.log" \
  >"$work/preview.txt" 2>&1; then
  grep -v '^RESULT ' "$work/preview.txt" >&2
  pv_json=$(sed -n 's/^RESULT //p' "$work/preview.txt")
else
  cat "$work/preview.txt" >&2; say "   (preview timing failed; see above)"; pv_json='{}'
fi
load_end="$(load)"

# ------------------------------------------------------------ the table

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "n/a"}'; }
fmt_ms() { [ -n "$1" ] && awk -v x="$1" 'BEGIN {if (x >= 1000) printf "%.1f s", x/1000; else printf (x < 10 ? "%.1f ms" : "%.0f ms"), x}' || echo "n/a"; }
pf_ms=$(awk -v a="$ht_med" -v b="$pt_med" 'BEGIN {printf "%.2f", a+b}')
pf_peak=$(awk -v a="$hm_med" -v b="$pm_med" 'BEGIN {print (a > b) ? a : b}')
bq_bytes=$(json_get "$bq_json" counted_bytes); bq_files=$(json_get "$bq_json" counted_files)
pq_bytes=$(json_get "$pf_json" counted_bytes); pq_files=$(json_get "$pf_json" counted_files)
sq_bytes=$(json_get "$sq_json" first_query_bytes)
pv_rep=$(json_get "$pv_json" median_reported_ms); pv_obs=$(json_get "$pv_json" median_observed_ms)
pv_first=$(json_get "$pv_json" first_build_ms); pv_mem=$(json_get "$pv_json" peak_rss_kb)
nf=$(commas "$n")

table() {
  echo "| Measure ($nf sections unless stated) | Brief | Hugo / Pagefind |"
  echo "|---|---|---|"
  echo "| Build wall time, median of $runs interleaved runs, fresh output folder | ${bt_med} s (3 editions) | ${ht_med} s (Hugo $hugo_v, 1 site, layout without nav) |"
  echo "| Build peak memory (RSS), median of $runs | $(mb "$bm_med") | $(mb "$hm_med") |"
  echo "| Ratio brief/hugo | time ×$(ratio "$bt_med" "$ht_med"), memory ×$(ratio "$bm_med" "$hm_med") | |"
  echo "| Hugo + Pagefind index (Brief's build includes its search index) | time ×$(ratio "$bt_med" "$pf_ms"), memory ×$(ratio "$bm_med" "$pf_peak") | ${ht_med} + ${pt_med} s = ${pf_ms} s, peak $(mb "$pf_peak") (Pagefind $pagefind_v) |"
  [ "${BENCH_HUGO_NAV:-0}" = 1 ] && echo "| Hugo with a nav of every page on every page (one run) | | ${nav_t} s, $(mb "$nav_m") |"
  echo "| Search index on disk, total | $(IFS=';'; echo "${index_cells[*]}" | sed 's/;/; /g') | Pagefind $(human "$pf_bytes") in $(commas "$pf_files") files |"
  echo "| Bytes fetched by a first query (\"drugs\"), HTTP, no compression | partnership: $(human "${bq_bytes:-0}") in ${bq_files:-?} files (search page scripts + index)$([ -n "$sq_bytes" ] && echo "; search_query.mjs: $(human "${sq_bytes%.*}")") | $(human "${pq_bytes:-0}") in ${pq_files:-?} files (Pagefind API + 5 result fragments) |"
  echo "| Query time in headless Chromium | medians over 11 queries: repeated $(fmt_ms "$(json_get "$sq_json" median_ms)"), first on an open search page $(fmt_ms "$(json_get "$sq_json" typed_ms)"), every query of a session on one open page (the first cold) $(fmt_ms "$(json_get "$sq_json" session_ms)"), from the address including page load $(fmt_ms "$(json_get "$sq_json" from_url_ms)"); \"drugs\" from the address $(fmt_ms "$(json_get "$sq_json" cold_ms)") (search_query.mjs, partnership, file://) | first query incl. loading $(fmt_ms "$(json_get "$pf_json" cold_ms)"), later queries median $(fmt_ms "$(json_get "$pf_json" median_ms)") |"
  echo "| Realistic 200-section profile ($real_images maps), cold 3-edition build, median of $rruns | ${rt_med} s, $(mb "$rm_med") | |"
  echo "| One long section ($(commas "$long_lines") lines of code) beside 20 short, cold build, median of $rruns | ${lt_med} s (3 editions) | ${lht_med} s (Hugo, 1 site) |"
  echo "| One-section edit in \`brief serve\`, median of $edits | rebuilt in $(fmt_ms "$pv_rep") as printed ($(fmt_ms "$pv_obs") from save to message, 50 ms debounce included); preview's first build $(fmt_ms "$pv_first"), peak $( [ -n "$pv_mem" ] && mb "$pv_mem" || echo n/a) | |"
  echo "| Machine, date | $cores cores ($cpu), $fs file system, load average $load_start at start, $load_end at end; $date_utc, brief $commit | |"
}
say ""
say "== Markdown table (paste into README.md, Performance)"
table
