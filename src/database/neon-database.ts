import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { IniFile } from 'projen/lib/ini';
import { Project } from 'projen/lib/project';
import { SampleFile } from 'projen/lib/sample-file';
import { TextFile } from 'projen/lib/textfile';
import { alembicIniModel } from './alembic';
import { DatabaseDriver, PoolStrategy } from './enums';
import { DatabaseFile, FIRST_REVISION, MEASURED_POST_ITEMS_PER_SECOND, databaseModuleFile } from './files';
import { LOCAL_DB, LOCAL_STACK, localDatabaseOf, localUrl } from './local-stack';
import { NeonDatabaseOptions } from './options';
import { resolveAppPackage, resolveDatabaseOptions, ResolvedDatabase } from './resolve';
import { checkKnownOptions } from '../core/known-options';
import { checkNoSecrets } from '../core/option-reader';
import { OptionProblem, Problems, ServiceConfigError } from '../core/problems';
import { modelObject, overridden, renderedObject } from '../core/rendered';
import { renderTemplate } from '../core/template';
import { addSettingsLoader, DEFAULT_READY_TIMEOUT_SECONDS, ensureSettingsModule } from '../python/settings-module';
import { addUvRunTask, ENV_FILE } from '../python/tasks';

/** Default of DB_POOL_RECYCLE_SECONDS: under Neon's 5 minutes of scale-to-zero delay. */
const POOL_RECYCLE_SECONDS = 240;
/** Default of DB_MIGRATION_STATEMENT_TIMEOUT_SECONDS: an index build may take minutes, not hours. */
const MIGRATION_STATEMENT_TIMEOUT_SECONDS = 600;

/** A variable of the runtime settings, for the README's table. */
interface SettingRow {
  readonly name: string;
  readonly fallback: string;
  readonly meaning: string;
}

/**
 * Every variable of db.py's DatabaseSettings, with its default. settings.py's own (LOG_LEVEL, LOG_FORMAT,
 * READY_TIMEOUT_SECONDS) join the table with the logging and readiness that read them.
 */
function settingsRows(db: ResolvedDatabase): SettingRow[] {
  const clientPool = db.poolStrategy === PoolStrategy.CLIENT_POOL;
  const pool = clientPool ? '' : ' (unused with `PoolStrategy.NULL_POOL`)';
  return [
    { name: db.pooledUrlEnv, fallback: '(required)', meaning: 'the pooled URL the application uses' },
    { name: db.directUrlEnv, fallback: '(required by migrations)', meaning: 'the direct URL migrations use' },
    { name: 'DB_POOL_SIZE', fallback: String(db.poolSize), meaning: `connections the client pool keeps open per uvicorn worker${pool}` },
    { name: 'DB_POOL_MAX_OVERFLOW', fallback: String(db.poolMaxOverflow), meaning: `connections opened beyond the pool in a burst${pool}` },
    { name: 'DB_POOL_TIMEOUT_SECONDS', fallback: String(db.poolTimeoutSeconds), meaning: `how long a request waits for a free pooled connection (then 503)${pool}` },
    { name: 'DB_POOL_RECYCLE_SECONDS', fallback: String(POOL_RECYCLE_SECONDS), meaning: `a pooled connection this old is reopened (under Neon's 5 minutes of scale-to-zero)${pool}` },
    { name: 'DB_STATEMENT_TIMEOUT_SECONDS', fallback: String(db.statementTimeoutSeconds), meaning: 'the longest one statement of the app runs (then 504)' },
    { name: 'DB_CONNECT_TIMEOUT_SECONDS', fallback: String(db.connectTimeoutSeconds), meaning: 'the longest a new connection (TCP, TLS, login) takes' },
    { name: 'DB_MIGRATION_LOCK_TIMEOUT_SECONDS', fallback: String(db.migrationLockTimeoutSeconds), meaning: 'how long a migration waits for a lock before it fails' },
    { name: 'DB_MIGRATION_STATEMENT_TIMEOUT_SECONDS', fallback: String(MIGRATION_STATEMENT_TIMEOUT_SECONDS), meaning: 'the longest one statement of a migration runs' },
    { name: 'LOG_LEVEL', fallback: 'info', meaning: 'the lowest level of log line written: debug, info, warning, error or critical' },
    { name: 'LOG_FORMAT', fallback: 'json', meaning: 'json (one object per line on stdout) or text (`npx projen dev` writes text unless the shell sets it)' },
    { name: 'READY_TIMEOUT_SECONDS', fallback: String(DEFAULT_READY_TIMEOUT_SECONDS), meaning: 'how long the readiness check waits for `SELECT 1` through the pool (then 503)' },
  ];
}

