import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';
import { appServiceProblems, PortOwner, portClashProblems, publishedPorts } from './checks';

import { appServices, COMPLETED, databaseStackServices, inComposeOrder, composeProjectName, migrateServiceName, stackPortOwner } from './services';
import { OptionProblem, ServiceConfigError } from '../core/problems';
import { modelObject, renderedObject } from '../core/rendered';
import { DATABASE_VERSIONS } from '../core/versions';
import { IWorkspaceModel, WorkspaceDatabaseMode, workspaceOf, WorkspaceMember, WorkspaceMemberKind } from '../core/workspace';
import { DEFAULT_DATABASE_MODE, LOCAL_DB, LOCAL_STACK } from '../database/local-stack';
import { NeonDatabase } from '../database/neon-database';

import { memberVersionTable, ResolvedDatabase } from '../database/resolve';
import { DockerStageRole, DockerStages } from '../docker/docker-stages';

/** Every project below `root`, depth first. */
function projectsBelow(root: Project): Project[] {
  return root.subprojects.flatMap((p) => [p, ...projectsBelow(p)]);
}

/** One service of the compose file, as read at synth. */
interface ComposeMember {
  readonly member: WorkspaceMember;
  readonly image: DockerStages;
  readonly db?: ResolvedDatabase;
  /** The local database its URLs open (its `NeonDatabase`'s `localDatabase`). */
  readonly database: string;
  readonly port: number;
}

/**
 * The workspace's `compose.yaml`, at its root: every service member that has an image (its
 * `DockerStages`), each built from its Dockerfile with the build context the image declares (the
 * workspace root for members), its runtime stage as target, its port published on 127.0.0.1 (unique
 * across services); for a member with a database (`NeonDatabase`), a one-shot `<name>-migrate` service
 * first, both URLs under the names its database options give them, and one Postgres and PgBouncer for
 * all (one database, or one per service: {@link WorkspaceDatabaseMode}).
 *
 * Everything per member is read from the workspace model (`workspaceOf(root)`) and the members'
 * components at synth: a service added after this component appears. A port published twice, a member
 * whose name clashes with another compose service, or two services recording their migrations in the
 * same version table of a shared database stop the synth with one error listing every problem, before
 * any file is written.
 */
export class WorkspaceCompose extends Component {
  /** The workspace root's `WorkspaceCompose`, or undefined when it has none. */
  public static of(project: Project): WorkspaceCompose | undefined {
    const isWorkspaceCompose = (c: Component): c is WorkspaceCompose => c instanceof WorkspaceCompose;
    return project.components.find(isWorkspaceCompose);
  }

  /** `compose.yaml` (escape hatch: `file.addOverride('services.postgres.image', 'postgres:16')`). */
  public readonly file: YamlFile;
  /** Images already told that compose.yaml builds their runtime target and publishes their port. */
  private readonly readersAdded = new WeakSet<DockerStages>();

  /**
   * @param root the workspace root (`workspaceOf(root).root === root`, checked at synth)
   */
  constructor(root: Project) {
    super(root);
    this.file = new YamlFile(root, 'compose.yaml', { obj: () => this.model() });
  }

  /**
   * How the services share the local Postgres: the workspace model's `databaseMode` (the UvWorkspace
   * option), read at synth.
   */
  public get databaseMode(): WorkspaceDatabaseMode {
    return this.workspace.databaseMode ?? DEFAULT_DATABASE_MODE;
  }

  /**
   * The rules of compose.yaml, on the rendered file (overrides included): no two services of one name,
   * no host port published twice, one Alembic version table per service of a shared database. The
   * workspace checks them with its own rules, before anything is written.
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const members = this.members();
    for (const m of members) {
      if (this.readersAdded.has(m.image)) continue;
      this.readersAdded.add(m.image);
      m.image.addRoleReader(DockerStageRole.RUNTIME, `compose.yaml of the workspace (services ${m.db ? `${migrateServiceName(m.member.name)}, ` : ''}${m.member.name})`);
      m.image.addPortReader('compose.yaml of the workspace publishes it');
      m.image.addGracePeriodReader('compose.yaml of the workspace stops it within it (stop_grace_period)');
    }
    return this.problems(members);
  }

  /** Checks the services before anything is written (the root's pre-synth runs before its members' synth). */
  public preSynthesize(): void {
    const problems = this._checkProblems();
    if (problems.length > 0) throw new ServiceConfigError('WorkspaceCompose (compose.yaml)', problems);
  }

  /** The workspace this component is the compose file of. */
  private get workspace(): IWorkspaceModel {
    const model = workspaceOf(this.project);
    if (!model || model.root !== this.project) {
      throw new Error(`WorkspaceCompose belongs on the root of a uv workspace; ${this.project.name} is not one.`);
    }
    return model;
  }

  /** The service members with an image, with their database and port, in the model's order. */
  private members(): ComposeMember[] {
    const model = this.workspace;
    const root = this.project;
    const projects = projectsBelow(root);
    const out: ComposeMember[] = [];
    for (const member of model.members()) {
      if (member.kind !== WorkspaceMemberKind.SERVICE) continue;
      const project = projects.find((p) => path.relative(root.outdir, p.outdir).split(path.sep).join('/') === member.dir);
      const image = project && DockerStages.of(project);
      if (!project || !image || image.port === undefined) continue;
      const database = NeonDatabase.of(project);
      out.push({ member, image, db: database?._resolved, database: database?.localDatabase ?? LOCAL_DB.database, port: image.port });
    }
    return out;
  }

