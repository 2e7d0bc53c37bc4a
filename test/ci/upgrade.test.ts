import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen/lib/logger';
import { parse as parseToml } from 'smol-toml';
import * as YAML from 'yaml';
import { actionlintFindings, shellcheckEach, workflowParserErrors } from './validators';
import { UvPythonService, UvPythonServiceOptions } from '../../src';

import { UPGRADED_NPM_PACKAGES, UPGRADE_BRANCH, summarizeScript, upgradeNeedsDispatch, uvCooldownNote } from '../../src/ci/upgrade-jobs';
import { ASSETS_DIR } from '../../src/core/template';
import { ActionPinRecord, GITHUB_ACTIONS, VERSIONS } from '../../src/core/versions';
import { compareReleases } from '../../src/python/resolve';
import { synthService, tempDir } from '../support/synth';
import { ruffFindings } from '../support/validators';

const UPGRADE = '.github/workflows/upgrade.yml';

interface Step { name?: string; id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }
interface Job { 'if'?: string; 'needs'?: string | string[]; 'permissions'?: Record<string, string>; 'timeout-minutes'?: number; 'outputs'?: Record<string, string>; 'steps': Step[] }
interface Workflow { on: any; permissions: Record<string, string>; concurrency: any; jobs: Record<string, Job> }

const variants: Array<[string, Partial<UvPythonServiceOptions>]> = [
  ['defaults', {}],
  ['a token secret', { ciOptions: { upgradeTokenSecret: 'UPGRADE_TOKEN' } }],
  ['a GitHub App', { ciOptions: { upgradeAppIdVariable: 'UPGRADE_APP_ID', upgradeAppPrivateKeySecret: 'UPGRADE_APP_KEY' } }],
  ['pinned by SHA, App, other schedule and branch', {
    ciOptions: { pinActionsToSha: true, upgradeAppIdVariable: 'APP_ID', upgradeAppPrivateKeySecret: 'APP_KEY', upgradeSchedule: '30 4 1,15 * *', defaultBranch: 'trunk' },
  }],
  ['no database, no docker', { database: false, docker: false }],
  ['no cooldown', { ciOptions: { upgradeCooldownDays: 0 } }],
  ['the oldest uv a service may pin', { uvVersion: VERSIONS.uvMinimum }],
];

const synthesized = variants.map(([label, options]) => {
  const s = synthService(options);
  return { label, s, text: s.read(UPGRADE), wf: YAML.parse(s.read(UPGRADE)) as Workflow };
});

const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);

describe('third-party validators: zero findings', () => {
  let parserErrors: string[][];
  beforeAll(async () => {
    parserErrors = await workflowParserErrors(synthesized.map((v) => v.text));
  });

  test.each(synthesized.map((v, i) => [v.label, v.text, i] as const))('actionlint and GitHub\'s workflow parser (%s)', async (_label, text, i) => {
    expect(await actionlintFindings(text)).toEqual([]);
    expect(parserErrors[i]).toEqual([]);
  });

  test.each(synthesized.map((v) => [v.label, v.wf] as const))('every run script passes shellcheck (%s)', (_label, wf) => {
    const scripts = steps(wf).filter((st) => st.run !== undefined);
    expect(scripts.length).toBeGreaterThan(5);
    const findings = shellcheckEach(scripts.map((st) => st.run!));
    scripts.forEach((st, i) => expect({ step: st.id, findings: findings[i] }).toEqual({ step: st.id, findings: [] }));
  });

  test('the summary script embedded in the workflow passes ruff', () => {
    const source = fs.readFileSync(path.join(ASSETS_DIR, 'ci', 'upgrade_summary.py'), 'utf-8');
    const pyproject = '[tool.ruff]\nline-length = 120\ntarget-version = "py311"\n[tool.ruff.lint]\nselect = ["E", "W", "F", "I", "B", "UP"]\n';
    expect(ruffFindings(pyproject, { 'upgrade_summary.py': source })).toEqual([]);
    expect(ruffFindings(pyproject, { 'bad.py': 'import os\n' }).length).toBeGreaterThan(0);
  });
});

