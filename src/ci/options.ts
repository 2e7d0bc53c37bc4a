/**
 * A GitHub Action pinned to one commit.
 */
export interface ActionShaPin {
  /** Full 40-character commit SHA. */
  readonly sha: string;

  /**
   * The release tag the commit belongs to (e.g. `v6.1.0`), written as a comment after the SHA so that
   * readers and Dependabot see which release it is. Its major must be the one the library uses.
   */
  readonly release: string;
}

/**
 * Options of the generated CI workflow (`.github/workflows/ci.yml`) and Dependabot config.
 *
 * Jobs for a component that is turned off are left out: no `docker`/`publish` jobs with
 * `docker: false`, no Postgres service or migrations with `database: false`.
 */
export interface CiOptions {
  /**
   * Default branch: pushes to it run CI and publish the image.
   *
   * @default "main"
   */
  readonly defaultBranch?: string;

  /**
   * Runner labels of every job.
   *
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];

  /**
   * The `test` job: ruff check, ruff format --check, migrations and pytest against a Postgres
   * service container.
   *
   * @default true
   */
  readonly testJob?: boolean;

  /**
   * Minutes before the `test` job is cancelled.
   *
   * @default 15
   */
  readonly testTimeoutMinutes?: number;

  /**
   * The `synth` job: runs the projen synth and fails when a generated file differs from the
   * committed one (drift).
   *
   * @default true
   */
  readonly synthJob?: boolean;

  /**
   * Minutes before the `synth` job is cancelled.
   *
   * @default 10
   */
  readonly synthTimeoutMinutes?: number;

  /**
   * The `docker` job: builds the testing stage and runs the tests in it, then builds the runtime
   * stage with the GitHub Actions cache. Needs the Docker component.
   *
   * @default true
   */
  readonly dockerJob?: boolean;

  /**
   * The `publish` job: on pushes to the default branch only, logs in to the registry and pushes the
   * runtime image with `docker/metadata-action` tags. Needs the Docker component.
   *
   * @default true
   */
  readonly publishImage?: boolean;

  /**
   * Minutes before the `docker` and `publish` jobs are cancelled.
   *
   * @default 30
   */
  readonly dockerTimeoutMinutes?: number;

  /**
   * Registry host the image is pushed to.
   *
   * @default "ghcr.io"
   */
  readonly imageRegistry?: string;

  /**
   * Image repository inside the registry, lowercase (e.g. `acme/orders-api`).
   *
   * @default "${{ github.repository }}"
   */
  readonly imageName?: string;

  /**
   * User name for the registry login: a literal or a `${{ vars.NAME }}` expression.
   *
   * @default "${{ github.actor }}"
   */
  readonly registryUsername?: string;

  /**
   * Name of the repository secret holding the registry password. `GITHUB_TOKEN` works for
   * `ghcr.io` only (the `publish` job then gets `packages: write`).
   *
   * @default "GITHUB_TOKEN"
   */
  readonly registryPasswordSecret?: string;

  /**
   * Neon preview branches for pull requests: creates `preview/pr-<number>` from the project's
   * default branch (`neondatabase/create-branch-action`, `NEON_API_KEY` secret, `NEON_PROJECT_ID`
   * variable), runs the migrations on it, posts the schema diff, and deletes the branch when the pull
   * request closes. Skipped for pull requests from forks and Dependabot, which get no secrets.
   * Needs the database component.
   *
   * @default false
   */
  readonly neonPreview?: boolean;

  /**
   * Minutes before each Neon preview job is cancelled.
   *
   * @default 10
   */
  readonly neonTimeoutMinutes?: number;

  /**
   * Reference every action by the full commit SHA of a release (with the release as a comment)
   * instead of its major tag. The SHAs come from the table in the library's `versions.ts` and from
   * `actionShas`.
   *
   * @default false
   */
  readonly pinActionsToSha?: boolean;

  /**
   * Commit SHAs for actions, by `owner/repo` (e.g. `neondatabase/create-branch-action`). They replace
   * the library's table entries, and supply the ones it has none for. Used with `pinActionsToSha`.
   *
   * @default - the library's table
   */
  readonly actionShas?: { [repo: string]: ActionShaPin };

  /**
   * Generate `.github/dependabot.yml` (uv, docker and github-actions updates, weekly).
   *
   * @default true
   */
  readonly dependabot?: boolean;

  /**
   * Days Dependabot waits after a release before proposing it (`cooldown.default-days`), 1 to 90.
   *
   * @default 7
   */
  readonly dependabotCooldownDays?: number;
}
