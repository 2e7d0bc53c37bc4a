import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { DCLinter } from 'dclint';
import * as dotenv from 'dotenv';
import { Project } from 'projen';
import { parse as parseYaml } from 'yaml';
import { UvPythonLibrary, UvPythonService, UvPythonServiceOptions, UvWorkspace } from '../../src';
import { WorkspaceCompose } from '../../src/compose';
import { hostPort, PortOwner, portClashProblems, publishedPorts } from '../../src/compose/checks';
import { WorkspaceDatabaseMode, WorkspaceMemberKind } from '../../src/core/workspace';
import { NeonDatabase } from '../../src/database';
import { memberVersionTable } from '../../src/database/resolve';
import { DockerStages } from '../../src/docker';
import { problemLinesOf } from '../support/errors';
import { FakeWorkspace } from '../support/fake-workspace';
import { listFiles, synthService, tempDir, withoutPost } from '../support/synth';
import { validateTree, withCompiledSchemasKept } from '../support/validate-tree';
import { ruffFindings } from '../support/validators';

/**
 * The workspace's compose.yaml, built on a hand-made workspace model (the model's shape as
 * src/core/workspace.ts defines it) over real member projects: UvPythonService members with their own
 * DockerStages and NeonDatabase, and a library with neither.
 */

interface Workspace {
  readonly dir: string;
  readonly root: Project;
  readonly model: FakeWorkspace;
  readonly compose: WorkspaceCompose;
  addService(name: string, options?: Partial<UvPythonServiceOptions>): UvPythonService;
}

function workspace(mode?: WorkspaceDatabaseMode): Workspace {
  const dir = tempDir('ws-');
  const root = new Project({ name: 'shop', outdir: dir });
  const model = new FakeWorkspace(root, mode);
  const compose = new WorkspaceCompose(root);
  const addService = (name: string, options: Partial<UvPythonServiceOptions> = {}) => {
    const memberDir = `services/${name}`;
    const pkg = name.replace(/-/g, '_');
    // A member before its project, as the model knows it while the project is constructed.
    model.add({ name, dir: memberDir, kind: WorkspaceMemberKind.SERVICE, packageDir: pkg, dependsOn: ['shared'] });
    return new UvPythonService({ name, parent: root, outdir: memberDir, app: `${pkg}.main:app`, ...options });
  };
  // A library member: no image, no database; compose.yaml has nothing of it.
  const lib = new Project({ name: 'shared', parent: root, outdir: 'libs/shared' });
  void lib;
  model.add({ name: 'shared', dir: 'libs/shared', kind: WorkspaceMemberKind.LIBRARY, packageDir: 'shared', dependsOn: [] });
  return { dir, root, model, compose, addService };
}

function synth(ws: Workspace): { files: string[]; compose: any; read(f: string): string } {
  withoutPost(() => ws.root.synth());
  const read = (f: string) => fs.readFileSync(path.join(ws.dir, f), 'utf-8');
  return { files: listFiles(ws.dir), compose: parseYaml(read('compose.yaml')), read };
}

/**
 * Every dclint finding of any level: errors (the Compose schema included) and style warnings, all rules
 * but `require-quotes-in-ports`, which guards against YAML 1.1 reading `80:80` as a base-60 number; a
 * published port here is `127.0.0.1:8001:8001`, a string in every YAML version.
 */
function dclintAll(file: string): string[] {
  const linter = new DCLinter({ rules: { 'require-quotes-in-ports': 0 }, quiet: false, debug: false, exclude: [] });
  return withCompiledSchemasKept(() => linter.lintFiles([file], false)).flatMap((r: any) => r.messages).map((m: any) => `${m.line}:${m.column} ${m.rule}: ${m.message}`);
}

/** The build context and Dockerfile of a compose service, as paths from the workspace root. */
function buildPaths(service: any): { context: string; dockerfile: string } {
  const context = path.posix.normalize(service.build.context);
  return { context, dockerfile: path.posix.join(context, service.build.dockerfile) };
}

