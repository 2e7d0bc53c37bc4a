import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import * as YAML from 'yaml';
import { AuditedWorkflow, auditWorkflow } from './audit';
import { actionlintFindings, evaluateConditions, shellcheckEach, shellcheckFindings, workflowParserErrors } from './validators';
import { UV_LOCK_CHECK_SCRIPT } from '../../src/ci/jobs';
import { WORKSPACE_SHARED_PATHS, changesScript } from '../../src/ci/workspace-jobs';
import { WorkspaceCiWorkflow } from '../../src/ci/workspace-workflow';
import { WorkspaceMember, WorkspaceMemberKind } from '../../src/core/workspace';
import { NeonDatabase } from '../../src/database';
import { DockerInstruction as I, DockerStages } from '../../src/docker';
import { FakeWorkspace } from '../support/fake-workspace';
import { tempDir } from '../support/synth';
import { synthWorkspace, threeMembers } from '../workspace/support';

const WORKFLOW = '.github/workflows/ci.yml';

interface Step { name?: string; id?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> }
interface Job {
  'if'?: string;
  'needs'?: string | string[];
  'outputs'?: Record<string, string>;
  'permissions'?: Record<string, string>;
  'timeout-minutes'?: number;
  'defaults'?: { run?: { 'working-directory'?: string } };
  'steps': Step[];
}
interface Workflow { on: any; permissions: Record<string, string>; jobs: Record<string, Job> }

/** The workspace of the tests: 2 services, 2 libraries; orders -> common -> util, billing on its own. */
const MEMBERS: WorkspaceMember[] = [
  { name: 'util', dir: 'libs/util', kind: WorkspaceMemberKind.LIBRARY, packageDir: 'util', dependsOn: [] },
  { name: 'common', dir: 'libs/common', kind: WorkspaceMemberKind.LIBRARY, packageDir: 'common', dependsOn: ['util'] },
  { name: 'orders', dir: 'services/orders', kind: WorkspaceMemberKind.SERVICE, packageDir: 'orders_api', dependsOn: ['common'] },
  { name: 'billing', dir: 'services/billing', kind: WorkspaceMemberKind.SERVICE, packageDir: 'billing_api', dependsOn: [] },
];

function addMember(model: FakeWorkspace, member: WorkspaceMember, docker = member.kind === WorkspaceMemberKind.SERVICE): Project {
  const project = new Project({ name: member.name, parent: model.root, outdir: member.dir });
  model.add(member, project);
  if (docker) {
    new DockerStages(project, {
      dockerfile: 'Dockerfile',
      context: '../..',
      runtimeStage: 'runtime',
      testingStage: 'testing',
      imageName: `acme/${member.name}`,
      stages: [
        { name: 'runtime', image: 'alpine:3.22', instructions: [I.user('1000')] },
        { name: 'testing', image: 'alpine:3.22', instructions: [I.user('1000')] },
      ],
    });
  }
  // One service has a database: its job gets the Postgres service container and the migrations.
  if (member.name === 'orders') new NeonDatabase(project, { appPackage: member.packageDir });
  return project;
}

interface Built { dir: string; root: Project; model: FakeWorkspace; ci: WorkspaceCiWorkflow }

/** Root project + model + the workflow, then the members (after the workflow: read at synth). */
function workspace(members: WorkspaceMember[] = MEMBERS): Built {
  const dir = tempDir('uvsvc-ws-');
  const root = new Project({ name: 'ws', outdir: dir });
  const model = new FakeWorkspace(root);
  const ci = new WorkspaceCiWorkflow(root);
  for (const m of members) addMember(model, m);
  return { dir, root, model, ci };
}

function synth(b: Built): Workflow {
  b.root.synth();
  return YAML.parse(fs.readFileSync(path.join(b.dir, WORKFLOW), 'utf-8')) as Workflow;
}

/**
 * The test's own closure: every member reachable over `dependsOn`, grown until nothing is added
 * (a fixpoint, not the model's depth-first walk), as the set of their directories.
 */
