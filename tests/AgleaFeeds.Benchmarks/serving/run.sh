#!/usr/bin/env bash
# Serving benchmark: the curated feed (/feeds/all.atom) from the running host, 200 and 304, against
# the same host's Kestrel serving the same bytes as a static file, with wrk on 127.0.0.1.
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
(cd "$repo" && Logging__LogLevel__Default=Warning dotnet "src/AgleaFeeds.Host/bin/Release/net10.0/AgleaFeeds.Host.dll" \
  --urls "http://127.0.0.1:$port" --Storage:DataDirectory="$work/data" --Jobs:SourcesOpml="$work/sources.opml" \
  --Jobs:SamplesFolder="$work/samples" --Scraping:MinDelayPerHost=00:00:00 > "$work/host.log" 2>&1) &
host=$!
trap 'kill $host 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do
  n=$(curl -s "http://127.0.0.1:$port/feeds/all.atom" | grep -o '<entry>' | wc -l || true)
  [ "${n:-0}" -ge 19 ] && break
  sleep 1
done
mkdir -p "$work/samples/static"
curl -s "http://127.0.0.1:$port/feeds/all.atom" -o "$work/samples/static/all.atom"
echo "feed: $(stat -c %s "$work/samples/static/all.atom") bytes, $(grep -o '<entry>' "$work/samples/static/all.atom" | wc -l) entries"
etag=$(curl -sI "http://127.0.0.1:$port/feeds/all.atom" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
setag=$(curl -sI "http://127.0.0.1:$port/samples/static/all.atom" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
rps() { wrk -t1 -c8 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
feed200=$(rps "http://127.0.0.1:$port/feeds/all.atom")
static200=$(rps "http://127.0.0.1:$port/samples/static/all.atom")
feed304=$(rps -H "If-None-Match: $etag" "http://127.0.0.1:$port/feeds/all.atom")
static304=$(rps -H "If-None-Match: $setag" "http://127.0.0.1:$port/samples/static/all.atom")
printf 'curated feed 200: %8.0f req/s   static file 200: %8.0f req/s   time ratio feed/static: %.2f\n' "$feed200" "$static200" "$(echo "$static200 / $feed200" | bc -l)"
printf 'curated feed 304: %8.0f req/s   static file 304: %8.0f req/s   time ratio feed/static: %.2f\n' "$feed304" "$static304" "$(echo "$static304 / $feed304" | bc -l)"
