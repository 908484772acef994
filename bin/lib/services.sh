# The services the test suite runs against, provided in one place: sourced by
# bin/test, which .ci/run calls, so a new machine and CI are provisioned alike.
#
#   provide_postgres URL REQUIRED   sets DATABASE_URL when URL can be used
#   provide_redis URL REQUIRED      sets REDIS_URL when URL can be used
#   provide_chromium PATH REQUIRED  installs Debian's chromium when it may
#
# Each starts a local service that is down, creates the PostgreSQL role and
# database that are missing, or installs chromium, only where it may: as root, or
# (for the role) as a user the local cluster lets in as a superuser; and never when
# DLXH_TEST_PROVISION=0. What it does is said in one line. A service that cannot be
# had is left unset: the tests that need it are then skipped with the reason
# (tests/conftest.py), unless REQUIRED is 1, which stops bin/test instead.
#
# Needs $PY (the virtualenv's python, for psycopg and redis-py).

_say() { echo "bin/test: $*" >&2; }

_may_provision() { [ "${DLXH_TEST_PROVISION:-1}" != "0" ]; }

_is_root() { [ "$(id -u)" -eq 0 ]; }

_is_local() { case "$1" in 127.0.0.1|localhost|::1|"") return 0 ;; esac; return 1; }

# _url_part URL PART: host, port, user, password or name of a database URL.
_url_part() {
    "$PY" - "$1" "$2" <<'EOF'
import sys
from urllib.parse import unquote, urlsplit

url, part = urlsplit(sys.argv[1]), sys.argv[2]
defaults = {"postgres": 5432, "postgresql": 5432, "redis": 6379}
print({
    "host": url.hostname or "",
    "port": url.port or defaults.get(url.scheme, ""),
    "user": unquote(url.username or ""),
    "password": unquote(url.password or ""),
    "name": url.path.lstrip("/"),
}[part])
EOF
}

_port_answers() {  # _port_answers HOST PORT: something listens there
    "$PY" - "$1" "$2" <<'EOF' 2>/dev/null
import socket, sys
socket.create_connection((sys.argv[1] or "127.0.0.1", int(sys.argv[2])), timeout=2).close()
EOF
}

_wait_for_port() {  # _wait_for_port HOST PORT SECONDS
    local i
    for i in $(seq 1 "$3"); do
        _port_answers "$1" "$2" && return 0
        sleep 1
    done
    return 1
}

# --- PostgreSQL -------------------------------------------------------------------

_pg_connects() {
    "$PY" - "$1" <<'EOF' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
EOF
}

# _pg_superuser PORT SQL: run SQL as a superuser of the local cluster and print
# its rows, the first way in that works: the postgres account through the socket
# (root), then a superuser login over TCP or the socket (a developer whose
# cluster allows it). Fails when none does.
_pg_superuser() {
    local port="$1" sql="$2"
    local psql=(psql -X -tA -w -v ON_ERROR_STOP=1 -p "$port" -d postgres -c "$sql")
    if _is_root && command -v runuser >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
        (cd / && runuser -u postgres -- "${psql[@]}") 2>/dev/null && return 0
    fi
    command -v psql >/dev/null 2>&1 || return 1
    "${psql[@]}" -h 127.0.0.1 -U postgres 2>/dev/null && return 0
    "${psql[@]}" 2>/dev/null
}

# Start the local cluster that serves PORT when it is down (Debian's
# postgresql-common; as root only).
_pg_start() {
    local port="$1" version="" cluster=""
    _is_root && command -v pg_lsclusters >/dev/null 2>&1 || return 1
    read -r version cluster < <(pg_lsclusters --no-header 2>/dev/null |
        awk -v port="$port" '$3 == port && $4 == "down" {print $1, $2; exit}') || true
    [ -n "$version" ] || return 1
    _say "starting PostgreSQL $version/$cluster on port $port"
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start >/dev/null 2>&1 ||
        return 1
    _wait_for_port 127.0.0.1 "$port" 60
}