function expectedPaths(members: WorkspaceMember[], name: string): string[] {
  const reached = new Set([name]);
  for (let grew = true; grew;) {
    grew = false;
    for (const m of members) {
      if (!reached.has(m.name)) continue;
      for (const d of m.dependsOn) if (!reached.has(d)) { reached.add(d); grew = true; }
    }
  }
  const dirs = members.filter((m) => reached.has(m.name)).map((m) => m.dir);
  return [...dirs, 'pyproject.toml', 'uv.lock', '.python-version', WORKFLOW, '.projenrc.ts', 'package.json', 'package-lock.json'].sort();
}

const jobIdOf = (m: WorkspaceMember) => `${m.kind}-${m.name}`;

/** The `changes` job's script. */
function changesScriptOf(w: Workflow): string {
  return w.jobs.changes.steps.find((s) => s.id === 'changed')!.run!;
}

/** A temporary git repository to run the `changes` script in, as the runner does. */
function gitHarness(script: string) {
  const repo = tempDir('uvsvc-ws-git-');
  const gitEnv = {
    ...process.env,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: repo,
  };
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf-8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const write = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), content);
  };
  /** Commits a change to `files` and returns the commit before it. */
  const commitChange = (...files: string[]) => {
    const before = git('rev-parse', 'HEAD');
    for (const f of files) write(f, `changed ${Math.random()}\n`);
    git('add', '--all');
    git('commit', '--quiet', '-m', `change ${files.join(' ')}`);
    return before;
  };
  /** Runs the script as the runner does (bash -eo pipefail) and reads $GITHUB_OUTPUT. */
  const run = (env: Record<string, string>) => {
    const file = path.join(repo, '..', `changes-${Math.random()}.sh`);
    const out = path.join(repo, '..', `output-${Math.random()}`);
    fs.writeFileSync(file, script);
    fs.writeFileSync(out, '');
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
      cwd: repo, env: { ...gitEnv, EVENT_NAME: '', PULL_REQUEST_BASE: '', PUSH_BEFORE: '', ...env, GITHUB_OUTPUT: out }, encoding: 'utf-8',
    });
    if (r.status !== 0) throw new Error(`changes script failed (${r.status}): ${r.stderr}`);
    const lines = fs.readFileSync(out, 'utf-8').split('\n').filter((l) => l !== '');
    return Object.fromEntries(lines.map((l) => l.split('=') as [string, string]));
  };
  const afterPush = (...files: string[]) => run({ EVENT_NAME: 'push', PUSH_BEFORE: commitChange(...files) });
  return { git, write, commitChange, run, afterPush };
}

const built = workspace();
const wf = synth(built);
const text = fs.readFileSync(path.join(built.dir, WORKFLOW), 'utf-8');
if (process.env.DUMP_WORKFLOW) fs.writeFileSync(process.env.DUMP_WORKFLOW, text);

describe('validators: zero findings', () => {
  test('actionlint and GitHub\'s workflow parser', async () => {
    expect(await actionlintFindings(text)).toEqual([]);
    expect((await workflowParserErrors([text]))[0]).toEqual([]);
  });

  test('the workflow auditor\'s rules (test/ci/audit.ts): pinned uses, no untrusted input in run, no writes, no persisted credentials', () => {
    expect(auditWorkflow(wf as unknown as AuditedWorkflow)).toEqual([]);
  });

  test('shellcheck on every run script (the changes script included)', () => {
    const scripts = Object.values(wf.jobs).flatMap((j) => j.steps).filter((s) => s.run !== undefined);
    expect(scripts.map((s) => s.id)).toContain('changed');
    const findings = shellcheckEach(scripts.map((s) => s.run!));
    scripts.forEach((s, i) => expect({ step: s.id, findings: findings[i] }).toEqual({ step: s.id, findings: [] }));
  });

  test('actionlint checks the needs/outputs wiring (a job reading an output the changes job lacks is found)', async () => {
    const bad = text.replace("needs.changes.outputs.service-orders == 'true'", "needs.changes.outputs.service-ordres == 'true'");
    expect(bad).not.toEqual(text);
    expect((await actionlintFindings(bad)).join('\n')).toMatch(/service-ordres/);
  });
});

