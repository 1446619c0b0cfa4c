#!/usr/bin/env bash
# Create or refresh a virtual environment from its pinned lock file.
#   ensure_env.sh engine   Python 3.10, Rasa 3.6 (rasa train / rasa run)
#   ensure_env.sh app      Python 3.11+, action server, gateway, tests
# The environment is rebuilt only when it is missing or its lock file changed.
set -euo pipefail
name=${1:?usage: ensure_env.sh engine|app}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venvs/$name"
lock="$root/requirements/$name.lock"
case "$name" in
  engine) version=3.10 ;;
  app) version=3.11+ ;;
  *) echo "unknown environment: $name" >&2; exit 2 ;;
esac

want=$(sha256sum "$lock" | cut -c1-64)
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.lock-sha256" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

python=$("$root/scripts/find_python.sh" "$version")
echo "==> building the $name environment in .venvs/$name with $python"
rm -rf "$venv"
"$python" -m venv "$venv"
# (this machine's pip configuration names local index folders that may be
# missing; pip warns about each, which says nothing about the install)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$lock" \
  2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
# The project's packages (nlu, actions, knowledge, bot) import from the checkout.
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$root" > "$site/tro_ly_ao_tthc.pth"
echo "$want" > "$venv/.lock-sha256"
echo "==> $name environment ready"
