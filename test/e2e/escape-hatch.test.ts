import { spawnSync } from 'child_process';
import { addProjenrcStatements, hashTree, newServiceFromTarball, read, readYaml, resynth } from './helpers';

jest.setTimeout(600_000);

const WORKFLOW = '.github/workflows/ci.yml';

/**
 * The escape hatches of docs/cross-file-rules.md, in the `.projenrc.ts` of a service made with
 * `projen new --from <tarball>` and run by its own `npx projen` (tsx, no type check): an edit reaches
 * every file that reads the part it changes, or the synth fails with one error and changes no file.
 */
describe('escape hatches in a generated .projenrc.ts', () => {
  let dir: string;
  beforeAll(() => {
    dir = newServiceFromTarball('orders-api');
  });

  test('project.docker!.removeStage("testing") reaches ci.yml and the tasks', () => {
    expect(readYaml(dir, '.projen/tasks.json').tasks['docker:test']).toBeDefined();
    addProjenrcStatements(dir, ["project.docker!.removeStage('testing');"]);
    resynth(dir);
    const docker = readYaml(dir, WORKFLOW).jobs.docker;
    expect(docker.steps.map((s: any) => s.with?.target).filter(Boolean)).toEqual(['runtime']);
    expect(read(dir, WORKFLOW)).not.toContain('testing');
    expect(readYaml(dir, '.projen/tasks.json').tasks['docker:test']).toBeUndefined();
  });

  test('project.docker!.removeStage("runtime") fails the synth naming the edit and the files, and changes nothing', () => {
    const before = hashTree(dir);
    addProjenrcStatements(dir, ["project.docker!.removeStage('runtime');"]);
    const r = spawnSync('npx', ['projen'], { cwd: dir, encoding: 'utf-8', env: { ...process.env, CI: 'true' } });
    expect(r.status).not.toBe(0);
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('UvPythonService: 1 problem found, no file was written:');
    expect(out).toContain('project.docker.runtimeStage: got "runtime"; names the stage that project.docker.removeStage("runtime") removed');
    expect(out).toContain('compose.yaml (services migrate, app) and .github/workflows/ci.yml (jobs docker, publish)');
    const after = hashTree(dir);
    delete after['.projenrc.ts'];
    delete before['.projenrc.ts'];
    expect(after).toEqual(before);
  });
});