# Create the role (LOGIN CREATEDB: each pytest-xdist worker creates its own test
# database) and the database of URL when they are missing.
_pg_create_role_and_database() {
    local url="$1" port user password name found
    port="$(_url_part "$url" port)"
    user="$(_url_part "$url" user)"
    password="$(_url_part "$url" password)"
    name="$(_url_part "$url" name)"
    # Plain names only, so that they need no quoting in the SQL below.
    if ! [[ "$user" =~ ^[a-z_][a-z0-9_]*$ && "$name" =~ ^[a-z_][a-z0-9_]*$ &&
            "$password" != *"'"* ]]; then
        _say "not creating PostgreSQL role '$user' / database '$name': use plain" \
             "lower-case names"
        return 1
    fi
    local created=()
    found="$(_pg_superuser "$port" "select 1 from pg_roles where rolname = '$user'")" ||
        return 1
    if [ "$found" != 1 ]; then
        _pg_superuser "$port" "create role $user login createdb password '$password'" \
            >/dev/null || return 1
        created+=("role '$user'")
    fi
    found="$(_pg_superuser "$port" "select 1 from pg_database where datname = '$name'")"
    if [ "$found" != 1 ]; then
        _pg_superuser "$port" "create database $name owner $user" >/dev/null || return 1
        created+=("database '$name'")
    fi
    local IFS=,
    [ "${#created[@]}" -eq 0 ] ||
        _say "created the PostgreSQL${created[*]/#/ } on port $port, as CI has them"
}

provide_postgres() {
    local url="$1" required="$2" host port
    case "$url" in
    postgres://*|postgresql://*) ;;
    *) export DATABASE_URL="$url"; return 0 ;;  # another database, as given
    esac
    host="$(_url_part "$url" host)"
    port="$(_url_part "$url" port)"
    if ! _pg_connects "$url" && _is_local "$host" && _may_provision; then
        _port_answers "$host" "$port" || _pg_start "$port" || true
        if _port_answers "$host" "$port"; then
            _pg_create_role_and_database "$url" || true
        fi
    fi
    if _pg_connects "$url"; then
        export DATABASE_URL="$url"
        return 0
    fi
    if [ "$required" = 1 ]; then
        _say "PostgreSQL is required but cannot be reached at $host:$port as" \
             "'$(_url_part "$url" user)'."
        exit 1
    fi
    _say "note: no usable PostgreSQL at $host:$port; testing against SQLite (the" \
         "tests that need PostgreSQL are skipped)."
    unset DATABASE_URL
}

# --- Redis ------------------------------------------------------------------------

_redis_answers() {
    "$PY" - "$1" <<'EOF' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
EOF
}

provide_redis() {
    local url="$1" required="$2" host port
    host="$(_url_part "$url" host)"
    port="$(_url_part "$url" port)"
    # Redis is started only on its own port (6379), with this machine kind's
    # command: it keeps nothing on disk.
    if ! _redis_answers "$url" && _is_local "$host" && [ "$port" = 6379 ] &&
        _may_provision && _is_root && command -v redis-server >/dev/null 2>&1; then
        _say "starting Redis on port $port"
        mkdir -p /var/lib/redis /var/log/redis
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$port" --save "" \
            --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log \
            >/dev/null 2>&1 || true
        _wait_for_port 127.0.0.1 "$port" 30 || true
    fi
    if _redis_answers "$url"; then
        export REDIS_URL="$url"
        return 0
    fi
    if [ "$required" = 1 ]; then
        _say "Redis is required but does not answer at $host:$port."
        exit 1
    fi
    _say "note: no Redis at $host:$port; jobs run synchronously (the tests that" \
         "need Redis are skipped)."
    unset REDIS_URL
}

# --- Browser ----------------------------------------------------------------------

provide_chromium() {
    local path="$1" required="$2"
    [ -x "$path" ] && return 0
    if [ "$path" = /usr/bin/chromium ] && _may_provision && _is_root &&
        command -v apt-get >/dev/null 2>&1; then
        _say "installing Debian's chromium for the browser tests"
        if DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
            return 0
        fi
    fi
    if [ "$required" = 1 ]; then
        _say "chromium is required but $path is missing."
        exit 1
    fi
    _say "note: $path is missing (install it: sudo apt-get install -y chromium);" \
         "the browser tests are skipped."
}
