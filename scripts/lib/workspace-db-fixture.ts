/**
 * The workspace of scripts/suites/integration-workspace-db.sh: a library `common` and two services, `orders`
 * (port 8001, depends on common) and `billing` (port 8002), synthesized into OUTDIR with the given
 * WorkspaceDatabaseMode (no post-synth steps). Members record their migrations in a version table of
 * their own by default (alembic_version_<package>).
 *
 * Usage: `tsx scripts/lib/workspace-db-fixture.ts OUTDIR shared|per-service`
 */
import { UvPythonLibrary, UvPythonService, UvWorkspace } from '../../src';
import { WorkspaceDatabaseMode } from '../../src/core/workspace';

const [outdir, mode] = process.argv.slice(2) as [string, WorkspaceDatabaseMode];
if (!outdir || !Object.values(WorkspaceDatabaseMode).includes(mode)) {
  throw new Error('usage: workspace-db-fixture.ts OUTDIR shared|per-service');
}
const ws = new UvWorkspace({ name: 'shop', outdir, databaseMode: mode });
new UvPythonLibrary({ parent: ws, name: 'common', outdir: 'libs/common' });
new UvPythonService({ parent: ws, name: 'orders', outdir: 'services/orders', port: 8001, deps: ['common'] });
new UvPythonService({ parent: ws, name: 'billing', outdir: 'services/billing', port: 8002 });
process.env.PROJEN_DISABLE_POST = 'true';
ws.synth();
