#!/usr/bin/env python3
"""Stand-in for uv inside the offline Docker suite (scripts/docker-integration.sh): uv cannot be downloaded here.

It does what the generated Dockerfile asks of uv, and is as strict as uv where a wrongly wired Dockerfile would
fail with the real one:

  uv sync [--locked | --frozen] [--no-install-project] [--no-dev] [--no-editable]
      - needs pyproject.toml in the working directory; any other flag is an error;
      - --locked: uv.lock must exist and match pyproject.toml (its input hash), else exit 2 like uv;
      - creates the project environment ($UV_PROJECT_ENVIRONMENT, default .venv) with the image's python3,
        seeing the system site-packages (the Debian python3-* packages stand in for PyPI wheels), after
        checking requires-python against that interpreter (UV_PYTHON_DOWNLOADS is never needed);
      - checks every dependency (and the dev group unless --no-dev) is installed in a version its specifier
        accepts, and writes the console scripts of those distributions (and of what they require) into the
        environment's bin/; a sync without the dev group removes the dev group's scripts again (uv syncs
        exactly);
      - unless --no-install-project: builds the project the way uv_build lays it out
        ([tool.uv.build-backend] module-name / module-root, readme present, uv_build's version bounds
        must admit this uv's version) and installs it: copied into site-packages with --no-editable, a .pth
        file pointing at the source otherwise; UV_COMPILE_BYTECODE=1 compiles it.
  uv lock [--project DIR]    writes the stand-in uv.lock (its input hash; no resolution)
  uv --version / uv version  prints the version this stand-in image was tagged with

Distributions the base image cannot provide (Debian has no package for them) are listed in UNAVAILABLE and
skipped with a note: dev tools the image's tests do not run.
"""

import compileall
import hashlib
import importlib.metadata as metadata
import json
import os
import shutil
import sys
import tomllib

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

VERSION = "@UV_VERSION@"
UNAVAILABLE = {"ruff": "Debian packages no ruff; the tests in the image do not run it"}
SYNC_FLAGS = {"--locked", "--frozen", "--no-install-project", "--no-dev", "--no-editable"}
STATE = ".uv-standin.json"


def die(message: str, code: int = 2) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(code)


def note(message: str) -> None:
    print(f"uv (stand-in): {message}", file=sys.stderr)


def read_pyproject(project: str) -> dict:
    path = os.path.join(project, "pyproject.toml")
    if not os.path.isfile(path):
        die(f"No `pyproject.toml` found in current directory or any parent directory ({project})")
    with open(path, "rb") as f:
        return tomllib.load(f)


def input_hash(pyproject: dict) -> str:
    """What uv.lock depends on: a change to any of it makes `uv sync --locked` fail until `uv lock` runs."""
    project = pyproject.get("project", {})
    relevant = {
        "name": project.get("name"),
        "version": project.get("version"),
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "dependency-groups": pyproject.get("dependency-groups", {}),
        "build-system": pyproject.get("build-system", {}),
    }
    return "sha256:" + hashlib.sha256(json.dumps(relevant, sort_keys=True).encode()).hexdigest()


def lock_text(pyproject: dict) -> str:
    project = pyproject.get("project", {})
    return (
        "# Stand-in lock written by the uv stand-in of the offline Docker suite (not by uv): no resolution,\n"
        "# only the hash of what a real uv.lock depends on, so `uv sync --locked` notices a stale lock.\n"
        "version = 1\n"
        f"requires-python = {json.dumps(project.get('requires-python', ''))}\n"
        "\n[stand-in]\n"
        f"input-hash = {json.dumps(input_hash(pyproject))}\n"
    )


def cmd_lock(args: list[str]) -> None:
    project = os.getcwd()
    if args[:1] == ["--project"] and len(args) == 2:
        project = args[1]
    elif args:
        die(f"unexpected arguments for the stand-in `uv lock`: {' '.join(args)}")
    pyproject = read_pyproject(project)
    with open(os.path.join(project, "uv.lock"), "w") as f:
        f.write(lock_text(pyproject))
    print("Resolved (stand-in lock written)", file=sys.stderr)


