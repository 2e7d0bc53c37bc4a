#!/usr/bin/env python3
"""Stand-in for uv inside the offline Docker suite (scripts/suites/docker-integration.sh): uv cannot be downloaded here.

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
  uv sync ... [--package NAME] [--no-install-workspace]   in a uv workspace (a pyproject.toml with
      [tool.uv.workspace] in the working directory):
      - members are the directories `members` names (globs, minus `exclude`), plus the root when it has a
        [project]; each must hold a pyproject.toml (uv reads them all to check the one lock), else exit 2;
      - --package NAME (required in a workspace whose root has no [project]; an error outside a workspace):
        syncs that member: its dependencies that are members need a `{ workspace = true }` entry in
        [tool.uv.sources] (the member's own, else the root's), and every such entry must name a member;
        the third-party dependencies of its closure (and its dev group unless --no-dev) are checked and
        scripted as above;
      - members are installed like a project (above), the named one unless --no-install-project, the rest of
        its closure unless --no-install-workspace (which leaves out every member);
      - --locked: uv.lock must match every member's pyproject.toml and the root's.
  uv run [--env-file FILE]... [--no-env-file] [--locked | --frozen] [--no-sync] COMMAND [ARGS...]
      - options before the command only (everything after it is the command's); any other option is an error;
      - --env-file (or UV_ENV_FILE): each file must exist, else exit 2 with uv's "No environment file found
        at"; its KEY=value lines (dotenv: comments, `export`, quotes) are added to the environment, a later
        file over an earlier one, and a variable already set in the environment wins (uv's rule);
        --no-env-file (or UV_NO_ENV_FILE=1) reads none;
      - syncs the project environment first, as uv run does (the dev group included), unless --no-sync;
      - then execs COMMAND with the environment's bin/ first on PATH and VIRTUAL_ENV set.
  uv lock [--upgrade] [--project DIR]    writes the stand-in uv.lock (its input hash; no resolution)
  [tool.uv] exclude-newer (the project's, a workspace's root's), as uv reads it:
      - an RFC 3339 timestamp or a date, or (uv 0.9.17 and later) a relative duration ("7 days", "P7D");
        an older uv cannot parse a duration: it warns "Failed to parse `pyproject.toml` during settings
        discovery" and ignores the [tool.uv] settings (required-version too), as uv does;
      - uv lock records it in uv.lock's [options] (a duration as the no-op `exclude-newer =
        "0001-01-01T00:00:00Z"` plus `exclude-newer-span`, as uv since astral-sh/uv#19022);
      - --locked fails with uv's message when the lock's differs from the settings': one has it and the
        other not, another span, a span against a timestamp, or a timestamp earlier than the lock's (a
        later one is accepted, as uv does since astral-sh/uv#19571).
  In a directory whose pyproject.toml is a member of a workspace in a parent directory (and has no
  [tool.uv.workspace] of its own), as uv: lock, sync and run work on that workspace (its uv.lock, its
  .venv), and sync / run sync that member (as --package NAME).
  uv --version / uv version  prints the version this stand-in image was tagged with
  sync, run and lock first check [tool.uv] required-version (the project's, a workspace's root's): a uv
  outside it exits 2 with uv's "Required uv version `...` does not match the running version `...`".

Distributions the base image cannot provide (Debian has no package for them) are listed in UNAVAILABLE and
skipped with a note: dev tools the image's tests do not run.
"""

import compileall
import glob
import hashlib
import importlib.metadata as metadata
import json
import os
import re
import shutil
import sys
import tomllib

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

VERSION = "@UV_VERSION@"
RELATIVE_EXCLUDE_NEWER = Version("0.9.17")
NO_OP_TIMESTAMP = "0001-01-01T00:00:00Z"
WARNED: set[str] = set()  # settings warned about once (uv warns once per run)
UNAVAILABLE = {"ruff": "Debian packages no ruff; the tests in the image do not run it"}
SYNC_FLAGS = {"--locked", "--frozen", "--no-install-project", "--no-dev", "--no-editable", "--no-install-workspace"}
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


def relevant(pyproject: dict) -> dict:
    """What uv.lock depends on of one pyproject.toml."""
    project = pyproject.get("project", {})
    return {
        "name": project.get("name"),
        "version": project.get("version"),
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "dependency-groups": pyproject.get("dependency-groups", {}),
        "build-system": pyproject.get("build-system", {}),
    }


