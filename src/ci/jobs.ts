import * as github from 'projen/lib/github';
import { ActionRefs } from './actions';

import { ResolvedCi } from './resolve';
import { DATABASE_VERSIONS } from '../core/versions';
import { LOCAL_MAX_PREPARED_STATEMENTS } from '../database/local-stack';
import type { ResolvedDatabase } from '../database/resolve';
import type { ResolvedPyproject, ResolvedPython } from '../python/resolve';
import { STRICT_ENV } from '../usercode/resolve';

type Job = github.workflows.Job;
type JobStep = github.workflows.JobStep;
const { JobPermission } = github.workflows;

/** What the jobs read of the Docker model, taken from `DockerStages` each time the jobs are built. */
export interface DockerFacts {
  /** The runtime stage: the target built, migrated from and published. */
  readonly runtimeStage: string;
  /** The testing stage, if the Dockerfile has one. */
  readonly testingStage?: string;
  /** Path of the Dockerfile, relative to the repository root. */
  readonly dockerfile: string;
  /** Build context, relative to the repository root. */
  readonly context: string;
  /** Image name the local tags use (`<imageName>:<stage>`), if the model has one. */
  readonly imageName?: string;
}

/** What every job builder reads. */
export interface JobContext {
  readonly python: ResolvedPyproject;
  readonly docker?: DockerFacts;
  readonly database?: ResolvedDatabase;
  readonly ci: ResolvedCi;
  readonly refs: ActionRefs;
  /** `if:` that skips a job on the `closed` pull request event (present when Neon previews are on). */
  readonly notClosed?: string;
}

/** Ids of the database service containers of the `test` and `docker` jobs. */
const POSTGRES_SERVICE = 'postgres';
const PGBOUNCER_SERVICE = 'pgbouncer';
/** The port PgBouncer listens on in its container (the host port is the runner's pick). */
const PGBOUNCER_PORT = 6432;

/**
 * Postgres of the CI service container: a throwaway database that only the job's runner reaches. Its
 * password is no secret (the container lives for one job and publishes its port on the runner only);
 * it exists because Neon's pooler authenticates with SCRAM, and so does the CI's PgBouncer.
 */
const CI_DATABASE = { user: 'ci', password: 'ci-only', name: 'ci' } as const;
/** A URL of the CI database through a service container's host port, read from the `job` context. */
const ciUrl = (service: string, port: number) =>
  `postgresql://${CI_DATABASE.user}:${CI_DATABASE.password}@localhost:\${{ job.services.${service}.ports['${port}'] }}/${CI_DATABASE.name}`;
/** The direct URL: Postgres itself (migrations, the tests' own database). */
export const CI_DATABASE_URL = ciUrl(POSTGRES_SERVICE, 5432);
/** The pooled URL: PgBouncer in transaction mode, as Neon's pooler (the app under test). */
export const CI_POOLED_DATABASE_URL = ciUrl(PGBOUNCER_SERVICE, PGBOUNCER_PORT);

/** The pooled and direct URL variables of a database, set to the CI's PgBouncer and Postgres. */
export function ciDatabaseEnv(db: ResolvedDatabase): Record<string, string> {
  return { [db.pooledUrlEnv]: CI_POOLED_DATABASE_URL, [db.directUrlEnv]: CI_DATABASE_URL };
}

/** Branch of a pull request's Neon preview. */
const NEON_PREVIEW_BRANCH = 'preview/pr-${{ github.event.pull_request.number }}';

/** Runs only for pull requests from this repository (forks and Dependabot get no secrets). */
const SAME_REPO_PR =
  "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'";

export function checkout(refs: ActionRefs): JobStep {
  return { name: 'Check out', id: 'checkout', uses: refs.uses('checkout'), with: { 'persist-credentials': false } };
}

/** The toolchain facts the setup-uv step reads. */
export type UvToolchainContext = Pick<JobContext, 'refs'> & { readonly python: Pick<ResolvedPython, 'uvVersion' | 'pythonVersion'> };

