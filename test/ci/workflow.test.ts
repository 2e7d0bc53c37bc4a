import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { actionlintFindings, evaluateConditions, shellcheckEach, shellcheckFindings, workflowParserErrors } from './validators';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { node20Problem } from '../../src/ci/actions';
import { DRIFT_CHECK_SCRIPT } from '../../src/ci/jobs';
import { actionsInUse, plannedJobs } from '../../src/ci/plan';
import { ActionPinRecord, DATABASE_VERSIONS, FIRST_NODE24_MAJOR, GITHUB_ACTIONS } from '../../src/core/versions';
import { Synthesized, synthService, tempDir } from '../support/synth';

const WORKFLOW = '.github/workflows/ci.yml';
const UPGRADE = '.github/workflows/upgrade.yml';

/** User-given SHAs for the Neon actions, which the library's table has none for. */
const NEON_SHAS = {
  'neondatabase/create-branch-action': { sha: '1111111111111111111111111111111111111111', release: 'v6.3.0' },
  'neondatabase/delete-branch-action': { sha: '2222222222222222222222222222222222222222', release: 'v3.1.1' },
  'neondatabase/schema-diff-action': { sha: '3333333333333333333333333333333333333333', release: 'v1.0.3' },
};

const variants: Array<[string, Partial<UvPythonServiceOptions>]> = [
  ['defaults', {}],
  ['all jobs on (Neon previews too)', { ciOptions: { neonPreview: true } }],
  ['all optional jobs off', { ciOptions: { synthJob: false, dockerJob: false, publishImage: false, dependabot: false } }],
  ['actions pinned by SHA', { ciOptions: { pinActionsToSha: true } }],
  ['all jobs on, pinned by SHA', { ciOptions: { neonPreview: true, pinActionsToSha: true, actionShas: NEON_SHAS } }],
  ['database off', { database: false }],
  ['docker off', { docker: false }],
  ['other registry, custom names and versions', {
    pythonVersion: '3.13',
    uvVersion: '0.9.9',
    testsDir: 'checks',
    databaseOptions: { pooledUrlEnv: 'APP_DB_URL', directUrlEnv: 'APP_DB_URL_DIRECT' },
    ciOptions: {
      defaultBranch: 'trunk',
      imageRegistry: 'registry.example.com',
      imageName: 'acme/orders-api',
      registryUsername: '${{ vars.REGISTRY_USER }}',
      registryPasswordSecret: 'REGISTRY_PASSWORD',
      neonPreview: true,
    },
  }],
  // With the two above, each job's actions are seen on their own (docker's are a subset of publish's).
  ['docker job without publishing', { ciOptions: { publishImage: false } }],
  ['publishing without the docker job', { ciOptions: { dockerJob: false } }],
];

