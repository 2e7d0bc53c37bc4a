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
   * (`>=0.13.0,<0.14.0`, as those release notes ask for), and `[tool.uv] required-version` is
   * `==` this. No later 0.13.x patch could be confirmed from a published source when this was written
   * (searched: uv's release pages, renovate/dependabot and distribution PRs quoting uv's notes, setup-uv's
   * "known checksums" releases; the newest found is 0.13.0, every report of it dated 2026-10-09), so
   * 0.13.0 stays. It reads a relative `[tool.uv] exclude-newer` ("7 days"; uv 0.9.17 and later), which
   * the upgrade cooldown writes into pyproject.toml.
   */
  uv: '0.13.0',
  /** Oldest uv a service may pin: the uv_build backend is stable from this release on. */
  uvMinimum: '0.7.19',
  /**
   * First uv that reads a relative duration in `exclude-newer` ("7 days"), on the command line and in
   * `[tool.uv]`: 0.9.17, per uv's maintainers in https://github.com/astral-sh/uv/pull/19488 (2026-05-19;
   * added by astral-sh/uv#16814). An older uv fails to parse it ("failed to parse year in date"), so
   * an older `uvVersion` gets no `[tool.uv] exclude-newer` (ci/upgrade-jobs.ts `uvCooldownDays`).
   */
  uvRelativeExcludeNewer: '0.9.17',
  /** Toolchain the generated service installs to run its `.projenrc.ts`. */
  projen: '^0.103.25',
  constructs: '^10.4.2',
  tsx: '^4.20.0',
} as const;

/** pydantic-settings, which `<package>/settings.py` builds on (Debian trixie has 2.8). */
export const PYDANTIC_SETTINGS = 'pydantic-settings>=2.8';

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
  // <package>/settings.py: the typed runtime settings of every service.
  PYDANTIC_SETTINGS,
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
  pydanticSettings: PYDANTIC_SETTINGS,
  /** Migrations (the `exec` post-write hook needs 1.12+). */
  alembic: 'alembic>=1.13',
  /** Local Postgres of compose.yaml (Neon runs Postgres 17 by default). */
  postgresImage: 'postgres:17-alpine',
  /** Local PgBouncer of compose.yaml: 1.21+ supports prepared statements in transaction mode. */
  pgbouncerImage: 'edoburu/pgbouncer:v1.24.1-p0',
} as const;

/**
 * One GitHub Action the generated CI uses, on its current release, with where that was read.
 */
export interface ActionPinRecord {
  /** `owner/repo`. */
  readonly repo: string;
  /** Release line (`vN`): the `release` of a user's `ciOptions.actionShas` entry must be in it. */
  readonly major: string;
  /**
   * The tag referenced when the action is not pinned to a SHA (`pinActionsToSha: false`): the moving
   * major where the action publishes one, else the exact `release`.
   */
  readonly tag: string;
  /** The current release (`vX.Y.Z`, or what a commit of the default branch is after). */
  readonly release: string;
  /** Date of `release` (YYYY-MM-DD). */
  readonly date: string;
  /** Where `release` and `date` (and `sha`) were read: release notes, or the repository's tags. */
  readonly source: string;
  /**
   * Full commit SHA of `release`, used when `ciOptions.pinActionsToSha` is on (with `# <release>` after
   * it). Absent when no SHA could be confirmed from a published source: the exact `release` tag is used.
   */
  readonly sha?: string;
  /**
   * The fix this pin needs is on a commit of the default branch, in no tag: the action is always
   * referenced by `sha`, with `pinActionsToSha` off too.
   */
  readonly shaOnly?: boolean;
}

/** Where SHAs and dates were read: a snapshot of each action's repository (its tags and `git log`). */
const TAGS = (repo: string) => `https://github.com/${repo}/tags`;

