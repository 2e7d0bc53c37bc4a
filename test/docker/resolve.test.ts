import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { IMAGE_REPOSITORY } from '../../src/core/option-reader';
import { formatProblem, Problems } from '../../src/core/problems';
import { imageNameOf, resolveDockerOptions } from '../../src/docker/resolve';
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
      gracePeriodSeconds: 30,
    });
    expect(resolveDockerOptions({ testingStage: false }, problems, 'dockerOptions').testingStage).toBeUndefined();
  });

  test('the image name is derived from the service name, lower-cased', () => {
    const names = ['orders-api', 'Orders_API', 'a..b', '--x--', 'a__b', 'a._b', 'a___b', 'a--b'];
    expect(names.map(imageNameOf)).toEqual(['orders-api', 'orders_api', 'a-b', 'x', 'a__b', 'a-b', 'a-b', 'a--b']);
    // Every derived name is a valid repository name, as docker build --tag requires.
    for (const n of names) expect(imageNameOf(n)).toMatch(IMAGE_REPOSITORY);
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

  test('ignorePatterns keeps the valid patterns in order and reports each bad one by its index', () => {
    const problems = new Problems();
    const r = resolveDockerOptions({ ignorePatterns: ['docs/', 7, '*.md', ' ', 'a\rb', '!README.md'] as unknown as string[] }, problems, 'dockerOptions');
    expect(r.ignorePatterns).toEqual(['docs/', '*.md', '!README.md']);
    expect(problems.all.map(formatProblem)).toEqual([1, 3, 4].map((i) =>
      expect.stringMatching(new RegExp(`^dockerOptions\\.ignorePatterns\\[${i}\\]: got .*; expected one non-empty \\.dockerignore pattern on one line\\.$`))));
  });

  test('imageName follows Docker\'s repository grammar: ".", "_", "__" or dashes between lowercase parts', () => {
    const imageNameProblems = (imageName: string) => {
      const problems = new Problems();
      const r = resolveDockerOptions({ imageName }, problems, 'dockerOptions');
      return [r.imageName, problems.all.map(formatProblem)];
    };
    for (const ok of ['orders-api', 'orders__api', 'orders---api', 'team/orders.api', 'a/b/c']) {
      expect(imageNameProblems(ok)).toEqual([ok, []]);
    }
    for (const bad of ['orders..api', 'orders___api', 'orders._api', 'orders-.api', '-orders', 'team//api']) {
      expect(imageNameProblems(bad)).toEqual(['service', [
        `dockerOptions.imageName: got "${bad}"; expected a Docker repository name without tag: lowercase letters, digits, ".", "_", "-", and "/" between components, e.g. "orders-api" or "team/orders-api".`,
      ]]);
    }
  });

  describe('baseImage must match pythonVersion and be Debian-based', () => {
    const baseImageProblems = (baseImage: string, pythonVersion?: string) => {
      const problems = new Problems();
      resolveDockerOptions({ baseImage }, problems, 'dockerOptions', 'orders-api', pythonVersion);
      return problems.all.map(formatProblem);
    };

    test('an official python image with another Python version is refused, naming the option, the value and the fix', () => {
      expect(baseImageProblems('python:3.11-slim', '3.13')).toEqual([
        'dockerOptions.baseImage: got "python:3.11-slim"; has Python 3.11, but pythonVersion is "3.13" (requires-python >=3.13, and UV_PYTHON_DOWNLOADS=0 keeps uv from fetching another Python, so uv sync fails); use "python:3.13-slim", or set pythonVersion to "3.11".',
      ]);
      for (const image of ['docker.io/library/python:3.12-slim-trixie', 'library/python:3.12', 'docker.io/python:3.12.7-bookworm', 'python:3.130-slim']) {
        expect(baseImageProblems(image, '3.13')).toEqual([expect.stringMatching(new RegExp(`^dockerOptions\\.baseImage: got "${image.replace(/\./g, '\\.')}"; has Python 3\\.1(2|30), but pythonVersion is "3\\.13"`))]);
      }
    });

    test('an Alpine tag is refused: the runtime stage uses groupadd/useradd', () => {
      for (const image of ['python:3.13-alpine', 'python:3.13-alpine3.21', 'library/python:alpine']) {
        expect(baseImageProblems(image, '3.13')).toEqual([
          `dockerOptions.baseImage: got "${image}"; is Alpine-based, but the runtime stage creates its user with groupadd/useradd (Debian); use the Debian slim tag, e.g. "python:3.13-slim".`,
        ]);
      }
    });

    test('a python tag without a version is refused: it follows whatever Python is newest', () => {
      for (const image of ['python', 'python:slim', 'python:3-slim']) {
        expect(baseImageProblems(image, '3.12')).toEqual([
          `dockerOptions.baseImage: got "${image}"; does not name a Python version, so the image's Python can differ from pythonVersion "3.12" (requires-python, and UV_PYTHON_DOWNLOADS=0 keeps uv from fetching another); use a tag that starts with it, e.g. "python:3.12-slim".`,
        ]);
      }
    });

    test('matching Debian tags, images that are not the official python one, and an unknown or invalid pythonVersion are accepted', () => {
      for (const image of ['python:3.13-slim', 'python:3.13', 'python:3.13.1-slim-trixie', 'docker.io/library/python:3.13-bookworm', 'python:3.13rc-slim']) {
        expect([image, baseImageProblems(image, '3.13')]).toEqual([image, []]);
      }
      for (const image of ['registry.example.com/base/python:3.11-slim', 'mypython:3.11', 'debian:trixie-slim', 'ghcr.io/org/python:3.11-alpine']) {
        expect([image, baseImageProblems(image, '3.13')]).toEqual([image, []]);
      }
      expect(baseImageProblems('python:3.11-slim')).toEqual([]);
      expect(baseImageProblems('python:3.11-slim', '3.12.x')).toEqual([]);
    });
  });

  test('docker: false turns the component off: no Dockerfile model, no docker tasks', () => {
    const p = new UvPythonService({ name: 'orders-api', outdir: tempDir(), docker: false });
    expect(p.docker).toBeUndefined();
    expect(p._resolved.docker).toBeUndefined();
    expect(p.tasks.tryFind('docker:build')).toBeUndefined();
    expect(p.tryFindFile('Dockerfile')).toBeUndefined();
  });
});