def input_hash(pyproject: dict, workspace: dict | None = None) -> str:
    """What uv.lock depends on: a change to any of it makes `uv sync --locked` fail until `uv lock` runs.
    In a workspace: the root's workspace and sources tables and every member's pyproject.toml too."""
    data = relevant(pyproject)
    if workspace is not None:
        uv = pyproject.get("tool", {}).get("uv", {})
        data = {
            "root": data,
            "workspace": uv.get("workspace", {}),
            "sources": uv.get("sources", {}),
            "members": {name: {**relevant(py), "sources": sources_of(py)} for name, (_, py) in sorted(workspace.items())},
        }
    return "sha256:" + hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def uv_settings(pyproject: dict) -> dict:
    """The [tool.uv] settings uv applies: none when it cannot parse them (an old uv and a duration)."""
    uv = pyproject.get("tool", {}).get("uv", {})
    value = uv.get("exclude-newer")
    if isinstance(value, str) and parse_exclude_newer(value) is None:
        if value in WARNED:
            return {}
        WARNED.add(value)
        print("warning: Failed to parse `pyproject.toml` during settings discovery:\n"
              f"  failed to parse year in date \"{value}\"", file=sys.stderr)
        return {}
    return uv


def parse_exclude_newer(value: str) -> tuple[str, str] | None:
    """("timestamp", RFC 3339) or ("span", ISO 8601 duration) of an exclude-newer value, None if this uv
    cannot read it."""
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return "timestamp", f"{value}T00:00:00Z"
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)", value):
        return "timestamp", value
    if Version(VERSION) < RELATIVE_EXCLUDE_NEWER:
        return None
    friendly = re.fullmatch(r"([0-9]+) ?(day|days|week|weeks|hour|hours)", value.strip())
    if friendly:
        n, unit = friendly.groups()
        return "span", {"d": f"P{n}D", "w": f"P{n}W", "h": f"PT{n}H"}[unit[0]]
    if re.fullmatch(r"P([0-9]+[DW]|T[0-9]+H)", value.strip().upper()):
        return "span", value.strip().upper()
    return None


def exclude_newer_of(pyproject: dict) -> tuple[str, str] | None:
    value = uv_settings(pyproject).get("exclude-newer")
    return parse_exclude_newer(value) if isinstance(value, str) else None


def sources_of(pyproject: dict) -> dict:
    return pyproject.get("tool", {}).get("uv", {}).get("sources", {})


def workspace_members(root: str, pyproject: dict) -> dict | None:
    """name -> (directory, pyproject) of every member, or None when `root` holds no workspace."""
    ws = pyproject.get("tool", {}).get("uv", {}).get("workspace")
    if ws is None:
        return None
    members: dict[str, tuple[str, dict]] = {}
    if "project" in pyproject:
        members[canonicalize_name(pyproject["project"]["name"])] = (root, pyproject)
    excluded = {os.path.normpath(d) for pattern in ws.get("exclude", []) for d in glob.glob(os.path.join(root, pattern))}
    for pattern in ws.get("members", []):
        matches = sorted(glob.glob(os.path.join(root, pattern)))
        if not matches and not glob.has_magic(pattern):
            matches = [os.path.join(root, pattern)]
        for d in matches:
            d = os.path.normpath(d)
            if d in excluded or (glob.has_magic(pattern) and not os.path.isdir(d)):
                continue
            path = os.path.join(d, "pyproject.toml")
            if not os.path.isfile(path):
                die(f"Workspace member `{d}` is missing a `pyproject.toml` (matches: `{pattern}`)")
            with open(path, "rb") as f:
                member = tomllib.load(f)
            name = member.get("project", {}).get("name")
            if not name:
                die(f"Workspace member `{d}` has no `[project].name`")
            members[canonicalize_name(name)] = (d, member)
    return members