interface Step { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job {
  'if'?: string;
  'needs'?: string | string[];
  'permissions'?: Record<string, string>;
  'timeout-minutes'?: number;
  'services'?: Record<string, any>;
  'outputs'?: Record<string, string>;
  'steps': Step[];
}
interface Workflow { on: any; permissions: Record<string, string>; concurrency: any; jobs: Record<string, Job> }

const synthesized: Array<[string, Synthesized, Workflow]> = variants.map(([label, options]) => {
  const s = synthService(options);
  return [label, s, YAML.parse(s.read(WORKFLOW)) as Workflow];
});

function steps(wf: Workflow): Step[] {
  return Object.values(wf.jobs).flatMap((j) => j.steps);
}

function step(job: Job, id: string): Step {
  const found = job.steps.find((s) => s.id === id);
  if (!found) throw new Error(`no step "${id}" in ${JSON.stringify(job.steps.map((s) => s.id))}`);
  return found;
}

describe('third-party validators: zero findings on every variant', () => {
  let parserErrors: string[][];
  beforeAll(async () => {
    parserErrors = await workflowParserErrors(synthesized.map(([, s]) => s.read(WORKFLOW)));
  });

  test.each(synthesized.map(([label, s], i) => [label, s, i] as const))('%s', async (_label, s, i) => {
    const text = s.read(WORKFLOW);
    expect(await actionlintFindings(text)).toEqual([]);
    expect(parserErrors[i]).toEqual([]);
  });

  test.each(synthesized)('every run script passes shellcheck (%s)', (_label, _s, wf) => {
    const scripts = steps(wf).filter((st) => st.run !== undefined);
    expect(scripts.length).toBeGreaterThan(0);
    const findings = shellcheckEach(scripts.map((st) => st.run!));
    scripts.forEach((st, i) => expect({ step: st.name, findings: findings[i] }).toEqual({ step: st.name, findings: [] }));
  });

  test('the validators do find problems (they are not no-ops)', async () => {
    const bad = synthesized[0][1].read(WORKFLOW)
      .replace('contents: read', 'contents: reed')
      .replace('uv run pytest tests', 'uv run pytest ${{ github.event.pull_request.title }} $UNSET_VAR');
    expect((await actionlintFindings(bad)).join('\n')).toMatch(/"reed" is invalid/);
    expect((await workflowParserErrors([bad]))[0].join('\n')).toMatch(/Unexpected value 'reed'/);
    expect(shellcheckFindings('echo $UNQUOTED\ncd somewhere').join('\n')).toMatch(/SC2086|SC2164/);
    // Checked together, each script's findings are its own.
    expect(shellcheckEach(['echo "ok"', 'echo $UNQUOTED', 'true']).map((f) => f.map((l) => l.replace(/^-:\d+:\d+: /, '')))).toEqual([
      [], [expect.stringMatching(/SC2086/)], [],
    ]);
  });
});

describe.each(synthesized)('workflow rules (%s)', (_label, s, wf) => {
  test('triggers: pull requests, pushes to the default branch, manual runs; superseded runs are cancelled', () => {
    const branch = s.project._resolved.ci!.defaultBranch;
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect(wf.on.push.branches).toEqual([branch]);
    expect(wf.concurrency['cancel-in-progress']).toBe(true);
    expect(wf.concurrency.group).toContain('${{ github.ref }}');
  });

  test('read-only by default; every job has a timeout; checkout never keeps credentials', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect({ id, timeout: job['timeout-minutes'] }).toEqual({ id, timeout: expect.any(Number) });
      expect(job.permissions).toBeDefined();
    }
    const checkouts = steps(wf).filter((st) => st.uses?.startsWith(`${GITHUB_ACTIONS.checkout.repo}@`));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const c of checkouts) expect(c.with?.['persist-credentials']).toBe(false);
  });

  test('no ${{ github.event.* }} text in a run script', () => {
    for (const st of steps(wf)) expect(st.run ?? '').not.toMatch(/\$\{\{[^}]*github\.event/);
  });

  test('database URLs come only from secrets, step outputs, or the job\'s own service container', () => {
    const db = s.project._resolved.database;
    const urls = steps(wf).flatMap((st) => Object.entries(st.env ?? {}));
    for (const [name, value] of urls) {
      if (db && (name === db.pooledUrlEnv || name === db.directUrlEnv)) {
        // The direct URL is Postgres's container, the pooled one PgBouncer's (the tests' app), or a Neon branch.
        const container = name === db.pooledUrlEnv ? "pgbouncer\\.ports\\['6432'\\]" : "postgres\\.ports\\['5432'\\]";
        expect(value).toMatch(new RegExp(`^(postgresql://ci:ci-only@localhost:\\$\\{\\{ job\\.services\\.${container} \\}\\}/ci|\\$\\{\\{ steps\\.branch\\.outputs\\.db_url \\}\\})$`));
      }
    }
    // The one password in the file is the CI containers' throwaway one (no secret: they live for one job).
    expect(s.read(WORKFLOW).replace(/ci:ci-only@/g, '')).not.toMatch(/:\/\/[^/\s:@]*:[^/\s@]+@/);
  });

  test('write permissions only where needed: packages on publish (ghcr.io), pull-requests on the schema diff', () => {
    const ghcr = s.project._resolved.ci!.imageRegistry === 'ghcr.io';
    const allowed: Record<string, string[]> = {
      'publish': ghcr ? ['packages'] : [],
      'neon-schema-diff': ['pull-requests'],
    };
    for (const [id, job] of Object.entries(wf.jobs)) {
      const writes = Object.entries(job.permissions ?? {}).filter(([, v]) => v === 'write').map(([k]) => k).sort();
      expect({ id, writes }).toEqual({ id, writes: allowed[id] ?? [] });
    }
  });

  test('pushes, logins and secrets are unreachable from pull requests of forks; publishing only from the default branch', async () => {
    const branch = s.project._resolved.ci!.defaultBranch;
    const github = (over: Record<string, unknown>) => ({
      repository: 'acme/orders-api', actor: 'someone', workflow: 'ci', ...over,
    });
    const pr = (headRepo: string, action = 'synchronize') => github({
      event_name: 'pull_request',
      ref: 'refs/pull/7/merge',
      event: { action, number: 7, pull_request: { number: 7, head: { repo: { full_name: headRepo } } } },
    });
    const contexts = {
      forkPr: pr('mallory/orders-api'),
      forkPrClosed: pr('mallory/orders-api', 'closed'),
      samePr: pr('acme/orders-api'),
      pushDefault: github({ event_name: 'push', ref: `refs/heads/${branch}`, event: {} }),
      dispatchOther: github({ event_name: 'workflow_dispatch', ref: 'refs/heads/feature', event: {} }),
    };
    const ids = Object.keys(wf.jobs);
    const items = Object.values(contexts).flatMap((ctx) =>
      ids.map((id) => ({ expr: wf.jobs[id].if ?? 'true', context: { github: ctx } })));
    const results = await evaluateConditions(items);
    const reachable = (ctxIndex: number) => ids.filter((_, j) => results[ctxIndex * ids.length + j]);

    const sensitive = (id: string) => {
      const job = wf.jobs[id];
      const text = JSON.stringify(job.steps);
      return /secrets\./.test(text) || job.steps.some((st) => st.with?.push === true) ||
        Object.values(job.permissions ?? {}).includes('write');
    };
    for (const ctx of [0, 1]) {
      expect(reachable(ctx).filter(sensitive)).toEqual([]);
    }
    // The same-repository pull request may comment the schema diff, but never push an image.
    expect(reachable(2).filter((id) => wf.jobs[id].steps.some((st) => st.with?.push === true))).toEqual([]);
    if (wf.jobs.publish) {
      expect(reachable(3)).toContain('publish');
      expect(reachable(4)).not.toContain('publish');
    }
    // Sanity: the ordinary checks do run for a fork's pull request.
    if (wf.jobs.test) expect(reachable(0)).toContain('test');
  });
});

