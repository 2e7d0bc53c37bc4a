import * as YAML from 'yaml';
import { synthService } from '../support/synth';

const WORKFLOW = '.github/workflows/ci.yml';

interface Step { id?: string; run?: string; with?: Record<string, unknown> }

function dockerSteps(text: string): Step[] {
  return (YAML.parse(text).jobs.docker.steps as Step[]);
}

describe('escape hatches reach every file that reads the part they change', () => {
  test('project.docker.removeStage("testing"): ci.yml builds no testing target and the docker:test task is gone', () => {
    const s = synthService({}, (p) => p.docker!.removeStage('testing'));
    expect(s.read('Dockerfile')).not.toMatch(/ AS testing$/m);
    const steps = dockerSteps(s.read(WORKFLOW));
    expect(steps.map((st) => st.with?.target).filter((t) => t !== undefined)).toEqual(['runtime']);
    expect(steps.map((st) => st.run ?? '').join('\n')).not.toContain('testing');
    const tasks = JSON.parse(s.read('.projen/tasks.json')).tasks;
    expect(tasks['docker:test']).toBeUndefined();
    expect(JSON.stringify(tasks)).not.toContain('--target testing');
  });
});