  private problems(members: ComposeMember[]): OptionProblem[] {
    const withDb = members.filter((m) => m.db);
    const problems: OptionProblem[] = [];
    // Compose service names: the database stack's and each member's pair.
    const reserved = withDb.length > 0 ? [LOCAL_STACK.postgres, LOCAL_STACK.pgbouncer, LOCAL_STACK.databases] : [];
    const owners = new Map<string, string>(reserved.map((n) => [n, 'the local database stack']));
    for (const m of members) {
      for (const name of [m.member.name, ...(m.db ? [migrateServiceName(m.member.name)] : [])]) {
        const owner = owners.get(name);
        if (owner === undefined) {
          owners.set(name, `service "${m.member.name}"`);
          continue;
        }
        problems.push({
          option: `${m.member.dir}: name`,
          value: m.member.name,
          expected: `compose.yaml would hold two services named "${name}" (${owner} and service "${m.member.name}"); rename the member "${m.member.name}".`,
        });
      }
    }
    const portOwners = new Map<string, PortOwner>(members.map((m, i) => [m.member.name, {
      option: `${m.member.dir}: port`,
      label: `"${m.member.name}" (${m.member.dir})`,
      fix: (free: number) => `set another port on "${m.member.name}", e.g. port: ${free}`,
      rank: 1 + i,
    }]));
    const stack = (service: string) => (service === LOCAL_STACK.postgres || service === LOCAL_STACK.pgbouncer ? stackPortOwner(service) : undefined);
    const ownerOf = (service: string) => portOwners.get(service) ?? stack(service);
    const rendered = renderedObject(this.file);
    const model = modelObject(this.file);
    for (const m of members) {
      const fromRoot = (p: string) => path.posix.normalize(path.posix.join(m.member.dir, p));
      problems.push(...appServiceProblems(rendered, model, {
        app: m.member.name,
        migrate: m.db ? migrateServiceName(m.member.name) : undefined,
        context: fromRoot(m.image.context),
        dockerfile: fromRoot(m.image.dockerfilePath),
        stages: m.image.stages.map((s) => s.name),
        dockerfileLabel: fromRoot(m.image.dockerfilePath),
        port: m.port,
        pooledUrlEnv: m.db?.pooledUrlEnv,
        directUrlEnv: m.db?.directUrlEnv,
        dockerOption: `${m.member.dir}: project.docker`,
        databaseOption: `${m.member.dir}: databaseOptions`,
      }));
    }
    problems.push(...portClashProblems(publishedPorts(rendered, model, ownerOf)));
    // Services migrating one database (WorkspaceDatabaseMode.SHARED) each need their own version table.
    const tables = new Map<string, string>();
    for (const m of withDb) {
      const key = `${m.database}.${m.db!.versionTable}`;
      const owner = tables.get(key);
      if (owner === undefined) {
        tables.set(key, m.member.name);
        continue;
      }
      problems.push({
        option: `${m.member.dir}: databaseOptions.versionTable`,
        value: m.db!.versionTable,
        expected: `services "${owner}" and "${m.member.name}" migrate the shared database "${m.database}" with the same Alembic version table; ` +
          `give "${m.member.name}" a table of its own, e.g. versionTable: "${memberVersionTable(m.member.packageDir)}", ` +
          'or use databaseMode: WorkspaceDatabaseMode.PER_SERVICE.',
      });
    }
    return problems;
  }

  private model(): Record<string, unknown> {
    const members = this.members();
    const withDb = members.filter((m) => m.db);
    // The databases other than the one the Postgres image creates (POSTGRES_DB).
    const toCreate = [...new Set(withDb.map((m) => m.database))].filter((d) => d !== LOCAL_DB.database);
    const services: Record<string, Record<string, unknown>> = {};
    if (withDb.length > 0) Object.assign(services, databaseStackServices());
    if (toCreate.length > 0) services[LOCAL_STACK.databases] = createDatabasesService(toCreate);
    for (const m of members) {
      const fromRoot = (p: string) => path.posix.normalize(path.posix.join(m.member.dir, p));
      Object.assign(services, appServices(m.db, {
        buildContext: fromRoot(m.image.context),
        dockerfile: fromRoot(m.image.dockerfilePath),
        buildTarget: m.image.runtimeTarget,
        port: m.port,
        gracePeriodSeconds: m.image.gracePeriodSeconds,
      }, {
        app: m.member.name,
        migrate: migrateServiceName(m.member.name),
        database: m.database,
        migrateAfter: toCreate.includes(m.database) ? { [LOCAL_STACK.databases]: COMPLETED } : undefined,
      }));
    }
    return {
      name: composeProjectName(this.project.name),
      services: inComposeOrder(services),
      ...(withDb.length > 0 ? { volumes: { [LOCAL_STACK.volume]: {} } } : {}),
    };
  }
}

/**
 * The one-shot service creating each service's database when it is missing. Run on every `up` rather
 * than as an init script of the Postgres image, which runs only on an empty data volume: a service
 * added to the workspace later gets its database too. One server for all databases keeps the ports
 * of the database stack (5432, 6432) and the member's `db:up` task (`docker compose up postgres
 * pgbouncer`) as they are for one service.
 */
function createDatabasesService(databases: string[]): Record<string, unknown> {
  const psql = `psql -v ON_ERROR_STOP=1 -h ${LOCAL_STACK.postgres} -U ${LOCAL_DB.user} -d ${LOCAL_DB.database}`;
  // No `$` in the script: compose would interpolate it.
  const script = databases
    .map((d) => `{ ${psql} -tAc "SELECT 1 FROM pg_database WHERE datname = '${d}'" | grep -q 1 || ${psql} -c 'CREATE DATABASE "${d}"'; }`)
    .join(' && ');
  return {
    image: DATABASE_VERSIONS.postgresImage,
    depends_on: { [LOCAL_STACK.postgres]: { condition: 'service_healthy' } },
    environment: { PGPASSWORD: LOCAL_DB.password },
    command: ['sh', '-c', script],
  };
}
