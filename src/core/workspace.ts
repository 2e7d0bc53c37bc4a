import { Project } from 'projen/lib/project';

/**
 * What a member of a uv workspace is: a service (an application with its own image) or a library
 * (shared code, no image, no database).
 */
export enum WorkspaceMemberKind {
  /** A `UvPythonService` member: its own image, its own CI job. */
  SERVICE = 'service',
  /** A `UvPythonLibrary` member: shared code other members depend on. */
  LIBRARY = 'library',
}

/**
 * Where the services of a workspace keep their data in the local compose stack (`compose.yaml` at the
 * workspace root, `WorkspaceCompose`). Either way one Postgres and one PgBouncer serve every service
 * with a database, on the ports a lone service's stack uses (5432, 6432).
 */
export enum WorkspaceDatabaseMode {
  /**
   * One database (`app`) for every service: each service's migrations run in the same database. Each
   * service keeps its Alembic history in a version table of its own (its database's `versionTable`;
   * members get `alembic_version_<import package>`), and the services' table names must differ (the
   * sample `Item` model of two services would both create `item`). Autogenerate (`db:revision`)
   * compares a service's models with every table of the database: review what it proposes for the
   * tables of the other services.
   */
  SHARED = 'shared',
  /**
   * A database per service, named after it (`orders-api` -> `orders_api`): a one-shot `databases`
   * service creates the missing ones on every `up`, before any migration runs. The services cannot
   * read each other's tables, as with a Neon database (or branch) per service.
   */
  PER_SERVICE = 'per-service',
}

/**
 * One member of a uv workspace, as the other components read it at synth (a Dockerfile, the CI
 * workflow, compose.yaml).
 */
export interface WorkspaceMember {
  /** Distribution name (`[project].name`), normalized as PEP 503 does (lower case, runs of `-_.` -> `-`). */
  readonly name: string;
  /** Its directory relative to the workspace root, POSIX, without a trailing slash (e.g. `services/orders`). */
  readonly dir: string;
  /** Service or library. */
  readonly kind: WorkspaceMemberKind;
  /** Its top-level import package, relative to `dir` (e.g. `orders_api`). */
  readonly packageDir: string;
  /** The members it depends on directly, by normalized name, in declaration order. */
  readonly dependsOn: string[];
}

/**
 * A uv workspace, as its members' components read it. Everything is read at synth time: a member added
 * or a dependency declared after a component was constructed reaches every file.
 */
export interface IWorkspaceModel {
  /** The workspace's root project. */
  readonly root: Project;
  /** CPython `MAJOR.MINOR` of the workspace (`.python-version` at the root); members default to it. */
  readonly pythonVersion?: string;
  /** Exact uv release of the workspace; members default to it. */
  readonly uvVersion?: string;
  /** The local database layout of the root `compose.yaml`. */
  readonly databaseMode?: WorkspaceDatabaseMode;
  /** Every member, in the order they were added. */
  members(): WorkspaceMember[];
  /** The member a project is (a member project, or a project below one); undefined for any other project. */
  memberOf(project: Project): WorkspaceMember | undefined;
  /**
   * The member named `name` and every member it depends on, transitively: the member itself first, then
   * its dependencies in a stable order (depth-first, declaration order, each once).
   */
  closureOf(name: string): WorkspaceMember[];
}

const WORKSPACE = Symbol.for('projen-uv-service.workspace-model');

/** Records `model` as the workspace whose root is `model.root`; {@link workspaceOf} finds it. */
export function registerWorkspace(model: IWorkspaceModel): void {
  (model.root as any)[WORKSPACE] = model;
}

/** The workspace `project` belongs to (it, or a project above it, is a workspace root); undefined when none. */
export function workspaceOf(project: Project): IWorkspaceModel | undefined {
  for (let p: Project | undefined = project; p; p = p.parent) {
    const model = (p as any)[WORKSPACE] as IWorkspaceModel | undefined;
    if (model) return model;
  }
  return undefined;
}

/** PEP 503 normalization of a distribution name: `Orders_API` -> `orders-api`. */
export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