describe.each(synthesized.map((v) => [v.label, v] as const))('workflow rules (%s)', (_label, v) => {
  const { wf, s } = v;
  const ci = s.project._resolved.ci!;

  test('weekly schedule (or the one given) and manual runs; never two runs at once', () => {
    expect(wf.on).toEqual({ schedule: [{ cron: ci.upgradeSchedule }], workflow_dispatch: {} });
    expect(wf.concurrency['cancel-in-progress']).toBe(false);
  });

  test('least privilege: read-only workflow; only the pull request job writes, and it runs no project code', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.upgrade.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.pr.permissions).toEqual({ 'contents': 'write', 'pull-requests': 'write' });
    // The CI dispatch can start workflows, nothing else, and runs no project code either.
    const others = Object.keys(wf.jobs).filter((id) => !['upgrade', 'pr'].includes(id));
    expect(others).toEqual(upgradeNeedsDispatch(ci) ? ['ci'] : []);
    if (wf.jobs.ci) {
      expect(wf.jobs.ci.permissions).toEqual({ actions: 'write' });
      expect(wf.jobs.ci.steps.map((st) => st.run).join('\n')).not.toMatch(/\b(npx|npm|uv|projen|python|pytest)\b/);
    }
    const prScripts = wf.jobs.pr.steps.map((st) => st.run).filter(Boolean).join('\n');
    expect(prScripts).not.toMatch(/\b(npx|npm|uv|projen|python|pytest)\b/);
    for (const job of Object.values(wf.jobs)) {
      expect(job['timeout-minutes']).toEqual(expect.any(Number));
      for (const c of job.steps.filter((st) => st.uses?.startsWith('actions/checkout@'))) expect(c.with?.['persist-credentials']).toBe(false);
    }
  });

  test('no uv command of the workflow carries --exclude-newer: the cooldown is in pyproject.toml, iff uv reads a relative one', () => {
    expect(v.text).not.toContain('--exclude-newer');
    const uv = (parseToml(s.read('pyproject.toml')) as any).tool.uv;
    const relative = compareReleases(s.project._resolved.uvVersion, VERSIONS.uvRelativeExcludeNewer) >= 0;
    expect(uv['exclude-newer']).toBe(ci.upgradeCooldownDays > 0 && relative ? `${ci.upgradeCooldownDays} days` : undefined);
  });

  test('the upgrade job: toolchain within its ranges, synth, lock upgrade, lint, tests, then the summary', () => {
    const db = s.project._resolved.database;
    const runs = wf.jobs.upgrade.steps.map((st) => st.run).filter(Boolean);
    expect(runs).toEqual([
      'npm ci --no-audit --no-fund',
      ci.upgradeCooldownDays > 0
        ? expect.stringContaining(`for package in ${UPGRADED_NPM_PACKAGES.join(' ')}; do`)
        : `npm update --no-audit --no-fund ${UPGRADED_NPM_PACKAGES.join(' ')}`,
      'npx projen',
      // The cooldown is pyproject.toml's [tool.uv] exclude-newer, which uv sync --locked reads too.
      'uv lock --upgrade',
      'uv sync --locked',
      'npx projen lint',
      ...(db ? [`uv run ${db.migrateCommand}`] : []),
      'npx projen test',
      summarizeScript(),
    ]);
    // With the database: tests against a Postgres service container, after the migrations over the
    // direct URL, as in the CI's test job.
    const job = wf.jobs.upgrade as Job & { services?: Record<string, { image: string }> };
    const test = job.steps.find((st) => st.id === 'test') as Step & { env?: Record<string, string> };
    if (db) {
      expect(job.services?.postgres.image).toMatch(/^postgres:/);
      expect(Object.keys(test.env ?? {})).toEqual([db.pooledUrlEnv, db.directUrlEnv]);
      expect(test.env![db.pooledUrlEnv]).toContain("job.services.pgbouncer.ports['6432']");
      expect(Object.keys((job.steps.find((st) => st.id === 'migrate') as any).env)).toEqual([db.directUrlEnv]);
    } else {
      expect(job.services).toBeUndefined();
      expect(test.env).toBeUndefined();
    }
    // Every npm package it updates is in the service's package.json, whose ranges bound the update.
    const pkg = JSON.parse(s.read('package.json'));
    for (const name of UPGRADED_NPM_PACKAGES) expect(Object.keys(pkg.devDependencies)).toContain(name);
    // The job's uv is the service's; its Python is not pinned (UV_PYTHON would outlive a move of
    // .python-version by the synth): uv reads .python-version.
    const setupUv = wf.jobs.upgrade.steps.find((st) => st.id === 'setup-uv')!;
    expect(setupUv.with).toEqual({ version: s.project._resolved.uvVersion });
    // The project's tasks it calls exist.
    expect(s.project.tasks.all.map((t) => t.name)).toEqual(expect.arrayContaining(['lint', 'test']));
  });

  test('one pull request, on one branch, only when something changed, with the body the summary wrote', () => {
    expect(wf.jobs.upgrade.outputs).toEqual({ changed: '${{ steps.summarize.outputs.changed }}' });
    expect(wf.jobs.pr.needs).toBe('upgrade');
    expect(wf.jobs.pr.if).toBe("needs.upgrade.outputs.changed == 'true'");
    const pr = wf.jobs.pr.steps.find((st) => st.id === 'create-pr')!;
    expect(pr.uses).toMatch(/^peter-evans\/create-pull-request@/);
    expect(pr.with).toMatchObject({ 'branch': UPGRADE_BRANCH, 'base': ci.defaultBranch, 'body-path': '${{ runner.temp }}/upgrade/body.md' });
    const upload = wf.jobs.upgrade.steps.find((st) => st.id === 'upload')!;
    const download = wf.jobs.pr.steps.find((st) => st.id === 'download')!;
    expect(download.with).toEqual({ name: upload.with!.name, path: upload.with!.path });
  });

  test('the pull request is tested: with GITHUB_TOKEN, ci.yml is dispatched on its branch once it was opened or updated', () => {
    if (!upgradeNeedsDispatch(ci)) {
      // A token's or an App's pull request triggers ci.yml's pull_request run itself.
      expect(wf.jobs.ci).toBeUndefined();
      expect(s.read('README.md')).toContain('so CI runs on it.');
      return;
    }
    const job = wf.jobs.ci;
    expect(job.needs).toBe('pr');
    expect(wf.jobs.pr.outputs).toEqual({ operation: '${{ steps.create-pr.outputs.pull-request-operation }}' });
    expect(job.if).toBe("needs.pr.outputs.operation == 'created' || needs.pr.outputs.operation == 'updated'");
    const dispatch = job.steps.find((st) => st.id === 'dispatch') as Step & { env?: Record<string, string> };
    expect(dispatch.run).toBe('gh workflow run ci.yml --ref "$BRANCH"');
    expect(dispatch.env).toEqual({ GH_TOKEN: '${{ github.token }}', GH_REPO: '${{ github.repository }}', BRANCH: UPGRADE_BRANCH });
    // The service README says how the pull request gets its CI run.
    expect(s.read('README.md').replace(/\s+/g, ' ')).toContain('its `ci` job dispatches `ci.yml` on the pull request\'s branch');
    // The workflow it dispatches exists and accepts the dispatch.
    const ciYml = YAML.parse(s.read('.github/workflows/ci.yml'));
    expect(ciYml.on).toHaveProperty('workflow_dispatch');
  });

  test('the pull request token: the named secret, the App\'s token, or GITHUB_TOKEN', () => {
    const pr = wf.jobs.pr.steps.find((st) => st.id === 'create-pr')!;
    const app = wf.jobs.pr.steps.find((st) => st.id === 'app-token');
    if (ci.upgradeAppIdVariable) {
      expect(app?.with).toEqual({ 'app-id': `\${{ vars.${ci.upgradeAppIdVariable} }}`, 'private-key': `\${{ secrets.${ci.upgradeAppPrivateKeySecret} }}` });
      expect(pr.with?.token).toBe('${{ steps.app-token.outputs.token }}');
    } else {
      expect(app).toBeUndefined();
      expect(pr.with?.token).toBe(`\${{ secrets.${ci.upgradeTokenSecret ?? 'GITHUB_TOKEN'} }}`);
    }
  });
});