def discover(directory: str) -> tuple[str, dict, str | None]:
    """The project uv works on from `directory`: (its directory, its pyproject, the member to sync or None).

    As uv: a directory whose pyproject.toml has no [tool.uv.workspace] may be a member of a workspace in a
    parent directory; then the workspace root holds the lock and the environment, and the member is the
    package `uv sync` / `uv run` sync."""
    pyproject = read_pyproject(directory)
    if "workspace" in pyproject.get("tool", {}).get("uv", {}):
        return directory, pyproject, None
    here = os.path.normpath(directory)
    parent = here
    while parent != os.path.dirname(parent):
        parent = os.path.dirname(parent)
        path = os.path.join(parent, "pyproject.toml")
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            root_py = tomllib.load(f)
        for name, (d, _) in (workspace_members(parent, root_py) or {}).items():
            if os.path.normpath(d) == here:
                return parent, root_py, name
    return directory, pyproject, None


def lock_options(pyproject: dict) -> str:
    """uv.lock's [options] for the settings' exclude-newer, as uv writes them."""
    setting = exclude_newer_of(pyproject)
    if setting is None:
        return ""
    kind, value = setting
    if kind == "timestamp":
        return f"\n[options]\nexclude-newer = {json.dumps(value)}\n"
    return f"\n[options]\nexclude-newer = {json.dumps(NO_OP_TIMESTAMP)}\nexclude-newer-span = {json.dumps(value)}\n"


def lock_text(pyproject: dict, workspace: dict | None = None) -> str:
    project = pyproject.get("project", {})
    return (
        "# Stand-in lock written by the uv stand-in of the offline Docker suite (not by uv): no resolution,\n"
        "# only the hash of what a real uv.lock depends on, so `uv sync --locked` notices a stale lock.\n"
        "version = 1\n"
        f"requires-python = {json.dumps(project.get('requires-python', ''))}\n"
        "\n[stand-in]\n"
        f"input-hash = {json.dumps(input_hash(pyproject, workspace))}\n"
        + (f"members = {json.dumps(sorted(workspace))}\n" if workspace is not None else "")
        + lock_options(pyproject)
    )


def exclude_newer_matches(lock: dict, pyproject: dict) -> bool:
    """Whether the lock's exclude-newer still holds for the settings' (uv's rule, see the docstring)."""
    options = lock.get("options", {})
    span, stamp = options.get("exclude-newer-span"), options.get("exclude-newer")
    locked = ("span", span) if span is not None else ("timestamp", stamp) if stamp is not None else None
    setting = exclude_newer_of(pyproject)
    if locked is None or setting is None:
        return locked == setting
    if locked[0] != setting[0]:
        return False
    if locked[0] == "span":
        return locked[1] == setting[1]
    return timestamp(setting[1]) >= timestamp(locked[1])


def timestamp(value: str):
    import datetime
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def cmd_lock(args: list[str]) -> None:
    project = os.getcwd()
    if args[:1] == ["--upgrade"]:
        args = args[1:]  # no resolution here, so nothing to upgrade
    if args[:1] == ["--project"] and len(args) == 2:
        project = args[1]
    elif args:
        die(f"unexpected arguments for the stand-in `uv lock`: {' '.join(args)}")
    project, pyproject, _ = discover(project)
    with open(os.path.join(project, "uv.lock"), "w") as f:
        f.write(lock_text(pyproject, workspace_members(project, pyproject)))
    print("Resolved (stand-in lock written)", file=sys.stderr)


def check_lock(project: str, pyproject: dict, locked: bool, workspace: dict | None = None) -> None:
    path = os.path.join(project, "uv.lock")
    if not os.path.isfile(path):
        die("Unable to find lockfile at `uv.lock`. To create a lockfile, run `uv lock` or `uv sync`.")
    if locked:
        with open(path, "rb") as f:
            lock = tomllib.load(f)
        if lock.get("stand-in", {}).get("input-hash") != input_hash(pyproject, workspace) or not exclude_newer_matches(lock, pyproject):
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


def parse_sync_args(args: list[str]) -> tuple[set[str], str | None]:
    flags: set[str] = set()
    package = None
    unknown: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--package" and i + 1 < len(args):
            package = args[i + 1]
            i += 1
        elif a.startswith("--package="):
            package = a.split("=", 1)[1]
        elif a in SYNC_FLAGS:
            flags.add(a)
        else:
            unknown.append(a)
        i += 1
    if unknown:
        die(f"the stand-in `uv sync` does not support {' '.join(unknown)} "
            f"(supported: {', '.join(sorted(SYNC_FLAGS | {'--package NAME'}))})")
    return flags, package


