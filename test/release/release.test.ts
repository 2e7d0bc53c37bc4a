/**
 * The library released and upgraded end to end, on a local npm registry (scripts/test's `release` suite).
 *
 * 1. verdaccio on 127.0.0.1 (test/release/local-registry.ts): it holds what the suite publishes and
 *    proxies every other package; every npm command, projen's included, reads an npmrc in the temp dir.
 * 2. A throwaway clone of this checkout's HEAD, without its tags (a first release), is released twice
 *    through the real release tasks: the steps of the `release` task of .projen/tasks.json (rm -fr dist,
 *    bump, build, unbump, the anti-tamper git diff) with build's `test` step left out (the jest lane runs
 *    those tests on the same commit), with CI=true as in release.yml. N = 0.1.0 (the first release); then
 *    a `feat:` commit changes the template of a managed file of every service, and bump makes it
 *    N+1 = 0.1.1. Each dist/js tarball is published as release.yml's npm job publishes it (publib's
 *    `npm publish --tag <NPM_DIST_TAG>`; no provenance: it needs GitHub's OIDC token).
 * 3. Between the releases, `projen new --from projen-uv-service` (the latest: package.json gets ^0.1.0)
 *    and `--from projen-uv-service@0.1.0` (an exact pin) create two services, committed to git with a
 *    user edit and a user file.
 * 4. Each service's upgrade path from its own generated workflows: the steps of upgrade.yml's `upgrade`
 *    job up to the synth (the rest needs uv), the upgrade commit, then ci.yml's drift check (its `synth`
 *    job). The ^0.1.0 service moves to 0.1.1; the exact pin holds until .projenrc.ts names 0.1.1.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cleanEnv, LocalRegistry } from './local-registry';
import { tempDir } from '../support/synth';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAML = require('yaml') as typeof import('yaml');

jest.setTimeout(1_800_000);

const ROOT = path.join(__dirname, '..', '..');
const LIBRARY = 'projen-uv-service';
/** N+1's change: one line at the end of the template of a managed file every default service has. */
const CHANGED_TEMPLATE = 'assets/database/db.py';
const CHANGED_FILE = 'app/db.py';
/** The user's own files of each service: an edited written-once file and a new one. */
const USER_FILES = ['app/main.py', 'tests/test_user_file.py'];

