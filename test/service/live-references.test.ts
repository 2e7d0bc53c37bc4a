import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import * as YAML from 'yaml';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { CiWorkflow } from '../../src/ci/ci-workflow';
import { ServiceCompose } from '../../src/compose';
import { NeonDatabase } from '../../src/database';
import { DockerInstruction as I, DockerInstructionKind, DockerStages } from '../../src/docker';
import { flagValue, shellWordValue, uvicornArgs } from '../../src/docker/command';
import { Pyproject } from '../../src/python/pyproject';
import { PythonSamples } from '../../src/python/samples';
import { problemLinesOf } from '../support/errors';
import { listFiles, Synthesized, synthService, tempDir, withoutPost } from '../support/synth';
import { validateTree } from '../support/validate-tree';

/**
 * Every cross-file rule enforced at synth, each through the escape hatch a user would take in
 * `.projenrc.ts`: the edit either reaches every file that reads the part it changes (and every
 * generated file still passes the real validators), or the synth fails with one error naming the edit
 * and the files that depend on it, and writes nothing. docs/cross-file-rules.md lists them.
 */

const WORKFLOW = '.github/workflows/ci.yml';

interface Step { id?: string; run?: string; with?: Record<string, unknown> }
interface Job { steps: Step[] }

function workflow(s: Synthesized): Record<string, Job> {
  return YAML.parse(s.read(WORKFLOW)).jobs;
}

function targets(job: Job): unknown[] {
  return job.steps.map((st) => st.with?.target).filter((t) => t !== undefined);
}

function tasks(s: Synthesized): Record<string, { description?: string; steps: Array<{ exec?: string }> }> {
  return JSON.parse(s.read('.projen/tasks.json')).tasks;
}

function compose(s: Synthesized): any {
  return YAML.parse(s.read('compose.yaml'));
}

async function expectValid(s: Synthesized): Promise<void> {
  expect(await validateTree(s.dir, s.files)).toEqual([]);
}

/** Builds a service, applies the escape-hatch edit, and returns the synth's problem lines; checks nothing was written. */
function failingSynth(configure: (p: UvPythonService) => void, options: Partial<UvPythonServiceOptions> = {}): string[] {
  const dir = tempDir();
  const project = new UvPythonService({ name: 'orders-api', ...options, outdir: dir });
  configure(project);
  const lines = problemLinesOf(() => withoutPost(() => project.synth()));
  expect(listFiles(dir)).toEqual([]);
  return lines;
}

/** A stage on top of the runtime one (it inherits its non-root USER). */
function addProdStage(p: UvPythonService): void {
  p.docker!.addStage({ name: 'prod', fromStage: 'runtime', instructions: [I.label({ 'org.example.tier': 'prod' })] });
}

describe('the components find each other through X.of(project)', () => {
  test('DockerStages.of, NeonDatabase.of, CiWorkflow.of, Pyproject.of, PythonSamples.of return the project\'s own; undefined when absent', () => {
    const p = synthService().project;
    expect(DockerStages.of(p)).toBe(p.docker);
    expect(NeonDatabase.of(p)).toBe(p.database);
    expect(CiWorkflow.of(p)).toBe(p.ci);
    expect(Pyproject.of(p)).toBe(p.pyproject);
    expect(PythonSamples.of(p)?.healthTest).toBe('tests/test_health.py');
    const bare = synthService({ docker: false, database: false, ci: false }).project;
    expect([DockerStages.of(bare), NeonDatabase.of(bare), CiWorkflow.of(bare)]).toEqual([undefined, undefined, undefined]);
  });

  test('the image requires the database\'s files as NeonDatabase lists them, and the tests as the samples name them', () => {
    const p = synthService({ app: 'svc.api.main:application', testsDir: 'checks', databaseOptions: { migrationsDir: 'db/migrations' } }).project;
    expect(p.database!.imageFiles).toEqual(['svc/db.py', 'svc/models.py', 'alembic.ini', 'db/migrations/env.py', 'db/migrations/script.py.mako']);
    expect(p.docker!.requiredContextPaths).toEqual(expect.arrayContaining([...p.database!.imageFiles, 'checks/test_health.py']));
    expect(p.docker!.stage('testing').requiredContextPaths).toEqual(['checks/test_health.py']);
  });
});