def check_lock(project: str, pyproject: dict, locked: bool) -> None:
    path = os.path.join(project, "uv.lock")
    if not os.path.isfile(path):
        die("Unable to find lockfile at `uv.lock`. To create a lockfile, run `uv lock` or `uv sync`.")
    if locked:
        with open(path, "rb") as f:
            lock = tomllib.load(f)
        if lock.get("stand-in", {}).get("input-hash") != input_hash(pyproject):
            die("The lockfile at `uv.lock` needs to be updated, but `--locked` was provided. "
                "To update the lockfile, run `uv lock`.")


def check_python(pyproject: dict) -> None:
    spec = pyproject.get("project", {}).get("requires-python")
    here = Version(".".join(map(str, sys.version_info[:3])))
    if spec and here not in SpecifierSet(spec):
        downloads = os.environ.get("UV_PYTHON_DOWNLOADS", "automatic")
        die(f"No interpreter found for Python {spec} in the image (found {here}); "
            f"UV_PYTHON_DOWNLOADS={downloads}, so none is downloaded")


def distribution(name: str):
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None


def resolve(requirements: list[str], origin: str) -> dict[str, metadata.Distribution]:
    """Installed distributions for the requirements and everything they require (extras best effort)."""
    env = default_environment()
    found: dict[str, metadata.Distribution] = {}
    queue = [(Requirement(r), True) for r in requirements]
    while queue:
        req, direct = queue.pop(0)
        if req.marker and not req.marker.evaluate({**env, "extra": ""}):
            continue
        key = canonicalize_name(req.name)
        if key in found:
            continue
        if key in UNAVAILABLE:
            note(f"skipping {req} ({origin}): {UNAVAILABLE[key]}")
            continue
        dist = distribution(req.name)
        if dist is None:
            if direct:
                die(f"Because {req.name} was not found in the package registry (the base image) and "
                    f"{origin} depends on {req}, we can conclude that the requirements are unsatisfiable.")
            continue  # an optional piece Debian splits differently: uv would install it, the stand-in cannot
        if req.specifier and not req.specifier.contains(dist.version, prereleases=True):
            die(f"{origin} depends on {req}, but the base image has {req.name}=={dist.version}")
        found[key] = dist
        for sub in dist.requires or []:
            sub_req = Requirement(sub)
            wanted_extras = req.extras if direct else set()
            if sub_req.marker:
                if not any(sub_req.marker.evaluate({**env, "extra": e}) for e in (wanted_extras or {""})):
                    continue
                sub_req.marker = None
            queue.append((sub_req, False))
    return found


def write_script(bin_dir: str, python: str, name: str, value: str) -> str:
    module, _, attr = value.partition(":")
    attr = attr.split("[")[0].strip()
    call = f"{attr}()" if attr else "None"
    path = os.path.join(bin_dir, name)
    with open(path, "w") as f:
        f.write(f"#!{python}\nimport sys\nfrom {module.strip()} import {attr.split('.')[0]}\n"
                f"if __name__ == '__main__':\n    sys.exit({call})\n")
    os.chmod(path, 0o755)
    return name


def scripts_of(dist) -> list[tuple[str, str]]:
    return [(e.name, e.value) for e in dist.entry_points if e.group == "console_scripts"]


def project_module(project: str, pyproject: dict) -> tuple[str, str]:
    backend = pyproject.get("build-system", {})
    if backend.get("build-backend") != "uv_build":
        die(f"the stand-in builds with uv_build only; build-backend is {backend.get('build-backend')!r}")
    bounds = [Requirement(r) for r in backend.get("requires", []) if canonicalize_name(Requirement(r).name) == "uv-build"]
    if not bounds:
        die("build-system.requires does not name uv_build")
    if not bounds[0].specifier.contains(VERSION, prereleases=True):
        die(f"uv_build{bounds[0].specifier} is required, but this is uv {VERSION} (its uv_build is the same release)")
    meta = pyproject.get("project", {})
    readme = meta.get("readme")
    if isinstance(readme, str) and not os.path.isfile(os.path.join(project, readme)):
        die(f"Failed to build the project: readme file {readme} does not exist")
    conf = pyproject.get("tool", {}).get("uv", {}).get("build-backend", {})
    name = conf.get("module-name", meta.get("name", "").replace("-", "_").replace(".", "_"))
    root = os.path.join(project, conf.get("module-root", "src"))
    source = os.path.join(root, *name.split("."))
    if not os.path.isfile(os.path.join(source, "__init__.py")):
        die(f"Failed to build the project: expected a Python module at `{os.path.relpath(source, project)}/__init__.py`")
    return name, root