export function setupUv(ctx: UvToolchainContext): JobStep {
  return {
    name: `Set up uv ${ctx.python.uvVersion} and Python ${ctx.python.pythonVersion}`,
    id: 'setup-uv',
    uses: ctx.refs.uses('setupUv'),
    with: {
      'version': ctx.python.uvVersion,
      'python-version': ctx.python.pythonVersion,
      'enable-cache': true,
      'cache-dependency-glob': 'uv.lock',
    },
  };
}

const UV_SYNC: JobStep = { name: 'Install the locked dependencies', id: 'sync', run: 'uv sync --locked' };

/**
 * The check that uv.lock is committed, run before anything reads it (setup-uv's cache key, `uv sync
 * --locked`, the Docker build's bind mount): without it, one error that says what to run.
 */
export const UV_LOCK_CHECK_SCRIPT = [
  'if [ ! -f uv.lock ]; then',
  '  echo "::error file=pyproject.toml,title=uv.lock is missing::run \\"npx projen lock\\" (uv lock) and commit uv.lock: CI and the Docker build install exactly what it pins (uv sync --locked)."',
  '  exit 1',
  'fi',
  'echo "uv.lock is committed."',
].join('\n');

/** The step of {@link UV_LOCK_CHECK_SCRIPT}. */
export const UV_LOCK_CHECK: JobStep = { name: 'Check that uv.lock is committed', id: 'uv-lock', run: UV_LOCK_CHECK_SCRIPT };

/**
 * The drift check of the migrations: `alembic check` fails when the models hold a change no revision
 * makes. `revisionHint` is the command that writes the missing revision.
 */
export function migrationDriftScript(db: ResolvedDatabase, revisionHint: string): string {
  return [
    `if ! uv run alembic -c ${db.alembicConfig} check; then`,
    `  echo "::error file=${db.migrationsDir},title=A model change has no migration::run ${revisionHint.replace(/"/g, '\\"')} and commit the new revision under ${db.migrationsDir}/versions: the deployment migrates with the revisions alone."`,
    '  exit 1',
    'fi',
    'echo "The migrations match the models."',
  ].join('\n');
}

/** The step of {@link migrationDriftScript}, over the direct URL given in `directUrl`. */
export function migrationDriftCheck(db: ResolvedDatabase, directUrl: string, revisionHint: string): JobStep {
  return {
    name: 'Check that the migrations match the models (alembic check)',
    id: 'migration-drift',
    run: migrationDriftScript(db, revisionHint),
    env: { [db.directUrlEnv]: directUrl },
  };
}

/** The database component's own migration command, over the direct URL given in `directUrl`. */
export function migrate(db: ResolvedDatabase, directUrl: string): JobStep {
  return {
    name: 'Run the migrations (alembic upgrade head)',
    id: 'migrate',
    run: `uv run ${db.migrateCommand}`,
    env: { [db.directUrlEnv]: directUrl },
  };
}

/**
 * The job's database: Postgres (password auth, SCRAM) and PgBouncer in front of it configured like Neon's
 * pooler (transaction mode, prepared statements tracked, SCRAM), the image compose.yaml runs. PgBouncer
 * reaches Postgres by its service id on the job's network and passes every database name through (the
 * tests make a database of their own).
 */
export function postgresService(): Record<string, github.workflows.ContainerOptions> {
  // GitHub reads `options` as one string of `docker create` flags; projen types it as a list.
  const health = (cmd: string) => [
    `--health-cmd "${cmd}"`,
    '--health-interval 5s',
    '--health-timeout 5s',
    '--health-retries 20',
  ].join(' ') as unknown as string[];
  return {
    [POSTGRES_SERVICE]: {
      image: DATABASE_VERSIONS.postgresImage,
      env: {
        POSTGRES_USER: CI_DATABASE.user,
        POSTGRES_PASSWORD: CI_DATABASE.password,
        POSTGRES_DB: CI_DATABASE.name,
        POSTGRES_HOST_AUTH_METHOD: 'scram-sha-256',
      },
      ports: [5432],
      options: health(`pg_isready -U ${CI_DATABASE.user} -d ${CI_DATABASE.name}`),
    },
    [PGBOUNCER_SERVICE]: {
      image: DATABASE_VERSIONS.pgbouncerImage,
      env: {
        DB_HOST: POSTGRES_SERVICE,
        DB_PORT: '5432',
        DB_USER: CI_DATABASE.user,
        DB_PASSWORD: CI_DATABASE.password,
        AUTH_TYPE: 'scram-sha-256',
        POOL_MODE: 'transaction',
        MAX_PREPARED_STATEMENTS: String(LOCAL_MAX_PREPARED_STATEMENTS),
        LISTEN_PORT: String(PGBOUNCER_PORT),
      },
      ports: [PGBOUNCER_PORT],
      options: health(`pg_isready -h 127.0.0.1 -p ${PGBOUNCER_PORT} -U ${CI_DATABASE.user} -d ${CI_DATABASE.name}`),
    },
  };
}