describe('the test job follows the service model', () => {
  test('uv and Python versions, locked sync, ruff, migrations over the direct URL, pytest over the pooled URL', () => {
    const [, s, wf] = synthesized[7];
    const job = wf.jobs.test;
    expect(step(job, 'setup-uv').with).toEqual({
      'version': '0.9.9', 'python-version': '3.13', 'enable-cache': true, 'cache-dependency-glob': 'uv.lock',
    });
    expect(step(job, 'sync').run).toBe('uv sync --locked');
    expect(step(job, 'lint').run).toMatch(/^uv run ruff check\b/);
    expect(step(job, 'format').run).toBe('uv run ruff format --check .');
    expect(step(job, 'migrate')).toMatchObject({ run: 'uv run alembic -c alembic.ini upgrade head', env: { APP_DB_URL_DIRECT: expect.any(String) } });
    expect(step(job, 'mypy').run).toBe('uv run mypy');
    // Both URLs: the generated tests make a database of their own over the direct one.
    expect(step(job, 'pytest')).toMatchObject({
      run: 'uv run pytest checks', env: { APP_DB_URL: expect.any(String), APP_DB_URL_DIRECT: expect.any(String) },
    });
    const order = job.steps.map((st) => st.id);
    expect(order.slice(0, 3)).toEqual(['checkout', 'uv-lock', 'setup-uv']);
    expect(order.indexOf('migrate')).toBeLessThan(order.indexOf('pytest'));
    expect(job.services?.postgres.image).toMatch(/^postgres:/);
    expect(s.project._resolved.database?.pooledUrlEnv).toBe('APP_DB_URL');
  });

  test('without the database: no Postgres service, no migrations, no URL variables', () => {
    const [, , wf] = synthesized[5];
    expect(wf.jobs.test.services).toBeUndefined();
    expect(wf.jobs.test.steps.map((st) => st.id)).not.toContain('migrate');
    // The only environment left is the synth job's strict import check and publish's image check.
    expect(steps(wf).filter((st) => st.env !== undefined).map((st) => st.env)).toEqual([
      { PROJEN_UV_SERVICE_STRICT: '1' },
      { TESTED: expect.any(String), PUSHED: expect.any(String), DIGEST: expect.any(String), IMAGE: expect.any(String) },
    ]);
  });
});

