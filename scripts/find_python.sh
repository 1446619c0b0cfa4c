#!/usr/bin/env bash
# Print the path of a Python interpreter of the wanted version.
#   find_python.sh 3.10     exactly 3.10 (the engine environment: Rasa 3.6)
#   find_python.sh 3.11+    3.11 or newer (the app environment), 3.11 preferred
# Looks on PATH, then under pyenv, then asks `uv python find`.
set -u
want=${1:?usage: find_python.sh 3.10|3.11+}
case "$want" in
  *+) min=${want%+}; exact=0 ;;
  *) min=$want; exact=1 ;;
esac
major=${min%%.*}; minor=${min#*.}

fits() {
  "$1" - "$major" "$minor" "$exact" >/dev/null 2>&1 <<'PY'
import sys
major, minor, exact = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
have = sys.version_info[:2]
ok = have == (major, minor) if exact else have >= (major, minor)
sys.exit(0 if ok else 1)
PY
}

candidates=()
if [ "$exact" = 1 ]; then
  candidates+=("python$min")
else
  for m in 11 12 13 14; do [ "$m" -ge "$minor" ] && candidates+=("python$major.$m"); done
  candidates+=(python3)
fi
for c in "${candidates[@]}"; do
  path=$(command -v "$c" 2>/dev/null) || continue
  if fits "$path"; then "$path" -c 'import sys; print(sys.executable)'; exit 0; fi
done

pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in "$pyenv_root"/versions/"$min"* "$pyenv_root"/versions/"$major".1[0-9]*; do
  [ -x "$dir/bin/python" ] || continue
  if fits "$dir/bin/python"; then echo "$dir/bin/python"; exit 0; fi
done

if command -v uv >/dev/null 2>&1; then
  path=$(uv python find "$min" 2>/dev/null) && fits "$path" && { echo "$path"; exit 0; }
fi

cat >&2 <<MSG
error: no Python $want found. The engine environment (Rasa 3.6) needs Python 3.10 exactly and the app environment needs Python 3.11 or newer. They were looked for on PATH (python$min), under pyenv ($pyenv_root/versions) and with 'uv python find $min'. Install the missing one with your system's packages, with pyenv ('pyenv install $min'), or with uv ('uv python install $min'), then run the command again.
MSG
exit 1