describe('edits that flow into every file', () => {
  test('removeStage("testing"): ci.yml builds and runs no testing image, the docker:test task is gone, the README follows', async () => {
    const s = synthService({}, (p) => p.docker!.removeStage('testing'));
    expect(s.read('Dockerfile')).not.toMatch(/ AS testing$/m);
    const docker = workflow(s).docker;
    expect(targets(docker)).toEqual(['runtime']);
    expect(docker.steps.map((st) => st.id)).toEqual(['checkout', 'uv-lock', 'buildx', 'build-runtime', 'migrate-image']);
    expect(tasks(s)['docker:test']).toBeUndefined();
    expect(JSON.stringify(tasks(s))).not.toContain('--target testing');
    expect(s.project.docker!.testingStage).toBeUndefined();
    const readme = s.read('README.md');
    expect(readme).not.toContain('docker:test');
    expect(readme).toMatch(/\| `Dockerfile` \| managed \| Multi-stage image [^|]*: builder, runtime\. \|/);
    await expectValid(s);
  });

  test('removeStage("testing") takes the tests\' context requirement with it: .dockerignore may then leave tests/ out', () => {
    const configure = (p: UvPythonService) => p.docker!.ignore!.addPatterns('tests/');
    expect(failingSynth(configure).join('\n')).toContain('got "tests"; is excluded from the build context');
    const s = synthService({}, (p) => { p.docker!.removeStage('testing'); configure(p); });
    expect(s.read('.dockerignore').split('\n')).toContain('tests/');
    expect(s.project.docker!.requiredContextPaths).not.toContain('tests/test_health.py');
  });

  test('runtimeStage pointed at another stage: docker:build, ci.yml (docker, publish) and compose.yaml build it', async () => {
    const s = synthService({}, (p) => { addProdStage(p); p.docker!.runtimeStage = 'prod'; });
    expect(tasks(s)['docker:build'].steps).toEqual([{ exec: 'docker build --target prod --tag orders-api:latest .' }]);
    expect(tasks(s)['docker:build'].description).toBe('Build the prod image orders-api:latest');
    const wf = workflow(s);
    expect(targets(wf.docker)).toEqual(['prod', 'testing']);
    expect(wf.docker.steps.find((st) => st.id === 'migrate-image')!.run).toContain(' orders-api:prod ');
    expect(targets(wf.publish)).toEqual(['prod']);
    const services = compose(s).services;
    expect([services.app.build.target, services.migrate.build.target]).toEqual(['prod', 'prod']);
    await expectValid(s);
  });

  test('a new testing stage (the option had none): the docker:test task appears and ci.yml builds and runs it', async () => {
    const s = synthService({ dockerOptions: { testingStage: false } }, (p) => {
      const docker = p.docker!;
      docker.insertStage(1, {
        name: 'checks',
        fromStage: 'builder',
        instructions: [I.run(['uv sync --locked --no-editable']), I.copy(['tests'], './tests'), I.cmd(['/app/.venv/bin/pytest'])],
      });
      docker.testingStage = 'checks';
    });
    expect(tasks(s)['docker:test'].steps).toEqual([
      { exec: 'docker build --target checks --tag orders-api:checks .' },
      { exec: 'docker run --rm orders-api:checks' },
    ]);
    const docker = workflow(s).docker;
    expect(targets(docker)).toEqual(['runtime', 'checks']);
    expect(docker.steps.find((st) => st.id === 'test-image')!.run).toContain('orders-api:checks');
    await expectValid(s);
  });

  test('imageName: the tasks and the CI\'s local tags follow', () => {
    const s = synthService({}, (p) => { p.docker!.imageName = 'acme/orders'; });
    expect(tasks(s)['docker:build'].steps[0].exec).toBe('docker build --target runtime --tag acme/orders:latest .');
    expect(tasks(s)['docker:test'].steps[1].exec).toBe('docker run --rm acme/orders:testing');
    expect(workflow(s).docker.steps.find((st) => st.id === 'build-runtime')!.with!.tags).toBe('acme/orders:runtime');
  });

  test('a task edited in .projenrc.ts is kept while its stages stay; one removed stays removed', () => {
    const s = synthService({}, (p) => {
      p.tasks.tryFind('docker:build')!.exec('docker image ls orders-api');
      p.removeTask('docker:test');
    });
    expect(tasks(s)['docker:build'].steps).toEqual([
      { exec: 'docker build --target runtime --tag orders-api:latest .' },
      { exec: 'docker image ls orders-api' },
    ]);
    expect(tasks(s)['docker:test']).toBeUndefined();
  });

  test('a workflow job edited in .projenrc.ts is kept while what it is built from stays; the others are rebuilt', () => {
    const s = synthService({}, (p) => {
      p.ci!.workflow.patchStep('test', 'pytest', { run: 'uv run pytest -x tests' });
      p.docker!.removeStage('testing');
    });
    const wf = workflow(s);
    expect(wf.test.steps.find((st) => st.id === 'pytest')!.run).toBe('uv run pytest -x tests');
    expect(targets(wf.docker)).toEqual(['runtime']);
  });

  test('an override of compose.yaml applies on top of the build it reads from DockerStages', () => {
    const s = synthService({}, (p) => {
      addProdStage(p);
      p.docker!.runtimeStage = 'prod';
      p.compose!.file.addOverride('services.app.build.args', { TIER: 'local' });
    });
    expect(compose(s).services.app.build).toEqual({ context: '.', dockerfile: 'Dockerfile', target: 'prod', args: { TIER: 'local' } });
  });

  test('pyproject.toml overrides that leave the packaged module alone are written', () => {
    const s = synthService({}, (p) => p.pyproject.file.addOverride('tool.uv.build-backend.source-exclude', ['**/*.md']));
    expect(s.read('pyproject.toml')).toContain('source-exclude');
  });

  test('the default CMD reads $PORT (default: the port option) and $WEB_CONCURRENCY through sh -c \'exec …\', and passes the checks', () => {
    const s = synthService({ port: 8123 });
    const cmd = s.read('Dockerfile').split('\n').filter((l) => l.startsWith('CMD ')).pop()!; // the runtime stage is last
    const args: string[] = JSON.parse(cmd.slice('CMD '.length));
    expect(args.slice(0, 2)).toEqual(['sh', '-c']);
    expect(args[2]).toMatch(/^python -m app\.settings && exec uvicorn app\.main:app /);
    const uvicorn = uvicornArgs(args)!;
    expect(shellWordValue(flagValue(uvicorn, '--port')!)).toEqual({ variable: 'PORT', value: '8123' });
    expect(shellWordValue(flagValue(uvicorn, '--workers')!).variable).toBe('WEB_CONCURRENCY');
  });

  test('the README example\'s CMD (same app, same port, two workers) is accepted', () => {
    const s = synthService({}, (p) => {
      const runtime = p.docker!.stage('runtime');
      const cmd = runtime.findInstructions(DockerInstructionKind.CMD)[0];
      runtime.replaceInstruction(runtime.indexOf(cmd),
        I.cmd(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000', '--proxy-headers', '--workers', '2']));
    });
    expect(s.read('Dockerfile')).toContain('"--workers", "2"');
  });
});

describe('edits that fail the synth: one error naming the edit and the files that depend on it, nothing written', () => {
  test('removeStage("runtime")', () => {
    expect(failingSynth((p) => p.docker!.removeStage('runtime'))).toEqual([
      'project.docker.runtimeStage: got "runtime"; names the stage that project.docker.removeStage("runtime") removed, but ' +
        'the docker:build task (.projen/tasks.json), compose.yaml (services migrate, app) and .github/workflows/ci.yml (jobs docker, publish) build it as the runtime stage; ' +
        'keep that stage, or point project.docker.runtimeStage at the stage that replaces it (stages now: "builder", "testing").',
    ]);
  });

  test('with Kubernetes manifests, the error names them too', () => {
    expect(failingSynth((p) => p.docker!.removeStage('runtime'), { kubernetes: true, ciOptions: { imageName: 'acme/orders-api' } })).toEqual([
      expect.stringMatching(/but the docker:build task \(\.projen\/tasks\.json\), compose\.yaml \(services migrate, app\), \.github\/workflows\/ci\.yml \(jobs docker, publish\) and deploy\/k8s\/ \(the runtime stage's user and command\) build it as the runtime stage;/),
    ]);
  });

  test('a renamed runtime stage (removed, added under another name) without pointing the role at it', () => {
    const lines = failingSynth((p) => {
      const runtime = p.docker!.stage('runtime');
      p.docker!.removeStage('runtime');
      p.docker!.addStage({ name: 'prod', image: runtime.image, instructions: runtime.instructions });
    });
    expect(lines).toEqual([expect.stringMatching(/^project\.docker\.runtimeStage: got "runtime"; names the stage that project\.docker\.removeStage\("runtime"\) removed, .*\(stages now: "builder", "testing", "prod"\)\.$/)]);
  });

  test('a role pointed at a missing stage', () => {
    expect(failingSynth((p) => { p.docker!.runtimeStage = 'prod'; p.docker!.testingStage = 'tests'; })).toEqual([
      'project.docker.runtimeStage: got "prod"; names no stage of Dockerfile, but the docker:build task (.projen/tasks.json), compose.yaml (services migrate, app) and ' +
        '.github/workflows/ci.yml (jobs docker, publish) build it as the runtime stage; name one of its stages ("builder", "testing", "runtime").',
      'project.docker.testingStage: got "tests"; names no stage of Dockerfile, but the docker:test task (.projen/tasks.json) and .github/workflows/ci.yml (job docker) ' +
        'build it as the testing stage; name one of its stages ("builder", "testing", "runtime"), or set it to undefined.',
    ]);
  });

  test('an image name Docker refuses', () => {
    expect(failingSynth((p) => { p.docker!.imageName = 'Acme/Orders'; })).toEqual([
      expect.stringMatching(/^project\.docker\.imageName: got "Acme\/Orders"; expected a Docker repository name without tag/),
    ]);
  });

  test('a task edited in .projenrc.ts whose stage changed too', () => {
    expect(failingSynth((p) => {
      p.tasks.tryFind('docker:test')!.exec('echo done');
      p.docker!.removeStage('testing');
    })).toEqual([
      'task docker:test: got "docker build --target testing --tag orders-api:testing . && docker run --rm orders-api:testing && echo done"; was edited in .projenrc.ts, ' +
        'and the stages it builds changed too (it would now run: nothing: its stage is gone); make the change in one place: edit project.docker and leave the task to it, ' +
        'or remove the task (project.removeTask("docker:test")) and add your own under another name.',
    ]);
  });

  test('a workflow job edited in .projenrc.ts whose Docker stages changed too', () => {
    expect(failingSynth((p) => {
      p.ci!.workflow.patchStep('docker', 'build-runtime', { name: 'Build it' });
      addProdStage(p);
      p.docker!.runtimeStage = 'prod';
    })).toEqual([
      expect.stringMatching(/^project\.ci\.workflow job "docker": got "edited in \.projenrc\.ts"; is built from the Docker stages and the database, and they changed too/),
    ]);
  });

  test('pyproject.toml: the packaged module overridden, moved or deleted', () => {
    expect(failingSynth((p) => p.pyproject.file.addOverride('tool.uv.build-backend.module-name', 'svc'))).toEqual([
      'project.pyproject.file tool.uv.build-backend.module-name: got "svc"; the app package is "app" (app: "app.main:app"): the Dockerfile copies app/ and runs app.main:app, ' +
        'the tests import app.main and ruff counts app as first-party, so uv would package another module than the one they use; ' +
        'leave module-name to the library and change the app option instead (e.g. "svc.main:app"), which moves every file with it.',
    ]);
    expect(failingSynth((p) => p.pyproject.file.addOverride('tool.uv.build-backend.module-root', 'src'))).toEqual([
      expect.stringMatching(/^project\.pyproject\.file tool\.uv\.build-backend\.module-root: got "src"; .*uv_build would look for it in "src\/" instead/),
    ]);
    expect(failingSynth((p) => p.pyproject.file.addDeletionOverride('tool.uv.build-backend'))).toEqual([
      expect.stringMatching(/^project\.pyproject\.file tool\.uv\.build-backend\.module-name: got null;/),
      expect.stringMatching(/^project\.pyproject\.file tool\.uv\.build-backend\.module-root: got null;/),
    ]);
  });

  test('the runtime CMD, EXPOSE or HEALTHCHECK moved off the service\'s port, or the CMD serving another app', () => {
    const replaceCmd = (args: string[]) => (p: UvPythonService) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.CMD)[0]), I.cmd(args));
    };
    expect(failingSynth(replaceCmd(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port=9000']))).toEqual([
      'project.docker stage "runtime" CMD --port: got "9000"; the service listens on port 8000 (option port): the HEALTHCHECK probes it, the dev task serves on it ' +
        'and compose.yaml publishes it; set the port option instead, which moves every file with it, or keep --port 8000.',
    ]);
    expect(failingSynth(replaceCmd(['uvicorn', 'svc.main:app', '--port', '8000']))).toEqual([
      expect.stringMatching(/^project\.docker stage "runtime" CMD: got "svc\.main:app"; the app is "app\.main:app" \(option app\)/),
    ]);
    expect(failingSynth((p) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.EXPOSE)[0]), I.expose(9000));
    })).toEqual([expect.stringMatching(/^project\.docker stage "runtime" EXPOSE: got \[9000\]; the service listens on port 8000/)]);
    expect(failingSynth((p) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.HEALTHCHECK)[0]),
        I.healthcheck(['python', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9000/health')"]));
    })).toEqual([expect.stringMatching(/^project\.docker stage "runtime" HEALTHCHECK: got 9000; the service listens on port 8000/)]);
  });

  test('a runtime COPY that hands the code to the runtime user, or makes it writable, is refused', () => {
    const replaceAppCopy = (options: { chown?: string; chmod?: string }) => (p: UvPythonService) => {
      const runtime = p.docker!.stage('runtime');
      const copy = runtime.findInstructions(DockerInstructionKind.COPY).find((i) => (i as any).destination === '/app/app')!;
      runtime.replaceInstruction(runtime.indexOf(copy), I.copy(['/app/app'], '/app/app', { fromStage: 'builder', ...options }));
    };
    expect(failingSynth(replaceAppCopy({ chown: '10001:10001' }))).toEqual([
      expect.stringMatching(/^project\.docker stage "runtime" COPY \/app\/app --chown: got "10001:10001"; hands the code to the runtime user \(app, uid 10001\).*copy it as root/),
    ]);
    expect(failingSynth(replaceAppCopy({ chown: 'app' }))).toEqual([expect.stringMatching(/COPY \/app\/app --chown: got "app"; hands the code/)]);
    expect(failingSynth(replaceAppCopy({ chmod: '0777' }))).toEqual([expect.stringMatching(/COPY \/app\/app --chmod: got "0777"; makes the code writable by group or others/)]);
  });

  test('the preset\'s shell-form CMD (sh -c \'exec uvicorn …\'): the port default, a port without default, the app and the probe\'s $PORT default are read too', () => {
    const replaceCmd = (script: string) => (p: UvPythonService) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.CMD)[0]), I.cmd(['sh', '-c', script]));
    };
    expect(failingSynth(replaceCmd('exec uvicorn app.main:app --host 0.0.0.0 --port "${PORT:-9000}" --workers "${WEB_CONCURRENCY:-1}"'))).toEqual([
      'project.docker stage "runtime" CMD --port: got "${PORT:-9000}"; the service listens on port 8000 (option port): the HEALTHCHECK probes it, the dev task serves on it ' +
        'and compose.yaml publishes it; set the port option instead, which moves every file with it, or keep --port "${PORT:-8000}".',
    ]);
    expect(failingSynth(replaceCmd('exec uvicorn app.main:app --host 0.0.0.0 --port "$PORT"'))).toEqual([
      expect.stringMatching(/^project\.docker stage "runtime" CMD --port: got "\$PORT"; the port comes from \$PORT with no default[\s\S]*"\$\{PORT:-8000\}"/),
    ]);
    expect(failingSynth(replaceCmd("exec uvicorn 'svc.main:app' --port=\"${PORT:-8000}\""))).toEqual([
      expect.stringMatching(/^project\.docker stage "runtime" CMD: got "svc\.main:app"; the app is "app\.main:app" \(option app\)/),
    ]);
    expect(failingSynth((p) => {
      const runtime = p.docker!.stage('runtime');
      runtime.replaceInstruction(runtime.indexOf(runtime.findInstructions(DockerInstructionKind.HEALTHCHECK)[0]),
        I.healthcheck(['python', '-c', "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '9000') + '/health')"]));
    })).toEqual([expect.stringMatching(/^project\.docker stage "runtime" HEALTHCHECK: got 9000; the service listens on port 8000/)]);
  });

  test('several broken rules at once: one error lists them all', () => {
    const lines = failingSynth((p) => {
      p.docker!.removeStage('runtime');
      p.pyproject.file.addOverride('tool.uv.build-backend.module-name', 'svc');
      p.docker!.ignore!.addPatterns('app/db.py');
    });
    expect(lines.map((l) => l.split(':')[0])).toEqual([
      'project.pyproject.file tool.uv.build-backend.module-name',
      'project.docker.runtimeStage',
      '.dockerignore',
    ]);
  });
});

