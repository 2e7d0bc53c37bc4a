import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import { dockerfileFindings } from './support';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { VERSIONS } from '../../src/core/versions';
import { DockerInstruction as I, DockerStageOptions, DockerStages, DockerStagesOptions, IDockerInstruction, RunMount } from '../../src/docker';
import { thrownBy } from '../support/errors';
import { synthService, tempDir, withoutPost } from '../support/synth';

function problems(stages: DockerStageOptions[], options: Omit<DockerStagesOptions, 'stages'> = {}): string[] {
  const project = new Project({ name: 'm', outdir: tempDir() });
  return new DockerStages(project, { ...options, stages }).problems();
}

const USER = I.user('10001', '10001');
const ok = (name: string, extra: Partial<DockerStageOptions> = {}): DockerStageOptions =>
  ({ name, image: 'alpine:3.22', instructions: [USER], ...extra });

describe('the third-party checks in the tests catch what they should', () => {
  test('dockerfile-utils and the dockerfile-ast stage graph both report a broken Dockerfile', () => {
    const broken = [
      'FROM alpine:3.22 AS Base',
      'COPY --from=later --chown=1:1 /x /x',
      'RUN --mount=type=nfs,target=/x true',
      'RUN --mount=type=bind,from=nowhere,target=/y true',
      'FROM alpine:3.22 AS later',
      'HEALTHCHECK --interval=0s CMD ["true"]',
      'EXPOSE 8o',
      '',
    ].join('\n');
    const findings = dockerfileFindings(broken);
    expect(findings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^7: .*port/i),
      expect.stringMatching(/^6: .*interval/i),
      '2: COPY --from "later" names a stage that is not defined before it',
      '3: RUN --mount type "nfs" is not one of bind, cache, secret, ssh, tmpfs',
      '4: RUN --mount from "nowhere" names no earlier stage',
    ]));
  });
});

describe('stage names and references', () => {
  test('a Dockerfile needs a stage', () => {
    expect(problems([])).toEqual(['Dockerfile: got []; has no stage; add one with addStage({ name, image }).']);
  });

  test('invalid and duplicate stage names', () => {
    expect(problems([ok('Builder'), ok('1st'), ok('web'), ok('web')])).toEqual([
      'Dockerfile stage #1 "Builder": got "Builder"; is not a valid stage name; use lowercase letters, digits, "-", "_" or ".", starting with a letter (e.g. "builder").',
      'Dockerfile stage #2 "1st": got "1st"; is not a valid stage name; use lowercase letters, digits, "-", "_" or ".", starting with a letter (e.g. "builder").',
      'Dockerfile stage #4 "web": got "web"; duplicates the name of stage #3; give every stage its own name.',
    ]);
  });

  test('FROM needs exactly one of image and fromStage', () => {
    expect(problems([{ name: 'a', instructions: [USER] }])).toEqual([
      'Dockerfile stage "a" FROM: got {}; give exactly one of image (a base image) and fromStage (an earlier stage).',
    ]);
    expect(problems([ok('a'), { name: 'b', image: 'x:1', fromStage: 'a', instructions: [USER] }])).toEqual([
      'Dockerfile stage "b" FROM: got {"image":"x:1","fromStage":"a"}; give exactly one of image (a base image) and fromStage (an earlier stage).',
    ]);
  });

  test('FROM a stage that does not exist, or comes later, or is itself', () => {
    expect(problems([ok('a'), { name: 'b', fromStage: 'nope', instructions: [USER] }])).toEqual([
      'Dockerfile stage "b" FROM: got "nope"; names no stage of this Dockerfile; use an earlier stage ("a"), or fromImage for an image.',
    ]);
    expect(problems([{ name: 'a', fromStage: 'b' }, ok('b')])).toEqual([
      'Dockerfile stage "a" FROM: got "b"; names stage #2, which comes later; move "b" before "a" (stages can only use earlier stages).',
    ]);
    expect(problems([{ name: 'a', fromStage: 'a', instructions: [USER] }])).toEqual([
      'Dockerfile stage "a" FROM: got "a"; names its own stage; a stage can only use stages defined before it.',
      'Dockerfile stages: got "a -> a"; form a cycle; a stage can only depend on stages built before it.',
    ]);
  });

  test('a cycle between stages is reported with its path', () => {
    const found = problems([
      { name: 'a', image: 'alpine:3.22', instructions: [I.copy(['/x'], '/x', { fromStage: 'b' })] },
      { name: 'b', fromStage: 'a', instructions: [USER] },
    ]);
    expect(found).toEqual([
      'Dockerfile stage "a" instruction #1 (COPY) --from: got "b"; names stage #2, which comes later; move "b" before "a" (stages can only use earlier stages).',
      'Dockerfile stages: got "a -> b -> a"; form a cycle; a stage can only depend on stages built before it.',
    ]);
  });

  test('COPY --from and RUN --mount from must name earlier stages', () => {
    expect(problems([
      ok('a'),
      {
        name: 'b',
        image: 'alpine:3.22',
        instructions: [
          I.copy(['/x'], '/x', { fromStage: 'missing' }),
          I.run(['true'], { mounts: [RunMount.bind({ target: '/m', fromStage: 'c' })] }),
          I.run(['true'], { mounts: [RunMount.cache({ target: '/c', fromStage: 'gone' })] }),
          USER,
        ],
      },
      ok('c'),
    ])).toEqual([
      'Dockerfile stage "b" instruction #1 (COPY) --from: got "missing"; names no stage of this Dockerfile; use an earlier stage ("a"), or fromImage for an image.',
      'Dockerfile stage "b" instruction #2 (RUN) --mount #1 (type=bind) from: got "c"; names stage #3, which comes later; move "c" before "b" (stages can only use earlier stages).',
      'Dockerfile stage "b" instruction #3 (RUN) --mount #1 (type=cache) from: got "gone"; names no stage of this Dockerfile; use an earlier stage ("a"), or fromImage for an image.',
    ]);
  });

  test('an image that is really a stage name, an invalid image reference, both fromStage and fromImage', () => {
    expect(problems([ok('base'), ok('b', { image: 'base' }), ok('c', { image: 'Python 3' }),
      ok('d', { instructions: [I.copy(['/x'], '/x', { fromStage: 'base', fromImage: 'alpine:3' }), USER] })])).toEqual([
      'Dockerfile stage "b" FROM: got "base"; names a stage of this Dockerfile, not an image; use fromStage: "base" instead.',
      'Dockerfile stage "c" FROM: got "Python 3"; is not an image reference; write "name[:tag][@sha256:<digest>]", e.g. "python:3.12-slim".',
      'Dockerfile stage "d" instruction #1 (COPY): got {"fromStage":"base","fromImage":"alpine:3"}; give at most one of fromStage and fromImage.',
    ]);
  });
});

