# Sourced by the side-by-side speed scripts: makes sure OpenSSL + gost-engine (and the extra Debian
# packages named in $PEER_EXTRA_PACKAGES when their file $PEER_EXTRA_FILE is missing) are
# installed, creates a scratch directory $work (removed on exit) and writes $work/openssl.cnf,
# an OPENSSL_CONF that loads the engine.

peer_need=()
if ! command -v openssl >/dev/null 2>&1 ||
   [ ! -f "$(openssl version -e 2>/dev/null | cut -d'"' -f2)/gost.so" ]; then
  peer_need+=(openssl libengine-gost-openssl)
fi
if [ -n "${PEER_EXTRA_FILE:-}" ] && [ ! -f "$PEER_EXTRA_FILE" ]; then
  read -r -a extra <<<"${PEER_EXTRA_PACKAGES:-}"
  peer_need+=("${extra[@]}")
fi
if [ ${#peer_need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq "${peer_need[@]}" >/dev/null
  else
    echo "error: needs ${peer_need[*]} (apt-get install ${peer_need[*]})" >&2
    exit 1
  fi
fi

enginesdir="$(openssl version -e | cut -d'"' -f2)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/openssl.cnf" <<CNF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = $enginesdir/gost.so
default_algorithms = ALL
CNF
