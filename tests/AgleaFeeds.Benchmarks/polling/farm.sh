# The polling benchmarks' farm, sourced by run.sh and hosts.sh: N WordPress-shaped blogs generated into
# $work/site and served by nginx on 127.0.0.1:$port (stopped by the caller's trap: stop_farm).
# start_farm WORK N PORT
start_farm() {
  local work=$1 n=$2 port=$3 here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  python3 "$here/generate-blogs.py" "$work/site" "$n" "http://127.0.0.1:$port"
  chmod -R a+rX "$work"  # nginx workers run as www-data
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/rss+xml xml; }
  charset utf-8;
  charset_types application/rss+xml;
  server {
    listen 127.0.0.1:$port;
    root $work/site;
    index index.xml;
    # A blog of one feed page, as WordPress answers: an older page (?paged=2) is 404.
    if (\$arg_paged) { return 404; }
  }
}
CONF
  nginx -c "$work/nginx.conf"
}

# stop_farm WORK
stop_farm() { nginx -c "$1/nginx.conf" -s stop 2>/dev/null || true; }