def closure_of(name: str, workspace: dict, root_sources: dict) -> list[str]:
    """The member and the members it depends on, transitively; each such dependency needs a workspace source."""
    order: list[str] = []

    def visit(n: str) -> None:
        if n in order:
            return
        order.append(n)
        _, py = workspace[n]
        sources = {canonicalize_name(k): v for k, v in {**root_sources, **sources_of(py)}.items()}
        for dep in py.get("project", {}).get("dependencies", []):
            key = canonicalize_name(Requirement(dep).name)
            if key not in workspace:
                continue
            if not (isinstance(sources.get(key), dict) and sources[key].get("workspace") is True):
                die(f"`{key}` is included as a workspace member, but is missing an entry in `tool.uv.sources` "
                    f"(e.g., `{key} = {{ workspace = true }}`) of {py['project']['name']}")
            visit(key)

    visit(name)
    return order


def check_workspace_sources(workspace: dict, root_sources: dict) -> None:
    for origin, sources in [("the workspace root", root_sources)] + [(n, sources_of(py)) for n, (_, py) in workspace.items()]:
        for key, value in sources.items():
            if isinstance(value, dict) and value.get("workspace") is True and canonicalize_name(key) not in workspace:
                die(f"`{key}` references a workspace in `tool.uv.sources` (e.g., `{key} = {{ workspace = true }}`) "
                    f"of {origin}, but is not a workspace member")


def install_member(directory: str, pyproject: dict, site: str, bin_dir: str, python: str, editable: bool) -> tuple[list[str], list[str]]:
    """Builds one project the way uv_build lays it out and installs it; returns its site-packages entries and scripts."""
    meta = pyproject.get("project", {})
    name, root = project_module(directory, pyproject)
    top = name.split(".")[0]
    installed: list[str] = []
    if not editable:
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
    scripts = [write_script(bin_dir, python, n, v) for n, v in meta.get("scripts", {}).items()]
    return installed, scripts


def cmd_sync(args: list[str]) -> None:
    flags, package = parse_sync_args(args)
    project, pyproject, member = discover(os.getcwd())
    package = package or member
    workspace = workspace_members(project, pyproject)
    if workspace is None:
        if package is not None:
            die("`--package` was provided, but no workspace was found")
        if "--no-install-workspace" in flags:
            flags.add("--no-install-project")  # uv: outside a workspace it leaves out the project
        targets = {canonicalize_name(pyproject.get("project", {}).get("name", "project")): (project, pyproject)}
        order = list(targets)
    else:
        root_sources = sources_of(pyproject)
        check_workspace_sources(workspace, root_sources)
        if package is None:
            if "project" not in pyproject:
                die("the stand-in syncs a virtual workspace one member at a time: pass --package NAME")
            package = pyproject["project"]["name"]
        key = canonicalize_name(package)
        if key not in workspace:
            die(f"Package `{package}` not found in workspace (members: {', '.join(sorted(workspace))})")
        targets = workspace
        order = closure_of(key, workspace, root_sources)
    if "--frozen" in flags or "--locked" in flags:
        check_lock(project, pyproject, "--locked" in flags, workspace)
    else:
        with open(os.path.join(project, "uv.lock"), "w") as f:
            f.write(lock_text(pyproject, workspace))
    for _, py in targets.values():
        check_python(py)

    _, main_py = targets[order[0]]
    meta = main_py.get("project", {})
    members = set(workspace or {})
    requirements = [r for n in order for r in targets[n][1].get("project", {}).get("dependencies", [])
                    if canonicalize_name(Requirement(r).name) not in members]
    found = resolve(requirements, meta.get("name", "the project"))
    if "--no-dev" not in flags:
        found.update(resolve(main_py.get("dependency-groups", {}).get("dev", []), "the dev group"))

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
    names: list[str] = []
    for i, n in enumerate(order):
        if "--no-install-workspace" in flags or (i == 0 and "--no-install-project" in flags):
            continue
        entries, more = install_member(*targets[n], site, bin_dir, python, "--no-editable" not in flags)
        installed += entries
        scripts += more
        names.append(targets[n][1]["project"]["name"])
    with open(state_file, "w") as f:
        json.dump({"scripts": scripts, "project": installed}, f)
    print(f"Resolved {len(found)} packages from the base image; "
          f"{'installed ' + ', '.join(names) if names else 'project not installed'}; scripts: {' '.join(scripts)}",
          file=sys.stderr)


