import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { Project } from 'projen';
import { optionSchemaOf } from '../../projenrc/option-schema';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { closestName, editDistance, knownOptionNames, OPTION_SCHEMA_PATH, readOptionSchema } from '../../src/core/known-options';
import { ServiceConfigError } from '../../src/core/problems';
import { NeonDatabase } from '../../src/database';
import { DockerInstruction, DockerStages } from '../../src/docker';
import { resolveServiceOptions } from '../../src/service/resolve';
import { problemLinesOf, thrownBy } from '../support/errors';
import { listFiles, tempDir, withoutPost } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');

function serviceProblems(options: Record<string, unknown>): string[] {
  const dir = tempDir();
  try {
    return problemLinesOf(() => new UvPythonService({ name: 'orders-api', outdir: dir, ...options } as UvPythonServiceOptions));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('edit distance and suggestions', () => {
  test('a transposition is one edit; insertions, deletions and substitutions count one each', () => {
    expect(editDistance('prot', 'port')).toBe(1);
    expect(editDistance('testingstag', 'testingstage')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('the closest name within one edit per three characters; case, "_" and "-" do not count', () => {
    const names = ['port', 'pythonVersion', 'healthPath', 'testsDir'];
    expect(closestName('prot', names)).toBe('port');
    expect(closestName('python_version', names)).toBe('pythonVersion');
    expect(closestName('HealthPath', names)).toBe('healthPath');
    expect(closestName('testDirs', names)).toBe('testsDir');
    expect(closestName('zzzz', names)).toBeUndefined();
    expect(closestName('colour', names)).toBeUndefined();
  });
});

describe('unknown options of UvPythonService', () => {
  test('a top-level typo fails with a suggestion', () => {
    expect(serviceProblems({ prot: 9090 })).toEqual([
      'prot: got 9090; UvPythonService has no option "prot" — did you mean "port"?',
    ]);
  });

  test('nested struct options are checked too, each naming its struct', () => {
    expect(serviceProblems({
      dockerOptions: { testingStag: false },
      databaseOptions: { pooledUrlEnvv: 'DB' },
      ciOptions: { defaultBranh: 'main' },
    })).toEqual([
      'dockerOptions.testingStag: got false; UvDockerOptions has no option "testingStag" — did you mean "testingStage"?',
      'databaseOptions.pooledUrlEnvv: got "DB"; NeonDatabaseOptions has no option "pooledUrlEnvv" — did you mean "pooledUrlEnv"?',
      'ciOptions.defaultBranh: got "main"; CiOptions has no option "defaultBranh" — did you mean "defaultBranch"?',
    ]);
  });

  test('structs inside maps are checked (ciOptions.actionShas)', () => {
    const lines = serviceProblems({
      ciOptions: { actionShas: { 'actions/checkout': { sha: 'a'.repeat(40), relase: 'v5.0.0' } } },
    });
    expect(lines).toContain(
      'ciOptions.actionShas["actions/checkout"].relase: got "v5.0.0"; ActionShaPin has no option "relase" — did you mean "release"?',
    );
  });

  test('an option given at the wrong level points to where it belongs', () => {
    expect(serviceProblems({ testingStage: false, dockerOptions: { port: 9000 }, ciOptions: { migrationsDir: 'db' } })).toEqual([
      'testingStage: got false; UvPythonService has no option "testingStage" — did you mean "dockerOptions.testingStage"?',
      'dockerOptions.port: got 9000; UvDockerOptions has no option "port" — did you mean the top-level "port"?',
      'ciOptions.migrationsDir: got "db"; CiOptions has no option "migrationsDir" — did you mean "databaseOptions.migrationsDir"?',
    ]);
  });

  test('no suggestion when no option is close', () => {
    expect(serviceProblems({ serverlessRegion: 3 })).toEqual([
      'serverlessRegion: got 3; UvPythonService has no option "serverlessRegion"; remove it (the options are listed under UvPythonServiceOptions in api/API.md).',
    ]);
  });

  test("projen's own options are valid keys, and projen's structs are checked too", () => {
    const dir = tempDir();
    try {
      const project = new UvPythonService({
        name: 'orders-api', outdir: dir, commitGenerated: true, projenCommand: 'npx projen', logging: { usePrefix: true },
      });
      expect(project.outdir).toBe(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(serviceProblems({ logging: { levle: 'debug' } })).toEqual([
      'logging.levle: got "debug"; LoggerOptions has no option "levle" — did you mean "level"?',
    ]);
  });

  test('the key projen new adds (__new__) is accepted at the top only', () => {
    expect(serviceProblems({ __new__: { fqn: 'x', args: {} }, dockerOptions: { __new__: 1 } })).toEqual([
      'dockerOptions.__new__: got 1; UvDockerOptions has no option "__new__"; remove it (the options are listed under UvDockerOptions in api/docker.md).',
    ]);
  });

  test('unknown keys are reported together with every other problem, and nothing is written', () => {
    const dir = tempDir();
    try {
      const error = thrownBy(() => new UvPythonService({ name: 'orders-api', outdir: dir, prot: 1, port: 0 } as UvPythonServiceOptions));
      expect(error).toBeInstanceOf(ServiceConfigError);
      expect((error as ServiceConfigError).problems.map((p) => p.option)).toEqual(['prot', 'port']);
      expect(listFiles(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('standalone constructs', () => {
  test('NeonDatabase refuses an unknown prop, with a suggestion', () => {
    const dir = tempDir();
    try {
      const project = new Project({ name: 'p', outdir: dir });
      expect(problemLinesOf(() => new NeonDatabase(project, { appPackge: 'app' } as any))).toEqual([
        'appPackge: got "app"; NeonDatabase has no option "appPackge" — did you mean "appPackage"?',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DockerStages reports unknown keys of its options and of its stages at synth, with its other problems', () => {
    const dir = tempDir();
    try {
      const project = new Project({ name: 'p', outdir: dir });
      const docker = new DockerStages(project, {
        requireNonRootUser: false,
        dockerIgnore: true,
        stages: [{ name: 'base', imge: 'python:3.12-slim' }],
      } as any);
      docker.addStage({ name: 'runtime', fromStage: 'base', instructionz: [DockerInstruction.user('app')] } as any);
      const error = thrownBy(() => withoutPost(() => project.synth()));
      expect(error).toBeInstanceOf(ServiceConfigError);
      const lines = (error as Error).message.split('\n').slice(1).map((l) => l.trim().replace(/^- /, ''));
      // One error for everything: the stage left without an image (its key was misspelt) too.
      expect(lines).toEqual([
        'dockerIgnore: got true; DockerStages has no option "dockerIgnore" — did you mean "dockerignore"?',
        'stages[0].imge: got "python:3.12-slim"; DockerStageOptions has no option "imge" — did you mean "image"?',
        'addStage("runtime").instructionz: got [{"name":"app","kind":"USER"}]; DockerStageOptions has no option "instructionz" — did you mean "instructions"?',
        'Dockerfile stage "base" FROM: got {}; give exactly one of image (a base image) and fromStage (an earlier stage).',
      ]);
      expect(listFiles(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('properties', () => {
  const known = new Set(knownOptionNames('UvPythonServiceOptions'));

  test('any key that is not an option is reported, exactly once, under its own name', () => {
    fc.assert(fc.property(
      fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !known.has(k) && k !== '__new__' && !['__proto__', 'constructor'].includes(k)),
      fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 })),
      (key, value) => {
        const lines = problemLinesOf(() => resolveServiceOptions({ name: 'orders-api', [key]: value } as any));
        expect(lines).toHaveLength(1);
        expect(lines[0].startsWith(`${key}: got `)).toBe(true);
        expect(lines[0]).toContain(`UvPythonService has no option ${JSON.stringify(key)}`);
      },
    ), { numRuns: Number(process.env.FUZZ_RUNS ?? 200) });
  });

  test('every documented option name is accepted as a key (undefined values: defaults)', () => {
    const options = Object.fromEntries([...known].map((k) => [k, undefined]));
    expect(() => resolveServiceOptions({ ...options, name: 'orders-api' } as any)).not.toThrow();
  });
});

describe('the option schema', () => {
  test('a clone that was never compiled is told how to make it', () => {
    expect(() => readOptionSchema('/nonexistent/lib/option-schema.json'))
      .toThrow('/nonexistent/lib/option-schema.json is missing: it is generated from the .jsii manifest when the library compiles. Run "npx projen compile".');
  });

  test('is generated from the .jsii manifest of this build (run "npx projen compile" when this fails)', () => {
    const schema = JSON.parse(fs.readFileSync(OPTION_SCHEMA_PATH, 'utf-8'));
    const jsii = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
    expect(schema.fingerprint).toBe(jsii.fingerprint);
  });

  test("holds every property of UvPythonServiceOptions, projen's ProjectOptions included", () => {
    const names = knownOptionNames('UvPythonServiceOptions');
    const projen = JSON.parse(fs.readFileSync(require.resolve('projen/.jsii'), 'utf-8'));
    const projectOptions: string[] = projen.types['projen.ProjectOptions'].properties.map((p: { name: string }) => p.name);
    expect(projectOptions).toEqual(expect.arrayContaining(['name', 'outdir', 'parent', 'logging']));
    expect(names).toEqual(expect.arrayContaining([...projectOptions, 'port', 'dockerOptions', 'databaseOptions', 'ciOptions']));
  });

  test('a struct-typed option added later (kubernetesOptions) is checked without any other change', () => {
    const dir = tempDir();
    try {
      const struct = (name: string, properties: object[], interfaces?: string[]) =>
        ({ kind: 'interface', datatype: true, name, fqn: `demo.${name}`, properties, interfaces });
      const prop = (name: string, type: object) => ({ name, type, optional: true });
      fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify({
        name: 'demo',
        fingerprint: 'f',
        types: {
          'demo.BaseOptions': struct('BaseOptions', [prop('name', { primitive: 'string' })]),
          'demo.ServiceOptions': struct('ServiceOptions', [
            prop('port', { primitive: 'number' }),
            prop('kubernetesOptions', { fqn: 'demo.KubernetesOptions' }),
            prop('probes', { collection: { kind: 'array', elementtype: { fqn: 'demo.Probe' } } }),
          ], ['demo.BaseOptions']),
          'demo.KubernetesOptions': struct('KubernetesOptions', [prop('replicas', { primitive: 'number' })]),
          'demo.Probe': struct('Probe', [prop('path', { primitive: 'string' })]),
          'demo.Service': { kind: 'class', name: 'Service', fqn: 'demo.Service' },
        },
      }));
      const schema = optionSchemaOf(dir);
      expect(schema.structs['demo.ServiceOptions']).toEqual({
        name: 'ServiceOptions',
        props: { name: 0, port: 0, kubernetesOptions: 'demo.KubernetesOptions', probes: ['array', 'demo.Probe'] },
      });
      expect(Object.keys(schema.structs).sort()).toEqual(['demo.BaseOptions', 'demo.KubernetesOptions', 'demo.Probe', 'demo.ServiceOptions']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