describe('DockerStages on its own', () => {
  function standalone(options: { imageName?: string; testingStage?: string } = {}): { project: Project; docker: DockerStages; dir: string } {
    const dir = tempDir();
    const project = new Project({ name: 'm', outdir: dir });
    const docker = new DockerStages(project, {
      ...options,
      stages: [
        { name: 'build', image: 'golang:1.25', instructions: [I.copy(['.'], '/src')] },
        { name: 'test', fromStage: 'build', instructions: [I.cmd(['go', 'test', './...'])] },
        { name: 'app', image: 'gcr.io/distroless/static', instructions: [I.copy(['/src/app'], '/app', { fromStage: 'build' }), I.user('65532')] },
      ],
    });
    return { project, docker, dir };
  }

  test('no image name, no tasks; with one, the tasks build the last stage and the testing role', () => {
    expect(standalone().project.tasks.tryFind('docker:build')).toBeUndefined();
    const { project, docker } = standalone({ imageName: 'acme/app', testingStage: 'test' });
    expect(DockerStages.of(project)).toBe(docker);
    expect(docker.runtimeTarget).toBe('app');
    withoutPost(() => project.synth());
    expect(project.tasks.tryFind('docker:build')!.steps).toEqual([{ exec: 'docker build --target app --tag acme/app:latest .' }]);
    expect(project.tasks.tryFind('docker:test')!.steps[0]).toEqual({ exec: 'docker build --target test --tag acme/app:test .' });
  });

  test('a removed runtime stage is named with the component\'s own name', () => {
    const { project, docker, dir } = standalone({ imageName: 'acme/app' });
    docker.runtimeStage = 'app';
    docker.removeStage('app');
    expect(problemLinesOf(() => withoutPost(() => project.synth()))).toEqual([
      'DockerStages.runtimeStage: got "app"; names the stage that DockerStages.removeStage("app") removed, but the docker:build task (.projen/tasks.json) builds it as the runtime stage; ' +
        'keep that stage, or point DockerStages.runtimeStage at the stage that replaces it (stages now: "build", "test").',
    ]);
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(false);
  });
});