export function base(ctx: Pick<JobContext, 'ci'>, name: string, timeoutMinutes: number): Pick<Job, 'name' | 'runsOn' | 'timeoutMinutes'> {
  return { name, runsOn: ctx.ci.runsOn, timeoutMinutes };
}

/** What {@link lintAndTestSteps} reads: the database, and the tests directory (none: pytest's `testpaths`). */
export interface LintAndTestContext {
  readonly database?: ResolvedDatabase;
  readonly testsDir?: string;
  /** Run the type checker (`uv run mypy`, configured in pyproject.toml's `[tool.mypy]`). */
  readonly typeCheck?: boolean;
  /** The command that writes a missing migration, named by the drift check. @default "npx projen db:revision \"message\"" */
  readonly revisionHint?: string;
}

/** The command that autogenerates a migration (the database component's `db:revision` task). */
export const REVISION_HINT = 'npx projen db:revision "message"';

/**
 * `sync`, then ruff check, ruff format --check, mypy (`typeCheck`), the migrations (with a database) and
 * pytest, in the working directory; the migrations and pytest reach the job's Postgres service container.
 */
export function lintAndTestSteps(ctx: LintAndTestContext, sync: JobStep): JobStep[] {
  const db = ctx.database;
  const steps: JobStep[] = [
    sync,
    { name: 'Lint (ruff check)', id: 'lint', run: 'uv run ruff check --output-format=github .' },
    { name: 'Check formatting (ruff format --check)', id: 'format', run: 'uv run ruff format --check .' },
  ];
  if (ctx.typeCheck) steps.push({ name: 'Type check (mypy)', id: 'mypy', run: 'uv run mypy' });
  if (db) steps.push(migrate(db, CI_DATABASE_URL), migrationDriftCheck(db, CI_DATABASE_URL, ctx.revisionHint ?? REVISION_HINT));
  steps.push({
    name: 'Test (pytest)',
    id: 'pytest',
    run: ctx.testsDir === undefined ? 'uv run pytest' : `uv run pytest ${ctx.testsDir}`,
    // Both URLs: the tests make a database of their own over the direct URL and run the app on it
    // through PgBouncer's pooled URL.
    env: db ? ciDatabaseEnv(db) : undefined,
  });
  return steps;
}

/** `test`: lint, format check, migrations, their drift check and pytest against Postgres and PgBouncer service containers. */
export function testJob(ctx: JobContext): Job {
  const db = ctx.database;
  const steps: JobStep[] = [
    checkout(ctx.refs),
    UV_LOCK_CHECK,
    setupUv(ctx),
    ...lintAndTestSteps({ database: db, testsDir: ctx.python.testsDir, typeCheck: true }, UV_SYNC),
  ];
  return {
    ...base(ctx, 'Lint and test', ctx.ci.testTimeoutMinutes),
    if: ctx.notClosed,
    permissions: { contents: JobPermission.READ },
    services: db ? postgresService() : undefined,
    steps,
  };
}

/** The drift check: a synth must not change any committed file. */
export const DRIFT_CHECK_SCRIPT = [
  '# New files count as changes too.',
  'git add --intent-to-add --all',
  'if ! git diff --exit-code --quiet; then',
  '  echo "::error title=Generated files are out of date::run \\"npx projen\\" and commit the result. Files that differ:"',
  '  git diff --name-only',
  '  git diff --stat',
  '  exit 1',
  'fi',
  'echo "Every generated file matches .projenrc.ts."',
].join('\n');