/**
 * Every GitHub Action the generated workflows use, each on its current release (keys are used by
 * `src/ci`). With `ciOptions.pinActionsToSha` (the default) the workflows reference the full commit
 * SHA with the release as a comment (`uses: actions/checkout@<40 hex> # v7.0.1`), which Dependabot's
 * github-actions updater keeps current; without it, `tag`.
 *
 * SHAs: read from a snapshot of each action's repository (`git rev-list -n1 <tag>`), taken 2026; the
 * artifact, pull-request and app-token SHAs and releases are the ones projen 0.103.25 records in its
 * reviewed table (projen's github.ActionRefs, lib/github/actions.const.js). setup-uv v10.3.3's SHA
 * could not be confirmed (the snapshot ends at v10.0.1): it is referenced by its exact tag.
 */
export const GITHUB_ACTIONS = {
  checkout: {
    repo: 'actions/checkout',
    major: 'v7',
    tag: 'v7',
    release: 'v7.0.1',
    date: '2026-07-17',
    source: TAGS('actions/checkout'),
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
  },
  // setup-uv publishes no moving major tags since v8: the exact release is the tag.
  setupUv: {
    repo: 'astral-sh/setup-uv',
    major: 'v10',
    tag: 'v10.3.3',
    release: 'v10.3.3',
    date: '2026-10',
    source: 'https://github.com/astral-sh/setup-uv/releases (v10.3.3, October 2026; no moving major since v8)',
  },
  setupNode: {
    repo: 'actions/setup-node',
    major: 'v7',
    tag: 'v7',
    release: 'v7.0.0',
    date: '2026-07-14',
    source: TAGS('actions/setup-node'),
    sha: '820762786026740c76f36085b0efc47a31fe5020',
  },
  setupBuildx: {
    repo: 'docker/setup-buildx-action',
    major: 'v4',
    tag: 'v4',
    release: 'v4.3.0',
    date: '2026-08-17',
    source: TAGS('docker/setup-buildx-action'),
    sha: '37fe631027851001ddb9b187196cc803df7f5f0e',
  },
  buildPush: {
    repo: 'docker/build-push-action',
    major: 'v7',
    tag: 'v7',
    release: 'v7.3.0',
    date: '2026-07-01',
    source: TAGS('docker/build-push-action'),
    sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a',
  },
  login: {
    repo: 'docker/login-action',
    major: 'v4',
    tag: 'v4',
    release: 'v4.1.0',
    date: '2026-04-02',
    source: TAGS('docker/login-action'),
    sha: '4907a6ddec9925e35a0a9e82d7399ccc52663121',
  },
  metadata: {
    repo: 'docker/metadata-action',
    major: 'v6',
    tag: 'v6',
    release: 'v6.2.0',
    date: '2026-07-02',
    source: TAGS('docker/metadata-action'),
    sha: 'dc802804100637a589fabce1cb79ff13a1411302',
  },
  uploadArtifact: {
    repo: 'actions/upload-artifact',
    major: 'v7',
    tag: 'v7',
    release: 'v7.0.1',
    date: '2026',
    source: 'projen 0.103.25 github.ActionRefs',
    sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a',
  },
  downloadArtifact: {
    repo: 'actions/download-artifact',
    major: 'v8',
    tag: 'v8',
    release: 'v8.0.1',
    date: '2026-03-11',
    source: TAGS('actions/download-artifact'),
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
  },
  createPullRequest: {
    repo: 'peter-evans/create-pull-request',
    major: 'v8',
    tag: 'v8',
    release: 'v8.1.1',
    date: '2026-04-10',
    source: TAGS('peter-evans/create-pull-request'),
    sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1',
  },
  // An immutable release (projen's table): GitHub refuses to move its tag, so the exact tag pins it.
  createAppToken: {
    repo: 'actions/create-github-app-token', major: 'v3', tag: 'v3', release: 'v3.2.0', date: '2026', source: 'projen 0.103.25 github.ActionRefs (immutable release)',
  },
  // v6.4.0 (2026-01-07) still declares node20; the node24 runtime landed on main after it
  // (9acd528, merged as fb620d4 on 2026-03-20), in no tag yet.
  neonCreateBranch: {
    repo: 'neondatabase/create-branch-action',
    major: 'v6',
    tag: 'v6',
    release: 'main after v6.4.0 (node24)',
    date: '2026-03-20',
    source: 'https://github.com/neondatabase/create-branch-action/commit/fb620d43d4c565abaf088b848a4e28e5c4ea4d9c',
    sha: 'fb620d43d4c565abaf088b848a4e28e5c4ea4d9c',
    shaOnly: true,
  },
  // v3.2.1 interpolates its inputs into a shell command; main routes them through env vars
  // ("fix: route action inputs through env vars to prevent shell injection", merged in #33), in no tag yet.
  neonDeleteBranch: {
    repo: 'neondatabase/delete-branch-action',
    major: 'v3',
    tag: 'v3',
    release: 'main after v3.2.1 (inputs via env)',
    date: '2026-05-11',
    source: 'https://github.com/neondatabase/delete-branch-action/commit/aed9ab1ec86e380312c7b0a9e29942e41349adf6',
    sha: 'aed9ab1ec86e380312c7b0a9e29942e41349adf6',
    shaOnly: true,
  },
  // Its newest release and main (2025-09-25) both declare node20: it has no Node 24 release to move to
  // (see FIRST_NODE24_MAJOR); GitHub runs it on Node 24 since June 2026.
  neonSchemaDiff: {
    repo: 'neondatabase/schema-diff-action',
    major: 'v1',
    tag: 'v1',
    release: 'v1.0.1',
    date: '2025-01-03',
    source: TAGS('neondatabase/schema-diff-action'),
    sha: '80cfa8521628e890015b60f5291a7738926617dc',
  },
} satisfies Record<string, ActionPinRecord>;

