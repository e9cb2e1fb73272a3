#!/usr/bin/env bash
# Polling benchmark: AgleaFeeds `poll-once` against N WordPress-shaped blogs served by nginx on
# 127.0.0.1, cold and then again (everything 304), the same all-304 poll five times inside one process (as the
# running service polls, no process start), beside Debian's newsboat reloading the same
# posts feeds in the same run, and the storing benchmark (the store against a bare batched insert, in one
# process). Prints every row of the performance table: times, ratios, peak memory (RSS) of the cold poll.
# Needs: nginx-light newsboat time (apt-get install -y nginx-light newsboat time), python3, the .NET SDK.
# Usage: tests/AgleaFeeds.Benchmarks/polling/run.sh [N=1000]   (BUILD=1: the build output instead of the ReadyToRun publish;
# SKIP_NEWSBOAT=SECONDS: reuse a newsboat time measured before)
set -euo pipefail
n=${1:-1000}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=$(mktemp -d /tmp/agleafeeds-bench.XXXXXX)
port=8089
# shellcheck source=farm.sh
. "$here/farm.sh"
trap 'stop_farm "$work"; rm -rf "$work"' EXIT

start_farm "$work" "$n" "$port"

# The service as deployed (README, "Deploying"): published with ReadyToRun, so a poll-once process does not spend its
# first half second compiling. BUILD=1 measures the build output (`dotnet run`) instead.
if [ -n "${BUILD:-}" ]; then
  dotnet build "$repo/src/AgleaFeeds.Host" -c Release -nologo -clp:ErrorsOnly >/dev/null
  host="$repo/src/AgleaFeeds.Host/bin/Release/net10.0/AgleaFeeds.Host.dll"
else
  dotnet publish "$repo/src/AgleaFeeds.Host" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/app" -nologo -clp:ErrorsOnly >/dev/null
  host="$work/app/AgleaFeeds.Host.dll"
fi
# poll DATA LOG [settings...]: one poll-once run on the data folder DATA, its output in LOG.
# Each run's peak RSS (KB) goes to LOG.rss.
poll() { (cd "$work" && Logging__LogLevel__Default=Error /usr/bin/time -f %M -o "$work/$2.rss" dotnet "$host" poll-once --Storage:DataDirectory="$work/data-$1" --Jobs:SourcesOpml="$work/site/sources.opml" --Fetching:AllowedNetworks:0=127.0.0.0/8 "${@:3}" > "$work/$2.log"); }
seconds() { local s=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $s" | bc; }

full_cold=$(seconds poll full full-cold)
full_304=$(seconds poll full full-304)
# The same all-304 poll inside one running process, as the service's recurring job polls (no process start): 5 polls.
dotnet build "$repo/tests/AgleaFeeds.Benchmarks" -c Release -nologo -clp:ErrorsOnly >/dev/null
bench="$repo/tests/AgleaFeeds.Benchmarks/bin/Release/net10.0/AgleaFeeds.Benchmarks.dll"
dotnet "$bench" poll "$work/data-full" 5 > "$work/in-process.log"
posts_cold=$(seconds poll posts posts-cold --Polling:ReadPostCommentFeeds=false)
posts_304=$(seconds poll posts posts-304 --Polling:ReadPostCommentFeeds=false)
mkdir -p "$work/newsboat"
: > "$work/newsboat/config"
if [ -z "${SKIP_NEWSBOAT:-}" ]; then
newsboat_cold=$(seconds newsboat -u "$work/site/urls" -c "$work/newsboat/cache.db" -C "$work/newsboat/config" -x reload)
newsboat_again=$(seconds newsboat -u "$work/site/urls" -c "$work/newsboat/cache.db" -C "$work/newsboat/config" -x reload)
else newsboat_cold=${SKIP_NEWSBOAT}; newsboat_again=${SKIP_NEWSBOAT}; fi

echo "blogs: $n (posts feed $(stat -c %s "$work/site/blog0/feed/index.xml") bytes, 10 items; 20 comments each)"
printf 'AgleaFeeds poll-once cold, default (posts + site comments + 10 post comment feeds = %d requests): %6.2f s\n' $((n * 12)) "$full_cold"
printf 'AgleaFeeds poll-once again, default (all 304):                                        %6.2f s\n' "$full_304"
printf 'AgleaFeeds poll-once cold, ReadPostCommentFeeds=false (posts + site comments = %d requests): %6.2f s\n' $((n * 2)) "$posts_cold"
printf 'AgleaFeeds poll-once again, same (all 304):                                           %6.2f s\n' "$posts_304"
printf 'newsboat -x reload cold (posts feeds only = %d requests):                             %6.2f s\n' "$n" "$newsboat_cold"
printf 'newsboat -x reload again:                                                            %6.2f s\n' "$newsboat_again"
printf 'AgleaFeeds all-304 poll inside a running process (the service; median of polls 2-5):     %6.2f s\n' "$(grep -o 'median of polls 2-5: [0-9.]*' "$work/in-process.log" | grep -o '[0-9.]*$')"
printf 'ratio newsboat cold / AgleaFeeds cold, default:                %.2fx\n' "$(echo "$newsboat_cold / $full_cold" | bc -l)"
printf 'ratio newsboat cold / AgleaFeeds cold, ReadPostCommentFeeds=false: %.2fx\n' "$(echo "$newsboat_cold / $posts_cold" | bc -l)"
printf 'ratio newsboat again / AgleaFeeds all-304:                     %.1fx\n' "$(echo "$newsboat_again / $full_304" | bc -l)"
printf 'peak RSS, cold default poll: %d MB; cold posts + site comments: %d MB; all-304: %d MB (goal <= 120 MB)\n' \
  $(( $(cat "$work/full-cold.rss") / 1024 )) $(( $(cat "$work/posts-cold.rss") / 1024 )) $(( $(cat "$work/full-304.rss") / 1024 ))
echo "sources with errors: $(cat "$work"/*.log | grep -c ': error:' || true); cold runs stored $(grep -o '[0-9]* new comment' "$work/full-cold.log" | awk '{s+=$1} END {print s}') comments (default) and $(grep -o '[0-9]* new comment' "$work/posts-cold.log" | awk '{s+=$1} END {print s}') (site comments feed only); 304 lines: $(grep -c 'not modified' "$work/full-304.log")"
dotnet "$bench" store $((n * 200))