/** `synth`: runs the projen synth and fails on any change (drift). */
export function synthJob(ctx: Pick<JobContext, 'ci' | 'refs' | 'notClosed'>, nodeVersion: string): Job {
  return {
    ...base(ctx, 'Generated files are in sync', ctx.ci.synthTimeoutMinutes),
    if: ctx.notClosed,
    permissions: { contents: JobPermission.READ },
    steps: [
      checkout(ctx.refs),
      {
        name: `Set up Node.js ${nodeVersion}`,
        id: 'setup-node',
        uses: ctx.refs.uses('setupNode'),
        with: { 'node-version': nodeVersion, 'cache': 'npm', 'cache-dependency-path': 'package-lock.json' },
      },
      { name: 'Install the projen toolchain', id: 'npm-ci', run: 'npm ci --no-audit --no-fund' },
      // Strict: an import of the service's code that no longer agrees with .projenrc.ts fails here.
      { name: 'Synthesize (npx projen)', id: 'synth', run: 'npx projen', env: { [STRICT_ENV]: '1' } },
      { name: 'Fail if a generated file changed', id: 'drift', run: DRIFT_CHECK_SCRIPT },
    ],
  };
}

function cache(scope: string, write: boolean): Record<string, string> {
  return {
    'cache-from': `type=gha,scope=${scope}`,
    ...(write ? { 'cache-to': `type=gha,mode=max,scope=${scope}` } : {}),
  };
}

/** The build-push-action inputs that say what to build: context, Dockerfile, target. */
function buildInputs(docker: DockerFacts, target: string): Record<string, string> {
  return { context: docker.context, file: docker.dockerfile, target };
}

/** The local tag of a stage's image in a CI run. */
function localTag(docker: DockerFacts, stage: string): string {
  return `${docker.imageName ?? 'ci'}:${stage}`;
}

/** What {@link imageSteps} reads. */
export interface ImageContext {
  readonly refs: ActionRefs;
  readonly docker: DockerFacts;
  readonly database?: ResolvedDatabase;
  /**
   * Prefix of the GitHub Actions cache scopes (`<prefix><stage>`), to keep the caches of several
   * images apart. @default "" (the stage name alone)
   */
  readonly cacheScopePrefix?: string;
}

/**
 * Builds the runtime stage with the GitHub Actions cache and runs the migrations from it (as a
 * deployment would), then builds the testing stage and runs the test suite in it.
 */
export function imageSteps(ctx: ImageContext): JobStep[] {
  const docker = ctx.docker;
  const db = ctx.database;
  const scope = (stage: string) => `${ctx.cacheScopePrefix ?? ''}${stage}`;
  const runtimeImage = localTag(docker, docker.runtimeStage);
  const steps: JobStep[] = [
    { name: 'Set up Docker Buildx', id: 'buildx', uses: ctx.refs.uses('setupBuildx') },
    {
      name: `Build the ${docker.runtimeStage} stage`,
      id: 'build-runtime',
      uses: ctx.refs.uses('buildPush'),
      with: { ...buildInputs(docker, docker.runtimeStage), load: true, push: false, tags: runtimeImage, ...cache(scope(docker.runtimeStage), true) },
    },
  ];
  if (db) {
    steps.push({
      name: `Run the migrations from the ${docker.runtimeStage} image`,
      id: 'migrate-image',
      run: `docker run --rm --network host --env ${db.directUrlEnv} ${runtimeImage} ${db.migrateCommand}`,
      env: { [db.directUrlEnv]: CI_DATABASE_URL },
    });
  }
  if (docker.testingStage) {
    const testingImage = localTag(docker, docker.testingStage);
    steps.push(
      {
        name: `Build the ${docker.testingStage} stage`,
        id: 'build-testing',
        uses: ctx.refs.uses('buildPush'),
        with: {
          ...buildInputs(docker, docker.testingStage), load: true, push: false, tags: testingImage, ...cache(scope(docker.testingStage), true),
        },
      },
      {
        name: `Run the tests in the ${docker.testingStage} image`,
        id: 'test-image',
        run: db
          ? `docker run --rm --network host --env ${db.pooledUrlEnv} --env ${db.directUrlEnv} ${testingImage}`
          : `docker run --rm ${testingImage}`,
        env: db ? ciDatabaseEnv(db) : undefined,
      },
    );
  }
  return steps;
}

