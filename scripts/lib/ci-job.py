#!/usr/bin/env python3
"""Reads one job of a generated GitHub Actions workflow for scripts/suites/ci-test-job.sh, and turns its PgBouncer
service container's environment into a pgbouncer.ini the way that image's entrypoint does.

  ci-job.py services WORKFLOW JOB
      prints the job's service containers as JSON: {id: {"image", "env", "ports"}}
  ci-job.py steps WORKFLOW JOB PORTS_JSON OUT_DIR
      writes OUT_DIR/<n>.sh (the step's `run` script) and OUT_DIR/<n>.env (its `env`, NAME=value lines; the
      job's `env` and `defaults.run.working-directory` applied as GitHub does), and prints one line per step:
      "<n> <id> run <working-directory>" or "<n> <id> uses <action>". Expressions: only
      `${{ job.services.<id>.ports['<port>'] }}` is known (replaced by PORTS_JSON[id][port], the host port a
      real server got); any other `${{ }}` is an error, so nothing is silently left unset.
  ci-job.py pgbouncer ENV_JSON SERVICES_MAP_JSON LISTEN_PORT DIR DIR_IN_ROOTFS
      writes DIR/pgbouncer.ini and DIR/userlist.txt from the edoburu/pgbouncer image's variables, as its
      entrypoint.sh writes them (github.com/edoburu/docker-pgbouncer): DB_HOST, DB_PORT, DB_USER, DB_PASSWORD,
      DB_NAME, AUTH_TYPE (default md5), POOL_MODE, MAX_PREPARED_STATEMENTS, DEFAULT_POOL_SIZE,
      MAX_CLIENT_CONN, LISTEN_PORT (default 5432), IGNORE_STARTUP_PARAMETERS (default extra_float_digits),
      ADMIN_USERS (default postgres), STATS_USERS. Any other variable is an error (this mapping would ignore
      it, the image would not). DB_HOST must be a service id of SERVICES_MAP_JSON ({id: {"host", "port",
      "container_port"}}: where that server really listens, and the port its container publishes); LISTEN_PORT is replaced by the free LISTEN_PORT given.
"""

import json
import os
import re
import sys

import yaml

PORT_EXPR = re.compile(r"\$\{\{\s*job\.services\.([A-Za-z0-9_-]+)\.ports\['(\d+)'\]\s*\}\}")
ANY_EXPR = re.compile(r"\$\{\{.*?\}\}")


