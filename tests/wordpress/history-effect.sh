#!/usr/bin/env bash
# The day-one learning effect of connecting a blog: the test WordPress is given a history of N labelled
# comments drawn from a corpus (ham approved, spam in WordPress's spam), AgleaFeeds connects to it through
# configuration (an editor's application password) and imports that history as labels, and the learning curve
# measures on those imported labels: F1 of the model alone against F1 with this blog's model trained on part of
# them (3 random draws a size), measured on the held-back rest.
#   bash tests/wordpress/history-effect.sh [CORPUS] [N] [--unseen]
# CORPUS defaults to ../shared/data/spam/SMSSpamCollection.tsv, N to 1000. With --unseen the model in use is
# first trained without that corpus (a kind of blog the model never saw); without it, the shipped model.
# Needs the WordPress packages (tests/wordpress/wordpress.sh install) and the .NET SDK; everything on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
corpus="$(realpath "${1:-$repo/../shared/data/spam/SMSSpamCollection.tsv}")"
count="${2:-1000}"
unseen="${3:-}"
work="$(mktemp -d /tmp/agleafeeds-history.XXXXXX)"
port=5097
cli() { (cd "$repo" && dotnet run --no-build --project src/AgleaFeeds.Host -- "$@" --Storage:DataDirectory="$work/data" "${model[@]}"); }

bash "$here/wordpress.sh" start >/dev/null
php "$here/site.php" history "$corpus" "$count"
php "$here/site.php" user historian editor >/dev/null
password="$(php "$here/site.php" app-password historian | tail -1)"
(cd "$repo" && dotnet build -nologo -clp:ErrorsOnly -v q) | grep -E "error" && { echo "the build failed" >&2; exit 1; } || true

model=()
if [ "$unseen" = "--unseen" ]; then
  cli train --exclude "$(basename "$corpus")" --out "$work/model.zip" | tail -3
  model=(--Scoring:ModelPath="$work/model.zip")
fi

cat > "$work/sources.opml" <<OPML
<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>history</title></head><body><outline type="rss" text="AGLA Test Blog" xmlUrl="http://127.0.0.1:8089/feed/"/></body></opml>
OPML
# The built host itself (exec: the process to stop at the end is the service, not a launcher).
(cd "$repo" && exec "$repo/src/AgleaFeeds.Host/bin/Debug/net10.0/AgleaFeeds.Host" --Urls=http://127.0.0.1:$port --Storage:DataDirectory="$work/data" \
  --Jobs:SourcesOpml="$work/sources.opml" --Jobs:SamplesFolder= --Fetching:AllowedNetworks:0=127.0.0.0/8 \
  --Sources:WordPress:0:SiteUrl=http://127.0.0.1:8089/ --Sources:WordPress:0:User=historian \
  --Sources:WordPress:0:ApplicationPassword="$password" --WordPress:ReadCron="* * * * *" "${model[@]}" > "$work/host.log" 2>&1) &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
started=$(date +%s)
until grep -q "Imported the blog's history" "$work/host.log"; do
  [ $(( $(date +%s) - started )) -lt 300 ] || { echo "no history imported after 300 s; host log: $work/host.log" >&2; exit 1; }
  sleep 2
done
echo "history imported $(( $(date +%s) - started )) s after the start: $(grep -o "Imported the blog's history.*" "$work/host.log" | head -1)"
kill $host; wait $host 2>/dev/null || true
cli labels "$work/labels.csv"
half=$(( count / 2 ))
cli learning-curve --data "$work/labels.csv" --sizes "100,200,$half" ${unseen:+--exclude "$(basename "$corpus")"}
echo "(work folder: $work)"