/**
 * Postgres on Neon for a Python service: the async engine on the pooled URL, Alembic migrations over
 * the direct URL, `.env.example`, and the local database stack (Postgres + PgBouncer in transaction
 * mode) that `compose.yaml` runs (`ServiceCompose`, which reads this component's facts at synth).
 *
 * Managed: `<package>/db.py`, `alembic.ini`, `<migrations>/env.py`, `<migrations>/script.py.mako`,
 * `.env.example`; tasks `db:up`, `db:down`, `db:migrate`, `db:revision`.
 * Written once: `<package>/models.py` and, when `<migrations>/versions/` does not exist yet, a first
 * migration. Synth never touches `<migrations>/versions/` otherwise.
 *
 * `UvPythonService` adds it by default (`database`, `databaseOptions`); any projen project can add it
 * with `new NeonDatabase(project, { appPackage: 'app' })`. Invalid props, unknown keys included, fail at
 * construction with one error listing every problem.
 */
export class NeonDatabase extends Component {
  /**
   * The project's `NeonDatabase`, or undefined when it has none: how other components (the
   * Dockerfile preset, compose.yaml, CI, the manifests) read the database's facts at synth, like
   * projen's `GitHub.of(project)`.
   */
  public static of(project: Project): NeonDatabase | undefined {
    const isNeonDatabase = (c: Component): c is NeonDatabase => c instanceof NeonDatabase;
    return project.components.find(isNeonDatabase);
  }

  /**
   * The options after defaults and validation: the facts the other files read (variable names, the
   * migrations directory and command, the version table, the driver's requirements).
   *
   * @internal
   */
  public readonly _resolved: ResolvedDatabase;
  /** Python package holding `db.py` and `models.py`. */
  public readonly appPackage: string;
  /**
   * The database of the local compose stack the local URLs (`.env.example`, compose.yaml) open: `app`,
   * or in a uv workspace with a database per service (`WorkspaceDatabaseMode.PER_SERVICE`) the
   * member's own (`orders-api` -> `orders_api`).
   */
  public readonly localDatabase: string;
  /** `alembic.ini`. */
  public readonly alembicIni: IniFile;
  /** `.env.example`. */
  public readonly envExample: TextFile;
  /**
   * Every file this component generates or may create, with what it is for (the service README).
   *
   * @internal
   */
  public readonly _files: DatabaseFile[] = [];
  /** Markdown section for the service README: the two URLs, local compose, migrations. */
  public readonly readmeSection: string;
  /**
   * The files of this component an image of the application needs, relative to the project root: the
   * database module and the models (inside the app package), the Alembic configuration, and the
   * migration environment and template. An image build reads them from here (`requireInContext`).
   */
  public readonly imageFiles: string[];

