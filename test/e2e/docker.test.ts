import { ModifiableInstruction } from 'dockerfile-ast';
import { addProjenrcOptions, newServiceFromTarball, read, resynth } from './helpers';
import { VERSIONS } from '../../src/core/versions';
import { dockerfileFindings, execArgs, parseDockerfile, stageInstructions } from '../docker/support';

jest.setTimeout(600_000);

/** Every place a fact of the service appears in the Dockerfile, read through dockerfile-ast. */
function facts(text: string) {
  const df = parseDockerfile(text);
  const runtime = stageInstructions(text, 'runtime');
  const builder = stageInstructions(text, 'builder');
  const hc = runtime.find((i) => i.getKeyword() === 'HEALTHCHECK')!;
  return {
    images: df.getFROMs().map((f) => f.getImage()),
    uv: builder.filter((i) => i.getKeyword() === 'COPY').flatMap((i) => (i as ModifiableInstruction).getFlags().map((f) => f.getValue())),
    expose: runtime.filter((i) => i.getKeyword() === 'EXPOSE').map((i) => i.getArgumentsContent()),
    health: execArgs(text, hc)[2],
    cmd: execArgs(text, runtime.find((i) => i.getKeyword() === 'CMD')!),
  };
}

describe('Dockerfile of a service made with projen new --from <tarball>', () => {
  let dir: string;
  beforeAll(() => {
    dir = newServiceFromTarball('orders-api');
  });

  test('the Dockerfile and .dockerignore exist, and the Dockerfile is clean under dockerfile-utils and the stage graph', () => {
    const text = read(dir, 'Dockerfile');
    expect(dockerfileFindings(text)).toEqual([]);
    expect(read(dir, '.dockerignore')).toMatch(/^\*\*\/\.env\*$/m);
    expect(facts(text)).toEqual({
      images: [`python:${VERSIONS.python}-slim`, 'builder', `python:${VERSIONS.python}-slim`],
      uv: [`ghcr.io/astral-sh/uv:${VERSIONS.uv}`],
      expose: ['8000'],
      health: expect.stringContaining("os.environ.get('PORT', '8000') + '/health'"),
      cmd: ['sh', '-c', 'python -m app.settings && exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-8000}" --workers "${WEB_CONCURRENCY:-1}" --timeout-graceful-shutdown 20 --proxy-headers'],
    });
  });

  test('changing pythonVersion, port and uvVersion in .projenrc.ts changes every place they appear', () => {
    addProjenrcOptions(dir, ["pythonVersion: '3.13',", 'port: 9000,', "uvVersion: '0.9.9',"]);
    resynth(dir);
    const text = read(dir, 'Dockerfile');
    expect(dockerfileFindings(text)).toEqual([]);
    expect(facts(text)).toEqual({
      images: ['python:3.13-slim', 'builder', 'python:3.13-slim'],
      uv: ['ghcr.io/astral-sh/uv:0.9.9'],
      expose: ['9000'],
      health: expect.stringContaining("os.environ.get('PORT', '9000') + '/health'"),
      cmd: ['sh', '-c', 'python -m app.settings && exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-9000}" --workers "${WEB_CONCURRENCY:-1}" --timeout-graceful-shutdown 20 --proxy-headers'],
    });
    // No place kept an old value.
    for (const old of [VERSIONS.python, '8000', VERSIONS.uv]) expect(text).not.toContain(old);
  });
});
