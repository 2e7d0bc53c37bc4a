#!/bin/sh
# Run by scripts/suites/docker-integration.sh inside a container of a runtime image (its own USER and WORKDIR):
# prints the facts the suite checks, one "key=value" per line. $1: the app as package.module:variable.
echo "ids=$(id -u):$(id -g)"
echo "uv=$(command -v uv uvx | tr '\n' ' ')"
for s in uvicorn alembic pytest; do
  if [ -x "/app/.venv/bin/$s" ]; then echo "script=$s"; fi
done
# What the runtime user could rewrite under /app (the code is copied as root: nothing), and the
# bytecode compiled at build time (UV_COMPILE_BYTECODE): nothing needs writing at runtime.
echo "writable=$(find /app -writable 2>/dev/null | head -n 20 | tr '\n' ' ')"
echo "pyc=$(find /app/.venv -name '*.pyc' 2>/dev/null | head -n 1)"
# From /, so the import cannot come from the working directory's copy of the package.
cd / && exec python - "$1" <<'PY'
import importlib, sys
module, _, attr = sys.argv[1].partition(":")
m = importlib.import_module(module)
print(f"app_file={m.__file__} app_attr={hasattr(m, attr)}")
PY