/**
 * `docker`: {@link imageSteps} of the service's image, against a Postgres service container when it
 * has a database.
 */
export function dockerJob(ctx: JobContext): Job {
  const db = ctx.database;
  return {
    ...base(ctx, 'Docker image', ctx.ci.dockerTimeoutMinutes),
    if: ctx.notClosed,
    permissions: { contents: JobPermission.READ },
    services: db ? postgresService() : undefined,
    // The image ID (config digest) of the runtime image the migrations ran from: `publish` pushes this one.
    outputs: { [TESTED_IMAGE_OUTPUT]: { stepId: 'build-runtime', outputName: 'imageid' } },
    steps: [checkout(ctx.refs), UV_LOCK_CHECK, ...imageSteps({ refs: ctx.refs, docker: ctx.docker!, database: db })],
  };
}

/** The `docker` job's output naming the image ID of the runtime image it tested. */
export const TESTED_IMAGE_OUTPUT = 'image-id';

/**
 * The script of publish's `verify` step: the pushed image's ID (its config digest) must be the tested
 * image's, else the push was of another build; then the digest goes to the job summary. The values come
 * through the environment (TESTED, PUSHED, DIGEST, IMAGE), never through `${{ }}` in the script.
 */
export function verifyPublishedScript(tested: boolean): string {
  return [
    ...(tested ? [
      'if [ "$PUSHED" != "$TESTED" ]; then',
      '  echo "::error::the pushed image $PUSHED is not the image the docker job tested ($TESTED): a layer was rebuilt instead of read from the cache; re-run the workflow" >&2',
      '  exit 1',
      'fi',
    ] : []),
    '{',
    '  echo "### Published image"',
    '  echo',
    '  echo "- image: \\`$IMAGE@$DIGEST\\`"',
    '  echo "- image ID (config digest): \\`$PUSHED\\`"',
    ...(tested ? ['  echo "- the image the docker job tested (same image ID), with SBOM and provenance attestations"'] : []),
    '} >> "$GITHUB_STEP_SUMMARY"',
  ].join('\n');
}

/**
 * `publish`: pushes the runtime image, on the default branch only. After the `docker` job, it is the
 * image that job tested: the same build inputs and the docker job's cache make every layer and the
 * config cache hits, so the pushed image has the tested image's ID, and the `verify` step fails the job
 * when it has not. BuildKit adds SBOM and provenance attestations; the digest goes to the job summary.
 */