/** Runs a command; returns stdout and stderr together; throws with both on a non-zero exit. */
function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''}) in ${cwd}:\n${output.slice(-6000)}`);
  return output;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf-8');
const json = (dir: string, file: string) => JSON.parse(read(dir, file));
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** A step of the release task, as this suite runs it. */
interface Command {
  readonly cmd: string;
  readonly args: string[];
}

/**
 * The release task of `dir`'s .projen/tasks.json as commands: a spawned task through `npx projen`, the
 * spawned build task expanded into its own steps without `test`; with the task's env. Throws on a step
 * of another kind (a condition, a builtin...), so a change of projen's release task shows here.
 */
function releaseTask(dir: string): { env: Record<string, string>; commands: Command[] } {
  const tasks = json(dir, '.projen/tasks.json').tasks;
  const steps = (name: string): any[] => (tasks[name].steps ?? []).map((s: any) => {
    const kinds = Object.keys(s).filter((k) => k !== 'name');
    if (kinds.length !== 1 || !['spawn', 'exec', 'execArgs'].includes(kinds[0])) throw new Error(`${name}: a step this suite cannot run: ${JSON.stringify(s)}`);
    return s;
  });
  const commands: Command[] = [];
  for (const s of steps('release')) {
    if (s.spawn === 'build') {
      for (const b of steps('build').filter((x) => x.spawn !== 'test')) {
        if (!b.spawn) throw new Error(`build: expected spawned tasks only, got ${JSON.stringify(b)}`);
        commands.push({ cmd: 'npx', args: ['projen', b.spawn] });
      }
    } else if (s.spawn) {
      commands.push({ cmd: 'npx', args: ['projen', s.spawn] });
    } else if (s.execArgs) {
      commands.push({ cmd: s.execArgs[0], args: s.execArgs.slice(1) });
    } else {
      commands.push({ cmd: 'bash', args: ['-c', s.exec] });
    }
  }
  return { env: tasks.release.env ?? {}, commands };
}

/** The `run:` step `id` of `job` in `dir`'s workflow `name`, run as GitHub runs it (bash -e, CI=true, its env). */
function runWorkflowStep(dir: string, name: string, job: string, id: string, env: NodeJS.ProcessEnv): string {
  const workflow = YAML.parse(read(dir, `.github/workflows/${name}.yml`));
  const step = workflow.jobs[job]?.steps?.find((s: any) => s.id === id);
  if (!step?.run) throw new Error(`${name}.yml has no run step ${job}.${id}`);
  return sh('bash', ['-e', '-c', step.run], dir, { ...env, CI: 'true', ...(step.env ?? {}) });
}

/** upgrade.yml's `upgrade` job up to the synth: the steps before `uv lock --upgrade` (uv cannot run here). */
const UPGRADE_STEPS = ['npm-ci', 'npm-update', 'synth'];
/** ci.yml's drift check: its `synth` job. */
const DRIFT_STEPS = ['npm-ci', 'synth', 'drift'];

describe('release end to end on a local registry', () => {
  let work: string;
  let registry: LocalRegistry;
  let lib: string;
  let npmEnv: NodeJS.ProcessEnv;
  const git = (dir: string, ...args: string[]) => sh('git', args, dir, cleanEnv()).trim();
  const npm = (dir: string, ...args: string[]) => sh('npm', args, dir, npmEnv).trim();
  /** Stages every change of `dir` (new files included) and lists the changed paths. */
  const stagedChanges = (dir: string) => {
    git(dir, 'add', '-A');
    return git(dir, 'diff', '--cached', '--name-only').split('\n').filter(Boolean);
  };

  /** Runs the release task's steps in the clone (CI=true), checks the tarball, tags and publishes it. */
  function release(version: string): { changelog: string; log: string } {
    const task = releaseTask(lib);
    const env = { ...npmEnv, CI: 'true', ...task.env };
    let log = '';
    for (const c of task.commands) log += `$ ${c.cmd} ${c.args.join(' ')}\n${sh(c.cmd, c.args, lib, env)}`;
    expect([read(lib, 'dist/version.txt'), read(lib, 'dist/releasetag.txt')]).toEqual([version, `v${version}`]);
    const tarballs = fs.readdirSync(path.join(lib, 'dist/js')).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toEqual([`${LIBRARY}@${version}.jsii.tgz`]);
    // What the GitHub release job creates (gh release create vX --target <sha>), and the npm job's publish.
    git(lib, 'tag', `v${version}`);
    const distTag = YAML.parse(read(lib, '.github/workflows/release.yml'))
      .jobs.release_npm.steps.find((s: any) => s.env?.NPM_DIST_TAG).env.NPM_DIST_TAG;
    log += npm(lib, 'publish', '--tag', distTag, path.join('dist/js', tarballs[0]));
    return { changelog: read(lib, 'dist/changelog.md'), log };
  }

  beforeAll(async () => {
    work = tempDir('uvsvc-release-');
    registry = await LocalRegistry.start(path.join(work, 'registry'), [LIBRARY]);
    npmEnv = registry.npmEnv;
    lib = path.join(work, 'library');
    git(work, 'clone', '--quiet', ROOT, lib);
    for (const tag of git(lib, 'tag', '--list').split('\n').filter(Boolean)) git(lib, 'tag', '-d', tag);
    git(lib, 'config', 'user.name', 'release e2e');
    git(lib, 'config', 'user.email', 'release-e2e@example.com');
    // Hard links where the checkout and the temp dir share a filesystem (a second), else a copy.
    const modules = path.join(lib, 'node_modules');
    if (spawnSync('cp', ['-al', path.join(ROOT, 'node_modules'), modules]).status !== 0) {
      fs.rmSync(modules, { recursive: true, force: true });
      sh('cp', ['-a', path.join(ROOT, 'node_modules'), modules], work, cleanEnv());
    }
  });

  afterAll(async () => {
    await registry?.stop();
  });

  test('verdaccio answers on 127.0.0.1; npm reads the temp npmrc, never ~/.npmrc', () => {
    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(npm(work, 'config', 'get', 'registry')).toBe(registry.url);
    expect(npm(work, 'config', 'get', 'userconfig')).toBe(path.join(work, 'registry', 'npmrc'));
    expect(npm(work, 'whoami')).toBe('release-e2e');
  });

  test('the release task is rm -fr dist, bump, build, unbump and the anti-tamper diff; the suite leaves out only build\'s test', () => {
    const task = releaseTask(lib);
    expect(task.env).toEqual({ RELEASE: 'true' });
    expect(task.commands.map((c) => [c.cmd, ...c.args].join(' '))).toEqual([
      'rm -fr dist',
      'npx projen bump',
      'npx projen default', 'npx projen pre-compile', 'npx projen compile', 'npx projen post-compile', 'npx projen package',
      'npx projen unbump',
      'bash -c git diff --ignore-space-at-eol --exit-code',
    ]);
    expect(json(lib, '.projen/tasks.json').tasks.build.steps.map((s: any) => s.spawn)).toEqual(
      ['default', 'pre-compile', 'compile', 'post-compile', 'test', 'package']);
  });

  describe('N = 0.1.0, the first release', () => {
    let result: { changelog: string; log: string };
    beforeAll(() => {
      result = release('0.1.0');
    });

    test('bump starts the versions at 0.1.0: version, tag and the changelog entry', () => {
      expect(result.log).toMatch(/bumping version in \S*package\.json from 0\.0\.0 to 0\.1\.0/);
      expect(result.changelog).toMatch(/^##+ \[?0\.1\.0\]?/m);
    });

    test('unbump restores 0.0.0 and the clone has no change (the release task\'s anti-tamper check passed)', () => {
      expect(json(lib, 'package.json').version).toBe('0.0.0');
      expect(git(lib, 'status', '--porcelain')).toBe('');
    });

    test('the registry serves 0.1.0 as latest', () => {
      expect(npm(work, 'view', LIBRARY, 'dist-tags.latest')).toBe('0.1.0');
      expect(npm(work, 'view', `${LIBRARY}@0.1.0`, 'dist.tarball')).toBe(`${registry.url}${LIBRARY}/-/${LIBRARY}-0.1.0.tgz`);
    });
  });

  /** Two services made from 0.1.0, by the spec `projen new --from` got, committed with the user's own code. */
  const services = [
    { label: '--from projen-uv-service (the latest)', spec: LIBRARY, pin: '^0.1.0' },
    { label: '--from projen-uv-service@0.1.0 (an exact pin)', spec: `${LIBRARY}@0.1.0`, pin: '0.1.0' },
  ];
  const dirs: Record<string, string> = {};
  const userHashes: Record<string, string> = {};
  const userHash = (dir: string) => sha256(USER_FILES.map((f) => read(dir, f)).join('\0'));

  describe('services created from the registry at 0.1.0', () => {
    beforeAll(() => {
      for (const s of services) {
        const dir = path.join(work, 'services', s.pin.startsWith('^') ? 'caret' : 'pinned');
        fs.mkdirSync(dir, { recursive: true });
        sh(path.join(ROOT, 'node_modules/.bin/projen'), ['new', '--from', s.spec, 'uv-python-service', '--name', 'orders-api', '--no-git'],
          dir, { ...npmEnv, CI: 'true' });
        git(dir, 'init', '-q', '-b', 'main');
        git(dir, 'config', 'user.name', 'a user');
        git(dir, 'config', 'user.email', 'user@example.com');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-qm', 'feat: orders-api from projen-uv-service');
        fs.appendFileSync(path.join(dir, 'app/main.py'), '\n\n# A line of the user: upgrades leave it alone.\n');
        fs.writeFileSync(path.join(dir, 'tests/test_user_file.py'), 'def test_user_file() -> None:\n    assert True\n');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-qm', 'feat: the user\'s own code');
        dirs[s.pin] = dir;
        userHashes[s.pin] = userHash(dir);
      }
    });

    test.each(services)('$label: package.json and toolchainDeps pin the library as $pin; 0.1.0 is installed from the registry', ({ pin }) => {
      const dir = dirs[pin];
      expect(json(dir, 'package.json').devDependencies[LIBRARY]).toBe(pin);
      expect(read(dir, '.projenrc.ts')).toContain(`toolchainDeps: ["${LIBRARY}@${pin}"]`);
      expect(json(dir, `node_modules/${LIBRARY}/package.json`).version).toBe('0.1.0');
      expect(json(dir, 'package-lock.json').packages[`node_modules/${LIBRARY}`].resolved).toBe(`${registry.url}${LIBRARY}/-/${LIBRARY}-0.1.0.tgz`);
    });

    test.each(services)('$label: a second synth changes nothing', ({ pin }) => {
      const dir = dirs[pin];
      sh('npx', ['projen'], dir, { ...npmEnv, CI: 'true' });
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });
  });

  const MARKER = '# projen-uv-service 0.1.1: this line came with the upgrade.';

  describe('N+1 = 0.1.1, after a feat commit that changes a managed file\'s template', () => {
    let result: { changelog: string; log: string };
    beforeAll(() => {
      expect(fs.existsSync(path.join(lib, CHANGED_TEMPLATE))).toBe(true);
      fs.appendFileSync(path.join(lib, CHANGED_TEMPLATE), `\n${MARKER}\n`);
      git(lib, 'commit', '-qam', `feat: ${CHANGED_FILE} names the release it came with`);
      result = release('0.1.1');
    });

    test('bump takes 0.1.1 from the feat commit (below 1.0.0 a feature is a patch); the changelog lists it', () => {
      expect(result.log).toMatch(/bumping version in \S*package\.json from 0\.1\.0 to 0\.1\.1/);
      expect(result.changelog).toMatch(/^##+ \[?0\.1\.1\]?/m);
      expect(result.changelog).toMatch(new RegExp(`### Features\\s+\\* ${CHANGED_FILE.replace('.', '\\.')} names the release it came with`));
    });

    test('the registry holds both versions, 0.1.1 as latest', () => {
      expect(JSON.parse(npm(work, 'view', LIBRARY, 'versions', '--json'))).toEqual(['0.1.0', '0.1.1']);
      expect(npm(work, 'view', LIBRARY, 'dist-tags.latest')).toBe('0.1.1');
    });
  });

  /**
   * Checks an upgraded service before its upgrade commit (`changes`: every path the upgrade changed),
   * commits, then runs ci.yml's drift check.
   */
  function expectUpgradedTo011(pin: string, changes: string[]): void {
    const dir = dirs[pin];
    expect(json(dir, `node_modules/${LIBRARY}/package.json`).version).toBe('0.1.1');
    expect(read(dir, CHANGED_FILE).split('\n')).toContain(MARKER);
    expect(userHash(dir)).toBe(userHashes[pin]);
    const changed = stagedChanges(dir);
    const managed = new Set<string>([...json(dir, '.projen/files.json').files, 'package-lock.json', '.projenrc.ts']);
    expect(changed.filter((f) => !managed.has(f))).toEqual([]);
    expect(changed).toEqual(changes);
    git(dir, 'commit', '-qm', 'chore(deps): upgrade the toolchain and the locked dependencies');
    for (const id of DRIFT_STEPS) runWorkflowStep(dir, 'ci', 'synth', id, npmEnv);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  }

  describe('the default upgrade cooldown (7 days), both releases minutes old', () => {
    test.each(services)('$label: the upgrade\'s npm-update step passes, keeps 0.1.0 as locked and says why', ({ pin }) => {
      const dir = dirs[pin];
      runWorkflowStep(dir, 'upgrade', 'upgrade', 'npm-ci', npmEnv);
      const out = runWorkflowStep(dir, 'upgrade', 'upgrade', 'npm-update', npmEnv);
      expect(out).toContain(`::notice title=Upgrade cooldown::${LIBRARY} stays as locked: no release its range in package.json allows is 7 days old yet`);
      expect(json(dir, `node_modules/${LIBRARY}/package.json`).version).toBe('0.1.0');
      expect(json(dir, 'package-lock.json').packages[`node_modules/${LIBRARY}`].version).toBe('0.1.0');
      // (projen, constructs and tsx may have moved within their ranges: put the service back as it was.)
      git(dir, 'checkout', '-q', '--', '.');
      runWorkflowStep(dir, 'upgrade', 'upgrade', 'npm-ci', npmEnv);
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });

    // The rest of the upgrade path takes the minutes-old 0.1.1: the user turns the cooldown off.
    test.each(services)('$label: ciOptions.upgradeCooldownDays: 0 in .projenrc.ts, synth, commit', ({ pin }) => {
      const dir = dirs[pin];
      const rc = read(dir, '.projenrc.ts');
      fs.writeFileSync(path.join(dir, '.projenrc.ts'), rc.replace('const project = new UvPythonService({\n', 'const project = new UvPythonService({\n  ciOptions: { upgradeCooldownDays: 0 },\n'));
      sh('npx', ['projen'], dir, { ...npmEnv, CI: 'true' });
      expect(read(dir, 'pyproject.toml')).not.toContain('exclude-newer');
      expect(YAML.parse(read(dir, '.github/workflows/upgrade.yml')).jobs.upgrade.steps.find((st: any) => st.id === 'npm-update').run).not.toContain('--before');
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'ci: no upgrade cooldown');
      userHashes[pin] = userHash(dir);
    });
  });

  describe('the upgrade path of each service (its upgrade.yml up to the synth, then ci.yml\'s drift check)', () => {
    test('^0.1.0: the upgrade moves it to 0.1.1 in package-lock.json (package.json unchanged): managed files in sync, user files untouched, drift check passes', () => {
      const dir = dirs['^0.1.0'];
      const packageJson = read(dir, 'package.json');
      for (const id of UPGRADE_STEPS) runWorkflowStep(dir, 'upgrade', 'upgrade', id, npmEnv);
      expect(read(dir, 'package.json')).toBe(packageJson);
      expect(git(dir, 'diff', '--name-only')).toContain('package-lock.json');
      expectUpgradedTo011('^0.1.0', [CHANGED_FILE, 'package-lock.json']);
    });

    test('0.1.0: the same upgrade changes nothing (an exact pin holds)', () => {
      const dir = dirs['0.1.0'];
      for (const id of UPGRADE_STEPS) runWorkflowStep(dir, 'upgrade', 'upgrade', id, npmEnv);
      expect(json(dir, `node_modules/${LIBRARY}/package.json`).version).toBe('0.1.0');
      expect(git(dir, 'status', '--porcelain')).toBe('');
    });

    test('0.1.0: naming 0.1.1 in toolchainDeps, then npx projen twice (0.1.0 installs 0.1.1, which synthesizes), moves it: managed files in sync, user files untouched, drift check passes', () => {
      const dir = dirs['0.1.0'];
      const rc = read(dir, '.projenrc.ts');
      fs.writeFileSync(path.join(dir, '.projenrc.ts'), rc.replace(`"${LIBRARY}@0.1.0"`, `"${LIBRARY}@0.1.1"`));
      const env = { ...npmEnv, CI: 'true' };
      sh('npx', ['projen'], dir, env);
      expect(json(dir, 'package.json').devDependencies[LIBRARY]).toBe('0.1.1');
      expect(json(dir, `node_modules/${LIBRARY}/package.json`).version).toBe('0.1.1');
      // The first synth ran 0.1.0 (which installed 0.1.1 after writing the files): the second is 0.1.1's.
      expect(read(dir, CHANGED_FILE).split('\n')).not.toContain(MARKER);
      sh('npx', ['projen'], dir, env);
      expectUpgradedTo011('0.1.0', ['.projenrc.ts', CHANGED_FILE, 'package-lock.json', 'package.json']);
    });
  });
});
