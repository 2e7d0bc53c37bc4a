import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { imageNameOf, resolveDockerOptions } from '../../src/docker/resolve';
import { Problems } from '../../src/service/problems';
import { problemLinesOf } from '../support/errors';
import { tempDir } from '../support/synth';

function problemLines(dockerOptions: Record<string, unknown>): string[] {
  return problemLinesOf(() => new UvPythonService({ name: 'orders-api', outdir: tempDir(), dockerOptions } as UvPythonServiceOptions));
}

describe('resolveDockerOptions', () => {
  test('defaults', () => {
    const problems = new Problems();
    const r = resolveDockerOptions(undefined, problems, 'dockerOptions', 'Orders.API');
    expect(problems.all).toEqual([]);
    expect(r).toEqual({
      builderStage: 'builder',
      runtimeStage: 'runtime',
      testingStage: 'testing',
      dockerfile: 'Dockerfile',
      context: '.',
      imageName: 'orders.api',
      baseImage: undefined,
      baseImageDigest: undefined,
      uvImageDigest: undefined,
      userName: 'app',
      uid: 10001,
      gid: 10001,
      ignorePatterns: [],
      syntax: 'docker/dockerfile:1',
      healthcheck: true,
    });
    expect(resolveDockerOptions({ testingStage: false }, problems, 'dockerOptions').testingStage).toBeUndefined();
  });

  test('the image name is derived from the service name, lower-cased', () => {
    expect(['orders-api', 'Orders_API', 'a..b', '--x--'].map(imageNameOf)).toEqual(['orders-api', 'orders_api', 'a..b', 'x']);
  });

  test('every bad option is reported with its path, the value and the fix, all at once', () => {
    expect(problemLines({
      testingStage: 'yes',
      baseImage: 'python:3.12-slim@sha256:abc',
      baseImageDigest: 'sha256:XYZ',
      uvImageDigest: 'abc',
      userName: 'root',
      uid: 0,
      gid: 1.5,
      imageName: 'Orders:latest',
      ignorePatterns: ['ok', '', 'two\nlines'],
      syntax: 'not a frontend',
      healthcheck: 1,
    })).toEqual([
      'dockerOptions.testingStage: got "yes"; expected true or false.',
      'dockerOptions.baseImage: got "python:3.12-slim@sha256:abc"; expected an image name with an optional tag and no digest, e.g. "python:3.12-slim-trixie" (pin a digest with baseImageDigest).',
      'dockerOptions.baseImageDigest: got "sha256:XYZ"; expected "sha256:" followed by 64 lowercase hex digits (docker buildx imagetools inspect <image> shows it).',
      'dockerOptions.uvImageDigest: got "abc"; expected "sha256:" followed by 64 lowercase hex digits (docker buildx imagetools inspect <image> shows it).',
      'dockerOptions.userName: got "root"; the service must not run as root; choose another name, e.g. "app".',
      'dockerOptions.imageName: got "Orders:latest"; expected a Docker repository name without tag: lowercase letters, digits, ".", "_", "-", and "/" between components, e.g. "orders-api" or "team/orders-api".',
      'dockerOptions.ignorePatterns[1]: got ""; expected one non-empty .dockerignore pattern on one line.',
      'dockerOptions.ignorePatterns[2]: got "two\\nlines"; expected one non-empty .dockerignore pattern on one line.',
      'dockerOptions.syntax: got "not a frontend"; expected a Dockerfile frontend image such as "docker/dockerfile:1".',
      'dockerOptions.uid: got 0; expected a non-root numeric id from 1 to 2147483646 (0 is root), e.g. 10001.',
      'dockerOptions.gid: got 1.5; expected a non-root numeric id from 1 to 2147483646 (0 is root), e.g. 10001.',
      'dockerOptions.healthcheck: got 1; expected true or false.',
    ]);
  });

  test('docker: false turns the component off: no Dockerfile model, no docker tasks', () => {
    const p = new UvPythonService({ name: 'orders-api', outdir: tempDir(), docker: false });
    expect(p.docker).toBeUndefined();
    expect(p.resolved.docker).toBeUndefined();
    expect(p.tasks.tryFind('docker:build')).toBeUndefined();
    expect(p.tryFindFile('Dockerfile')).toBeUndefined();
  });
});