describe('action references', () => {
  test('pinned: SHA with the release as a comment, or the exact release tag where no SHA is confirmed', () => {
    const { text, wf } = synthesized[3];
    for (const u of steps(wf).map((st) => st.uses).filter((x): x is string => x !== undefined)) {
      const [repo, ref] = u.split('@');
      const record: ActionPinRecord = Object.values(GITHUB_ACTIONS).find((a) => a.repo === repo)!;
      expect(ref).toBe(record.sha ?? record.release);
    }
    expect(text).toMatch(/uses: actions\/upload-artifact@[0-9a-f]{40} # v7\.\d+\.\d+\n/);
    expect(text).toMatch(/uses: astral-sh\/setup-uv@v10\.\d+\.\d+\n/);
  });

  test('by tag with pinning off: the moving major, or the exact release where the action publishes none', () => {
    const wf = YAML.parse(synthService({ ciOptions: { pinActionsToSha: false } }).read(UPGRADE)) as Workflow;
    for (const u of steps(wf).map((st) => st.uses!).filter(Boolean)) {
      const [repo, ref] = u.split('@');
      expect(ref).toBe(Object.values(GITHUB_ACTIONS).find((a) => a.repo === repo)!.tag);
    }
  });
});

describe('the summarize step, run for real (bash, git, Python; uv replaced by a stand-in that runs python3)', () => {
  const git = (dir: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  };
  const lock = (pkgs: Record<string, string>) => `version = 1\n${Object.entries(pkgs).map(([n, v]) => `\n[[package]]\nname = "${n}"\nversion = "${v}"\n`).join('')}`;
  const npmLock = (pkgs: Record<string, string>) => JSON.stringify({
    lockfileVersion: 3,
    packages: Object.fromEntries(Object.entries(pkgs).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
  });
  const pyproject = (uv: string) => `[project]\nname = "x"\n[build-system]\nrequires = ["uv_build>=${uv},<0.99.0"]\nbuild-backend = "uv_build"\n`;

  function repo(): string {
    const dir = tempDir('uvsvc-upgrade-');
    git(dir, 'init', '-q');
    git(dir, 'config', 'user.email', 'ci@example.com');
    git(dir, 'config', 'user.name', 'ci');
    fs.writeFileSync(path.join(dir, 'package-lock.json'), npmLock({ 'projen-uv-service': '1.2.0', 'projen': '0.103.25', 'constructs': '10.4.2' }));
    fs.writeFileSync(path.join(dir, 'uv.lock'), lock({ fastapi: '0.115.0', anyio: '4.6.0', sniffio: '1.3.1' }));
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), pyproject('0.12.24'));
    fs.writeFileSync(path.join(dir, '.python-version'), '3.12\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'init');
    return dir;
  }

  function run(dir: string): { status: number | null; output: string; body?: string; stderr: string; temp: string } {
    const bin = tempDir('uvsvc-bin-');
    // `uv run --no-project python - BODY` -> `python3 - BODY`
    fs.writeFileSync(path.join(bin, 'uv'), '#!/usr/bin/env bash\nshift 3\nexec python3 "$@"\n', { mode: 0o755 });
    const temp = tempDir('uvsvc-runner-');
    const outputFile = path.join(temp, 'output');
    fs.writeFileSync(outputFile, '');
    const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', summarizeScript()], {
      cwd: dir,
      encoding: 'utf-8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: temp, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: path.join(temp, 'summary') },
    });
    const bodyFile = path.join(temp, 'upgrade', 'body.md');
    return { temp, status: r.status, stderr: r.stderr, output: fs.readFileSync(outputFile, 'utf-8'), body: fs.existsSync(bodyFile) ? fs.readFileSync(bodyFile, 'utf-8') : undefined };
  }

  test('nothing changed: changed=false, no patch, no body', () => {
    const r = run(repo());
    expect(r.status).toBe(0);
    expect(r.output).toBe('changed=false\n');
    expect(r.body).toBeUndefined();
  });

  test('a library release with new defaults and a lock upgrade: every move is listed, and the patch applies', () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'package-lock.json'), npmLock({ 'projen-uv-service': '1.3.0', 'projen': '0.103.25', 'constructs': '10.4.3' }));
    fs.writeFileSync(path.join(dir, 'uv.lock'), lock({ fastapi: '0.116.1', anyio: '4.6.0', httpx: '0.28.1' }));
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), pyproject('0.13.0'));
    fs.writeFileSync(path.join(dir, '.python-version'), '3.14\n');
    const r = run(dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.output).toBe('changed=true\n');
    const body = r.body!;
    expect(body).toContain('| `projen-uv-service` | 1.2.0 | 1.3.0 |');
    expect(body).toContain('| `constructs` | 10.4.2 | 10.4.3 |');
    expect(body).not.toContain('`projen` |'); // unchanged: not listed
    expect(body).toContain('| uv | 0.12.24 | 0.13.0 |');
    expect(body).toContain('| Python | 3.12 | 3.14 |');
    expect(body).toContain('## Python packages (3)');
    expect(body).toContain('| `fastapi` | 0.115.0 | 0.116.1 |');
    expect(body).toContain('| `httpx` | (none) | 0.28.1 |');
    expect(body).toContain('| `sniffio` | 1.3.1 | (removed) |');
    expect(body).not.toContain('`anyio`');
    for (const f of ['.python-version', 'package-lock.json', 'pyproject.toml', 'uv.lock']) expect(body).toContain(`- \`${f}\``);

    // The pull request job's step applies the patch to a clean checkout of HEAD and gets the same tree.
    const clone = tempDir('uvsvc-clone-');
    git(clone, 'clone', '-q', dir, '.');
    const apply = spawnSync('bash', ['-e', '-c', 'git apply --index "$RUNNER_TEMP/upgrade/upgrade.patch"'], {
      cwd: clone, encoding: 'utf-8', env: { ...process.env, RUNNER_TEMP: r.temp },
    });
    expect(apply.status).toBe(0);
    for (const f of ['.python-version', 'package-lock.json', 'pyproject.toml', 'uv.lock']) {
      expect(fs.readFileSync(path.join(clone, f), 'utf-8')).toBe(fs.readFileSync(path.join(dir, f), 'utf-8'));
    }
  });
});

