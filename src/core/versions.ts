/**
 * Every version pin the library writes into a generated service, in one place.
 *
 * An upgrade of uv, the default Python, or the projen toolchain is a one-line change here;
 * no other module types a version number.
 */
export const VERSIONS = {
  /**
   * Default CPython minor for new services: the newest minor whose official `python:<minor>-slim`
   * image exists AND for which the default dependencies ship wheels (a slim image has no compiler).
   *
   * - 3.15 is released (uv 0.13.0, released 2026-10-09, makes 3.15 its default stable Python:
   *   https://github.com/astral-sh/uv/releases/tag/0.13.0), so it stays allowed (pythonMaximum),
   *   but no asyncpg release with cp315 wheels could be confirmed; after 3.14.0, asyncpg took seven
   *   weeks (0.31, 2025-11-24: https://github.com/MagicStack/asyncpg/issues/1277) and installs
   *   failed on `python:3.14-slim` meanwhile (https://github.com/MagicStack/asyncpg/issues/1282).
   * - 3.14: `python:3.14-slim` is published (the Docker Official Image named in asyncpg#1282 above)
   *   and asyncpg >= 0.31 ships cp314 wheels.
   *
   * Move to 3.15 once asyncpg (and the other defaults) publish cp315 wheels.
   */
  python: '3.14',
  /** Oldest and newest CPython minors a service may target (each has an official slim image). */
  pythonMinimum: '3.10',
  pythonMaximum: '3.15',
  /**
   * Default uv release: an exact version, never `latest`. uv 0.13.0, released 2026-10-09
   * (https://github.com/astral-sh/uv/releases/tag/0.13.0); the pyproject's `uv_build` bound follows it
   * (`>=0.13.0,<0.14.0`, as those release notes ask for). Later 0.13.x patches could not be confirmed
   * from a published source where this was written.
   */
  uv: '0.13.0',
  /** Oldest uv a service may pin: the uv_build backend is stable from this release on. */
  uvMinimum: '0.7.19',
  /** Toolchain the generated service installs to run its `.projenrc.ts`. */
  projen: '^0.103.25',
  constructs: '^10.4.2',
  tsx: '^4.20.0',
} as const;

/**
 * Default Python dependencies of a service, PEP 508 strings. A user dependency with the same
 * normalized name replaces the default.
 */
export const DEFAULT_PYTHON_DEPS: readonly string[] = [
  // FastAPI without an extra: [standard] brings fastapi-cloud-cli (since 0.116), fastapi-cli, jinja2,
  // python-multipart and email-validator into production, none of which the service uses (the CMD and
  // the dev task run uvicorn; a form or template route needs python-multipart or jinja2 added).
  'fastapi>=0.115',
  // The Dockerfile's CMD and the dev task run uvicorn itself, with uvloop and httptools.
  'uvicorn[standard]>=0.30',
];

/** Default `dev` dependency group: the test runner, the linter and formatter, the type checker. */
export const DEFAULT_PYTHON_DEV_DEPS: readonly string[] = ['pytest>=8', 'ruff>=0.8', 'httpx>=0.27', 'mypy>=1.15'];

/**
 * Database layer (`NeonDatabase`): floors of the Python packages the generated database code needs,
 * and the images of the local compose stack.
 */
export const DATABASE_VERSIONS = {
  /** SQLModel: table models and `SQLModel.metadata`. */
  sqlmodel: 'sqlmodel>=0.0.22',
  /** SQLAlchemy with its asyncio extra (greenlet); 2.0 has `prepared_statement_name_func`. */
  sqlalchemy: 'sqlalchemy[asyncio]>=2.0.30',
  /** Default driver; 0.31 is the first release with CPython 3.14 wheels (MagicStack/asyncpg#1277). */
  asyncpg: 'asyncpg>=0.31',
  /** Alternative driver (psycopg 3, binary wheels). */
  psycopg: 'psycopg[binary]>=3.2',
  /** The typed runtime settings (`<package>/settings.py`, `DatabaseSettings` in db.py); Debian trixie has 2.8. */
  pydanticSettings: 'pydantic-settings>=2.8',
  /** Migrations (the `exec` post-write hook needs 1.12+). */
  alembic: 'alembic>=1.13',
  /** Local Postgres of compose.yaml (Neon runs Postgres 17 by default). */
  postgresImage: 'postgres:17-alpine',
  /** Local PgBouncer of compose.yaml: 1.21+ supports prepared statements in transaction mode. */
  pgbouncerImage: 'edoburu/pgbouncer:v1.24.1-p0',
} as const;

