import { ModifiableInstruction } from 'dockerfile-ast';
import { dockerfileFindings, parseDockerfile, stageInstructions } from './support';
import { addLibrary, addService, newWorkspace, synthWorkspace } from './workspace-support';
import { isIgnored } from '../../src/docker/ignore-matcher';

/** COPY sources read from the build context (no --from), per instruction, from the text. */
function contextCopies(text: string): string[][] {
  return parseDockerfile(text).getInstructions()
    .filter((i) => i.getKeyword() === 'COPY')
    .map((i) => {
      const flags = (i as ModifiableInstruction).getFlags();
      if (flags.some((f) => f.getName() === 'from')) return undefined;
      return i.getArguments().slice(flags.length).map((a) => a.getValue()).slice(0, -1);
    })
    .filter((x): x is string[] => x !== undefined);
}

/** RUN lines of a stage, as written. */
function runs(text: string, stage: string): string[] {
  return stageInstructions(text, stage).filter((i) => i.getKeyword() === 'RUN').map((i) => i.getTextContent());
}

/** The directories a Dockerfile copies from the context (every COPY source that is not a file of the dependency layer). */
function copiedDirs(text: string): string[] {
  return contextCopies(text).flat().filter((s) => !/(^|\/)(pyproject\.toml|uv\.lock|alembic\.ini)$/.test(s) && !s.endsWith('/migrations'));
}

/** A 3-member workspace: orders-api uses the shared library, billing-api does not. */
function shop() {
  const ws = newWorkspace();
  addLibrary(ws, 'libs/shared', 'shop-shared');
  const orders = addService(ws, 'services/orders', { name: 'orders-api' }, ['shop-shared']);
  const billing = addService(ws, 'services/billing', { name: 'billing-api', app: 'billing.main:app', port: 8100, database: false });
  return { ws, orders, billing };
}

describe('workspace member image: Dockerfile and ignore file from the workspace root', () => {
  const { ws } = shop();
  const out = synthWorkspace(ws);
  const orders = out.read('services/orders/Dockerfile');
  const billing = out.read('services/billing/Dockerfile');
  const ordersIgnore = out.read('services/orders/Dockerfile.dockerignore').split('\n');
  const billingIgnore = out.read('services/billing/Dockerfile.dockerignore').split('\n');

  test('each Dockerfile stays in its member directory, with <Dockerfile>.dockerignore beside it and no .dockerignore', () => {
    expect(out.files).toEqual(expect.arrayContaining([
      'services/orders/Dockerfile', 'services/orders/Dockerfile.dockerignore',
      'services/billing/Dockerfile', 'services/billing/Dockerfile.dockerignore',
    ]));
    expect(out.files.filter((f) => f.endsWith('/.dockerignore') || f === '.dockerignore')).toEqual([]);
  });

  test.each([['orders-api', 0], ['billing-api', 1]])('%s: zero dockerfile-utils findings and a sound stage graph', (_name, i) => {
    expect(dockerfileFindings([orders, billing][i])).toEqual([]);
  });

  test('the directories copied are exactly the closure: the service and the libraries it depends on', () => {
    expect(copiedDirs(orders).sort()).toEqual(['libs/shared', 'services/orders']);
    expect(copiedDirs(billing)).toEqual(['services/billing']);
  });

  test('the dependency layer copies the root files and every member\'s pyproject.toml (uv sync --locked reads them all)', () => {
    for (const text of [orders, billing]) {
      const files = contextCopies(text).flat().filter((s) => s.endsWith('pyproject.toml') || s === 'uv.lock');
      expect(files.sort()).toEqual(['libs/shared/pyproject.toml', 'pyproject.toml', 'services/billing/pyproject.toml', 'services/orders/pyproject.toml', 'uv.lock']);
    }
  });

  test('the builder syncs the third-party dependencies of its package first, then its members, non-editable', () => {
    const lines = runs(orders, 'builder').map((r) => r.replace(/\s+/g, ' '));
    const deps = lines.findIndex((r) => /uv sync --locked --no-install-workspace --package orders-api --no-dev$/.test(r));
    const project = lines.findIndex((r) => /uv sync --locked --package orders-api --no-dev --no-editable$/.test(r));
    expect(deps).toBeGreaterThanOrEqual(0);
    expect(project).toBeGreaterThan(deps);
    // The closure's directories come between the two syncs: a source change leaves the first cached.
    const text = orders.split('\n');
    const at = (re: RegExp) => text.findIndex((l) => re.test(l));
    expect(at(/^COPY libs\/shared /)).toBeGreaterThan(at(/--no-install-workspace/));
    expect(at(/^COPY libs\/shared /)).toBeLessThan(at(/--no-editable$/));
    expect(runs(billing, 'builder').join('\n')).toContain('--package billing-api');
  });

  test('the runtime copies the virtualenv only, plus Alembic\'s files from the member directory when it has a database', () => {
    const copies = (text: string) => stageInstructions(text, 'runtime').filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent());
    expect(copies(orders)).toEqual([
      'COPY services/orders/alembic.ini ./',
      'COPY services/orders/migrations ./migrations',
      'COPY --from=builder /app/.venv /app/.venv',
    ]);
    expect(copies(billing)).toEqual(['COPY --from=builder /app/.venv /app/.venv']);
    expect(billing).toMatch(/^EXPOSE 8100$/m);
    expect(billing).toContain('"python -m billing.settings && exec uvicorn billing.main:app --host 0.0.0.0 --port \\"${PORT:-8100}\\"');
  });

  test('the ignore file lets in what the image copies, and leaves another member\'s directory out', () => {
    const lets = (lines: string[], f: string) => !isIgnored(lines, f);
    for (const f of ['pyproject.toml', 'uv.lock', 'services/orders/orders_api/main.py', 'libs/shared/shop_shared/__init__.py', 'services/billing/pyproject.toml']) {
      expect([f, lets(ordersIgnore, f)]).toEqual([f, true]);
    }
    expect(lets(ordersIgnore, 'services/billing/billing/main.py')).toBe(false);
    expect(lets(billingIgnore, 'libs/shared/shop_shared/__init__.py')).toBe(false);
    expect(lets(billingIgnore, 'libs/shared/pyproject.toml')).toBe(true);
    expect(lets(billingIgnore, 'services/orders/app/main.py')).toBe(false);
    expect(lets(billingIgnore, 'README.md')).toBe(false);
    expect(lets(billingIgnore, 'docs/index.md')).toBe(false);
  });

  test('every COPY source from the context survives its ignore file', () => {
    for (const [text, lines] of [[orders, ordersIgnore], [billing, billingIgnore]] as const) {
      for (const src of contextCopies(text).flat()) expect([src, isIgnored(lines, src)]).toEqual([src, false]);
    }
  });

  test('.env files, virtualenvs and caches stay out at any depth, in and out of the closure', () => {
    for (const f of ['.env', 'services/orders/.env', 'services/orders/.env.local', 'libs/shared/.env', 'services/orders/.venv/bin/python',
      'libs/shared/shop_shared/__pycache__/x.pyc', 'services/orders/.projen/tasks.json', 'services/orders/Dockerfile']) {
      expect([f, isIgnored(ordersIgnore, f)]).toEqual([f, true]);
    }
  });

  test('docker:build runs from the member directory with the workspace root as context', () => {
    const tasks = JSON.parse(out.read('services/orders/.projen/tasks.json')).tasks;
    expect(tasks['docker:build'].steps).toEqual([{ exec: 'docker build -f Dockerfile --target runtime --tag orders-api:latest ../..' }]);
  });
});

