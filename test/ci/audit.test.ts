/**
 * The workflow auditor's rules (test/ci/audit.ts) on every generated workflow of a service, over an
 * options matrix (ci.yml, upgrade.yml), and each rule proven to fire on a workflow that breaks it.
 * The workspace's ci.yml is audited in workspace-workflow.test.ts.
 */
import * as YAML from 'yaml';
import { AuditedWorkflow, auditWorkflow } from './audit';
import { UvPythonServiceOptions } from '../../src';
import { synthService } from '../support/synth';

const CI = '.github/workflows/ci.yml';
const UPGRADE = '.github/workflows/upgrade.yml';

const matrix: Array<[string, Partial<UvPythonServiceOptions>]> = [
  ['defaults', {}],
  ['Neon previews', { ciOptions: { neonPreview: true } }],
  ['pinning off', { ciOptions: { pinActionsToSha: false, neonPreview: true } }],
  ['other registry', { ciOptions: { imageRegistry: 'registry.example.com', registryUsername: 'ci', registryPasswordSecret: 'REGISTRY_PASSWORD' } }],
  ['no database', { database: false }],
  ['an upgrade app', { ciOptions: { upgradeAppIdVariable: 'APP_ID', upgradeAppPrivateKeySecret: 'APP_KEY' } }],
  ['an upgrade token', { ciOptions: { upgradeTokenSecret: 'UPGRADE_TOKEN' } }],
];

/** The jobs allowed to write, and what. */
const CI_WRITERS = { 'publish': ['packages'], 'neon-schema-diff': ['pull-requests'] };
// `ci` dispatches ci.yml on the upgrade branch: it may start workflows, nothing else.
const UPGRADE_WRITERS = { pr: ['contents', 'pull-requests'], ci: ['actions'] };

/**
 * The findings, less the unpinned ones when the user turned pinning off (a choice: moving tags), of
 * which there must then be some.
 */
function findings(wf: AuditedWorkflow, writers: Record<string, string[]>, pinned: boolean): string[] {
  const all = auditWorkflow(wf, writers);
  if (pinned) return all;
  const unpinned = all.filter((f) => f.includes('is not pinned'));
  expect(unpinned.length).toBeGreaterThan(0);
  return all.filter((f) => !unpinned.includes(f));
}

describe.each(matrix)('generated workflows pass the audit (%s)', (_label, options) => {
  const s = synthService(options);
  const pinned = options.ciOptions?.pinActionsToSha !== false;
  test('ci.yml', () => {
    expect(findings(YAML.parse(s.read(CI)) as AuditedWorkflow, CI_WRITERS, pinned)).toEqual([]);
  });
  test('upgrade.yml', () => {
    const wf = YAML.parse(s.read(UPGRADE)) as AuditedWorkflow;
    expect(findings(wf, UPGRADE_WRITERS, pinned)).toEqual([]);
  });
});

describe('each rule fires', () => {
  const sha = 'a'.repeat(40);
  const ok: AuditedWorkflow = {
    on: { pull_request: {} },
    permissions: {},
    jobs: { t: { permissions: { contents: 'read' }, steps: [{ uses: `actions/checkout@${sha}`, with: { 'persist-credentials': false } }, { run: 'echo "$X"' }] } },
  };
  const withStep = (step: object): AuditedWorkflow => ({ ...ok, jobs: { t: { ...ok.jobs.t, steps: [...ok.jobs.t.steps!, step] } } });

  test('a clean workflow has no finding', () => expect(auditWorkflow(ok)).toEqual([]));
  test('unpinned uses', () => {
    expect(auditWorkflow(withStep({ uses: 'docker/login-action@v4' }))).toEqual(['jobs.t.steps[2]: uses docker/login-action@v4 is not pinned to a SHA or an exact release']);
    expect(auditWorkflow(withStep({ uses: 'docker/login-action@main' }))).toHaveLength(1);
    expect(auditWorkflow(withStep({ uses: 'astral-sh/setup-uv@v10.3.3' }))).toEqual([]);
  });
  test('untrusted input in run', () => {
    expect(auditWorkflow(withStep({ run: 'echo "${{ github.event.pull_request.title }}"' }))[0]).toMatch(/run interpolates untrusted input/);
    expect(auditWorkflow(withStep({ run: 'git checkout ${{ github.head_ref }}' }))).toHaveLength(1);
  });
  test('write permissions outside the job that needs them', () => {
    expect(auditWorkflow({ ...ok, permissions: { contents: 'write' } })).toEqual(['workflow permissions write contents: grant them on the job that needs them']);
    const w = { ...ok, jobs: { t: { ...ok.jobs.t, permissions: { packages: 'write' } } } };
    expect(auditWorkflow(w)).toEqual(['jobs.t: writes packages, which no rule lets it']);
    expect(auditWorkflow(w, { t: ['packages'] })).toEqual([]);
  });
  test('persisted credentials', () => {
    expect(auditWorkflow(withStep({ uses: `actions/checkout@${sha}` }))).toEqual(['jobs.t.steps[2]: checkout without persist-credentials: false']);
  });
  test('pull_request_target', () => {
    expect(auditWorkflow({ ...ok, on: { pull_request_target: {} } })).toHaveLength(1);
    expect(auditWorkflow({ ...ok, on: ['push', 'pull_request_target'] })).toHaveLength(1);
  });
});
