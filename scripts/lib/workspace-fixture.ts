/**
 * A uv workspace of two services and one library, synthesized in-process on a hand-built workspace model
 * (test/docker/workspace-support.ts) for scripts/docker-integration.sh, where the real UvWorkspace is not
 * available: each service is a child project with the service's own pyproject.toml, samples, database
 * and the member image of src/docker/workspace-preset.ts; the library and the root pyproject.toml are
 * written here the way a uv workspace has them.
 *
 *   npx tsx scripts/lib/workspace-fixture.ts OUTDIR
 *
 * Members, as in the sample workspace of `projen new uv-workspace`: libs/common (common, with
 * `greeting(name)`), services/orders (orders, port 8001, depends on common, with a database),
 * services/billing (billing, port 8002, no database).
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
addLibrary(ws, 'libs/common', 'common');
const orders = addService(ws, 'services/orders',
  { name: 'orders', ...python, app: 'orders.main:app', port: 8001, deps: ['asyncpg>=0.30', 'common'] }, ['common']);
const billing = addService(ws, 'services/billing', { name: 'billing', ...python, app: 'billing.main:app', port: 8002, database: false });
for (const s of [orders, billing]) {
  const pyproject = new Pyproject(s.project, s.resolved);
  for (const dep of s.member.dependsOn) pyproject.file.addOverride(`tool.uv.sources.${dep}`, { workspace: true });
  new SampleFile(s.project, 'README.md', { contents: `# ${s.resolved.name}\n` });
}

const [uvMajor, uvMinor] = orders.resolved.uvVersion.split('.').map(Number);
const lib = new Project({ parent: root, name: 'common', outdir: 'libs/common' });
new TomlFile(lib, 'pyproject.toml', {
  obj: {
    'project': { 'name': 'common', 'version': '0.1.0', 'readme': 'README.md', 'requires-python': '>=3.13', 'dependencies': [] },
    'build-system': { 'requires': [`uv_build>=${orders.resolved.uvVersion},<${uvMajor}.${uvMinor + 1}.0`], 'build-backend': 'uv_build' },
    'tool': { uv: { 'build-backend': { 'module-name': 'common', 'module-root': '' } } },
  },
});
new SampleFile(lib, 'README.md', { contents: '# common\n' });
new SampleFile(lib, 'common/__init__.py', {
  contents: 'def greeting(name: str) -> str:\n    return f"Hello, {name}!"\n',
});

new TomlFile(root, 'pyproject.toml', { obj: () => ({ tool: { uv: { workspace: { members: ws.members().map((m) => m.dir) } } } }) });
new TextFile(root, '.python-version', { lines: ['3.13'] });
process.env.PROJEN_DISABLE_POST = 'true';
root.synth();