def cmd_sync(args: list[str]) -> None:
    unknown = [a for a in args if a not in SYNC_FLAGS]
    if unknown:
        die(f"the stand-in `uv sync` does not support {' '.join(unknown)} (supported: {', '.join(sorted(SYNC_FLAGS))})")
    project = os.getcwd()
    pyproject = read_pyproject(project)
    if "--frozen" in args or "--locked" in args:
        check_lock(project, pyproject, "--locked" in args)
    else:
        with open(os.path.join(project, "uv.lock"), "w") as f:
            f.write(lock_text(pyproject))
    check_python(pyproject)

    meta = pyproject.get("project", {})
    requirements = list(meta.get("dependencies", []))
    found = resolve(requirements, meta.get("name", "the project"))
    if "--no-dev" not in args:
        found.update(resolve(pyproject.get("dependency-groups", {}).get("dev", []), "the dev group"))

    venv = os.path.join(project, os.environ.get("UV_PROJECT_ENVIRONMENT", ".venv"))
    python = os.path.join(venv, "bin", "python")
    if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        import venv as venv_module

        venv_module.EnvBuilder(system_site_packages=True, with_pip=False, symlinks=True).create(venv)
        note(f"created the environment at {os.path.relpath(venv, project)} (system site-packages visible)")
    state_file = os.path.join(venv, STATE)
    state = json.load(open(state_file)) if os.path.isfile(state_file) else {"scripts": [], "project": None}
    bin_dir = os.path.join(venv, "bin")
    for name in state["scripts"]:
        if os.path.exists(os.path.join(bin_dir, name)):
            os.remove(os.path.join(bin_dir, name))
    site = os.path.join(venv, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "site-packages")
    if state["project"]:
        for entry in state["project"]:
            path = os.path.join(site, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    scripts = sorted({write_script(bin_dir, python, n, v) for d in found.values() for n, v in scripts_of(d)})
    installed: list[str] = []
    if "--no-install-project" not in args:
        name, root = project_module(project, pyproject)
        top = name.split(".")[0]
        if "--no-editable" in args:
            shutil.copytree(os.path.join(root, top), os.path.join(site, top),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            installed.append(top)
            if os.environ.get("UV_COMPILE_BYTECODE") in ("1", "true"):
                compileall.compile_dir(os.path.join(site, top), quiet=1)
        else:
            pth = f"_{canonicalize_name(meta['name']).replace('-', '_')}.pth"
            with open(os.path.join(site, pth), "w") as f:
                f.write(os.path.abspath(root) + "\n")
            installed.append(pth)
        dist_info = f"{canonicalize_name(meta['name']).replace('-', '_')}-{meta.get('version', '0')}.dist-info"
        os.makedirs(os.path.join(site, dist_info), exist_ok=True)
        with open(os.path.join(site, dist_info, "METADATA"), "w") as f:
            f.write(f"Metadata-Version: 2.3\nName: {meta['name']}\nVersion: {meta.get('version', '0')}\n")
        with open(os.path.join(site, dist_info, "INSTALLER"), "w") as f:
            f.write("uv\n")
        installed.append(dist_info)
        for n, v in meta.get("scripts", {}).items():
            scripts.append(write_script(bin_dir, python, n, v))
    with open(state_file, "w") as f:
        json.dump({"scripts": scripts, "project": installed}, f)
    print(f"Resolved {len(found)} packages from the base image; "
          f"{'installed ' + meta['name'] if installed else 'project not installed'}; scripts: {' '.join(scripts)}",
          file=sys.stderr)


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["version"], ["-V"]):
        print(f"uv {VERSION} (stand-in)")
    elif args[:1] == ["sync"]:
        cmd_sync(args[1:])
    elif args[:1] == ["lock"]:
        cmd_lock(args[1:])
    else:
        die(f"the stand-in uv supports `sync`, `lock` and `--version`, not: uv {' '.join(args)}")


if __name__ == "__main__":
    main()
