#!/usr/bin/env bash
# A real WordPress for the end-to-end tests, from Debian 12's packages (see tests/wordpress/README.md):
# its own MariaDB on a unix socket and its own Apache (mod_php) on 127.0.0.1, everything under one folder.
#   tests/wordpress/wordpress.sh install   apt-get the packages (as root; CI does this)
#   tests/wordpress/wordpress.sh start     start MariaDB and Apache, install and seed the site
#   tests/wordpress/wordpress.sh stop      stop both
#   tests/wordpress/wordpress.sh stop-web | start-web   only Apache (a blog that is down, then back; the data stays)
# Environment: AGLEAFEEDS_WP_DIR (default /tmp/agleafeeds-wordpress), AGLEAFEEDS_WP_PORT (default 8089).
# The tests find the site through $AGLEAFEEDS_WP_DIR/site.json (or the default folder) and skip without it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${AGLEAFEEDS_WP_DIR:-/tmp/agleafeeds-wordpress}"
port="${AGLEAFEEDS_WP_PORT:-8089}"
config_name="agleafeeds"
packages=(wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentytwo mariadb-server mariadb-client libapache2-mod-php php-cli php-mysql php-xml php-mbstring php-curl)

install() {
  local missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  # The packages' scripts would start the system's Apache on :80 and MariaDB on :3306: not wanted.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
}

stop() {
  if [ -f "$dir/apache/httpd.pid" ]; then apache2 -f "$dir/apache/httpd.conf" -k stop 2>/dev/null || true; fi
  if [ -f "$dir/mysql/mariadbd.pid" ]; then kill "$(cat "$dir/mysql/mariadbd.pid")" 2>/dev/null || true; fi
  for _ in $(seq 50); do
    [ -f "$dir/apache/httpd.pid" ] || [ -f "$dir/mysql/mariadbd.pid" ] || break
    sleep 0.2
  done
  rm -f "$dir/site.json"
}

start() {
  command -v apache2 >/dev/null && command -v mariadbd >/dev/null && [ -f /usr/share/wordpress/wp-load.php ] \
    || { echo "WordPress packages missing: run '$0 install' as root" >&2; exit 1; }
  stop
  mkdir -p "$dir/mysql/data" "$dir/apache/logs" "$dir/php"
  chmod 755 "$dir"
  chown -R mysql:mysql "$dir/mysql"
  if [ ! -d "$dir/mysql/data/mysql" ]; then
    mariadb-install-db --datadir="$dir/mysql/data" --user=mysql --auth-root-authentication-method=socket >/dev/null
  fi
  cat > "$dir/mysql/my.cnf" <<CNF
[mariadbd]
datadir=$dir/mysql/data
socket=$dir/mysql/mysql.sock
pid-file=$dir/mysql/mariadbd.pid
skip-networking
user=mysql
log-error=$dir/mysql/error.log
innodb_buffer_pool_size=32M
CNF
  mariadbd --defaults-file="$dir/mysql/my.cnf" >/dev/null 2>&1 &
  for _ in $(seq 100); do [ -S "$dir/mysql/mysql.sock" ] && break; sleep 0.2; done
  [ -S "$dir/mysql/mysql.sock" ] || { echo "MariaDB did not start: $(tail -5 "$dir/mysql/error.log")" >&2; exit 1; }
  mariadb --socket="$dir/mysql/mysql.sock" -u root <<SQL
CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'wordpress'@'localhost' IDENTIFIED BY 'wordpress';
GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';
SQL

  mkdir -p /etc/wordpress
  cat > "/etc/wordpress/config-$config_name.php" <<PHP
<?php
// Written by tests/wordpress/wordpress.sh for AgleaFeeds' end-to-end tests.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', 'wordpress');
define('DB_HOST', 'localhost:$dir/mysql/mysql.sock');
define('WP_HOME', 'http://127.0.0.1:$port');
define('WP_SITEURL', 'http://127.0.0.1:$port');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_ENVIRONMENT_TYPE', 'local');
define('AUTH_KEY', 'agleafeeds-test'); define('SECURE_AUTH_KEY', 'agleafeeds-test'); define('LOGGED_IN_KEY', 'agleafeeds-test');
define('NONCE_KEY', 'agleafeeds-test'); define('AUTH_SALT', 'agleafeeds-test'); define('SECURE_AUTH_SALT', 'agleafeeds-test');
define('LOGGED_IN_SALT', 'agleafeeds-test'); define('NONCE_SALT', 'agleafeeds-test');
PHP

  # A must-use plugin of the tests': the option agleafeeds_rest_off makes the REST API refuse visitors.
  mkdir -p /var/lib/wordpress/wp-content/mu-plugins
  cp "$here/mu-plugin.php" /var/lib/wordpress/wp-content/mu-plugins/agleafeeds-test.php

  local user="www-data"
  cat > "$dir/apache/httpd.conf" <<CONF
ServerRoot "$dir/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile $dir/apache/httpd.pid
User $user
Group $user
ErrorLog $dir/apache/logs/error.log
LogLevel warn
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
LoadModule php_module /usr/lib/apache2/modules/libphp8.2.so
StartServers 2
MinSpareServers 2
MaxSpareServers 4
MaxRequestWorkers 8
TypesConfig /etc/mime.types
DirectoryIndex index.php
SetEnv WORDPRESS_CONFIG $config_name
DocumentRoot /usr/share/wordpress
Alias /wp-content /var/lib/wordpress/wp-content
<FilesMatch "\.php\$">
  SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
  AllowOverride None
  Require all denied
</Directory>
<Directory /usr/share/wordpress>
  Require all granted
  RewriteEngine On
  RewriteBase /
  RewriteRule ^index\.php\$ - [L]
  RewriteCond %{REQUEST_FILENAME} !-f
  RewriteCond %{REQUEST_FILENAME} !-d
  RewriteRule . /index.php [L]
</Directory>
<Directory /var/lib/wordpress/wp-content>
  Require all granted
</Directory>
CONF
  apache2 -f "$dir/apache/httpd.conf" -k start
  for _ in $(seq 50); do [ -f "$dir/apache/httpd.pid" ] && break; sleep 0.2; done
  [ -f "$dir/apache/httpd.pid" ] || { echo "Apache did not start: $(tail -5 "$dir/apache/logs/error.log")" >&2; exit 1; }

  # WordPress's install mails the admin; there is no sendmail here: the notice goes to the log, not the console.
  if ! AGLEAFEEDS_WP_DIR="$dir" AGLEAFEEDS_WP_PORT="$port" php "$here/site.php" seed twentytwentyone >"$dir/seed.log" 2>&1; then
    cat "$dir/seed.log" >&2; exit 1
  fi
  printf '{"url":"http://127.0.0.1:%s/","dir":"%s","script":"%s"}\n' "$port" "$dir" "$here/site.php" > "$dir/site.json"
  echo "WordPress at http://127.0.0.1:$port/ (seeded; data in $dir)"
}

case "${1:-}" in
  stop-web)
    apache2 -f "$dir/apache/httpd.conf" -k stop 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$dir/apache/httpd.pid" ] || break; sleep 0.2; done ;;
  start-web)
    apache2 -f "$dir/apache/httpd.conf" -k start
    for _ in $(seq 50); do [ -f "$dir/apache/httpd.pid" ] && break; sleep 0.2; done ;;
  install) install ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop|stop-web|start-web" >&2; exit 2 ;;
esac
