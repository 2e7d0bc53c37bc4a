/**
 * A uv workspace of two services and one library, synthesized in-process on a hand-built workspace model
 * (test/docker/workspace-support.ts) for scripts/docker-integration.sh, where the real UvWorkspace is not
 * available: each service is a child project with the service's own pyproject.toml, samples, database
 * and the member image of src/docker/workspace-preset.ts; the library and the root pyproject.toml are
 * written here the way a uv workspace has them.
 *
 *   npx tsx scripts/lib/workspace-fixture.ts OUTDIR
 *
 * Members: services/orders (orders-api, depends on shop-shared, with a database), services/billing
 * (billing-api, app billing.main:app, port 8100, no database), libs/shared (shop-shared).
 */
import * as path from 'path';
import { Project, SampleFile, TextFile } from 'projen';
import { TomlFile } from 'projen/lib/toml';
import { Pyproject } from '../../src/python/pyproject';
import { addLibrary, addService, FakeWorkspace } from '../../test/docker/workspace-support';

const outdir = path.resolve(process.argv[2] ?? '');
if (!process.argv[2]) throw new Error('usage: workspace-fixture.ts OUTDIR');
const python = { pythonVersion: '3.13', deps: ['asyncpg>=0.30'] };

const root = new Project({ name: 'shop', outdir });
const ws = new FakeWorkspace(root);
addLibrary(ws, 'libs/shared', 'shop-shared');
const orders = addService(ws, 'services/orders', { name: 'orders-api', ...python, deps: ['asyncpg>=0.30', 'shop-shared'] }, ['shop-shared']);
const billing = addService(ws, 'services/billing', { name: 'billing-api', ...python, app: 'billing.main:app', port: 8100, database: false });
for (const s of [orders, billing]) {
  const pyproject = new Pyproject(s.project, s.resolved);
  for (const dep of s.member.dependsOn) pyproject.file.addOverride(`tool.uv.sources.${dep}`, { workspace: true });
  new SampleFile(s.project, 'README.md', { contents: `# ${s.resolved.name}\n` });
}

const lib = new Project({ parent: root, name: 'shop-shared', outdir: 'libs/shared' });
new TomlFile(lib, 'pyproject.toml', {
  obj: {
    'project': { 'name': 'shop-shared', 'version': '0.1.0', 'readme': 'README.md', 'requires-python': '>=3.13', 'dependencies': [] },
    'build-system': { 'requires': [`uv_build>=${orders.resolved.uvVersion},<${orders.resolved.uvVersion.replace(/^(\d+)\.(\d+)\..*$/, (_m, a, b) => `${a}.${Number(b) + 1}.0`)}`], 'build-backend': 'uv_build' },
    'tool': { uv: { 'build-backend': { 'module-name': 'shop_shared', 'module-root': '' } } },
  },
});
new SampleFile(lib, 'README.md', { contents: '# shop-shared\n' });
new SampleFile(lib, 'shop_shared/__init__.py', {
  contents: 'def greeting(name: str) -> str:\n    return f"hello {name}, from shop_shared"\n',
});

new TomlFile(root, 'pyproject.toml', { obj: () => ({ tool: { uv: { workspace: { members: ws.members().map((m) => m.dir) } } } }) });
new TextFile(root, '.python-version', { lines: ['3.13'] });
process.env.PROJEN_DISABLE_POST = 'true';
root.synth();