RUN_FLAGS = {"--locked", "--frozen", "--no-sync", "--no-env-file"}
DOTENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def read_env_file(path: str) -> dict[str, str]:
    """The KEY=value lines of a dotenv file, as uv (dotenvy) reads them."""
    if not os.path.isfile(path):
        die(f"No environment file found at: `{path}`")
    values: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not DOTENV_KEY.fullmatch(key):
            die(f"Failed to parse environment file `{path}` at line {number}: {raw!r}")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            quote, value = value[0], value[1:-1]
            if quote == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0]
        values[key] = value
    return values


def cmd_run(args: list[str]) -> None:
    env_files: list[str] = []
    flags: set[str] = set()
    i = 0
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        if a == "--env-file" and i + 1 < len(args):
            env_files.append(args[i + 1])
            i += 2
            continue
        if a.startswith("--env-file="):
            env_files.append(a.split("=", 1)[1])
        elif a in RUN_FLAGS:
            flags.add(a)
        else:
            die(f"unexpected argument '{a}' found (the stand-in `uv run` supports --env-file FILE, "
                f"{', '.join(sorted(RUN_FLAGS))}, then the command)")
        i += 1
    command = args[i:]
    if not command:
        die("the stand-in `uv run` needs a command")
    if not env_files and os.environ.get("UV_ENV_FILE"):
        env_files = [os.environ["UV_ENV_FILE"]]
    if "--no-env-file" in flags or os.environ.get("UV_NO_ENV_FILE") in ("1", "true"):
        env_files = []
    loaded: dict[str, str] = {}
    for path in env_files:
        loaded.update(read_env_file(path))
    if "--no-sync" not in flags:
        cmd_sync(sorted(flags & {"--locked", "--frozen"}))
    env = {**loaded, **os.environ}
    venv = os.path.join(discover(os.getcwd())[0], os.environ.get("UV_PROJECT_ENVIRONMENT", ".venv"))
    env["VIRTUAL_ENV"] = venv
    env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env.get("PATH", os.defpath)
    try:
        os.execvpe(command[0], command, env)
    except FileNotFoundError:
        die(f"Failed to spawn: `{command[0]}`\n  Caused by: No such file or directory (os error 2)")


def check_required_version(args: list[str]) -> None:
    """uv's first check: the [tool.uv] required-version of the project it works on (a workspace's root) must
    admit this uv, else it stops before doing anything. A bare version means `==` (uv's rule)."""
    directory = args[2] if args[:2] == ["lock", "--project"] and len(args) > 2 else os.getcwd()
    if not os.path.isfile(os.path.join(directory, "pyproject.toml")):
        return  # the command itself says there is no project
    project, pyproject, _ = discover(directory)
    required = uv_settings(pyproject).get("required-version")
    if required is None:
        return
    try:
        specifiers = SpecifierSet(f"=={required}" if re.fullmatch(r"[0-9]+(\.[0-9]+)*", required) else required)
    except Exception:
        die(f"Failed to parse `required-version` `{required}` in `{os.path.join(project, 'pyproject.toml')}`")
    if Version(VERSION) not in specifiers:
        exact = str(specifiers).startswith("==") and "," not in str(specifiers)
        update = f"uv self update {str(specifiers)[2:]}" if exact else "uv self update"
        die(f"Required uv version `{required}` does not match the running version `{VERSION}`. "
            f"Update `uv` by running `{update}`.")


def main() -> None:
    args = sys.argv[1:]
    if args[:1] in (["sync"], ["lock"], ["run"]):
        check_required_version(args)
    if args in (["--version"], ["version"], ["-V"]):
        print(f"uv {VERSION} (stand-in)")
    elif args[:1] == ["sync"]:
        cmd_sync(args[1:])
    elif args[:1] == ["lock"]:
        cmd_lock(args[1:])
    elif args[:1] == ["run"]:
        cmd_run(args[1:])
    else:
        die(f"the stand-in uv supports `sync`, `run`, `lock` and `--version`, not: uv {' '.join(args)}")


if __name__ == "__main__":
    main()