describe('jobs follow the workspace model', () => {
  test('one job per member, a changes job, one drift job', () => {
    expect(Object.keys(wf.jobs)).toEqual(['changes', ...MEMBERS.map(jobIdOf), 'synth']);
    expect(Object.keys(wf.jobs.changes.outputs ?? {}).sort()).toEqual(MEMBERS.map(jobIdOf).sort());
    expect(wf.jobs.synth.steps.map((s) => s.id)).toEqual(['checkout', 'setup-node', 'npm-ci', 'synth', 'drift']);
    expect(wf.jobs.synth.needs).toBeUndefined();
  });

  test('a member job runs only when the changes job says so, in its own directory, for its own package', () => {
    for (const m of MEMBERS) {
      const job = wf.jobs[jobIdOf(m)];
      expect([job.needs].flat()).toEqual(['changes']);
      expect(job.if).toBe(`needs.changes.outputs.${jobIdOf(m)} == 'true'`);
      expect(job.defaults?.run?.['working-directory']).toBe(m.dir);
      expect(job.steps.find((s) => s.id === 'sync')?.run).toBe(`uv sync --locked --package ${m.name}`);
      // The workspace's one uv.lock is checked at the root, right after the checkout, before anything reads it.
      expect(job.steps.slice(0, 2).map((s) => s.id)).toEqual(['checkout', 'uv-lock']);
      expect(job.steps[1]).toMatchObject({ 'run': UV_LOCK_CHECK_SCRIPT, 'working-directory': '.' });
      expect(job.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['lint', 'format', 'mypy', 'pytest']));
      expect(job.steps.find((s) => s.id === 'mypy')?.run).toBe('uv run mypy');
      expect(job.permissions).toEqual({ contents: 'read' });
    }
  });

  test('the if: of each member job, evaluated by GitHub\'s evaluator, follows its output', async () => {
    const ids = MEMBERS.map(jobIdOf);
    const outputs = Object.fromEntries(ids.map((id, i) => [id, i % 2 === 0 ? 'true' : 'false']));
    const results = await evaluateConditions(ids.map((id) => ({ expr: wf.jobs[id].if!, context: { needs: { changes: { outputs } } } })));
    expect(results).toEqual(ids.map((_, i) => i % 2 === 0));
  });

  test('a service builds its own image from its DockerStages, paths from the root; a library builds none', () => {
    for (const m of MEMBERS) {
      const job = wf.jobs[jobIdOf(m)];
      const builds = job.steps.filter((s) => s.id?.startsWith('build-'));
      if (m.kind === WorkspaceMemberKind.LIBRARY) {
        expect(builds).toEqual([]);
        continue;
      }
      const docker = DockerStages.of(built.root.subprojects.find((p) => p.name === m.name)!)!;
      expect([docker.runtimeTarget, docker.testingStage]).toEqual(['runtime', 'testing']);
      expect(builds.map((s) => s.with?.target)).toEqual([docker.runtimeTarget, docker.testingStage]);
      for (const s of builds) {
        expect(s.with?.file).toBe(`${m.dir}/${docker.dockerfilePath}`);
        expect(s.with?.context).toBe('.');
        expect(String(s.with?.tags)).toMatch(new RegExp(`^acme/${m.name}:`));
        expect(String(s.with?.['cache-to'])).toContain(`scope=${jobIdOf(m)}-`);
      }
    }
  });

  test('a service with a database: Postgres service container, migrations and pytest against it, in its directory', () => {
    const db = NeonDatabase.of(built.root.subprojects.find((p) => p.name === 'orders')!)!._resolved;
    const orders = wf.jobs['service-orders'] as Job & { services?: Record<string, unknown> };
    expect(Object.keys(orders.services ?? {})).toEqual(['postgres', 'pgbouncer']);
    expect(orders.steps.find((s) => s.id === 'migrate')?.run).toBe(`uv run ${db.migrateCommand}`);
    // The drift check names the member's own db:revision task, in its directory.
    const drift = orders.steps.find((s) => s.id === 'migration-drift')?.run ?? '';
    expect(drift).toContain(`uv run alembic -c ${db.alembicConfig} check`);
    expect(drift).toMatch(/::error [^\n]*cd \S*orders && npx projen db:revision/);
    expect(orders.steps.find((s) => s.id === 'pytest')?.env?.[db.pooledUrlEnv]).toContain("job.services.pgbouncer.ports['6432']");
    expect(Object.keys(orders.steps.find((s) => s.id === 'pytest')?.env ?? {})).toEqual([db.pooledUrlEnv, db.directUrlEnv]);
    expect(Object.keys(orders.steps.find((s) => s.id === 'migrate-image')?.env ?? {})).toEqual([db.directUrlEnv]);
    const billing = wf.jobs['service-billing'] as Job & { services?: Record<string, unknown> };
    expect(billing.services).toBeUndefined();
    expect(billing.steps.map((s) => s.id)).not.toContain('migrate');
  });

  test('job ids stay valid and distinct for names with dots and underscores', async () => {
    const b = workspace([
      { name: 'pay.ments_v2', dir: 'services/payments', kind: WorkspaceMemberKind.SERVICE, packageDir: 'payments', dependsOn: ['x_lib'] },
      { name: 'x_lib', dir: 'libs/x', kind: WorkspaceMemberKind.LIBRARY, packageDir: 'x', dependsOn: [] },
    ]);
    const w = synth(b);
    expect(Object.keys(w.jobs).sort()).toEqual(['changes', 'library-x_lib', 'service-pay-ments_v2', 'synth']);
    expect(await actionlintFindings(fs.readFileSync(path.join(b.dir, WORKFLOW), 'utf-8'))).toEqual([]);
  });

  test('live: a member added after a first synth gets its job and its filters', () => {
    const b = workspace(MEMBERS.slice(0, 3));
    expect(Object.keys(synth(b).jobs)).not.toContain('service-billing');
    const late: WorkspaceMember = { name: 'late', dir: 'services/late', kind: WorkspaceMemberKind.SERVICE, packageDir: 'late', dependsOn: ['util'] };
    addMember(b.model, late);
    const w = synth(b);
    expect(w.jobs['service-late'].if).toBe("needs.changes.outputs.service-late == 'true'");
    expect(b.ci._memberJobs().find((j) => j.member === 'late')!.paths.slice().sort())
      .toEqual(expectedPaths([...MEMBERS.slice(0, 3), late], 'late'));
  });

  test('the workspace\'s Python and uv versions reach every setup-uv step; actions pinned by SHA still validate', async () => {
    const dir = tempDir('uvsvc-ws-');
    const root = new Project({ name: 'ws', outdir: dir });
    const model = new FakeWorkspace(root);
    model.pythonVersion = '3.12';
    model.uvVersion = '0.9.9';
    new WorkspaceCiWorkflow(root, { pinActionsToSha: true });
    for (const m of MEMBERS) addMember(model, m);
    const w = synth({ dir, root, model, ci: WorkspaceCiWorkflow.of(root)! });
    const setups = Object.values(w.jobs).flatMap((j) => j.steps).filter((st) => st.id === 'setup-uv');
    expect(setups).toHaveLength(MEMBERS.length);
    for (const st of setups) expect(st.with).toMatchObject({ 'version': '0.9.9', 'python-version': '3.12' });
    const pinned = fs.readFileSync(path.join(dir, WORKFLOW), 'utf-8');
    expect(pinned).toMatch(/uses: actions\/checkout@[0-9a-f]{40} # v/);
    expect(await actionlintFindings(pinned)).toEqual([]);
  });

  test('on a project that is not a workspace root, the synth says where the component belongs', () => {
    const root = new Project({ name: 'plain', outdir: tempDir() });
    new WorkspaceCiWorkflow(root);
    expect(() => root.synth()).toThrow(/WorkspaceCiWorkflow belongs on the root project of a uv workspace .*"plain" is not in one/);
  });

  test('a workflow without any job is refused at synth', () => {
    const b = workspace([MEMBERS[0]]);
    const none = new Project({ name: 'none', outdir: tempDir() });
    new FakeWorkspace(none);
    new WorkspaceCiWorkflow(none, { synthJob: false, testJob: false });
    expect(() => none.synth()).toThrow(/ciOptions: got \{"testJob":false,"dockerJob":true,"synthJob":false\}; leaves the workflow without a job \(0 members\)/);
    expect(b.ci._memberJobs().map((j) => j.id)).toEqual(['library-util']);
  });

  test('options only a single service has are refused, naming the option', () => {
    const root = new Project({ name: 'ws', outdir: tempDir() });
    expect(() => new WorkspaceCiWorkflow(root, { neonPreview: true, imageName: 'acme/x' })).toThrow(
      /ciOptions\.imageName: got "acme\/x"; is not supported by the workspace CI \(each service's image name is its Dockerfile's[^\n]*\n {2}- ciOptions\.neonPreview: got true/,
    );
    expect(() => new WorkspaceCiWorkflow(new Project({ name: 'ws2', outdir: tempDir() }), { publishImage: false, dependabot: false })).not.toThrow();
    // The workspace has no upgrade workflow: its cooldown would be a setting that does nothing.
    expect(() => new WorkspaceCiWorkflow(new Project({ name: 'ws4', outdir: tempDir() }), { upgradeCooldownDays: 3 })).toThrow(
      /ciOptions\.upgradeCooldownDays: got 3; is not supported by the workspace CI \(the workspace writes no upgrade workflow yet\); remove it\./,
    );
    expect(() => new WorkspaceCiWorkflow(new Project({ name: 'ws3', outdir: tempDir() }), { testjob: false } as any))
      .toThrow(/ciOptions\.testjob: got false; .*did you mean "testJob"/);
  });
});

describe('path filters match each member\'s dependency closure (computed here independently)', () => {
  test('the filters the component derives', () => {
    for (const m of MEMBERS) {
      const job = built.ci._memberJobs().find((j) => j.member === m.name)!;
      expect({ member: m.name, paths: job.paths.slice().sort() }).toEqual({ member: m.name, paths: expectedPaths(MEMBERS, m.name) });
    }
    expect([...WORKSPACE_SHARED_PATHS].sort()).toEqual(expectedPaths([], 'none'));
  });

  describe('the changes script, run for real in a git repository', () => {
    const { git, write, commitChange, run, afterPush } = gitHarness(changesScriptOf(wf));
    const all = (value: string) => Object.fromEntries(MEMBERS.map((m) => [jobIdOf(m), value]));

    beforeAll(() => {
      git('init', '--quiet', '--initial-branch=main');
      for (const m of MEMBERS) write(`${m.dir}/${m.packageDir}/__init__.py`, '');
      for (const f of WORKSPACE_SHARED_PATHS) write(f, 'initial\n');
      write('README.md', 'readme\n');
      git('add', '--all');
      git('commit', '--quiet', '-m', 'initial');
    });

    test('a change to the library runs its dependent service, not the other one', () => {
      const out = afterPush('libs/common/common/models.py');
      expect(out['service-orders']).toBe('true');
      expect(out['service-billing']).toBe('false');
      expect(out['library-common']).toBe('true');
      expect(out['library-util']).toBe('false');
    });

    test('a change to uv.lock runs every job', () => {
      expect(afterPush('uv.lock')).toEqual(all('true'));
    });

    test('every probe file: the jobs it runs are those whose closure holds it (the workflow\'s filters, observed)', () => {
      const probes = [
        ...MEMBERS.map((m) => `${m.dir}/${m.packageDir}/probe.py`),
        ...WORKSPACE_SHARED_PATHS,
        'README.md',
        'docs/guide.md',
        // Prefix traps: a sibling whose name starts like a member's directory, and a nested pyproject.
        'libs/common-old/x.py',
        'services/orders2/app.py',
        'tools/pyproject.toml',
      ];
      for (const probe of probes) {
        const out = afterPush(probe);
        const expected = Object.fromEntries(MEMBERS.map((m) => {
          const paths = expectedPaths(MEMBERS, m.name);
          return [jobIdOf(m), String(paths.some((p) => probe === p || probe.startsWith(`${p}/`)))];
        }));
        expect({ probe, out }).toEqual({ probe, out: expected });
      }
    });

    test('a file moved out of a library runs its dependents (renames count on both sides)', () => {
      git('mv', 'libs/util/util/__init__.py', 'README-util.py');
      const before = git('rev-parse', 'HEAD');
      git('commit', '--quiet', '-m', 'move');
      const out = run({ EVENT_NAME: 'push', PUSH_BEFORE: before });
      expect(out['library-util']).toBe('true');
      expect(out['service-orders']).toBe('true');
      expect(out['service-billing']).toBe('false');
    });

    test('a pull request compares with its base', () => {
      const base = git('rev-parse', 'HEAD');
      commitChange('services/billing/billing_api/x.py');
      commitChange('README.md');
      const out = run({ EVENT_NAME: 'pull_request', PULL_REQUEST_BASE: base });
      expect(out).toEqual({ ...all('false'), 'service-billing': 'true' });
    });

    test('nothing to compare with runs every job: first push, manual run, base not in the clone', () => {
      commitChange('README.md');
      expect(run({ EVENT_NAME: 'push', PUSH_BEFORE: '0'.repeat(40) })).toEqual(all('true'));
      expect(run({ EVENT_NAME: 'workflow_dispatch' })).toEqual(all('true'));
      expect(run({ EVENT_NAME: 'push', PUSH_BEFORE: 'f'.repeat(40) })).toEqual(all('true'));
      expect(run({ EVENT_NAME: 'pull_request', PULL_REQUEST_BASE: '' })).toEqual(all('true'));
    });
  });
});

test('the changes script quotes paths bash would split or expand', () => {
  const odd = "libs/it's a lib*";
  const script = changesScript([{ id: 'library-odd', member: 'odd', paths: [odd] }, { id: 'library-plain', member: 'plain', paths: ['libs/plain'] }]);
  expect(shellcheckFindings(script)).toEqual([]);
  const h = gitHarness(script);
  h.git('init', '--quiet', '--initial-branch=main');
  h.write('README.md', 'x\n');
  h.git('add', '--all');
  h.git('commit', '--quiet', '-m', 'initial');
  expect(h.afterPush(`${odd}/x.py`)).toEqual({ 'library-odd': 'true', 'library-plain': 'false' });
  expect(h.afterPush("libs/it's a library/x.py")).toEqual({ 'library-odd': 'false', 'library-plain': 'false' });
});

describe('through the real UvWorkspace (2 services, 1 library)', () => {
  // The members as this test declares them: orders depends on common, billing on nothing.
  const declared: WorkspaceMember[] = [
    { name: 'common', dir: 'libs/common', kind: WorkspaceMemberKind.LIBRARY, packageDir: 'common', dependsOn: [] },
    { name: 'orders', dir: 'services/orders', kind: WorkspaceMemberKind.SERVICE, packageDir: 'orders', dependsOn: ['common'] },
    { name: 'billing', dir: 'services/billing', kind: WorkspaceMemberKind.SERVICE, packageDir: 'billing', dependsOn: [] },
  ];
  const s = synthWorkspace((ws) => {
    WorkspaceCiWorkflow.of(ws) ?? new WorkspaceCiWorkflow(ws, ws.ciOptions);
    threeMembers(ws);
  });
  const ci = WorkspaceCiWorkflow.of(s.workspace)!;
  const w = YAML.parse(s.read(WORKFLOW)) as Workflow;

  test('validators: zero findings', async () => {
    expect(await actionlintFindings(s.read(WORKFLOW))).toEqual([]);
    expect((await workflowParserErrors([s.read(WORKFLOW)]))[0]).toEqual([]);
    const changes = changesScriptOf(w);
    expect(shellcheckFindings(changes)).toEqual([]);
  });

  test('a job per member, with the workspace\'s versions; filters equal the closures computed here', () => {
    expect(Object.keys(w.jobs)).toEqual(['changes', ...declared.map(jobIdOf), 'synth']);
    for (const m of declared) {
      expect(ci._memberJobs().find((j) => j.member === m.name)!.paths.slice().sort()).toEqual(expectedPaths(declared, m.name));
      expect(w.jobs[jobIdOf(m)].steps.find((st) => st.id === 'setup-uv')?.with)
        .toMatchObject({ 'version': s.workspace.uvVersion, 'python-version': s.workspace.pythonVersion });
    }
  });

  test('the changes script: a library change runs orders, not billing; uv.lock runs both', () => {
    const h = gitHarness(changesScriptOf(w));
    h.git('init', '--quiet', '--initial-branch=main');
    for (const f of s.files) h.write(f, 'initial\n');
    h.git('add', '--all');
    h.git('commit', '--quiet', '-m', 'initial');
    expect(h.afterPush('libs/common/common/__init__.py')).toEqual({ 'library-common': 'true', 'service-orders': 'true', 'service-billing': 'false' });
    expect(h.afterPush('uv.lock')).toEqual({ 'library-common': 'true', 'service-orders': 'true', 'service-billing': 'true' });
    expect(h.afterPush('services/billing/billing/main.py')).toEqual({ 'library-common': 'false', 'service-orders': 'false', 'service-billing': 'true' });
  });
});
