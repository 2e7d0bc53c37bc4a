import { parse as parseYaml } from 'yaml';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { problemLinesOf } from '../support/errors';
import { listFiles, synthService, tempDir, withoutPost } from '../support/synth';

/**
 * A service's compose.yaml (ServiceCompose): its rules run on the rendered file, overrides of
 * `.projenrc.ts` included, before anything is written.
 */

function refused(options: Partial<UvPythonServiceOptions>, configure: (p: UvPythonService) => void = () => {}): string[] {
  const dir = tempDir();
  const project = new UvPythonService({ name: 'orders-api', outdir: dir, ...options });
  configure(project);
  const lines = problemLinesOf(() => withoutPost(() => project.synth()));
  expect(listFiles(dir)).toEqual([]);
  return lines;
}

describe('one host port, one service', () => {
  test.each([[5432, 'postgres'], [6432, 'pgbouncer']])('the port option on the local database stack\'s %d is refused, naming it and a free port', (port, service) => {
    expect(refused({ port })).toEqual([
      `port: got ${port}; is the port of "${service}" (the local database stack) too, and compose.yaml publishes every service's port on 127.0.0.1 side by side: ` +
        `set another port, e.g. port: ${port + 1}.`,
    ]);
  });

  test('an override publishing the app on the stack\'s port is refused, naming the override', () => {
    expect(refused({}, (p) => p.compose!.file.addOverride('services.app.ports', ['127.0.0.1:6432:8000']))).toEqual([
      'compose.yaml services.app.ports[0] (an override in .projenrc.ts): got 6432; is the port of "pgbouncer" (the local database stack) too, ' +
        'and compose.yaml publishes every service\'s port on 127.0.0.1 side by side: publish another host port in that override, e.g. "127.0.0.1:6433:8000".',
    ]);
  });

  test('an override publishing the app on another free host port is written', () => {
    const s = synthService({}, (p) => p.compose!.file.addOverride('services.app.ports', ['127.0.0.1:18000:8000']));
    expect(parseYaml(s.read('compose.yaml')).services.app.ports).toEqual(['127.0.0.1:18000:8000']);
  });

  test('the app stops within the image\'s grace period (stop_grace_period), the one the CMD\'s uvicorn stops within', () => {
    const s = synthService({ dockerOptions: { gracePeriodSeconds: 45 } });
    expect(parseYaml(s.read('compose.yaml')).services.app.stop_grace_period).toBe('45s');
    expect(s.read('Dockerfile')).toContain('--timeout-graceful-shutdown 35 ');
  });

  test('without docker, compose.yaml runs the database stack alone; without a database, there is none', () => {
    expect(Object.keys(parseYaml(synthService({ docker: false }).read('compose.yaml')).services)).toEqual(['pgbouncer', 'postgres']);
    const none = synthService({ database: false });
    expect(none.files).not.toContain('compose.yaml');
    expect(none.project.compose).toBeUndefined();
  });
});