describe('image references: a name with an optional tag and an optional sha256 digest', () => {
  const d = 'ab'.repeat(32);
  const fromProblems = (image: string) => problems([ok('a', { image })]);

  test.each(['python:3.12-slim', `python:3.12-slim@sha256:${d}`, `python@sha256:${d}`, 'registry:5000/team/python:3.12', '$BASE', 'python:${TAG}'])(
    '%s is accepted', (image) => {
      expect(fromProblems(image)).toEqual([]);
    });

  test.each(['python:3.12@sha256:abc', `python@sha256:${d}@sha256:${d}`, `python@sha512:${d}`, 'python:3.12@', 'Python:3.12', 'python:.bad'])(
    '%s is refused', (image) => {
      expect(fromProblems(image)).toEqual([
        `Dockerfile stage "a" FROM: got "${image}"; is not an image reference; write "name[:tag][@sha256:<digest>]", e.g. "python:3.12-slim".`,
      ]);
    });
});

describe('uv image pinning', () => {
  const copyUv = (ref: string) => problems([ok('a', { instructions: [I.copy(['/uv'], '/bin/', { fromImage: ref }), USER] })]);

  test.each(['ghcr.io/astral-sh/uv', 'ghcr.io/astral-sh/uv:latest', 'ghcr.io/astral-sh/uv:0.9', 'ghcr.io/astral-sh/uv:python3.12-trixie-slim', 'astral/uv:debian'])(
    '%s is refused', (ref) => {
      const repo = ref.startsWith('astral/') ? 'astral/uv' : 'ghcr.io/astral-sh/uv';
      expect(copyUv(ref)).toEqual([
        `Dockerfile stage "a" instruction #1 (COPY) --from: got "${ref}"; uv's image must be pinned to an exact release (e.g. "${repo}:${VERSIONS.uv}", the service's uvVersion) or a digest; a moving tag ("latest", "0.9", none) makes builds unreproducible.`,
      ]);
    });

  test.each(['ghcr.io/astral-sh/uv:0.9.7', 'ghcr.io/astral-sh/uv:0.9.7-python3.12-trixie-slim', `ghcr.io/astral-sh/uv@sha256:${'c'.repeat(64)}`, 'ghcr.io/astral-sh/uv:${UV_VERSION}'])(
    '%s is accepted', (ref) => {
      expect(copyUv(ref)).toEqual([]);
    });

  test('FROM and bind mounts of uv\'s image are checked too', () => {
    expect(problems([ok('a', { image: 'ghcr.io/astral-sh/uv:latest' }), ok('b', {
      instructions: [I.run(['uv --version'], { mounts: [RunMount.bind({ fromImage: 'ghcr.io/astral-sh/uv', source: '/uv', target: '/bin/uv' })] }), USER],
    })]).map((p) => p.split(':')[0])).toEqual(['Dockerfile stage "a" FROM', 'Dockerfile stage "b" instruction #1 (RUN) --mount #1 (type=bind) from']);
  });
});