/**
 * The first major of each JavaScript action (of the generated workflows and of this library's own)
 * whose action.yml runs on node24: GitHub forced Node 24 in June 2026 and removed Node 20 from its
 * runners on 2026-09-16, so a lower major is a Node 20 action. `null`: no release runs on Node 24 yet.
 * Read from each action's release notes and the `runs.using` of its tagged action.yml.
 */
export const FIRST_NODE24_MAJOR: Readonly<Record<string, number | null>> = {
  // v5.0.0: "Updated to the node24 runtime".
  'actions/checkout': 5,
  // v5.0.0 (actions/setup-node#1325, "Upgrade action to use node24").
  'actions/setup-node': 5,
  // v6.0.0: "now runs on Node.js 24"; v5 had preliminary support but still declared node20.
  'actions/upload-artifact': 6,
  // v7.0.0: "now runs on Node.js 24"; v6 still declared node20.
  'actions/download-artifact': 7,
  // v6.0.0: "Upgrade action to use Node.js 24 and ESM" (#287).
  'amannn/action-semantic-pull-request': 6,
  // v8: the Node 24 runtime is its one breaking change; v7 ran on Node 20.
  'peter-evans/create-pull-request': 8,
  // v3.0.0 declares node24; v2 node20.
  'actions/create-github-app-token': 3,
  // v7.0.0 declares node24; v6 node20.
  'astral-sh/setup-uv': 7,
  // The docker/* Node 24 majors.
  'docker/setup-buildx-action': 4,
  'docker/build-push-action': 7,
  'docker/login-action': 4,
  'docker/metadata-action': 6,
  // No tag runs on Node 24 (v6.4.0 declares node20); main does since 2026-03-20.
  'neondatabase/create-branch-action': null,
  // A composite action: no Node runtime of its own.
  'neondatabase/delete-branch-action': 0,
  'neondatabase/schema-diff-action': null,
};

/** Other pins of the generated CI. */
export const CI_VERSIONS = {
  /** Runner image of every job (a fixed release rather than `ubuntu-latest`: no silent runner upgrades). */
  runner: 'ubuntu-24.04',
  /** Node.js of the drift job, which runs the service's projen toolchain. */
  node: '22',
} as const;
