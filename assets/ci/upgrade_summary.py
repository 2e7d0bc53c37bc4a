"""Writes the body of the upgrade pull request: what moved between HEAD and the staged tree.

Usage: python upgrade_summary.py BODY_PATH (run at the repository root, after "git add --all").
Reads each file as committed (git show HEAD:<file>) and as staged (git show :<file>).
"""

import json
import subprocess
import sys
import tomllib

TOOLCHAIN = ["projen-uv-service", "projen", "constructs", "tsx"]


def git_show(spec):
    """The text of a file at a git revision spec, or None when it does not exist there."""
    result = subprocess.run(["git", "show", spec], capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else None


def npm_versions(text):
    """Installed version of each toolchain package in a package-lock.json."""
    if text is None:
        return {}
    packages = json.loads(text).get("packages", {})
    found = {}
    for name in TOOLCHAIN:
        version = packages.get(f"node_modules/{name}", {}).get("version")
        if version is not None:
            found[name] = version
    return found


def locked_packages(text):
    """Version of each package in a uv.lock."""
    if text is None:
        return {}
    return {p["name"]: p.get("version", "?") for p in tomllib.loads(text).get("package", [])}


def uv_version(text):
    """The uv release a pyproject's uv_build requirement starts from (the service's uvVersion)."""
    if text is None:
        return None
    for requirement in tomllib.loads(text).get("build-system", {}).get("requires", []):
        if requirement.replace(" ", "").startswith("uv_build>="):
            return requirement.replace(" ", "").split(">=")[1].split(",")[0]
    return None


def python_version(text):
    return text.strip() if text else None


def moved(before, after):
    """Rows "name | before | after" for every name whose value differs."""
    rows = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            rows.append(f"| `{name}` | {old or '(none)'} | {new or '(removed)'} |")
    return rows


def both(path, read):
    return read(git_show(f"HEAD:{path}")), read(git_show(f":{path}"))


def main(body_path):
    sections = ["Upgrade of the projen toolchain, the defaults it carries, and the locked Python packages."]

    tools = moved(*both("package-lock.json", npm_versions))
    singles = {}
    for label, path, read in [("uv", "pyproject.toml", uv_version), ("Python", ".python-version", python_version)]:
        old, new = both(path, read)
        singles[label] = (old, new)
    rows = tools + [f"| {k} | {o or '(none)'} | {n or '(none)'} |" for k, (o, n) in singles.items() if o != n]
    if rows:
        sections.append("\n".join(["## Toolchain", "", "| what | before | after |", "| --- | --- | --- |", *rows]))

    packages = moved(*both("uv.lock", locked_packages))
    if packages:
        table = ["| package | before | after |", "| --- | --- | --- |", *packages]
        sections.append("\n".join([f"## Python packages ({len(packages)})", "", *table]))

    changed = subprocess.run(
        ["git", "diff", "--cached", "--name-only"], capture_output=True, text=True, check=True
    ).stdout.split()
    sections.append("\n".join(["## Files", "", *[f"- `{f}`" for f in changed]]))
    with open(body_path, "w", encoding="utf-8") as out:
        out.write("\n\n".join(sections) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