describe('CMD/ENTRYPOINT form and raw lines', () => {
  const raw = (line: string, requireExecForm = true) =>
    problems([ok('a', { instructions: [I.raw(line), USER] })], { requireExecForm });

  test('a shell-form CMD or ENTRYPOINT is refused when exec form is required', () => {
    expect(raw('CMD uvicorn app.main:app')).toEqual([
      'Dockerfile stage "a" instruction #1 (RAW): got "CMD uvicorn app.main:app"; CMD must be in exec form (a JSON array) so the process gets signals as PID 1; use DockerInstruction.cmd(["executable", "arg"]).',
    ]);
    expect(raw('entrypoint /bin/run')).toEqual([
      'Dockerfile stage "a" instruction #1 (RAW): got "entrypoint /bin/run"; ENTRYPOINT must be in exec form (a JSON array) so the process gets signals as PID 1; use DockerInstruction.entrypoint(["executable", "arg"]).',
    ]);
    expect(raw('CMD ["uvicorn"]')).toEqual([]);
    expect(raw('CMD uvicorn', false)).toEqual([]);
  });

  describe('an exec-form CMD or ENTRYPOINT that runs a shell script must end it with exec', () => {
    const cmd = (args: string[], requireExecForm = true) =>
      problems([ok('a', { instructions: [I.cmd(args), USER] })], { requireExecForm });

    test.each([
      ['sh', '-c', 'uvicorn app.main:app --port "${PORT:-8000}"'],
      ['/bin/sh', '-c', 'exec uvicorn app.main:app | tee log'],
      ['bash', '-ec', 'exec uvicorn app.main:app &'],
      ['sh', '-c', 'exec uvicorn app.main:app; echo done'],
      ['sh', '-c', 'exec uvicorn app.main:app && cleanup'],
    ])('%s %s %j is refused', (...args) => {
      expect(cmd(args)).toEqual([
        `Dockerfile stage "a" instruction #1 (CMD): got ${JSON.stringify(args)}; CMD runs a shell script whose last command does not replace the shell, so ${args[0]} stays PID 1 and the process never gets the stop signal; end the script with "exec <command>" (e.g. ["sh", "-c", "exec uvicorn app.main:app --port \${PORT:-8000}"]).`,
      ]);
    });

    test.each([
      ['sh', '-c', 'exec uvicorn app.main:app --port "${PORT:-8000}" --workers "${WEB_CONCURRENCY:-1}"'],
      ['bash', '-ec', 'alembic upgrade head; exec uvicorn app.main:app 2>&1'],
      ['sh', '-c', 'cd /app && exec uvicorn app.main:app'],
      ['uvicorn', '-c', 'not a shell'],
      ['python', '-c', 'print(1)'],
    ])('%s %s %j is accepted', (...args) => {
      expect(cmd(args)).toEqual([]);
    });

    test('checked on raw exec-form lines too, and only when exec form is required', () => {
      expect(raw('ENTRYPOINT ["sh", "-c", "uvicorn app.main:app"]')).toEqual([
        expect.stringContaining('ENTRYPOINT runs a shell script whose last command does not replace the shell'),
      ]);
      expect(raw('ENTRYPOINT ["sh", "-c", "exec uvicorn app.main:app"]')).toEqual([]);
      expect(cmd(['sh', '-c', 'uvicorn app.main:app'], false)).toEqual([]);
    });
  });

  test('a raw FROM, an unknown keyword, and raw --from references are checked', () => {
    expect(raw('FROM alpine')).toEqual([
      'Dockerfile stage "a" instruction #1 (RAW): got "FROM alpine"; a stage cannot start inside another one; add it with addStage() (or insertStage()).',
    ]);
    expect(raw('COPYY a b')).toEqual(['Dockerfile stage "a" instruction #1 (RAW): got "COPYY a b"; "COPYY" is not a Dockerfile instruction; use a comment() for text.']);
    expect(problems([{ name: 'a', image: 'alpine:3', instructions: [I.raw('COPY --from=b /x /x'), USER] }, ok('b')])).toEqual([
      'Dockerfile stage "a" instruction #1 (RAW) --from: got "b"; names stage #2, which comes later; move "b" before "a" (stages can only use earlier stages).',
    ]);
    expect(raw('COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/')).toHaveLength(1);
  });
});