describe('the uv.lock check, first after the checkout', () => {
  const [, , wf] = synthesized[0];
  // The script as ci.yml holds it, run for real in a directory with and without uv.lock.
  const script = step(wf.jobs.test, 'uv-lock').run!;
  const run = (withLock: boolean) => {
    const dir = tempDir('uvsvc-lock-');
    if (withLock) fs.writeFileSync(path.join(dir, 'uv.lock'), 'version = 1\n');
    return spawnSync('bash', ['-e', '-c', script], { cwd: dir, encoding: 'utf-8' });
  };

  test('the test and docker jobs check before anything reads uv.lock', () => {
    for (const job of [wf.jobs.test, wf.jobs.docker]) expect(job.steps.map((st) => st.id).slice(0, 2)).toEqual(['checkout', 'uv-lock']);
    expect(step(wf.jobs.docker, 'uv-lock').run).toBe(script);
  });

  test('passes when uv.lock is there', () => {
    const r = run(true);
    expect([r.status, r.stdout]).toEqual([0, 'uv.lock is committed.\n']);
  });

  test('fails without uv.lock, with one ::error naming npx projen lock', () => {
    const r = run(false);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('::error file=pyproject.toml,title=uv.lock is missing::run "npx projen lock" (uv lock) and commit uv.lock: ' +
      'CI and the Docker build install exactly what it pins (uv sync --locked).\n');
  });
});

describe('synth (drift) job', () => {
  const [, , wf] = synthesized[0];

  test('installs the locked toolchain, synthesizes, then runs the drift check', () => {
    const job = wf.jobs.synth;
    expect(job.steps.map((st) => st.run).filter(Boolean)).toEqual(['npm ci --no-audit --no-fund', 'npx projen', DRIFT_CHECK_SCRIPT]);
    expect(step(job, 'setup-node').with).toMatchObject({ 'cache': 'npm', 'cache-dependency-path': 'package-lock.json' });
  });

  function gitRepo(): string {
    const dir = tempDir('uvsvc-drift-');
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf-8' });
    git('init', '-q');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'ci');
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), 'a\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    return dir;
  }
  const drift = (dir: string) => spawnSync('bash', ['-e', '-c', DRIFT_CHECK_SCRIPT], { cwd: dir, encoding: 'utf-8' });

  test('passes on a clean tree', () => {
    expect(drift(gitRepo()).status).toBe(0);
  });

  test('fails on a changed or a new file, naming it', () => {
    const changed = gitRepo();
    fs.writeFileSync(path.join(changed, 'pyproject.toml'), 'b\n');
    const r1 = drift(changed);
    expect(r1.status).toBe(1);
    expect(r1.stdout).toContain('::error title=Generated files are out of date::');
    expect(r1.stdout).toContain('pyproject.toml');

    const added = gitRepo();
    fs.mkdirSync(path.join(added, '.github'));
    fs.writeFileSync(path.join(added, '.github', 'new.yml'), 'x: 1\n');
    const r2 = drift(added);
    expect(r2.status).toBe(1);
    expect(r2.stdout).toContain('.github/new.yml');
  });
});

