import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { DatabaseDriver, PoolStrategy, UvPythonServiceOptions } from '../../src';
import { ServiceCompose } from '../../src/compose';
import { NeonDatabase } from '../../src/database';
import { listFiles, synthService, tempDir, withoutPost } from '../support/synth';
import { ruffFindings } from '../support/validators';

/** Parses an INI file as Alembic does (Python's configparser, with %-interpolation of every value). */
function parseIniLikeAlembic(text: string, here: string): Record<string, Record<string, string>> {
  const script = [
    'import configparser, json, sys',
    'c = configparser.ConfigParser(defaults={"here": sys.argv[1]})',
    'c.read_string(sys.stdin.read())',
    // logging's fileConfig reads the formatter raw; Alembic interpolates everything else.
    'print(json.dumps({s: {k: c.get(s, k, raw=s.startswith("formatter_")) for k in c[s] if k != "here"} for s in c.sections()}))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, here], { input: text, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`configparser rejected the file:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** `KEY=value` lines of a dotenv file (comments and blanks skipped). */
function dotenv(text: string, { commented = false } = {}): Array<[string, string]> {
  return text.split('\n')
    .map((l) => (commented ? l.replace(/^# (?=[A-Z_][A-Z0-9_]*=)/, '') : l))
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]);
}

const LONG_POOLED = `POOLED_${'X'.repeat(57)}`;
const variants: Array<[string, Partial<UvPythonServiceOptions>]> = [
  ['defaults', {}],
  ['psycopg, client pool with overflow and pre-ping', {
    databaseOptions: {
      driver: DatabaseDriver.PSYCOPG,
      poolStrategy: PoolStrategy.CLIENT_POOL,
      poolSize: 3,
      poolMaxOverflow: 2,
      prePing: true,
      preparedStatements: false,
    },
  }],
  ['asyncpg, NullPool (serverless)', { databaseOptions: { poolStrategy: PoolStrategy.NULL_POOL } }],
  ['64-character variable names, nested migrations dir, nested app, python 3.10', {
    app: 'svc.api.main:application',
    pythonVersion: '3.10',
    databaseOptions: { pooledUrlEnv: LONG_POOLED, directUrlEnv: 'NEON_DIRECT_URL', migrationsDir: 'db/migrations' },
  }],
  ['without docker', { docker: false }],
  ['verifyServerCertificate off', { databaseOptions: { verifyServerCertificate: false } }],
];

describe.each(variants)('database files (%s)', (_label, options) => {
  const s = synthService(options);
  const db = s.project._resolved.database!;
  const pkg = s.project._resolved.app.packageDir;
  const mig = db.migrationsDir;

  test('the managed and written-once files exist', () => {
    expect(s.files).toEqual(expect.arrayContaining([
      `${pkg}/db.py`, `${pkg}/models.py`, 'alembic.ini', `${mig}/env.py`, `${mig}/script.py.mako`,
      `${mig}/versions/0001_create_item.py`, '.env.example', 'compose.yaml', `${s.project._resolved.testsDir}/test_items.py`,
    ]));
  });

  test('every generated Python file is clean under Ruff (lint and format) with the service\'s config', () => {
    const py = s.files.filter((f) => f.endsWith('.py'));
    expect(py.length).toBeGreaterThanOrEqual(7);
    expect(ruffFindings(s.read('pyproject.toml'), Object.fromEntries(py.map((f) => [f, s.read(f)])))).toEqual([]);
  });

  test('db.py reads the pooled variable; env.py the direct one and never the pooled one', () => {
    const dbPy = s.read(`${pkg}/db.py`);
    expect(dbPy).toContain(`POOLED_URL_ENV = "${db.pooledUrlEnv}"`);
    expect(dbPy).toContain(`DIRECT_URL_ENV = "${db.directUrlEnv}"`);
    expect(dbPy).toContain(`DRIVER = "${db.driver}"`);
    expect(dbPy).toContain(`USE_CLIENT_POOL = ${db.poolStrategy === PoolStrategy.CLIENT_POOL ? 'True' : 'False'}`);
    expect(dbPy).toContain(`PRE_PING = ${db.prePing ? 'True' : 'False'}`);
    expect(dbPy).toContain(`PREPARED_STATEMENTS = ${db.preparedStatements ? 'True' : 'False'}`);
    expect(dbPy).toContain(`VERIFY_SERVER = ${db.verifyServerCertificate ? 'True' : 'False'}`);
    // The options are the defaults of the settings' variables (DB_POOL_SIZE, ...).
    expect(dbPy).toContain(`pool_size: int = Field(default=${db.poolSize}, ge=1`);
    expect(dbPy).toContain(`pool_max_overflow: int = Field(default=${db.poolMaxOverflow}, ge=0`);
    expect(dbPy).toContain(`statement_timeout_seconds: float = Field(default=${db.statementTimeoutSeconds}, gt=0`);
    const code = s.read(`${mig}/env.py`).replace(/"""[\s\S]*?"""/g, '');
    expect(code).toContain(`from ${pkg}.db import DIRECT_URL_ENV, create_engine_from_env, database_settings`);
    expect(code).toContain(`import ${pkg}.models`);
    expect(code).toContain('create_engine_from_env(DIRECT_URL_ENV, pooled=False)');
    expect(code).not.toContain('POOLED_URL_ENV');
    expect(code).not.toContain(db.pooledUrlEnv);
    expect(code).toContain('compare_type=True');
    expect(code).toContain('target_metadata = SQLModel.metadata');
  });

  test('compose.yaml (yaml parser): Postgres healthy, PgBouncer in transaction mode, 127.0.0.1 only', () => {
    const compose = parseYaml(s.read('compose.yaml'));
    const services = compose.services;
    const hasApp = s.project._resolved.docker !== undefined;
    expect(Object.keys(services).sort()).toEqual(hasApp ? ['app', 'migrate', 'pgbouncer', 'postgres'] : ['pgbouncer', 'postgres']);
    for (const svc of Object.values<any>(services)) {
      for (const port of svc.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    expect(services.postgres.healthcheck.test).toContain('pg_isready');
    expect(services.pgbouncer.healthcheck.test).toContain('pg_isready');
    expect(services.pgbouncer.environment.POOL_MODE).toBe('transaction');
    expect(Number(services.pgbouncer.environment.MAX_PREPARED_STATEMENTS)).toBeGreaterThan(0);
    expect(services.pgbouncer.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(compose.volumes).toHaveProperty(services.postgres.volumes[0].split(':')[0]);
    if (!hasApp) return;
    const pooled = new URL(services.app.environment[db.pooledUrlEnv]);
    const direct = new URL(services.app.environment[db.directUrlEnv]);
    expect(`${pooled.hostname}:${pooled.port}`).toBe(`pgbouncer:${services.pgbouncer.environment.LISTEN_PORT}`);
    expect(direct.hostname).toBe('postgres');
    expect(Object.keys(services.migrate.environment)).toEqual([db.directUrlEnv]);
    expect(services.migrate.command.join(' ')).toBe(db.migrateCommand);
    expect(services.app.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      pgbouncer: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
    });
    expect(services.app.build.target).toBe(s.project._resolved.docker!.runtimeStage);
    expect(services.app.ports).toEqual([`127.0.0.1:${s.project._resolved.port}:${s.project._resolved.port}`]);
    // The runtime CMD listens on $PORT: the container port compose publishes.
    expect(services.app.environment.PORT).toBe(services.app.ports[0].split(':')[2]);
  });

  test('alembic.ini parses as Alembic reads it and holds no URL', () => {
    const ini = parseIniLikeAlembic(s.read('alembic.ini'), s.dir);
    expect(ini.alembic.script_location).toBe(`${s.dir}/${mig}`);
    expect(ini.alembic.file_template).toContain('%(rev)s');
    expect(ini.alembic).not.toHaveProperty('sqlalchemy.url');
    expect(s.read('alembic.ini')).not.toMatch(/:\/\//);
    expect(ini.post_write_hooks.hooks.split(/,\s*/)).toEqual(['ruff_fix', 'ruff_format']);
    expect(ini.loggers.keys.split(',')).toEqual(expect.arrayContaining(['root', 'alembic']));
  });

  test('.env.example sets both variables to the local stack and shows Neon-shaped placeholders', () => {
    const text = s.read('.env.example');
    const active = dotenv(text);
    expect(active.map(([k]) => k)).toEqual([db.pooledUrlEnv, db.directUrlEnv]);
    const [localPooled, localDirect] = active.map(([, v]) => new URL(v));
    expect([localPooled.hostname, localDirect.hostname]).toEqual(['127.0.0.1', '127.0.0.1']);
    const compose = parseYaml(s.read('compose.yaml'));
    expect(`127.0.0.1:${localPooled.port}:${localPooled.port}`).toBe(compose.services.pgbouncer.ports[0]);
    expect(compose.services.postgres.ports[0]).toBe(`127.0.0.1:${localDirect.port}:5432`);

    const neon = dotenv(text, { commented: true }).filter(([, v]) => v.includes('neon.tech'));
    expect(neon.map(([k]) => k)).toEqual([db.pooledUrlEnv, db.directUrlEnv]);
    const [neonPooled, neonDirect] = neon.map(([, v]) => new URL(v));
    expect(neonPooled.hostname).toMatch(/-pooler\./);
    expect(neonDirect.hostname).not.toMatch(/-pooler/);
    for (const u of [neonPooled, neonDirect]) {
      expect(u.searchParams.get('sslmode')).toBe('require');
      expect(u.password).toBe('PASSWORD');
    }
  });

  test('the local URLs (.env.example, compose) say sslmode=disable: no TLS, never leaving the machine', () => {
    const local = dotenv(s.read('.env.example')).map(([, v]) => new URL(v));
    const compose = parseYaml(s.read('compose.yaml')).services;
    const inContainers = Object.values<any>(compose)
      .flatMap((svc) => Object.entries<string>(svc.environment ?? {}))
      .filter(([k]) => k === db.pooledUrlEnv || k === db.directUrlEnv)
      .map(([, v]) => new URL(v));
    expect(inContainers).toHaveLength(s.project._resolved.docker ? 3 : 0);
    for (const u of [...local, ...inContainers]) {
      expect([...u.searchParams.entries()]).toEqual([['sslmode', 'disable']]);
      expect(['127.0.0.1', 'postgres', 'pgbouncer']).toContain(u.hostname);
    }
    expect(local.map((u) => u.hostname)).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  test('.env.example and the README section say what each sslmode gives and recommend verify-full', () => {
    const envText = s.read('.env.example');
    const readme = s.project.database!.readmeSection;
    const modes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];
    // The README's table: one row per mode, with what it encrypts and whether it authenticates.
    const rows = readme.split('\n').filter((l) => /^\| `(disable|allow|require|verify-ca|verify-full)`/.test(l));
    expect(rows.flatMap((r) => [...r.split('|')[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1])).sort())
      .toEqual([...modes].sort());
    expect(rows.find((r) => r.startsWith('| `require`'))).toMatch(/\| yes \| no: any certificate is accepted/);
    expect(readme).toContain('`?sslmode=verify-full&sslrootcert=system`');
    expect(readme).toMatch(db.driver === DatabaseDriver.PSYCOPG
      ? /with psycopg, libpq binds the SCRAM login to the TLS channel/
      : /asyncpg cannot bind the login to the TLS channel, so the server is authenticated by its certificate/);
    expect(readme).toContain(db.verifyServerCertificate
      ? '(`verifyServerCertificate`, on), every TLS connection to another machine is made with `verify-full`'
      : '`verifyServerCertificate` is off');
    for (const mode of modes.filter((m) => m !== 'allow' && m !== 'prefer')) {
      expect(envText).toMatch(new RegExp(`^#   ${mode} +\\S`, 'm'));
    }
    expect(envText).toContain('?sslmode=verify-full&sslrootcert=system');
    expect(envText).toContain(`verifyServerCertificate is ${db.verifyServerCertificate ? 'on' : 'off'}`);
  });

  test('pyproject.toml depends on the driver and the migration tools', () => {
    const deps: string[] = (parseToml(s.read('pyproject.toml')) as any).project.dependencies;
    for (const d of db.deps) expect(deps).toContain(d);
    expect(deps.some((d) => d.startsWith(db.driver === DatabaseDriver.PSYCOPG ? 'psycopg' : 'asyncpg'))).toBe(true);
  });

  test('db tasks: compose up/down, migrate and revision through uv', () => {
    const tasks = JSON.parse(s.read('.projen/tasks.json')).tasks;
    expect(tasks['db:up'].steps[0].exec).toBe('docker compose up --detach --wait postgres pgbouncer');
    expect(tasks['db:down'].steps[0].exec).toBe('docker compose down');
    expect(tasks['db:migrate'].steps.map((x: any) => [x.spawn, ...x.args])).toEqual([['run', 'alembic', '-c', 'alembic.ini', 'upgrade', 'head']]);
    expect(tasks['db:revision'].steps.map((x: any) => [x.spawn, ...x.args, x.receiveArgs])).toEqual([
      ['run', 'alembic', '-c', 'alembic.ini', 'revision', '--autogenerate', '-m', true],
    ]);
  });

  test('the README describes the database files as managed or written once', () => {
    const readme = s.read('README.md');
    expect(readme).toMatch(/\| `compose\.yaml` \| managed \|/);
    expect(readme).toMatch(new RegExp(`\\| \`${pkg}/models\\.py\` \\| written once \\|`));
    expect(readme).toMatch(new RegExp(`\\| \`${mig}/versions/\` \\| written once \\|`));
  });
});

describe('the tasks that run the service\'s code, through projen\'s task runner', () => {
  test('load .env when it exists and use the environment otherwise, each argument passed on as one', () => {
    const s = synthService();
    const bin = tempDir('fake-uv-');
    // One line per call, its arguments separated by "|": a message with spaces must stay one argument.
    fs.writeFileSync(path.join(bin, 'uv'), '#!/bin/sh\n(IFS="|"; echo "uv|$*") >> "$UV_CALLS"\n', { mode: 0o755 });
    const calls = path.join(bin, 'calls.txt');
    const run = (...args: string[]) => {
      const r = spawnSync(path.join(__dirname, '..', '..', 'node_modules', '.bin', 'projen'), args, {
        cwd: s.dir, encoding: 'utf-8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, UV_CALLS: calls },
      });
      expect(r.status).toBe(0);
      const out = fs.readFileSync(calls, 'utf-8').trim().split('\n');
      fs.rmSync(calls);
      return out;
    };
    expect(run('db:migrate')).toEqual(['uv|run|alembic|-c|alembic.ini|upgrade|head']);
    expect(run('test', '-k', 'items')).toEqual(['uv|run|pytest|-k|items']);
    fs.writeFileSync(path.join(s.dir, '.env'), 'DATABASE_URL_UNPOOLED=postgresql://localhost/app\n');
    expect(run('db:migrate')).toEqual(['uv|run|--env-file|.env|alembic|-c|alembic.ini|upgrade|head']);
    expect(run('db:revision', 'add price to item')).toEqual([
      'uv|run|--env-file|.env|alembic|-c|alembic.ini|revision|--autogenerate|-m|add price to item',
    ]);
    expect(run('dev')).toEqual(['uv|run|--env-file|.env|uvicorn|app.main:app|--reload|--host|127.0.0.1|--port|8000']);
  });
});

describe('migrations/versions belongs to the user', () => {
  const first = 'migrations/versions/0001_create_item.py';

  test('a deleted or edited migration is never restored nor overwritten', () => {
    const s = synthService();
    const mine = 'migrations/versions/2025_06_01_1200-abc_add_price.py';
    fs.writeFileSync(path.join(s.dir, mine), '"""mine"""\n');
    const edited = `${s.read(first)}\n# edited\n`;
    fs.writeFileSync(path.join(s.dir, first), edited);
    synthService({}, undefined, s.dir);
    expect(s.read(first)).toBe(edited);
    expect(s.read(mine)).toBe('"""mine"""\n');

    fs.rmSync(path.join(s.dir, first));
    const again = synthService({}, undefined, s.dir);
    expect(again.files).not.toContain(first);
    expect(again.files).toContain(mine);
  });

  test('no first migration when versions/ already exists', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'migrations', 'versions'), { recursive: true });
    const s = synthService({}, undefined, dir);
    expect(s.files.filter((f) => f.startsWith('migrations/versions/'))).toEqual([]);
  });

  test('turning the database off removes the managed files and keeps the user\'s', () => {
    const s = synthService();
    const off = synthService({ database: false }, undefined, s.dir);
    for (const f of ['app/db.py', 'alembic.ini', 'migrations/env.py', 'compose.yaml', '.env.example']) {
      expect(off.files).not.toContain(f);
    }
    expect(off.files).toEqual(expect.arrayContaining([first, 'app/models.py', 'app/main.py']));
  });
});

describe('NeonDatabase in any projen project', () => {
  test('writes its files for the given package; compose.yaml, when the project has one, runs its local stack', () => {
    const dir = tempDir();
    const project = new Project({ name: 'plain', outdir: dir });
    const database = new NeonDatabase(project, { appPackage: 'svc', migrationsDir: 'db/migrations' });
    withoutPost(() => project.synth());
    const files = listFiles(dir);
    expect(files).toEqual(expect.arrayContaining([
      'svc/db.py', 'svc/models.py', 'alembic.ini', 'db/migrations/env.py', 'db/migrations/versions/0001_create_item.py', '.env.example',
    ]));
    expect(files).not.toContain('compose.yaml');
    expect(database._files.map((f) => f.path)).toEqual(expect.arrayContaining(['svc/db.py', '.env.example']));
    expect(database.readmeSection).toContain('`DATABASE_URL_UNPOOLED`');
    expect(project.tasks.all.map((t) => t.name)).toEqual(expect.arrayContaining(['db:up', 'db:down', 'db:migrate', 'db:revision']));

    const withCompose = new Project({ name: 'plain', outdir: tempDir() });
    new NeonDatabase(withCompose, { appPackage: 'svc' });
    const compose = new ServiceCompose(withCompose);
    withoutPost(() => withCompose.synth());
    expect(ServiceCompose.of(withCompose)).toBe(compose);
    expect(Object.keys(parseYaml(fs.readFileSync(path.join(withCompose.outdir, 'compose.yaml'), 'utf-8')).services)).toEqual(['pgbouncer', 'postgres']);
  });

  test('a service gives it its own options: the facts it resolved with every other option', () => {
    const s = synthService({ databaseOptions: { poolStrategy: PoolStrategy.CLIENT_POOL, poolSize: 3 } });
    expect(s.project.database!._resolved).toEqual(s.project._resolved.database);
    expect(s.project.database!.appPackage).toBe(s.project._resolved.app.packageDir);
  });

  test('the escape hatch reaches compose.yaml', () => {
    const s = synthService({}, (p) => p.compose!.file.addOverride('services.postgres.image', 'postgres:16-alpine'));
    expect(parseYaml(s.read('compose.yaml')).services.postgres.image).toBe('postgres:16-alpine');
  });
});

describe('without the database', () => {
  test('the sample app has the health route only, no database file, and is Ruff-clean', () => {
    const s = synthService({ database: false });
    expect(s.files.filter((f) => /db\.py|models\.py|alembic|migrations|compose|\.env|test_items/.test(f))).toEqual([]);
    expect(s.read('app/main.py')).not.toContain('lifespan');
    const py = s.files.filter((f) => f.endsWith('.py'));
    expect(ruffFindings(s.read('pyproject.toml'), Object.fromEntries(py.map((f) => [f, s.read(f)])))).toEqual([]);
    const deps: string[] = (parseToml(s.read('pyproject.toml')) as any).project.dependencies;
    expect(deps.some((d) => /^(sqlmodel|asyncpg|alembic)/.test(d))).toBe(false);
  });
});

describe('script.py.mako', () => {
  test('carries the marker as a Mako comment and renders typed revision variables', () => {
    const text = synthService().read('migrations/script.py.mako');
    expect(text.split('\n')[0]).toMatch(/^## ~~ Generated by projen/);
    expect(text).toContain('revision: str = ${repr(up_revision)}');
    expect(text).toContain('down_revision: str | Sequence[str] | None = ${repr(down_revision)}');
    expect(text).toContain('${upgrades if upgrades else "pass"}');
  });
});