/**
 * One GitHub Action the generated CI uses.
 */
export interface ActionPinRecord {
  /** `owner/repo`. */
  readonly repo: string;
  /** Major release tag the CI references by default (`uses: owner/repo@vN`). */
  readonly major: string;
  /**
   * Full commit SHA of {@link release}, used when `ciOptions.pinActionsToSha` is on. Absent when no
   * SHA could be confirmed; a service then gives it in `ciOptions.actionShas`.
   */
  readonly sha?: string;
  /** The exact release tag `sha` points at (written as the `# vN.N.N` comment after the SHA). */
  readonly release?: string;
  /**
   * `release` is an immutable GitHub release: its tag can never be moved, so with `pinActionsToSha`
   * the exact tag (`owner/repo@v8.1.1`) pins as firmly as a SHA and is used when no SHA is recorded.
   */
  readonly immutable?: boolean;
}

/**
 * Every GitHub Action the generated CI workflow uses, in one table (keys are used by `src/ci`).
 *
 * By default the workflow references each action by its major tag. With `ciOptions.pinActionsToSha`
 * it references the full commit SHA of the release named here, with that release as a comment
 * (`uses: actions/checkout@<40 hex> # v6.0.2`), which Dependabot's github-actions updater keeps current.
 *
 * Where the SHAs come from: GitHub was not reachable where this table was written, so each SHA is the
 * commit that public workflows consistently pin for that release tag (several unrelated repositories
 * agreeing on the same SHA and tag). Before a release of this library, confirm each with
 * `git ls-remote https://github.com/<repo> refs/tags/<release>` (for annotated tags, the `^{}` line).
 * The Neon actions have no SHA recorded yet: none could be confirmed this way.
 */
export const GITHUB_ACTIONS = {
  checkout: { repo: 'actions/checkout', major: 'v6', sha: 'de0fac2e4500dabe0009e67214ff5f5447ce83dd', release: 'v6.0.2' },
  setupUv: { repo: 'astral-sh/setup-uv', major: 'v7', sha: '85856786d1ce8acfbcc2f13a5f3fbd6b938f9f41', release: 'v7.1.2' },
  setupNode: { repo: 'actions/setup-node', major: 'v6', sha: '2028fbc5c25fe9cf00d9f06a71cc4710d4507903', release: 'v6.0.0' },
  setupBuildx: { repo: 'docker/setup-buildx-action', major: 'v3', sha: 'e468171a9de216ec08956ac3ada2f0791b6bd435', release: 'v3.11.1' },
  buildPush: { repo: 'docker/build-push-action', major: 'v6', sha: '263435318d21b8e681c14492fe198d362a7d2c83', release: 'v6.18.0' },
  login: { repo: 'docker/login-action', major: 'v3', sha: '5e57cd118135c172c3672efd75eb46360885c0ef', release: 'v3.6.0' },
  metadata: { repo: 'docker/metadata-action', major: 'v5', sha: 'c1e51972afc2121e065aed6d45c65596fe445f3f', release: 'v5.8.0' },
  // The upgrade workflow (src/ci/upgrade-workflow.ts). Releases and SHAs as projen 0.103.25 records
  // them in its reviewed table (projen's github.ActionRefs, lib/github/actions.const.js), which marks
  // the create-pull-request and create-github-app-token releases immutable: GitHub refuses to move
  // their tags, so with pinActionsToSha they are referenced by that exact release tag.
  uploadArtifact: { repo: 'actions/upload-artifact', major: 'v7', sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a', release: 'v7.0.1' },
  downloadArtifact: { repo: 'actions/download-artifact', major: 'v8', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', release: 'v8.0.1' },
  createPullRequest: { repo: 'peter-evans/create-pull-request', major: 'v8', release: 'v8.1.1', immutable: true },
  createAppToken: { repo: 'actions/create-github-app-token', major: 'v3', release: 'v3.2.0', immutable: true },
  neonCreateBranch: { repo: 'neondatabase/create-branch-action', major: 'v6' },
  neonDeleteBranch: { repo: 'neondatabase/delete-branch-action', major: 'v3' },
  neonSchemaDiff: { repo: 'neondatabase/schema-diff-action', major: 'v1' },
} satisfies Record<string, ActionPinRecord>;

/** Other pins of the generated CI. */
export const CI_VERSIONS = {
  /** Runner image of every job (a fixed release rather than `ubuntu-latest`: no silent runner upgrades). */
  runner: 'ubuntu-24.04',
  /** Node.js of the drift job, which runs the service's projen toolchain. */
  node: '22',
} as const;