  constructor(project: Project, options: NeonDatabaseOptions = {}) {
    super(project);
    const problems = new Problems();
    checkKnownOptions(problems, options, 'NeonDatabaseOptions', 'NeonDatabase');
    checkNoSecrets(problems, options, '');
    const db = resolveDatabaseOptions(options, problems, '');
    const pkg = resolveAppPackage(options.appPackage, problems);
    problems.throwIfAny('NeonDatabase');
    this._resolved = db;
    this.appPackage = pkg;
    this.localDatabase = localDatabaseOf(project);

    const dbFile = databaseModuleFile(pkg);
    const modelsFile = `${pkg}/models.py`;
    const mig = db.migrationsDir;
    this.imageFiles = [dbFile, modelsFile, db.alembicConfig, `${mig}/env.py`, `${mig}/script.py.mako`];
    const clientPool = db.poolStrategy === PoolStrategy.CLIENT_POOL;
    // Tokens more than one template takes.
    const urlEnvs = { pooledUrlEnv: db.pooledUrlEnv, directUrlEnv: db.directUrlEnv };
    const localPorts = { pgbouncerPort: String(LOCAL_DB.pgbouncerPort), postgresPort: String(LOCAL_DB.postgresPort) };
    const measured = MEASURED_POST_ITEMS_PER_SECOND;
    const poolNote = clientPool
      ? `keeps a client pool of ${db.poolSize} connections per uvicorn worker in front of the pooler` +
        (db.poolMaxOverflow > 0 ? ` (${db.poolMaxOverflow} more in a burst)` : '') +
        `, so a request pays no TLS handshake and no SCRAM login: measured ${measured.clientPool} POST /items per second` +
        ` against ${measured.nullPool} with a connection per request (scripts/bench/bench-service.sh of projen-uv-service).` +
        ` A replica holds up to \`WEB_CONCURRENCY\` × ${db.poolSize + db.poolMaxOverflow} connections to the pooler` +
        '. On a serverless runtime, set `poolStrategy: PoolStrategy.NULL_POOL`'
      : 'opens a connection per session and closes it afterwards (SQLAlchemy `NullPool`): the pooler does the pooling,' +
        ' and nothing is kept that could go stale while a serverless process sleeps';

    // The runtime CMD's pre-flight (settings.py's check_settings) reads DatabaseSettings too.
    addSettingsLoader(project, pkg, `${pkg.split('/').join('.')}.db`, 'database_settings');
    this.managedText(dbFile, 'database/db.py', {
      ...urlEnvs,
      migrationsDir: mig,
      driver: db.driver,
      useClientPool: clientPool ? 'True' : 'False',
      poolSize: String(db.poolSize),
      poolMaxOverflow: String(db.poolMaxOverflow),
      benchClientPool: String(measured.clientPool),
      benchNullPool: String(measured.nullPool),
      prePing: db.prePing ? 'True' : 'False',
      preparedStatements: db.preparedStatements ? 'True' : 'False',
      settingsModule: ensureSettingsModule(project, pkg),
      poolTimeoutSeconds: String(db.poolTimeoutSeconds),
      poolRecycleSeconds: String(POOL_RECYCLE_SECONDS),
      statementTimeoutSeconds: String(db.statementTimeoutSeconds),
      connectTimeoutSeconds: String(db.connectTimeoutSeconds),
      migrationLockTimeoutSeconds: String(db.migrationLockTimeoutSeconds),
      migrationStatementTimeoutSeconds: String(MIGRATION_STATEMENT_TIMEOUT_SECONDS),
      verifyServer: db.verifyServerCertificate ? 'True' : 'False',
    }, `Async engine on ${db.pooledUrlEnv} (pooled), the session dependency, URL handling for ${db.driver}.`);

    this.managedText(`${mig}/env.py`, 'database/env.py', {
      ...urlEnvs,
      versionTable: db.versionTable,
      modelsModule: `${pkg}.models`,
      dbModule: `${pkg}.db`,
    }, `Alembic environment: async migrations over ${db.directUrlEnv} (direct), SQLModel.metadata as target.`);

    this.managedText(`${mig}/script.py.mako`, 'database/script.py.mako', {},
      'Template of new migration files (Ruff formats each new one).');

    this.alembicIni = new IniFile(project, db.alembicConfig, { obj: alembicIniModel(db) });
    this.note(db.alembicConfig, `Alembic configuration (no URL in it: env.py reads ${db.directUrlEnv}).`);

    this.envExample = this.managedText('.env.example', 'database/env.example', {
      ...urlEnvs,
      ...localPorts,
      dbFile,
      verifyNote: db.verifyServerCertificate
        ? '\n# verifyServerCertificate is on: any TLS connection to another machine is made with verify-full.'
        : '\n# verifyServerCertificate is off: require, prefer and allow do not authenticate the server.',
      localPooledUrl: localUrl('127.0.0.1', LOCAL_DB.pgbouncerPort, this.localDatabase),
      localDirectUrl: localUrl('127.0.0.1', LOCAL_DB.postgresPort, this.localDatabase),
    }, 'Both database URLs: Neon-shaped placeholders and the local compose values. Copy to .env.');

    this.sample(modelsFile, renderTemplate('database/models.py', {
      migrationsDir: mig,
    }), 'Table models (the sample Item); migrations import them.');
    this.firstMigration(modelsFile, mig);
    this.addTasks(db);

    this.readmeSection = renderTemplate('database/readme-section.md', {
      ...urlEnvs,
      ...localPorts,
      dbFile,
      modelsFile,
      migrationsDir: mig,
      settingsRows: settingsRows(db).map((row) => `| \`${row.name}\` | ${row.fallback} | ${row.meaning} |`).join('\n'),
      clientTimeoutNote: db.driver === DatabaseDriver.ASYNCPG
        ? '; asyncpg\'s own `command_timeout`, 2 s later, also cuts a wait the server cannot see (a server connection queued in the pooler)'
        : '',
      driver: db.driver, // the enum's values are the drivers' names
      poolNote,
      bindingNote: db.driver === DatabaseDriver.PSYCOPG
        ? 'with psycopg, libpq binds the SCRAM login to the TLS channel, so a man in the middle with his own certificate cannot log in.'
        : 'asyncpg cannot bind the login to the TLS channel, so the server is authenticated by its certificate instead (`verify-full` against `sslrootcert` or the system trust store).',
      verifyNote: db.verifyServerCertificate
        ? 'On top of that (`verifyServerCertificate`, on), every TLS connection to another machine is made with `verify-full`, whatever its `sslmode`; an explicit `sslmode=disable` is kept, and so is psycopg\'s `channel_binding=require` (libpq authenticates the server by it).'
        : '`verifyServerCertificate` is off: `require`, `prefer` and `allow` connect without authenticating the server.',
    });
  }

