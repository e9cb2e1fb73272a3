#!/usr/bin/env bash
# Scale-out benchmark (issue 16): the service itself (Hangfire scheduler, batches of 100 sources, leases) polls
# N WordPress-shaped blogs cold (the farm of run.sh, on nginx), timed from the hosts' start until every source
# has been polled once: 1 host on SQLite (the baseline), 1 host on PostgreSQL, 2 hosts on one PostgreSQL.
# Posts feed and site comments feed per blog (Polling:ReadPostCommentFeeds=false), no scraping; scoring runs as
# it does in service. Prints the seconds and the ratios against the SQLite host, and the share of each host.
# Needs: nginx-light, python3, the .NET SDK and the test PostgreSQL (bash tests/postgres/postgres.sh start).
# Usage: tests/AgleaFeeds.Benchmarks/polling/hosts.sh [N=10000]
set -euo pipefail
n=${1:-10000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=$(mktemp -d /tmp/agleafeeds-hosts.XXXXXX)
port=8091
pgdir=${AGLEAFEEDS_PG_DIR:-/tmp/agleafeeds-postgres}
[ -f "$pgdir/connection.txt" ] || { echo "no test PostgreSQL: run 'bash tests/postgres/postgres.sh start' first" >&2; exit 1; }
pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' "$pgdir/connection.txt")
psql_at() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d "$1" -tAqc "$2"; }
pids=()
# shellcheck source=farm.sh
. "$here/farm.sh"
trap 'for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done; stop_farm "$work"; rm -rf "$work"' EXIT

start_farm "$work" "$n" "$port"
dotnet build "$repo/src/AgleaFeeds.Host" -c Release -nologo -clp:ErrorsOnly >/dev/null
dll="$repo/src/AgleaFeeds.Host/bin/Release/net10.0/AgleaFeeds.Host.dll"

# start_host NAME WEB_PORT [settings...]: one host process in the background, its pid in pids.
start_host() {
  mkdir -p "$work/$1"
  (cd "$work/$1" && Logging__LogLevel__Default=Warning exec dotnet "$dll" --Urls="http://127.0.0.1:$2" \
    --Storage:DataDirectory="$work/$1" --Jobs:SourcesOpml="$work/site/sources.opml" --Jobs:SamplesFolder= \
    --Fetching:AllowedNetworks:0=127.0.0.0/8 --Scraping:Enabled=false --Polling:ReadPostCommentFeeds=false \
    --Scoring:ModelPath="$repo/models/spam-model.zip" "${@:3}" > "$work/$1.log" 2>&1) &
  pids+=($!)
}

# unpolled CONFIG: sources not yet polled (N until the OPML is imported).
unpolled() {
  local sql="SELECT $n - COUNT(*) FILTER (WHERE last_polled_at IS NOT NULL) FROM sources"
  if [ "$1" = sqlite ]; then
    python3 -c "import sqlite3,sys; c=sqlite3.connect('file:$work/sqlite-1/agleafeeds.db?mode=ro', uri=True, timeout=30); print($n - c.execute('SELECT COUNT(*) FROM sources WHERE last_polled_at IS NOT NULL').fetchone()[0])" 2>/dev/null || echo "$n"
  else
    psql_at "$1" "$sql" 2>/dev/null || echo "$n"
  fi
}

# run CONFIG HOSTS: starts the hosts, waits until every source is polled, prints seconds; stops the hosts.
run() {
  local config=$1 count=$2 start end i db=
  pids=()
  if [ "$config" != sqlite ]; then
    db="$config"
    psql_at postgres "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    psql_at postgres "CREATE DATABASE $db" >/dev/null
  fi

  start=$(date +%s.%N)
  for i in $(seq 1 "$count"); do
    if [ "$config" = sqlite ]; then
      start_host "sqlite-$i" $((5200 + i))
    else
      start_host "$config-$i" $((5200 + i)) --Storage:Provider=PostgreSql --Storage:ConnectionString="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$db"
    fi
  done

  while [ "$(unpolled "$config")" != 0 ]; do
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "a host exited: $(tail -5 "$work"/"$config"-*.log)" >&2; exit 1; }; done
    sleep 0.5
  done
  end=$(date +%s.%N)
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
  echo "$config, $count host(s): $(echo "$end - $start" | bc) s" >&2
  echo "$end - $start" | bc
}

sqlite_1=$(run sqlite 1)
pg_1=$(run bench_pg1 1)
pg_2=$(run bench_pg2 2)
share=$(psql_at bench_pg2 "SELECT h || ': ' || COUNT(*) FROM (SELECT split_part(lease_owner, '/', 1) AS h FROM sources) AS s GROUP BY h ORDER BY h" | tr '\n' ' ')
errors=$(psql_at bench_pg2 "SELECT COUNT(*) FROM sources WHERE last_error IS NOT NULL")
posts=$(psql_at bench_pg2 "SELECT COUNT(*) FROM posts")
comments=$(psql_at bench_pg2 "SELECT COUNT(*) FROM comments")

echo "blogs: $n, cold poll by the service until every source is polled once (posts feed + site comments feed each; 2 cores, PostgreSQL on the same machine)"
printf '1 host,  SQLite:      %7.1f s\n' "$sqlite_1"
printf '1 host,  PostgreSQL:  %7.1f s   (%.2fx the SQLite time)\n' "$pg_1" "$(echo "$pg_1 / $sqlite_1" | bc -l)"
printf '2 hosts, PostgreSQL:  %7.1f s   (%.2fx the SQLite time, %.2fx one PostgreSQL host)\n' "$pg_2" "$(echo "$pg_2 / $sqlite_1" | bc -l)" "$(echo "$pg_2 / $pg_1" | bc -l)"
echo "2 hosts' shares (sources polled per host): $share; sources with errors: $errors; stored $posts posts, $comments comments"