describe('workspace member image: the closure is read at synth', () => {
  test('a library added and depended on after the service was constructed reaches its Dockerfile and ignore file only', () => {
    const { ws } = shop();
    addLibrary(ws, 'libs/money', 'shop-money');
    ws.dependOn('shop-shared', 'shop-money'); // transitively: orders-api -> shop-shared -> shop-money
    const out = synthWorkspace(ws);
    const orders = out.read('services/orders/Dockerfile');
    expect(copiedDirs(orders).sort()).toEqual(['libs/money', 'libs/shared', 'services/orders']);
    expect(isIgnored(out.read('services/orders/Dockerfile.dockerignore').split('\n'), 'libs/money/shop_money/__init__.py')).toBe(false);
    const billing = out.read('services/billing/Dockerfile');
    expect(copiedDirs(billing)).toEqual(['services/billing']);
    // Its dependency layer still copies the new member's pyproject.toml: uv.lock covers it too.
    expect(contextCopies(billing).flat()).toContain('libs/money/pyproject.toml');
    expect(isIgnored(out.read('services/billing/Dockerfile.dockerignore').split('\n'), 'libs/money/shop_money/__init__.py')).toBe(true);
  });

  test('a resynth renders the same files, and what .projenrc.ts added around the block stays in place', () => {
    const { ws, orders } = shop();
    orders.docker.ignore!.addPatterns('**/*.md');
    const first = synthWorkspace(ws);
    const text = first.read('services/orders/Dockerfile');
    orders.docker._checkProblems();
    orders.docker._checkProblems();
    expect(orders.docker.render(text.split('\n')[1].slice(2))).toBe(text);
    const ignore = first.read('services/orders/Dockerfile.dockerignore').split('\n');
    expect(ignore.indexOf('**/*.md')).toBeGreaterThan(ignore.indexOf('*'));
    expect(isIgnored(ignore, 'libs/shared/README.md')).toBe(true);
  });

  test('a service project the workspace model does not know fails the synth, naming it', () => {
    const ws = newWorkspace();
    addService(ws, 'services/ghost', { name: 'ghost-api' }, [], false);
    expect(() => synthWorkspace(ws)).toThrow(/workspace member services\/ghost: got "ghost-api"; is not a member of the workspace/);
  });

  test('a user pattern that shuts out a closure directory fails the synth, naming the COPY', () => {
    const ws = newWorkspace();
    addLibrary(ws, 'libs/shared', 'shop-shared');
    const orders = addService(ws, 'services/orders', { name: 'orders-api', dockerOptions: { ignorePatterns: ['libs/'] } }, ['shop-shared']);
    expect(orders.docker.problems().join('\n')).toMatch(/COPY.*libs\/shared.*dockerOptions\.ignorePatterns\[0\]/);
  });
});