describe('ServiceCompose in any projen project: the app from its DockerStages, the stack from its NeonDatabase', () => {
  test('the Dockerfile is read from the project root and written relative to the build context, as compose reads it; the port is the image\'s', () => {
    const dir = tempDir();
    const project = new Project({ name: 'm', outdir: dir });
    new NeonDatabase(project);
    const docker = new DockerStages(project, {
      dockerfile: 'svc/docker/Dockerfile',
      context: 'svc',
      port: 8080,
      stages: [{ name: 'prod', image: 'python:3.14-slim', instructions: [I.user('10001', '10001'), I.expose(8080)] }],
    });
    new ServiceCompose(project);
    withoutPost(() => project.synth());
    const app = YAML.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8')).services.app;
    expect(app.build).toEqual({ context: 'svc', dockerfile: 'docker/Dockerfile', target: 'prod' });
    expect(app.ports).toEqual(['127.0.0.1:8080:8080']);
    expect(app.environment.PORT).toBe('8080');
    expect(docker.portReaders).toBe('compose.yaml publishes it');
  });

  test('a DockerStages that states no port: compose runs the database stack only', () => {
    const dir = tempDir();
    const project = new Project({ name: 'm', outdir: dir });
    new NeonDatabase(project);
    new DockerStages(project, { stages: [{ name: 'app', image: 'python:3.14-slim', instructions: [I.user('10001')] }] });
    new ServiceCompose(project);
    withoutPost(() => project.synth());
    expect(Object.keys(YAML.parse(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf-8')).services)).toEqual(['pgbouncer', 'postgres']);
  });
});

describe('DockerStages: the image name decides whether there are tasks, at synth', () => {
  test('an image name set after construction adds the tasks and names them in errors; unset, they go', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const docker = new DockerStages(project, { stages: [{ name: 'app', image: 'gcr.io/distroless/static', instructions: [I.user('65532')] }] });
    expect(project.tasks.tryFind('docker:build')).toBeUndefined();
    docker.imageName = 'acme/app';
    docker.runtimeStage = 'prod';
    expect(docker.problems()).toEqual([
      'DockerStages.runtimeStage: got "prod"; names no stage of Dockerfile, but the docker:build task (.projen/tasks.json) builds it as the runtime stage; name one of its stages ("app").',
    ]);
    docker.runtimeStage = undefined;
    withoutPost(() => project.synth());
    expect(project.tasks.tryFind('docker:build')!.steps).toEqual([{ exec: 'docker build --target app --tag acme/app:latest .' }]);
    docker.imageName = undefined;
    withoutPost(() => project.synth());
    expect(project.tasks.tryFind('docker:build')).toBeUndefined();
  });
});