describe('the runtime user', () => {
  test('a runtime stage without USER, or whose last USER is root, is refused', () => {
    expect(problems([{ name: 'a', image: 'alpine:3' }])).toEqual([
      'Dockerfile stage "a" USER: got null; the runtime stage sets no USER, so it runs as root; add DockerInstruction.user("10001", "10001") (a non-root user) after installing files.',
    ]);
    for (const user of [I.user('root'), I.user('0', '0'), I.raw('USER root:root')]) {
      expect(problems([{ name: 'a', image: 'alpine:3', instructions: [USER, user] }])).toEqual([
        expect.stringMatching(/^Dockerfile stage "a" USER: got "(root|0:0|root:root)"; the last USER of the runtime stage is root; end the stage with a non-root user/),
      ]);
    }
  });

  test('a USER set in the stage it builds on counts; the check can be turned off or aimed at another stage', () => {
    expect(problems([ok('a'), { name: 'b', fromStage: 'a' }])).toEqual([]);
    expect(problems([{ name: 'a', image: 'alpine:3' }], { requireNonRootUser: false })).toEqual([]);
    expect(problems([ok('a'), { name: 'b', image: 'alpine:3' }], { runtimeStage: 'a' })).toEqual([]);
    expect(problems([ok('a')], { runtimeStage: 'prod' })).toEqual([
      'DockerStages.runtimeStage: got "prod"; names no stage of Dockerfile, but it is the runtime stage; name one of its stages ("a").',
    ]);
  });
});

describe('instruction values', () => {
  test('each bad value is named with its place and the fix', () => {
    expect(problems([ok('a', {
      instructions: [
        I.env({ GOOD: 'x', BAD: 'line\nbreak' }),
        I.env({}),
        I.arg('1BAD'),
        I.workdir('relative/dir'),
        I.expose(70000),
        I.healthcheck([], {}),
        I.healthcheck(['true'], { retries: 0 }),
        I.run([]),
        I.run(['true'], { mounts: [RunMount.cache({ target: '' })] }),
        I.copy([], ''),
        I.copy(['a'], '/b', { chmod: 'rwx' }),
        I.user('app user'),
        USER,
      ],
    })])).toEqual([
      'Dockerfile stage "a" instruction #1 (ENV) BAD: got "line\\nbreak"; the value contains a line break, which a Dockerfile cannot hold; write it on one line.',
      'Dockerfile stage "a" instruction #2 (ENV): got {}; needs at least one key.',
      'Dockerfile stage "a" instruction #3 (ARG): got "1BAD"; expected a build argument name: letters, digits and "_", not starting with a digit.',
      'Dockerfile stage "a" instruction #4 (WORKDIR): got "relative/dir"; expected an absolute path such as "/app": a relative WORKDIR depends on the base image.',
      'Dockerfile stage "a" instruction #5 (EXPOSE): got 70000; expected an integer port from 1 to 65535.',
      'Dockerfile stage "a" instruction #6 (HEALTHCHECK): got []; needs a command (use healthcheckNone() to disable the check).',
      'Dockerfile stage "a" instruction #7 (HEALTHCHECK) retries: got 0; expected a whole number of at least 1 (leave it out for the Docker default).',
      'Dockerfile stage "a" instruction #8 (RUN): got []; needs at least one command, and no empty one.',
      'Dockerfile stage "a" instruction #9 (RUN) --mount #1 (type=cache): got ""; needs a target path.',
      'Dockerfile stage "a" instruction #10 (COPY): got []; needs at least one source path.',
      'Dockerfile stage "a" instruction #10 (COPY): got ""; needs a destination path.',
      'Dockerfile stage "a" instruction #11 (COPY) --chmod: got "rwx"; expected an octal mode such as "0755" or a symbolic one such as "u=rwX,go=rX".',
      'Dockerfile stage "a" instruction #12 (USER): got "app user"; expected a user or group name or a numeric id (no ":" or whitespace; give the group separately).',
    ]);
  });
});

