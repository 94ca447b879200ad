# Shared by scripts/run and scripts/test: find Python ≥ 3.12, make .venv, install, compile messages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

python_ok() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  # $PYTHON if set, else the newest python3.x on PATH, else the newest of pyenv's versions.
  local candidate version
  for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    # A pyenv shim is on PATH for every version pyenv knows and fails for the inactive ones.
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | sort -rV); do
      candidate="$(pyenv root)/versions/$version/bin/python3"
      if [ -x "$candidate" ] && python_ok "$candidate"; then
        echo "$candidate"; return 0
      fi
    done
  fi
  echo "Python 3.12 or newer is needed; set PYTHON=/path/to/python3.12" >&2
  return 1
}

apt_install() {
  # Debian packages the project needs; installed only when missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

report_libraries() {
  # The weekly report's PDF (WeasyPrint) draws text with Pango, in Korean with the Noto CJK fonts.
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
}

make_venv() {
  local python; python="$(find_python)"
  # Debian's own Python makes virtual environments only with its pythonX.Y-venv package.
  if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
    apt_install "python$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
  fi
  rm -rf .venv
  "$python" -m venv .venv
}

setup_python() {
  # Usage: setup_python [EXTRA...]: pyproject.toml's dependencies and the named extras.
  command -v msgfmt >/dev/null 2>&1 || apt_install gettext
  if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
    make_venv
  fi
  # The stamp lists the extras installed for this pyproject.toml; a new one starts afresh.
  local stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12) extra missing=()
  for extra in "$@"; do grep -qx "$extra" "$stamp" 2>/dev/null || missing+=("$extra"); done
  if [ ! -f "$stamp" ] || [ ${#missing[@]} -gt 0 ]; then
    local extras=("${missing[@]}")
    [ -f "$stamp" ] && mapfile -t -O ${#extras[@]} extras < "$stamp"
    # pip repeats a warning per package when a configured local index folder is absent.
    .venv/bin/python -m pip install -q --upgrade pip 2> >(grep -v "^WARNING: Location" >&2)
    # The project runs from its checkout: install what pyproject.toml pins, not the project itself.
    .venv/bin/python - "${extras[@]}" > .venv/requirements.txt <<'PY'
import sys
import tomllib

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
extras = project["optional-dependencies"]
print("\n".join(project["dependencies"] + [pin for name in sys.argv[1:] for pin in extras[name]]))
PY
    .venv/bin/python -m pip install -q -r .venv/requirements.txt \
      2> >(grep -v "^WARNING: Location" >&2)
    rm -f .venv/.installed-*
    { [ ${#extras[@]} -eq 0 ] || printf '%s\n' "${extras[@]}"; } > "$stamp"
  fi
  export PATH="$ROOT/.venv/bin:$PATH"
  python manage.py compilemessages --ignore=.venv -v 0
}