describe('docker and publish jobs', () => {
  test('build the runtime stage with the GitHub Actions cache, migrate from it, run the tests in the testing stage', () => {
    const [, s, wf] = synthesized[0];
    const docker = s.project.docker!;
    const job = wf.jobs.docker;
    const what = { context: docker.context, file: docker.dockerfilePath };
    expect(step(job, 'build-runtime').with).toMatchObject({ ...what, 'target': docker.runtimeTarget, 'tags': `${docker.imageName}:${docker.runtimeTarget}`, 'cache-to': expect.stringMatching(/^type=gha,mode=max/) });
    expect(step(job, 'build-testing').with).toMatchObject({ ...what, target: docker.testingStage, load: true });
    expect(step(job, 'test-image').run).toContain(`${docker.imageName}:${docker.testingStage}`);
    expect(step(job, 'migrate-image').run).toMatch(/ alembic -c alembic.ini upgrade head$/);
    expect(job.steps.every((st) => st.with?.push !== true)).toBe(true);
  });

  test('publish: needs every other check, logs in, tags with docker/metadata-action, pushes with the cache', () => {
    const [, , wf] = synthesized[0];
    const job = wf.jobs.publish;
    expect(job.needs).toEqual(['test', 'synth', 'docker']);
    expect(step(job, 'login').with).toEqual({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' });
    expect(step(job, 'meta').uses).toMatch(/^docker\/metadata-action@/);
    expect(step(job, 'meta').with?.images).toBe('ghcr.io/${{ github.repository }}');
    expect(step(job, 'push').with).toMatchObject({ 'push': true, 'tags': '${{ steps.meta.outputs.tags }}', 'cache-from': 'type=gha,scope=runtime' });
  });

  test('publish pushes the image the docker job tested: same build and cache, the same image ID checked, SBOM and provenance, the digest in the summary', () => {
    const [, , wf] = synthesized[0];
    const docker = wf.jobs.docker;
    const job = wf.jobs.publish;
    // The docker job says which image it tested; publish builds the same inputs from that job's cache.
    expect(docker.outputs).toEqual({ 'image-id': '${{ steps.build-runtime.outputs.imageid }}' });
    const tested = step(docker, 'build-runtime').with!;
    const pushed = step(job, 'push').with!;
    for (const key of ['context', 'file', 'target']) expect(pushed[key]).toBe(tested[key]);
    expect(String(tested['cache-to'])).toContain(`scope=${String(pushed['cache-from']).split('scope=')[1]}`);
    expect(pushed).toMatchObject({ sbom: 'true', provenance: 'mode=max' });
    const verify = step(job, 'verify') as any;
    expect(verify.env).toMatchObject({ TESTED: '${{ needs.docker.outputs.image-id }}', PUSHED: '${{ steps.push.outputs.imageid }}', DIGEST: '${{ steps.push.outputs.digest }}' });
    // Run for real: equal IDs write the digest to the summary; another ID fails the job.
    const run = (pushedId: string) => {
      const dir = tempDir();
      const summary = path.join(dir, 'summary.md');
      const r = spawnSync('bash', ['-e', '-c', verify.run], {
        encoding: 'utf-8',
        env: { ...process.env, TESTED: 'sha256:aaa', PUSHED: pushedId, DIGEST: 'sha256:ddd', IMAGE: 'ghcr.io/acme/orders-api', GITHUB_STEP_SUMMARY: summary },
      });
      const text = fs.existsSync(summary) ? fs.readFileSync(summary, 'utf-8') : '';
      fs.rmSync(dir, { recursive: true, force: true });
      return { status: r.status, stderr: r.stderr, text };
    };
    const same = run('sha256:aaa');
    expect(same.status).toBe(0);
    expect(same.text).toContain('- image: `ghcr.io/acme/orders-api@sha256:ddd`');
    expect(same.text).toContain('- image ID (config digest): `sha256:aaa`');
    const other = run('sha256:bbb');
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('is not the image the docker job tested (sha256:aaa)');
    expect(other.text).toBe('');
  });

  test('another registry: its secret, its user, no packages permission', () => {
    const [, , wf] = synthesized[7];
    const job = wf.jobs.publish;
    expect(step(job, 'login').with).toEqual({
      registry: 'registry.example.com', username: '${{ vars.REGISTRY_USER }}', password: '${{ secrets.REGISTRY_PASSWORD }}',
    });
    expect(step(job, 'meta').with?.images).toBe('registry.example.com/acme/orders-api');
    expect(job.permissions).toEqual({ contents: 'read' });
    expect(job.if).toContain("github.ref == 'refs/heads/trunk'");
  });

  test('without Docker there are no docker jobs; the rest stays', () => {
    const [, , wf] = synthesized[6];
    expect(Object.keys(wf.jobs)).toEqual(['test', 'synth']);
  });

  test('the testing stage off: the runtime image is still built and migrated, no in-image tests', () => {
    const s = synthService({ dockerOptions: { testingStage: false } });
    const job = (YAML.parse(s.read(WORKFLOW)) as Workflow).jobs.docker;
    expect(job.steps.map((st) => st.id)).toEqual(['checkout', 'uv-lock', 'buildx', 'build-runtime', 'migrate-image']);
  });
});

describe('Neon preview jobs', () => {
  const [, , wf] = synthesized[7];

  test('pull request types include closed; other jobs skip the closed event', () => {
    expect(wf.on.pull_request.types).toEqual(['opened', 'synchronize', 'reopened', 'closed']);
    for (const id of ['test', 'synth', 'docker']) expect(wf.jobs[id].if).toBe("github.event.action != 'closed'");
    expect(synthesized[0][2].on.pull_request).toEqual({});
  });

  test('create branch with the NEON_API_KEY secret and NEON_PROJECT_ID variable, migrate over its direct URL', () => {
    const job = wf.jobs['neon-preview'];
    expect(step(job, 'branch').with).toEqual({
      project_id: '${{ vars.NEON_PROJECT_ID }}',
      api_key: '${{ secrets.NEON_API_KEY }}',
      branch_name: 'preview/pr-${{ github.event.pull_request.number }}',
    });
    expect(step(job, 'migrate').env).toEqual({ APP_DB_URL_DIRECT: '${{ steps.branch.outputs.db_url }}' });
    expect(job.permissions).toEqual({ contents: 'read' });
  });

  test('schema diff after the branch exists; cleanup on close', () => {
    expect(wf.jobs['neon-schema-diff'].needs).toBe('neon-preview');
    expect(step(wf.jobs['neon-schema-diff'], 'schema-diff').uses).toBe(`neondatabase/schema-diff-action@${GITHUB_ACTIONS.neonSchemaDiff.sha}`);
    expect(wf.jobs['neon-cleanup'].if).toContain("github.event.action == 'closed'");
    expect(step(wf.jobs['neon-cleanup'], 'delete-branch').with?.branch).toBe('preview/pr-${{ github.event.pull_request.number }}');
  });

  test('off by default', () => {
    expect(Object.keys(synthesized[0][2].jobs)).toEqual(['test', 'synth', 'docker', 'publish']);
  });
});

describe('action references', () => {
  const usesOf = (wf: Workflow) => steps(wf).map((st) => st.uses).filter((u): u is string => u !== undefined);
  const table = Object.values(GITHUB_ACTIONS);

  test('by SHA from the versions table by default, on no Node 20 major', () => {
    const uses = usesOf(synthesized[1][2]);
    expect(uses.length).toBeGreaterThan(10);
    for (const u of uses) {
      const [repo, ref] = u.split('@');
      const record: ActionPinRecord = table.find((a) => a.repo === repo)!;
      expect(ref).toBe(record.sha ?? record.release);
      expect(node20Problem(repo, record.release)).toBeUndefined();
    }
    // Every action of the table is used by some variant, of the CI or of the upgrade workflow.
    const upgradeUses = synthesized.flatMap(([, s]) => s.files.includes(UPGRADE) ? usesOf(YAML.parse(s.read(UPGRADE)) as Workflow) : []);
    const appUses = usesOf(YAML.parse(synthService({ ciOptions: { upgradeAppIdVariable: 'APP_ID', upgradeAppPrivateKeySecret: 'APP_KEY' } }).read(UPGRADE)) as Workflow);
    expect(new Set([...uses, ...upgradeUses, ...appUses].map((u) => u.split('@')[0]))).toEqual(new Set(table.map((a) => a.repo)));
  });

  test.each([3, 4])('pinned by full SHA with the release as a YAML comment (variant %i)', (i) => {
    const [, s, wf] = synthesized[i];
    const text = s.read(WORKFLOW);
    const lines = text.split('\n').filter((l) => /^\s*(- )?uses: /.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      // A SHA with its release as the comment, or the exact release tag where no SHA is confirmed.
      const m = /uses: ([\w.-]+\/[\w.-]+)@(?:([0-9a-f]{40}) # (.+)|(v\d+\.\d+\.\d+))$/.exec(line);
      expect(m).not.toBeNull();
      const [, repo, sha, release, tag] = m!;
      const record: ActionPinRecord = table.find((a) => a.repo === repo)!;
      if (tag) {
        expect(record.sha).toBeUndefined();
        expect(tag).toBe(record.release);
      } else {
        expect(sha).toBe(s.project._resolved.ci!.actionShas[repo]?.sha ?? record.sha);
        expect(release).toBe(s.project._resolved.ci!.actionShas[repo]?.release ?? record.release);
      }
    }
    // The comment is a comment: parsed values are the bare references.
    for (const u of usesOf(wf)) expect(u).toMatch(/^[\w.-]+\/[\w.-]+@([0-9a-f]{40}|v\d+\.\d+\.\d+)$/);
  });

  test.each(synthesized)('the jobs built are the jobs planned; SHA pins are checked for exactly the actions used (%s)', (_label, s, wf) => {
    const { ci, database, docker } = s.project._resolved;
    const components = { database: database !== undefined, docker: docker !== undefined };
    expect(Object.keys(wf.jobs)).toEqual(plannedJobs(ci!, components));
    expect(actionsInUse(ci!, components)).toEqual([...new Set(usesOf(wf).map((u) => u.split('@')[0]))].sort());
  });

  test('pinning keeps the escape hatch of the workflow file', () => {
    const s = synthService({ ciOptions: { pinActionsToSha: true } }, (p) => p.ci!.workflow.file!.addOverride('env.FORCE_COLOR', '1'));
    const text = s.read(WORKFLOW);
    expect(YAML.parse(text).env).toEqual({ FORCE_COLOR: '1' });
    expect(text).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v7\.\d+\.\d+\n/);
  });
});

describe('files and README', () => {
  test('ci: false writes no workflow; the README lists the CI files as managed', () => {
    const off = synthService({ ci: false });
    expect(off.files.filter((f) => f.startsWith('.github/'))).toEqual([]);
    const readme = synthesized[0][1].read('README.md');
    expect(readme).toContain(`| \`${WORKFLOW}\` | managed |`);
    expect(readme).toContain(`| \`${UPGRADE}\` | managed |`);
  });

  test('no other GitHub files (no mergify, no pull request lint workflow, no Dependabot updater that cannot pass)', () => {
    expect(synthesized[0][1].files.filter((f) => f.startsWith('.github/') || f.startsWith('.mergify'))).toEqual([WORKFLOW, UPGRADE]);
  });
});

describe('invalid CI options', () => {
  const fail = (options: Partial<UvPythonServiceOptions>) => {
    const dir = tempDir();
    let message = '';
    try {
      new UvPythonService({ name: 'orders-api', outdir: dir, ...options });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    return message;
  };

  test('every problem is listed with the option path, the value and the fix', () => {
    const message = fail({
      ciOptions: {
        defaultBranch: 'my branch',
        testTimeoutMinutes: 0,
        imageName: 'Acme/Orders',
        imageRegistry: 'registry.example.com',
        dependabotCooldownDays: 120,
        runsOn: [],
        actionShas: { 'actions/checkout': { sha: 'abc', release: 'v4.2.2' }, 'foo/bar': { sha: 'a'.repeat(40), release: 'v1' } },
      },
    });
    expect(message).toContain('ciOptions.defaultBranch: got "my branch"; expected a git branch name');
    expect(message).toContain('ciOptions.testTimeoutMinutes: got 0; expected a whole number of minutes from 1 to 360');
    expect(message).toContain('ciOptions.imageName: got "Acme/Orders"; expected a lowercase image repository');
    expect(message).toContain('ciOptions.registryPasswordSecret: got "GITHUB_TOKEN"; GITHUB_TOKEN only logs in to ghcr.io');
    expect(message).toContain('ciOptions.dependabotCooldownDays: got 120; expected a whole number of days from 1 to 90');
    expect(message).toContain('ciOptions.runsOn: got []; expected a non-empty list of runner labels');
    expect(message).toContain('ciOptions.actionShas["actions/checkout"].sha: got "abc"; expected the full 40-character');
    expect(message).toContain('ciOptions.actionShas["actions/checkout"].release: got "v4.2.2"; expected the release tag of that commit, within v7');
    expect(message).toContain('ciOptions.actionShas["foo/bar"]: got {"sha":"' + 'a'.repeat(40) + '","release":"v1"}; "foo/bar" is not an action the CI uses');
  });

  test('the image name follows Docker\'s repository grammar: "__" separates, ".." does not', () => {
    const p = new UvPythonService({ name: 'orders-api', outdir: tempDir(), ciOptions: { imageName: 'acme/orders__api' } });
    expect(p._resolved.ci!.imageName).toBe('acme/orders__api');
    expect(fail({ ciOptions: { imageName: 'acme/orders..api' } })).toContain(
      'ciOptions.imageName: got "acme/orders..api"; expected a lowercase image repository such as "acme/orders-api", or "${{ github.repository }}".');
  });

  test('a registry password is never accepted as a user name', () => {
    expect(fail({ ciOptions: { registryUsername: 'user:hunter2@x' } })).toContain('ciOptions.registryUsername: got "user:hunter2@x"; expected a user name');
  });

  test('Neon previews need the database', () => {
    expect(fail({ database: false, ciOptions: { neonPreview: true } }))
      .toContain('ciOptions.neonPreview: got true; needs the database component');
  });

  test('every job off is refused', () => {
    expect(fail({ ciOptions: { testJob: false, synthJob: false, dockerJob: false, publishImage: false } }))
      .toContain('turns every job off, which leaves an empty workflow');
  });
});

describe('the test job runs as production does', () => {
  const [, s, wf] = synthesized[0];
  const db = s.project._resolved.database!;
  const job = wf.jobs.test;

  test('PgBouncer in transaction mode in front of Postgres, configured like Neon\'s pooler (SCRAM, prepared statements)', () => {
    const pg = job.services!.postgres;
    const bouncer = job.services!.pgbouncer;
    expect(bouncer.image).toBe(DATABASE_VERSIONS.pgbouncerImage);
    expect(bouncer.env).toMatchObject({ DB_HOST: 'postgres', DB_PORT: '5432', POOL_MODE: 'transaction', AUTH_TYPE: 'scram-sha-256' });
    expect(Number(bouncer.env.MAX_PREPARED_STATEMENTS)).toBeGreaterThan(0);
    expect(bouncer.ports).toEqual([Number(bouncer.env.LISTEN_PORT)]);
    expect(pg.env).toMatchObject({ POSTGRES_HOST_AUTH_METHOD: 'scram-sha-256', POSTGRES_USER: bouncer.env.DB_USER, POSTGRES_PASSWORD: bouncer.env.DB_PASSWORD });
  });

  test('migrations and their drift check over the direct URL, the app\'s tests over the pooled one', () => {
    expect(step(job, 'migrate').env![db.directUrlEnv]).toContain("job.services.postgres.ports['5432']");
    expect(step(job, 'migration-drift').env![db.directUrlEnv]).toContain("job.services.postgres.ports['5432']");
    expect(step(job, 'pytest').env![db.pooledUrlEnv]).toContain("job.services.pgbouncer.ports['6432']");
    expect(step(job, 'pytest').env![db.directUrlEnv]).toContain("job.services.postgres.ports['5432']");
    const ids = job.steps.map((st) => st.id);
    expect(ids.indexOf('migrate')).toBeLessThan(ids.indexOf('migration-drift'));
    expect(ids.indexOf('migration-drift')).toBeLessThan(ids.indexOf('pytest'));
  });

  test('the drift check is alembic check, failing with a message that names npx projen db:revision', () => {
    const run = step(job, 'migration-drift').run!;
    expect(run).toContain(`uv run alembic -c ${db.alembicConfig} check`);
    expect(run).toMatch(/::error [^\n]*npx projen db:revision/);
    expect(shellcheckFindings(run)).toEqual([]);
  });
});

describe('action pins', () => {
  test('every action of the table is on a Node 24 major where one exists, with release, date and source', () => {
    for (const a of Object.values(GITHUB_ACTIONS) as ActionPinRecord[]) {
      expect(node20Problem(a.repo, a.release)).toBeUndefined();
      expect(a.date).toMatch(/^\d{4}(-\d{2}){0,2}$/);
      expect(a.source).toMatch(/^(https:\/\/github\.com\/|projen )/);
      if (a.sha) expect(a.sha).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  test('a Node 20 major is refused, an unknown action too', () => {
    expect(node20Problem('docker/build-push-action', 'v6.18.0')).toBe('docker/build-push-action@v6.18.0: v6 runs on Node 20 (Node 24 from v7)');
    expect(node20Problem('astral-sh/setup-uv', 'v6')).toContain('runs on Node 20');
    expect(node20Problem('docker/login-action', 'v4.1.0')).toBeUndefined();
    expect(node20Problem('foo/bar', 'v1')).toContain('not in FIRST_NODE24_MAJOR');
    expect(Object.keys(FIRST_NODE24_MAJOR)).toEqual(expect.arrayContaining(Object.values(GITHUB_ACTIONS).map((a) => a.repo)));
  });

  test('Neon\'s delete-branch is pinned to the main commit that routes its inputs through env vars, with pinning off too', () => {
    const wf = YAML.parse(synthService({ ciOptions: { neonPreview: true, pinActionsToSha: false } }).read(WORKFLOW)) as Workflow;
    expect(step(wf.jobs['neon-cleanup'], 'delete-branch').uses).toBe('neondatabase/delete-branch-action@aed9ab1ec86e380312c7b0a9e29942e41349adf6');
    expect(step(wf.jobs.test, 'setup-uv').uses).toBe('astral-sh/setup-uv@v10.3.3');
    expect(step(wf.jobs.test, 'checkout').uses).toBe('actions/checkout@v7');
  });
});