describe('.dockerignore against COPY and bind sources', () => {
  const copying = (ignorePatterns: string[], instructions: IDockerInstruction[]) =>
    problems([ok('a', { instructions: [...instructions, USER] })], { ignorePatterns });

  test('a COPY source excluded by a pattern, or whose whole content is, is refused', () => {
    expect(copying(['tests/'], [I.copy(['tests'], './tests')])).toEqual([
      'Dockerfile stage "a" instruction #1 (COPY): got "tests"; is excluded from the build context by .dockerignore; remove the matching pattern or add "!tests" after it.',
    ]);
    expect(copying(['docs/**'], [I.copy(['docs/'], './docs')])).toEqual([
      'Dockerfile stage "a" instruction #1 (COPY): got "docs/"; everything inside it is excluded from the build context by .dockerignore; remove the matching pattern or add "!docs/**" after it.',
    ]);
    expect(copying(['*.md'], [I.copy(['README.md'], './')])).toHaveLength(1);
  });

  test('a bind-mount source is checked the same way', () => {
    expect(copying(['*.lock'], [I.run(['true'], { mounts: [RunMount.bind({ source: 'uv.lock', target: 'uv.lock' })] })])).toEqual([
      'Dockerfile stage "a" instruction #1 (RUN): got "uv.lock"; is excluded from the build context by .dockerignore; remove the matching pattern or add "!uv.lock" after it.',
    ]);
  });

  test('an exception re-includes; stage/image copies and globs are not context paths; no ignore file, no check', () => {
    expect(copying(['*.md', '!README.md'], [I.copy(['README.md'], './')])).toEqual([]);
    expect(copying(['app'], [I.copy(['/app'], '/app', { fromImage: 'alpine:3' })])).toEqual([]);
    expect(copying(['*.md'], [I.copy(['*.md'], './')])).toEqual([]);
    expect(problems([ok('a', { instructions: [I.copy(['.git'], './'), USER] })], { dockerignore: false })).toEqual([]);
    expect(problems([ok('a', { instructions: [I.copy(['.git'], './'), USER] })])).toHaveLength(1);
  });
});

describe('checks run at synth, see escape-hatch edits, and write nothing on error', () => {
  test('an excluded tests dir and a shell-form CMD added after construction fail the synth with one error', () => {
    const dir = tempDir();
    const project = synthProject(dir, { dockerOptions: { ignorePatterns: ['tests/'] } });
    project.docker!.stage('runtime').addInstructions(I.raw('CMD uvicorn app.main:app'));
    const error = thrownBy(() => withoutPost(() => project.synth()));
    expect(error).toBeInstanceOf(ServiceConfigError);
    expect((error as Error).message.split('\n')).toEqual([
      'UvPythonService: 2 problems found, no file was written:',
      expect.stringMatching(/^ {2}- Dockerfile stage "runtime" instruction #\d+ \(RAW\): got "CMD uvicorn app.main:app"; CMD must be in exec form/),
      '  - Dockerfile stage "testing" instruction #4 (COPY): got "tests"; is excluded from the build context by dockerOptions.ignorePatterns[0] ("tests/") in .dockerignore; remove that pattern or add "!tests" after it.',
    ]);
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
  });

  test('the default service has no problem, and a user-added stage is checked with the rest', () => {
    const s = synthService();
    expect(s.project.docker!.problems()).toEqual([]);
    s.project.docker!.addStage({ name: 'debug', fromStage: 'runtime', instructions: [I.user('root')] });
    expect(s.project.docker!.problems()).toEqual([]);
    s.project.docker!.runtimeStage = 'debug';
    expect(s.project.docker!.problems()).toEqual([expect.stringMatching(/^Dockerfile stage "debug" USER: got "root"/)]);
  });
});

function synthProject(dir: string, options: Partial<UvPythonServiceOptions>): UvPythonService {
  return new UvPythonService({ name: 'orders-api', ...options, outdir: dir });
}