describe('invalid upgrade options', () => {
  const fail = (ciOptions: Record<string, unknown>) => {
    const dir = tempDir();
    let message = '';
    try {
      new UvPythonService({ name: 'orders-api', outdir: dir, ciOptions });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    return message;
  };

  test('each problem names the option, the value and the fix', () => {
    expect(fail({ upgradeSchedule: 'weekly' })).toContain('ciOptions.upgradeSchedule: got "weekly"; expected a cron expression of five fields');
    expect(fail({ upgradeTokenSecret: 'GITHUB_TOKEN' })).toContain('ciOptions.upgradeTokenSecret: got "GITHUB_TOKEN"; expected the name of a repository secret');
    expect(fail({ upgradeAppIdVariable: 'APP_ID' })).toContain('ciOptions.upgradeAppIdVariable: got "APP_ID"; a GitHub App needs both');
    expect(fail({ upgradeTokenSecret: 'T', upgradeAppIdVariable: 'A', upgradeAppPrivateKeySecret: 'K' }))
      .toContain('ciOptions.upgradeTokenSecret: got "T"; the upgrade pull request is opened with either a token or a GitHub App');
    expect(fail({ upgradeCooldownDays: 91 })).toContain('ciOptions.upgradeCooldownDays: got 91; expected a whole number of days from 0 to 90, e.g. 7.');
    expect(fail({ upgradeCooldownDays: 1.5 })).toContain('ciOptions.upgradeCooldownDays: got 1.5; expected a whole number of days from 0 to 90');
  });

  /** The time the shell expression `expr` prints, run by bash, in days before now. */
  const daysAgo = (expr: string): number => {
    const out = spawnSync('bash', ['-c', `printf '%s' ${expr}`], { encoding: 'utf-8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return (Date.now() - Date.parse(out.stdout)) / 86_400_000;
  };
  const lockStep = (uvVersion: string) => {
    const s = synthService({ database: false, docker: false, uvVersion, ciOptions: { upgradeCooldownDays: 3 } });
    const wf = YAML.parse(s.read(UPGRADE)) as Workflow;
    return { s, npm: wf.jobs.upgrade.steps.find((st) => st.id === 'npm-update')!.run!, lock: wf.jobs.upgrade.steps.find((st) => st.id === 'lock')!.run! };
  };

  test('the cooldown, run for real: npm\'s --before is the UTC time N days ago; uv\'s is [tool.uv] exclude-newer', () => {
    const { npm, lock, s } = lockStep(VERSIONS.uvRelativeExcludeNewer);
    const ago = daysAgo(/^before=("\$\(date [^)]*\)")$/m.exec(npm)![1]);
    expect(ago).toBeGreaterThan(2.99);
    expect(ago).toBeLessThan(3.01);
    expect(lock).toBe('uv lock --upgrade');
    expect((parseToml(s.read('pyproject.toml')) as any).tool.uv['exclude-newer']).toBe('3 days');
    // The README tells developers what the cooldown does to them, and the per-package escape hatch.
    expect(s.read('README.md')).toContain('`[tool.uv] exclude-newer = "3 days"`');
    expect(s.read('README.md')).toContain("addOverride('tool.uv.exclude-newer-package', { '<name>': false })");
  });

  /** The npm-update step run by bash with a stand-in npm on PATH answering `answers[package]` (exit code, output). */
  const runNpmUpdate = (script: string, answers: Record<string, [number, string]>) => {
    const bin = tempDir();
    const log = path.join(bin, 'calls');
    const cases = Object.entries(answers).map(([p, [code, out]]) => `  *" ${p}") echo '${out}'; exit ${code} ;;`).join('\n');
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/bash\necho "$*" >> ${log}\ncase " $*" in\n${cases}\nesac\necho "updated $*"\n`, { mode: 0o755 });
    const r = spawnSync('bash', ['-e', '-c', script], { encoding: 'utf-8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    return { status: r.status, out: r.stdout + r.stderr, calls: fs.readFileSync(log, 'utf-8').trim().split('\n') };
  };

  test('the cooldown, run for real: one package at a time; one with no release old enough stays as locked with a notice, any other npm error fails the step', () => {
    const { npm } = lockStep(VERSIONS.uvRelativeExcludeNewer);
    const young = runNpmUpdate(npm, {
      'projen-uv-service': [1, 'npm error code ETARGET'],
      'tsx': [1, 'npm error code ENOVERSIONS'],
    });
    expect(young.status).toBe(0);
    expect(young.calls).toHaveLength(UPGRADED_NPM_PACKAGES.length);
    for (const [i, p] of UPGRADED_NPM_PACKAGES.entries()) expect(young.calls[i]).toMatch(new RegExp(`^update --no-audit --no-fund --before \\d{4}-\\d\\d-\\d\\dT\\S+Z ${p}$`));
    expect(young.out).toContain('::notice title=Upgrade cooldown::projen-uv-service stays as locked: no release its range in package.json allows is 3 days old yet (ciOptions.upgradeCooldownDays)');
    expect(young.out).toContain('::notice title=Upgrade cooldown::tsx stays as locked');
    expect(young.out).toContain('updated update --no-audit --no-fund --before');
    const broken = runNpmUpdate(npm, { constructs: [1, 'npm error code E503 registry unavailable'] });
    expect(broken.status).toBe(1);
    expect(broken.out).toContain('npm error code E503 registry unavailable');
    expect(broken.calls.at(-1)).toMatch(/ constructs$/);
  });

  const older = VERSIONS.uvRelativeExcludeNewer.replace(/\d+$/, (patch) => String(Number(patch) - 1));

  test('a uv older than relative exclude-newer durations (astral-sh/uv#19488): asking for a cooldown is one error naming both options', () => {
    for (const uvVersion of [VERSIONS.uvMinimum, older]) {
      const dir = tempDir();
      expect(() => new UvPythonService({ name: 'orders-api', outdir: dir, uvVersion, ciOptions: { upgradeCooldownDays: 3 } })).toThrow(
        `ciOptions.upgradeCooldownDays: got 3; needs uv ${VERSIONS.uvRelativeExcludeNewer} or newer: the cooldown is [tool.uv] exclude-newer = "3 days" ` +
        `in pyproject.toml, a relative duration uvVersion "${uvVersion}" cannot read. Set uvVersion to "${VERSIONS.uvRelativeExcludeNewer}" ` +
        `or newer (the library's default is "${VERSIONS.uv}"), or set upgradeCooldownDays: 0.`);
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  test('the default cooldown with an old uv: no [tool.uv] exclude-newer, one synth warning; an explicit 0 or a new uv warn nothing', () => {
    const warnings = (options: Partial<UvPythonServiceOptions>) => {
      const lines: string[] = [];
      const spy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => { lines.push(args.join(' ')); });
      try {
        return { s: synthService({ database: false, docker: false, ...options }), lines: lines.filter((l) => l.includes('exclude-newer')) };
      } finally {
        spy.mockRestore();
      }
    };
    const { s, lines } = warnings({ uvVersion: older });
    expect(lines).toEqual([uvCooldownNote(s.project._resolved.ci, older)]);
    expect(lines[0]).toContain(`uvVersion "${older}"`);
    expect(lines[0]).toContain('ciOptions.upgradeCooldownDays: 0');
    expect((parseToml(s.read('pyproject.toml')) as any).tool.uv['exclude-newer']).toBeUndefined();
    expect(s.read('README.md')).not.toContain('exclude-newer');
    expect(warnings({ uvVersion: older, ciOptions: { upgradeCooldownDays: 0 } }).lines).toEqual([]);
    expect(warnings({ uvVersion: older, ciOptions: { upgradeWorkflow: false } }).lines).toEqual([]);
    expect(warnings({}).lines).toEqual([]);
  });

  test('upgradeWorkflow: false writes no upgrade workflow; the README does not mention it', () => {
    const s = synthService({ ciOptions: { upgradeWorkflow: false } });
    expect(s.files).not.toContain(UPGRADE);
    expect(s.read('README.md')).not.toContain('upgrade.yml');
  });
});
