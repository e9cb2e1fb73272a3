#!/usr/bin/env bash
# Serving benchmark: the curated feed (/feeds/all.atom) from the running host, 200 and 304 (and 200 with gzip
# and br), against the same host's Kestrel serving the same bytes as a static file (the publish-feeds job's
# copy, Publishing:StaticFolder, at /static/feeds/all.atom: ASP.NET Core's static file middleware), with wrk.
# Needs: wrk (apt-get install -y wrk). Usage: tests/AgleaFeeds.Benchmarks/serving/run.sh [seconds=5]
set -euo pipefail
seconds=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=$(mktemp -d /tmp/agleafeeds-serving.XXXXXX)
port=5099
cp -r "$repo/feeds/samples" "$work/samples"
dotnet build "$repo/src/AgleaFeeds.Host" -c Release -nologo -clp:ErrorsOnly >/dev/null
cp "$repo/feeds/sources.opml" "$work/sources.opml"
(cd "$repo" && Logging__LogLevel__Default=Warning exec dotnet "src/AgleaFeeds.Host/bin/Release/net10.0/AgleaFeeds.Host.dll" \
  --urls "http://127.0.0.1:$port" --Storage:DataDirectory="$work/data" --Jobs:SourcesOpml="$work/sources.opml" \
  --Jobs:SamplesFolder="$work/samples" --Scraping:MinDelayPerHost=00:00:00 --Publishing:StaticFolder="$work/static" > "$work/host.log" 2>&1) &
host=$!
trap 'kill $host 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  n=$(curl -s "http://127.0.0.1:$port/feeds/all.atom" | grep -o '<entry>' | wc -l || true)
  [ "${n:-0}" -ge 19 ] && break
  sleep 1
done
# Wait until the host is idle (its first poll, scrapes and scoring done): less than 5 % of a core over a second.
ticks() { awk '{print $14 + $15}' "/proc/$host/stat"; }
for _ in $(seq 1 120); do
  a=$(ticks); sleep 1; b=$(ticks)
  [ $((b - a)) -le 5 ] && break
done
static="http://127.0.0.1:$port/static/feeds/all.atom"
for _ in $(seq 1 60); do
  # The publish-feeds job runs every minute: wait for its copy of the bytes being served.
  curl -s "$static" -o "$work/static.atom" && curl -s "http://127.0.0.1:$port/feeds/all.atom" -o "$work/feed.atom" && cmp -s "$work/static.atom" "$work/feed.atom" && break
  sleep 2
done
cmp "$work/static.atom" "$work/feed.atom"
echo "feed: $(stat -c %s "$work/feed.atom") bytes, $(grep -o '<entry>' "$work/feed.atom" | wc -l) entries"
etag=$(curl -sI "http://127.0.0.1:$port/feeds/all.atom" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
setag=$(curl -sI "$static" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
# The better of two runs, feed and static file interleaved by the caller's order (one noisy second does not decide).
rps() { local best=0 r; for _ in 1 2; do r=$(wrk -t1 -c8 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'); best=$(echo "if ($r > $best) $r else $best" | bc -l); done; echo "$best"; }
feed200=$(rps "http://127.0.0.1:$port/feeds/all.atom")
static200=$(rps "$static")
feed304=$(rps -H "If-None-Match: $etag" "http://127.0.0.1:$port/feeds/all.atom")
static304=$(rps -H "If-None-Match: $setag" "$static")
feedgz=$(rps -H "Accept-Encoding: gzip" "http://127.0.0.1:$port/feeds/all.atom")
staticgz=$(rps -H "Accept-Encoding: gzip" "$static")
feedbr=$(rps -H "Accept-Encoding: br" "http://127.0.0.1:$port/feeds/all.atom")
staticbr=$(rps -H "Accept-Encoding: br" "$static")
# Throughput ratios: feed / static file (goal >= 0.9).
printf 'curated feed 200: %8.0f req/s   static file 200: %8.0f req/s\n' "$feed200" "$static200"
printf 'curated feed 304: %8.0f req/s   static file 304: %8.0f req/s\n' "$feed304" "$static304"
printf 'curated feed 200 gzip: %8.0f req/s   static file 200 gzip (compressed per request): %8.0f req/s\n' "$feedgz" "$staticgz"
printf 'curated feed 200 br:   %8.0f req/s   static file 200 br (compressed per request):   %8.0f req/s\n' "$feedbr" "$staticbr"
printf 'throughput ratio feed / static file: 200 %.2fx, 304 %.2fx (goal >= 0.9x); gzip %.1fx, br %.1fx\n' \
  "$(echo "$feed200 / $static200" | bc -l)" "$(echo "$feed304 / $static304" | bc -l)" "$(echo "$feedgz / $staticgz" | bc -l)" "$(echo "$feedbr / $staticbr" | bc -l)"