describe.each([WorkspaceDatabaseMode.SHARED, WorkspaceDatabaseMode.PER_SERVICE])('compose.yaml of a workspace (%s)', (mode) => {
  const ws = workspace(mode);
  const orders = ws.addService('orders', { port: 8001 });
  const billing = ws.addService('billing', { port: 8002, databaseOptions: { pooledUrlEnv: 'BILLING_DB', directUrlEnv: 'BILLING_DB_DIRECT', versionTable: memberVersionTable('billing') } });
  const out = synth(ws);
  const services = out.compose.services;

  test('passes dclint (schema and every rule, warnings included) and the tree validator', async () => {
    expect(dclintAll(path.join(ws.dir, 'compose.yaml'))).toEqual([]);
    expect(await validateTree(ws.dir, ['compose.yaml'])).toEqual([]);
  });

  test('one Postgres and one PgBouncer, a migrate and an app service per service; nothing of the library', () => {
    const expected = ['billing', 'billing-migrate', 'orders', 'orders-migrate', 'pgbouncer', 'postgres'];
    if (mode === WorkspaceDatabaseMode.PER_SERVICE) expected.splice(2, 0, 'databases');
    expect(Object.keys(services)).toEqual(expected);
    expect(out.compose.name).toBe('shop');
    expect(JSON.stringify(out.compose)).not.toContain('shared');
  });

  test('each image is built from the context and Dockerfile its DockerStages declares, and they exist in the tree', () => {
    for (const [name, project] of [['orders', orders], ['billing', billing]] as const) {
      const image = DockerStages.of(project)!;
      const memberDir = path.relative(ws.dir, project.outdir);
      for (const svc of [services[name], services[`${name}-migrate`]]) {
        const { context, dockerfile } = buildPaths(svc);
        expect(context).toBe(path.posix.normalize(path.posix.join(memberDir, image.context)));
        expect(dockerfile).toBe(path.posix.join(memberDir, image.dockerfilePath));
        expect(svc.build.target).toBe(image.runtimeTarget);
        expect(fs.statSync(path.join(ws.dir, context)).isDirectory()).toBe(true);
        expect(out.files).toContain(dockerfile);
      }
    }
  });

  test('ports: each service\'s own, published on 127.0.0.1 and given to the app as PORT', () => {
    for (const [name, port] of [['orders', 8001], ['billing', 8002]] as const) {
      expect(services[name].ports).toEqual([`127.0.0.1:${port}:${port}`]);
      expect(services[name].environment.PORT).toBe(String(port));
    }
    const published = Object.values<any>(services).flatMap((s) => s.ports ?? []);
    expect(published.every((p: string) => p.startsWith('127.0.0.1:'))).toBe(true);
    expect(new Set(published.map((p: string) => p.split(':')[1])).size).toBe(published.length);
  });

  test('URL variables named as each service\'s database names them; the database per the mode', () => {
    for (const [name, project] of [['orders', orders], ['billing', billing]] as const) {
      const db = NeonDatabase.of(project)!._resolved;
      const database = mode === WorkspaceDatabaseMode.SHARED ? 'app' : name;
      const pooled = new URL(services[name].environment[db.pooledUrlEnv]);
      const direct = new URL(services[name].environment[db.directUrlEnv]);
      expect([pooled.host, direct.host]).toEqual(['pgbouncer:6432', 'postgres:5432']);
      expect([pooled.pathname, direct.pathname]).toEqual([`/${database}`, `/${database}`]);
      expect(services[`${name}-migrate`].environment).toEqual({ [db.directUrlEnv]: direct.href });
      expect(services[`${name}-migrate`].command).toEqual(db.migrateCommand.split(' '));
    }
    expect(Object.keys(services.billing.environment).sort()).toEqual(['BILLING_DB', 'BILLING_DB_DIRECT', 'PORT']);
  });

  test('each member\'s .env.example opens the database compose.yaml gives it, through the ports compose publishes', () => {
    for (const [name, project] of [['orders', orders], ['billing', billing]] as const) {
      const db = NeonDatabase.of(project)!;
      const env = dotenv.parse(out.read(`${path.relative(ws.dir, project.outdir)}/.env.example`));
      const inCompose = new URL(services[name].environment[db._resolved.pooledUrlEnv]).pathname;
      const local = [env[db._resolved.pooledUrlEnv], env[db._resolved.directUrlEnv]].map((u) => new URL(u));
      expect(local.map((u) => u.pathname)).toEqual([inCompose, inCompose]);
      expect(local.map((u) => u.host)).toEqual([services.pgbouncer.ports[0].replace(/:\d+$/, ''), services.postgres.ports[0].replace(/:\d+$/, '')]);
      expect(db.localDatabase).toBe(mode === WorkspaceDatabaseMode.SHARED ? 'app' : name);
    }
  });

  test('start order: migrations after a healthy Postgres (and their database), the app after its migrations', () => {
    for (const name of ['orders', 'billing']) {
      expect(services[name].depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        pgbouncer: { condition: 'service_healthy' },
        [`${name}-migrate`]: { condition: 'service_completed_successfully' },
      });
      const migrateAfter = Object.keys(services[`${name}-migrate`].depends_on);
      expect(migrateAfter).toEqual(mode === WorkspaceDatabaseMode.PER_SERVICE ? ['databases', 'postgres'] : ['postgres']);
    }
  });
});