export function publishJob(ctx: JobContext, needs: string[]): Job {
  const docker = ctx.docker!;
  const ci = ctx.ci;
  const ghcr = ci.imageRegistry === 'ghcr.io';
  // With the docker job, publish pushes the image it tested (and checks that it did).
  const tested = needs.includes('docker');
  return {
    ...base(ctx, 'Publish the image', ci.dockerTimeoutMinutes),
    needs: needs.length > 0 ? needs : undefined,
    // Never for pull requests (nor forks' pull requests): only a push or a manual run on the default branch.
    if: `(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/${ci.defaultBranch}'`,
    permissions: ghcr ? { contents: JobPermission.READ, packages: JobPermission.WRITE } : { contents: JobPermission.READ },
    steps: [
      checkout(ctx.refs),
      { name: 'Set up Docker Buildx', id: 'buildx', uses: ctx.refs.uses('setupBuildx') },
      {
        name: `Log in to ${ci.imageRegistry}`,
        id: 'login',
        uses: ctx.refs.uses('login'),
        with: {
          registry: ci.imageRegistry,
          username: ci.registryUsername,
          password: `\${{ secrets.${ci.registryPasswordSecret} }}`,
        },
      },
      {
        name: 'Image tags and labels',
        id: 'meta',
        uses: ctx.refs.uses('metadata'),
        with: {
          images: `${ci.imageRegistry}/${ci.imageName}`,
          tags: ['type=sha', 'type=ref,event=branch', 'type=raw,value=latest,enable={{is_default_branch}}'].join('\n'),
        },
      },
      {
        name: `Build and push the ${docker.runtimeStage} stage`,
        id: 'push',
        uses: ctx.refs.uses('buildPush'),
        with: {
          ...buildInputs(docker, docker.runtimeStage),
          push: true,
          tags: '${{ steps.meta.outputs.tags }}',
          labels: '${{ steps.meta.outputs.labels }}',
          // BuildKit attestations, attached to the pushed image index: an SPDX SBOM, and SLSA provenance
          // with the build's full record (mode=max).
          sbom: 'true',
          provenance: 'mode=max',
          // The docker job's cache, read only: every layer and the config come from the build it tested.
          ...cache(docker.runtimeStage, false),
        },
      },
      {
        name: tested ? 'Check the pushed image is the tested one; write its digest to the summary' : 'Write the image digest to the summary',
        id: 'verify',
        env: {
          ...(tested ? { TESTED: `\${{ needs.docker.outputs.${TESTED_IMAGE_OUTPUT} }}` } : {}),
          PUSHED: '${{ steps.push.outputs.imageid }}',
          DIGEST: '${{ steps.push.outputs.digest }}',
          IMAGE: `${ci.imageRegistry}/${ci.imageName}`,
        },
        run: verifyPublishedScript(tested),
      },
    ],
  };
}

const NEON_PROJECT = '${{ vars.NEON_PROJECT_ID }}';
const NEON_API_KEY = '${{ secrets.NEON_API_KEY }}';

/** `neon-preview`: a Neon branch per pull request, migrated. */
export function neonPreviewJob(ctx: JobContext): Job {
  const db = ctx.database!;
  return {
    ...base(ctx, 'Neon preview branch', ctx.ci.neonTimeoutMinutes),
    if: `${SAME_REPO_PR} && github.event.action != 'closed'`,
    permissions: { contents: JobPermission.READ },
    steps: [
      checkout(ctx.refs),
      {
        name: 'Create the Neon branch',
        id: 'branch',
        uses: ctx.refs.uses('neonCreateBranch'),
        with: { project_id: NEON_PROJECT, api_key: NEON_API_KEY, branch_name: NEON_PREVIEW_BRANCH },
      },
      setupUv(ctx),
      UV_SYNC,
      migrate(db, '${{ steps.branch.outputs.db_url }}'),
    ],
  };
}

/** `neon-schema-diff`: comments the schema diff of the preview branch on the pull request. */
export function neonSchemaDiffJob(ctx: JobContext): Job {
  return {
    ...base(ctx, 'Neon schema diff', ctx.ci.neonTimeoutMinutes),
    needs: ['neon-preview'],
    if: `${SAME_REPO_PR} && github.event.action != 'closed'`,
    // The only job that writes to the pull request; it runs no code of the pull request.
    permissions: { pullRequests: JobPermission.WRITE },
    steps: [
      {
        name: 'Post the schema diff',
        id: 'schema-diff',
        uses: ctx.refs.uses('neonSchemaDiff'),
        with: { project_id: NEON_PROJECT, api_key: NEON_API_KEY, compare_branch: NEON_PREVIEW_BRANCH },
      },
    ],
  };
}

/** `neon-cleanup`: deletes the preview branch when the pull request closes. */
export function neonCleanupJob(ctx: JobContext): Job {
  return {
    ...base(ctx, 'Delete the Neon preview branch', ctx.ci.neonTimeoutMinutes),
    if: `${SAME_REPO_PR} && github.event.action == 'closed'`,
    permissions: {},
    steps: [
      {
        name: 'Delete the Neon branch',
        id: 'delete-branch',
        uses: ctx.refs.uses('neonDeleteBranch'),
        with: { project_id: NEON_PROJECT, api_key: NEON_API_KEY, branch: NEON_PREVIEW_BRANCH },
      },
    ],
  };
}