def job_of(workflow, name):
    with open(workflow, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    jobs = doc.get("jobs") or {}
    if name not in jobs:
        sys.exit(f"ci-job.py: {workflow} has no job {name!r} (jobs: {', '.join(jobs)})")
    return doc, jobs[name]


def services(workflow, name):
    _, job = job_of(workflow, name)
    out = {}
    for sid, svc in (job.get("services") or {}).items():
        out[sid] = {
            "image": svc.get("image"),
            "env": {k: str(v) for k, v in (svc.get("env") or {}).items()},
            "ports": [str(p) for p in svc.get("ports") or []],
        }
    print(json.dumps(out))


def expand(text, ports, where):
    def port(m):
        sid, p = m.group(1), m.group(2)
        if p not in ports.get(sid, {}):
            sys.exit(f"ci-job.py: {where} reads job.services.{sid}.ports['{p}'], which the job does not publish")
        return str(ports[sid][p])

    text = PORT_EXPR.sub(port, text)
    left = ANY_EXPR.search(text)
    if left:
        sys.exit(f"ci-job.py: {where} uses {left.group(0)}, which this local run cannot evaluate")
    return text


def steps(workflow, name, ports_json, out_dir):
    doc, job = job_of(workflow, name)
    ports = json.loads(ports_json)
    job_env = {**(doc.get("env") or {}), **(job.get("env") or {})}
    defaults = ((job.get("defaults") or doc.get("defaults") or {}).get("run") or {})
    for n, step in enumerate(job.get("steps") or [], start=1):
        sid = step.get("id") or f"step{n}"
        if "uses" in step:
            print(n, sid, "uses", step["uses"])
            continue
        where = f"step {sid}"
        env = {**job_env, **(step.get("env") or {})}
        with open(os.path.join(out_dir, f"{n}.env"), "w", encoding="utf-8") as f:
            for k, v in env.items():
                value = expand(str(v), ports, f"{where} env {k}")
                if "\n" in value:
                    sys.exit(f"ci-job.py: {where} env {k} spans lines")
                f.write(f"{k}={value}\n")
        with open(os.path.join(out_dir, f"{n}.sh"), "w", encoding="utf-8") as f:
            f.write(expand(step["run"], ports, f"{where} run") + "\n")
        shell = step.get("shell") or defaults.get("shell") or "bash"
        if shell != "bash":
            sys.exit(f"ci-job.py: {where} runs in {shell!r}; this local run knows bash only")
        print(n, sid, "run", step.get("working-directory") or defaults.get("working-directory") or ".")


KNOWN = {
    "DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_NAME", "AUTH_TYPE", "POOL_MODE",
    "MAX_PREPARED_STATEMENTS", "DEFAULT_POOL_SIZE", "MAX_CLIENT_CONN", "LISTEN_PORT",
    "IGNORE_STARTUP_PARAMETERS", "ADMIN_USERS", "STATS_USERS",
}
# Variables written as "key = value" when set, as the entrypoint's ${VAR:+key = ${VAR}} lines.
OPTIONAL = {
    "POOL_MODE": "pool_mode", "MAX_PREPARED_STATEMENTS": "max_prepared_statements",
    "DEFAULT_POOL_SIZE": "default_pool_size", "MAX_CLIENT_CONN": "max_client_conn",
    "STATS_USERS": "stats_users",
}


def pgbouncer(env_json, services_map_json, listen_port, out_dir, dir_in_rootfs):
    env = json.loads(env_json)
    targets = json.loads(services_map_json)
    unknown = sorted(set(env) - KNOWN)
    if unknown:
        sys.exit(f"ci-job.py: the pgbouncer container sets {', '.join(unknown)}, which this mapping does not know")
    host = env.get("DB_HOST")
    if not host:
        sys.exit("ci-job.py: the pgbouncer container has no DB_HOST (the image stops: 'You must set DB_HOST env')")
    if host not in targets:
        sys.exit(f"ci-job.py: the pgbouncer container's DB_HOST={host} is no service of the job ({', '.join(targets)})")
    target = targets[host]
    if env.get("DB_PORT", "5432") != target["container_port"]:
        sys.exit(f"ci-job.py: DB_PORT={env.get('DB_PORT', '5432')} is not the port {host} listens on ({target['container_port']})")
    auth_type = env.get("AUTH_TYPE", "md5")
    user, password = env.get("DB_USER"), env.get("DB_PASSWORD")
    with open(os.path.join(out_dir, "userlist.txt"), "w", encoding="utf-8") as f:
        if user and password:
            # The entrypoint writes the password as given for plain and scram-sha-256, an md5 hash otherwise.
            if auth_type not in ("plain", "scram-sha-256"):
                sys.exit(f"ci-job.py: AUTH_TYPE={auth_type} (md5 userlist) is not mapped; use scram-sha-256")
            f.write(f'"{user}" "{password}"\n')
    lines = [
        "[databases]",
        f"{env.get('DB_NAME', '*')} = host={target['host']} port={target['port']} auth_user={user or 'postgres'}",
        "",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {listen_port}",
        "unix_socket_dir =",
        f"auth_file = {dir_in_rootfs}/userlist.txt",
        f"auth_type = {auth_type}",
        f"ignore_startup_parameters = {env.get('IGNORE_STARTUP_PARAMETERS', 'extra_float_digits')}",
        f"admin_users = {env.get('ADMIN_USERS', 'postgres')}",
    ]
    lines += [f"{key} = {env[var]}" for var, key in OPTIONAL.items() if env.get(var)]
    print(f"listen_port: the container's {env.get('LISTEN_PORT', '5432')} -> {listen_port}", file=sys.stderr)
    with open(os.path.join(out_dir, "pgbouncer.ini"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"services": services, "steps": steps, "pgbouncer": pgbouncer}[cmd](*args)