  /**
   * The rules of the rendered `alembic.ini` (overrides included): Alembic finds the migrations where
   * this component writes them (`env.py`, `script.py.mako`), the Dockerfile copies them from and the
   * import check reads `versions/` in.
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const { migrationsDir, alembicConfig } = this._resolved;
    const expected = `%(here)s/${migrationsDir}`;
    const rendered = renderedObject(this.alembicIni);
    const got = rendered.alembic?.script_location;
    if (got === expected) return [];
    const byOverride = overridden(rendered, modelObject(this.alembicIni), ['alembic', 'script_location']);
    return [{
      option: `${alembicConfig} alembic.script_location${byOverride ? ' (an override in .projenrc.ts)' : ''}`,
      value: got ?? null,
      expected: `must be "${expected}": the migrations are in ${migrationsDir}/ (databaseOptions.migrationsDir), where ${migrationsDir}/env.py and ` +
        `script.py.mako are written, the Dockerfile copies them from and the import check reads ${migrationsDir}/versions; ` +
        'change databaseOptions.migrationsDir instead, which moves every file with it.',
    }];
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`NeonDatabase (${this._resolved.alembicConfig})`, found);
  }

  private note(filePath: string, purpose: string): void {
    this._files.push({ path: filePath, purpose });
  }

  private managedText(
    filePath: string,
    template: string,
    tokens: Record<string, string>,
    purpose: string,
  ): TextFile {
    const file = new TextFile(this.project, filePath, { marker: true });
    const body = renderTemplate(template, { ...tokens, marker: file.marker ?? '' });
    for (const line of body.split('\n')) file.addLine(line);
    this.note(filePath, purpose);
    return file;
  }

  private sample(filePath: string, contents: string, purpose: string): void {
    new SampleFile(this.project, filePath, { contents });
    this.note(filePath, purpose);
  }

  /**
   * The first migration, only while `<migrations>/versions/` does not exist: once it does, it is the
   * user's, and synth never writes there again (not even to restore a deleted file).
   */
  private firstMigration(modelsFile: string, mig: string): void {
    const versions = `${mig}/versions`;
    if (fs.existsSync(path.join(this.project.outdir, versions))) return;
    this.sample(`${versions}/${FIRST_REVISION}_create_item.py`, renderTemplate('database/first_migration.py', {
      revision: FIRST_REVISION,
      name: this.project.name,
      modelsFile,
    }), 'First migration: creates the item table (yours from now on).');
  }

  private addTasks(db: ResolvedDatabase): void {
    const project = this.project;
    const up = `docker compose up --detach --wait ${LOCAL_STACK.postgres} ${LOCAL_STACK.pgbouncer}`;
    if (this.localDatabase === LOCAL_DB.database) {
      project.addTask('db:up', {
        description: 'Start the local Postgres and PgBouncer (compose.yaml) and wait until they are healthy',
        exec: up,
      });
    } else {
      // A member of a workspace with a database per service: compose.yaml is the root's (compose finds
      // it in a parent directory), and this service's database is created by its one-shot service.
      project.addTask('db:up', {
        description: `Start the local Postgres and PgBouncer (the workspace's compose.yaml), wait until they are healthy, and create the database ${this.localDatabase}`,
        steps: [{ exec: up }, { exec: `docker compose run --rm ${LOCAL_STACK.databases}` }],
      });
    }
    project.addTask('db:down', {
      description: 'Stop the local database containers (the data volume is kept)',
      exec: 'docker compose down',
    });
    // Through the project's one `run` task: .env is loaded when it exists; CI sets the variables itself.
    addUvRunTask(project, 'db:migrate', {
      description: `Apply every migration (alembic upgrade head) over ${db.directUrlEnv} (${ENV_FILE} loaded when it exists)`,
      command: db.migrateCommand.split(' '),
    });
    addUvRunTask(project, 'db:revision', {
      description: 'Autogenerate a migration from the models: npx projen db:revision "message"',
      command: ['alembic', '-c', db.alembicConfig, 'revision', '--autogenerate', '-m'],
      receiveArgs: true,
    });
  }
}
