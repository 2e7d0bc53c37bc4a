import * as fs from 'fs';
import * as path from 'path';
import { addProjenrcOptions, newServiceFromTarball, read, readYaml, resynth } from './helpers';
import { actionlintFindings, workflowParserErrors } from '../ci/validators';

jest.setTimeout(600_000);

const WORKFLOW = '.github/workflows/ci.yml';

function step(workflow: any, job: string, id: string): any {
  return workflow.jobs[job].steps.find((s: any) => s.id === id);
}

describe('CI workflow of a service made with projen new --from <tarball>', () => {
  let dir: string;
  beforeAll(() => {
    dir = newServiceFromTarball('orders-api');
  });

  test('the CI and upgrade workflows are generated and valid; no Dependabot updater that cannot pass', async () => {
    const texts = [read(dir, WORKFLOW), read(dir, '.github/workflows/upgrade.yml')];
    for (const text of texts) expect(await actionlintFindings(text)).toEqual([]);
    expect(await workflowParserErrors(texts)).toEqual([[], []]);
    expect(fs.existsSync(path.join(dir, '.github/dependabot.yml'))).toBe(false);
  });

  test('pythonVersion, uvVersion and the database variable names in .projenrc.ts reach the workflow', async () => {
    const before = readYaml(dir, WORKFLOW);
    expect(step(before, 'test', 'setup-uv').with['python-version']).not.toBe('3.13');
    expect(step(before, 'test', 'setup-uv').with.version).not.toBe('0.9.9');

    addProjenrcOptions(dir, [
      "pythonVersion: '3.13',",
      "uvVersion: '0.9.9',",
      "databaseOptions: { pooledUrlEnv: 'BILLING_DB_URL', directUrlEnv: 'BILLING_DB_URL_DIRECT' },",
    ]);
    resynth(dir);

    const text = read(dir, WORKFLOW);
    const wf = readYaml(dir, WORKFLOW);
    expect(step(wf, 'test', 'setup-uv').with).toMatchObject({ 'version': '0.9.9', 'python-version': '3.13' });
    expect(Object.keys(step(wf, 'test', 'migrate').env)).toEqual(['BILLING_DB_URL_DIRECT']);
    // Both URLs: the tests make a database of their own over the direct URL.
    expect(Object.keys(step(wf, 'test', 'pytest').env)).toEqual(['BILLING_DB_URL', 'BILLING_DB_URL_DIRECT']);
    expect(step(wf, 'docker', 'migrate-image').run).toContain('--env BILLING_DB_URL_DIRECT ');
    expect(step(wf, 'docker', 'test-image').run).toContain('--env BILLING_DB_URL ');
    expect(text).not.toMatch(/\bDATABASE_URL(_UNPOOLED)?\b/);
    expect(await actionlintFindings(text)).toEqual([]);
  });
});