describe('read at synth', () => {
  test('a service added after the component was constructed is in compose.yaml', () => {
    const ws = workspace();
    ws.addService('orders', { port: 8001 });
    const before = Object.keys(synth(ws).compose.services);
    ws.addService('late', { port: 8003 });
    const after = synth(ws).compose.services;
    expect(before).not.toContain('late');
    expect(after.late.ports).toEqual(['127.0.0.1:8003:8003']);
    expect(after.databases.command[2]).toContain('CREATE DATABASE "late"');
  });

  test('a service without a database: its app alone, no database stack when none has one', () => {
    const ws = workspace();
    ws.addService('edge', { port: 8005, database: false });
    const out = synth(ws);
    expect(Object.keys(out.compose.services)).toEqual(['edge']);
    expect(out.compose.services.edge.depends_on).toBeUndefined();
    expect(out.compose.volumes).toBeUndefined();
    expect(dclintAll(path.join(ws.dir, 'compose.yaml'))).toEqual([]);
  });
});

describe('refused at synth, nothing written', () => {
  function refused(configure: (ws: Workspace) => void, mode?: WorkspaceDatabaseMode): string[] {
    const ws = workspace(mode);
    configure(ws);
    const lines = problemLinesOf(() => withoutPost(() => ws.root.synth()));
    expect(listFiles(ws.dir)).toEqual([]);
    return lines;
  }

  test('two services publishing one port: one problem naming both, the port option and a free port', () => {
    const lines = refused((ws) => {
      ws.addService('orders', { port: 8001 });
      ws.addService('billing', { port: 8001 });
      ws.addService('stock', { port: 8002 });
    });
    expect(lines).toEqual([
      'services/billing: port: got 8001; is the port of "orders" (services/orders) too, and compose.yaml publishes every service\'s port ' +
      'on 127.0.0.1 side by side: set another port on "billing", e.g. port: 8003.',
    ]);
  });

  test('a service without a database on the local Postgres port of another\'s database stack', () => {
    const lines = refused((ws) => {
      ws.addService('orders', { port: 8001 });
      ws.addService('edge', { port: 5432, database: false });
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^services\/edge: port: got 5432; is the port of "postgres" \(the local database stack\) too, .* e\.g\. port: 5433\.$/);
  });

  test('a member named like a compose service of another', () => {
    const lines = refused((ws) => {
      ws.addService('orders', { port: 8001 });
      ws.addService('orders-migrate', { port: 8002 });
    });
    expect(lines).toEqual([
      'services/orders-migrate: name: got "orders-migrate"; compose.yaml would hold two services named "orders-migrate" ' +
      '(service "orders" and service "orders-migrate"); rename the member "orders-migrate".',
    ]);
  });

  test('shared database: two services on one version table (members get one of their own by default; here both set Alembic\'s)', () => {
    const lines = refused((ws) => {
      ws.addService('orders', { port: 8001, databaseOptions: { versionTable: 'alembic_version' } });
      ws.addService('billing', { port: 8002, databaseOptions: { versionTable: 'alembic_version' } });
    }, WorkspaceDatabaseMode.SHARED);
    expect(lines).toEqual([
      'services/billing: databaseOptions.versionTable: got "alembic_version"; services "orders" and "billing" migrate the shared ' +
      'database "app" with the same Alembic version table; give "billing" a table of its own, e.g. versionTable: "alembic_version_billing", ' +
      'or use databaseMode: WorkspaceDatabaseMode.PER_SERVICE.',
    ]);
  });

  test('on a project that is no workspace root', () => {
    const root = new Project({ name: 'plain', outdir: tempDir('ws-') });
    new WorkspaceCompose(root);
    expect(() => withoutPost(() => root.synth())).toThrow('WorkspaceCompose belongs on the root of a uv workspace; plain is not one.');
  });
});

describe('the one port-clash check, on the rendered compose document', () => {
  const owner = (name: string, rank: number): PortOwner => ({
    option: `${name}: port`, label: `"${name}"`, fix: (free) => `e.g. port: ${free}`, rank,
  });

  test('each later duplicate once, with a port no service takes', () => {
    const port = (service: string, p: number, rank: number) => ({ service, port: p, owner: owner(service, rank) });
    const problems = portClashProblems([port('a', 8000, 1), port('b', 8000, 2), port('c', 8001, 3), port('d', 8000, 4)]);
    expect(problems.map((p) => [p.option, p.value, /e\.g\. port: (\d+)/.exec(p.expected)![1]])).toEqual([
      ['b: port', 8000, '8002'],
      ['d: port', 8000, '8003'],
    ]);
  });

  test('host ports of every entry form; an entry an override wrote is named as that override, after the model\'s', () => {
    expect(['127.0.0.1:8001:8000', '8002:8000', '8003:8000/tcp', { published: 8004, target: 80 }, '8000', 9000].map(hostPort))
      .toEqual([8001, 8002, 8003, 8004, undefined, undefined]);
    const model = { services: { app: { ports: ['127.0.0.1:8000:8000'] }, postgres: { ports: ['127.0.0.1:5432:5432'] } } };
    const rendered = { services: { app: { ports: ['127.0.0.1:5432:8000'] }, postgres: { ports: ['127.0.0.1:5432:5432'] } } };
    const ports = publishedPorts(rendered, model, (service) => owner(service, service === 'postgres' ? 0 : 1));
    expect(ports.map((p) => [p.service, p.port, p.owner.option])).toEqual([
      ['postgres', 5432, 'postgres: port'],
      ['app', 5432, 'compose.yaml services.app.ports[0] (an override in .projenrc.ts)'],
    ]);
    expect(portClashProblems(ports)).toEqual([{
      option: 'compose.yaml services.app.ports[0] (an override in .projenrc.ts)',
      value: 5432,
      expected: 'is the port of "postgres" too, and compose.yaml publishes every service\'s port on 127.0.0.1 side by side: ' +
        'publish another host port in that override, e.g. "127.0.0.1:5433:8000".',
    }]);
  });
});

describe('Alembic version table', () => {
  /** The VERSION_TABLE constant of an env.py and the version_table keyword of each context.configure call, read by Python's ast. */
  function versionTables(envPy: string): { constant: string; configureKeywords: string[] } {
    const script = [
      'import ast, json, sys',
      'tree = ast.parse(sys.stdin.read())',
      'const = next(n.value.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "VERSION_TABLE")',
      'calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and ast.unparse(n.func) == "context.configure"]',
      'kw = [ast.unparse(next(k.value for k in c.keywords if k.arg == "version_table")) for c in calls]',
      'print(json.dumps({"constant": const, "configureKeywords": kw}))',
    ].join('\n');
    const r = spawnSync('python3', ['-c', script], { input: envPy, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  }

  test('a standalone service keeps alembic_version; two members of a shared database configure distinct tables; Ruff-clean', () => {
    const ws = workspace(WorkspaceDatabaseMode.SHARED);
    const services = ['orders', 'billing'].map((name, i) => ws.addService(name, {
      port: 8001 + i,
      databaseOptions: { versionTable: memberVersionTable(name) },
    }));
    const out = synth(ws);
    const found = services.map((s) => {
      const dir = path.relative(ws.dir, s.outdir);
      const envPy = out.read(`${dir}/migrations/env.py`);
      expect(ruffFindings(out.read(`${dir}/pyproject.toml`), { 'migrations/env.py': envPy })).toEqual([]);
      return versionTables(envPy);
    });
    expect(found).toEqual([
      { constant: 'alembic_version_orders', configureKeywords: ['VERSION_TABLE', 'VERSION_TABLE'] },
      { constant: 'alembic_version_billing', configureKeywords: ['VERSION_TABLE', 'VERSION_TABLE'] },
    ]);

    expect(versionTables(synthService().read('migrations/env.py')).constant).toBe('alembic_version');
  });

  test('an invalid table name is refused with the option, the value and an example', () => {
    expect(problemLinesOf(() => new NeonDatabase(new Project({ name: 'p', outdir: tempDir() }), { versionTable: 'Alembic-Version' }))).toEqual([
      'versionTable: got "Alembic-Version"; expected an unquoted PostgreSQL table name (lower-case letters, digits and "_", not starting with a digit, at most 63 characters), e.g. "alembic_version_orders".',
    ]);
  });

  test('memberVersionTable: lower case, only identifier characters, at most 63', () => {
    expect(memberVersionTable('Orders_API')).toBe('alembic_version_orders_api');
    expect(memberVersionTable('x'.repeat(80))).toHaveLength(63);
  });
});

describe('the databases service (per-service mode), its script run against PostgreSQL 15', () => {
  const PG_BIN = '/usr/lib/postgresql/15/bin';
  let dir: string;
  let port: number;
  let server: ChildProcess | undefined;
  const asNobody = (cmd: string, args: string[]) => spawnSync('runuser', ['-u', 'nobody', '--', `${PG_BIN}/${cmd}`, ...args], { encoding: 'utf-8' });
  const psql = (sql: string) => spawnSync(`${PG_BIN}/psql`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'app', '-d', 'app', '-tAc', sql], { encoding: 'utf-8' });

  beforeAll(async () => {
    dir = tempDir('pg-');
    for (const d of [path.dirname(dir), dir]) fs.chmodSync(d, 0o755);
    spawnSync('chown', ['nobody', dir]);
    // The image's superuser and first database: POSTGRES_USER=app, POSTGRES_DB=app.
    const init = asNobody('initdb', ['-D', `${dir}/data`, '-U', 'app', '--auth=trust']);
    if (init.status !== 0) throw new Error(init.stderr);
    port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(p));
      });
    });
    server = spawn('runuser', ['-u', 'nobody', '--', `${PG_BIN}/postgres`, '-D', `${dir}/data`, '-h', '127.0.0.1', '-p', String(port), '-k', dir], { stdio: 'ignore' });
    for (let i = 0; i < 100 && spawnSync(`${PG_BIN}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port), '-q']).status !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(spawnSync(`${PG_BIN}/createdb`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'app', 'app']).status).toBe(0);
  }, 60_000);

  afterAll(() => {
    if (server) asNobody('pg_ctl', ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']);
    if (server && server.exitCode === null) server.kill();
  });

  test('creates each service\'s database, and runs again (a service added later) without error', () => {
    const run = (services: string[]) => {
      const ws = workspace(WorkspaceDatabaseMode.PER_SERVICE);
      services.forEach((name, i) => ws.addService(name, { port: 8001 + i }));
      const command: string[] = synth(ws).compose.services.databases.command;
      expect(command.slice(0, 2)).toEqual(['sh', '-c']);
      // The compose network's host `postgres` is this server here.
      const script = command[2].replace(/-h postgres/g, `-h 127.0.0.1 -p ${port}`);
      return spawnSync('sh', ['-c', script], { encoding: 'utf-8', env: { ...process.env, PATH: `${PG_BIN}:${process.env.PATH}`, PGPASSWORD: 'local-only' } });
    };
    const databases = () => psql('SELECT datname FROM pg_database ORDER BY datname').stdout.trim().split('\n');
    const first = run(['orders-api', 'billing']);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(databases()).toEqual(expect.arrayContaining(['app', 'billing', 'orders_api']));
    const again = run(['orders-api', 'billing', 'late']);
    expect([again.status, again.stderr]).toEqual([0, '']);
    expect(databases()).toEqual(expect.arrayContaining(['app', 'billing', 'late', 'orders_api']));
  }, 120_000);
});

describe('through the real classes: a UvWorkspace with member services and a library', () => {
  test.each([WorkspaceDatabaseMode.PER_SERVICE, WorkspaceDatabaseMode.SHARED])('%s: every root file passes its validator; members write no compose.yaml', async (mode) => {
    const dir = tempDir('uvws-');
    const ws = new UvWorkspace({ name: 'shop', outdir: dir, databaseMode: mode });
    new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
    const orders = new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] });
    const billing = new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002 });
    // Members record their revisions in a version table of their own by default (one shared database is safe).
    expect([orders, billing].map((s) => s.database!._resolved.versionTable)).toEqual([memberVersionTable('orders'), memberVersionTable('billing')]);
    expect(WorkspaceCompose.of(ws)).toBe(ws.compose);
    withoutPost(() => ws.synth());
    const files = listFiles(dir);
    expect(files.filter((f) => f.endsWith('compose.yaml'))).toEqual(['compose.yaml']);
    const rootFiles = files.filter((f) => !/^(services|libs)\//.test(f));
    expect(await validateTree(dir, rootFiles)).toEqual([]);
    expect(dclintAll(path.join(dir, 'compose.yaml'))).toEqual([]);
    const services = parseYaml(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8')).services;
    expect(Object.keys(services).filter((n) => !['postgres', 'pgbouncer', 'databases'].includes(n))).toEqual(['billing', 'billing-migrate', 'orders', 'orders-migrate']);
    for (const name of ['orders', 'billing']) {
      const { context, dockerfile } = buildPaths(services[name]);
      expect(fs.statSync(path.join(dir, context)).isDirectory()).toBe(true);
      expect(files).toContain(dockerfile);
      expect(dockerfile).toBe(`services/${name}/Dockerfile`);
      const env = dotenv.parse(fs.readFileSync(path.join(dir, `services/${name}/.env.example`), 'utf-8'));
      expect(new URL(env.DATABASE_URL).pathname).toBe(mode === WorkspaceDatabaseMode.SHARED ? '/app' : `/${name}`);
      // The member's db:up starts the root's stack (compose looks in parent directories) and, per service, creates its database.
      const up = JSON.parse(fs.readFileSync(path.join(dir, `services/${name}/.projen/tasks.json`), 'utf-8')).tasks['db:up'].steps.map((st: any) => st.exec);
      const run = up.slice(1).map((cmd: string) => cmd.split(' ').pop());
      expect(up[0]).toBe('docker compose up --detach --wait postgres pgbouncer');
      expect(run).toEqual(mode === WorkspaceDatabaseMode.SHARED ? [] : ['databases']);
      expect(run.every((svc: string) => svc in services)).toBe(true);
    }
  }, 120_000);
});
