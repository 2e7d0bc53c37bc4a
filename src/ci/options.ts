
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
   * Reference every action by the full commit SHA of a release (with the release as a comment,
   * `# v7.0.1`) instead of a tag. The SHAs come from the table in the library's `versions.ts` and from
   * `actionShas`; an action whose SHA the library could not confirm is referenced by its exact
   * release tag. Off: moving major tags (exact tags for actions that publish none).
   *
   * @default true
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
   * Dependabot version updates, for the ecosystems whose pull requests can pass: an updater whose
   * edits land in a managed file (uv and npm: pyproject.toml and package.json; docker: the
   * Dockerfile; github-actions: the workflows) would fail the `synth` job by construction, so it is
   * left out, and `.github/dependabot.yml` is written only when some updater remains (with the
   * service's own files, none does: the `upgrade` workflow moves those). Dependabot security alerts
   * and security updates are repository settings and work without this file.
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

  /**
   * The `upgrade` workflow (`.github/workflows/upgrade.yml`), projen's way of staying current: weekly
   * and on demand it updates the projen toolchain in package-lock.json within the ranges of
   * package.json (projen, constructs, tsx, this library), resynthesizes (`npx projen`: a new library
   * release moves the defaults it carries, such as uv and Python, into every managed file), upgrades
   * uv.lock (`uv lock --upgrade`), runs the lint and the tests, and opens or updates ONE pull request
   * with every changed file and a body listing what moved. The job that runs those tools has a
   * read-only token; only the job that opens the pull request, which runs no project code, can write.
   *
   * @default true
   */
  readonly upgradeWorkflow?: boolean;

  /**
   * When the `upgrade` workflow runs, as a cron expression (UTC, five fields).
   *
   * @default "0 6 * * 1" (Mondays, 06:00 UTC)
   */
  readonly upgradeSchedule?: string;

  /**
   * Days a release must have been published before the `upgrade` workflow takes it (a cooldown
   * against a bad or malicious release that is yanked within days), 0 to 90; 0 takes releases of the
   * same day.
   *
   * uv's side is `[tool.uv] exclude-newer = "<N> days"` in pyproject.toml, so every uv command reads it
   * (the upgrade job's plain `uv lock --upgrade`, CI's and the Docker build's `uv sync --locked`, a
   * developer's `uv lock`): uv records it in uv.lock, and a lock made with a cooldown the other
   * commands do not share fails their `--locked` check. A release newer than N days is then not
   * resolvable anywhere; `[tool.uv] exclude-newer-package` exempts one package (see the README).
   * npm's side is `npm update --before <the date N days ago>` in the upgrade job.
   *
   * The relative duration needs uv 0.9.17 or later: with an older `uvVersion`, the default gives no uv
   * cooldown and one synth warning, and an explicit value is an error (a fixed timestamp would stop
   * every later upgrade at that date).
   *
   * @default 7
   */
  readonly upgradeCooldownDays?: number;

  /**
   * Name of the repository secret holding the token that opens the upgrade pull request, e.g. a
   * fine-grained personal access token with `contents: write` and `pull-requests: write` on this
   * repository.
   *
   * A pull request opened with the workflow's default `GITHUB_TOKEN` triggers no `pull_request` run
   * (GitHub's rule against recursive runs), so with it the workflow's `ci` job dispatches `ci.yml` on
   * the upgrade branch (`gh workflow run`, `actions: write` on that job only: a dispatch is the one event
   * a `GITHUB_TOKEN` may start): its checks appear on the pull request's head commit. A token from this
   * secret, or a GitHub App (`upgradeAppIdVariable` + `upgradeAppPrivateKeySecret`), makes the pull
   * request trigger CI like any other, and the dispatch is left out.
   *
   * @default - the workflow's GITHUB_TOKEN, and ci.yml dispatched on the upgrade branch
   */
  readonly upgradeTokenSecret?: string;

  /**
   * Name of the repository VARIABLE holding the client ID (or app ID) of a GitHub App that opens the
   * upgrade pull request (`actions/create-github-app-token`); give `upgradeAppPrivateKeySecret` too.
   * The App needs `contents: write` and `pull-requests: write` on the repository. An alternative to
   * `upgradeTokenSecret`.
   *
   * @default - no GitHub App
   */
  readonly upgradeAppIdVariable?: string;

  /**
   * Name of the repository secret holding the private key of the GitHub App named by
   * `upgradeAppIdVariable`.
   *
   * @default - no GitHub App
   */
  readonly upgradeAppPrivateKeySecret?: string;
}

