import { ResolvedCi } from '../ci/resolved';
import { ResolvedDatabase } from '../database/resolved';
import { ResolvedDocker } from '../docker/resolved';
import { ResolvedKubernetes } from '../k8s/resolved';
import { ResolvedPython } from '../python/model';
import { ResolvedImportCheck } from '../usercode/options';

/**
 * Every option of a service after defaults and validation: the Python facts and each component's own.
 * Read-only; each component reads its own part, and the facts other components own from them.
 */
export interface ResolvedService extends ResolvedPython {
  /** devDependencies of the service's package.json (the projen toolchain): name -> npm version spec. */
  readonly toolchainDeps: { [name: string]: string };
  /** Docker facts; absent when `docker: false`. */
  readonly docker?: ResolvedDocker;
  /** Database facts; absent when `database: false`. */
  readonly database?: ResolvedDatabase;
  /** CI facts; absent when `ci: false`. */
  readonly ci?: ResolvedCi;
  /** Import check settings; absent when `importCheck: false`. */
  readonly importCheck?: ResolvedImportCheck;
  /** Kubernetes options; absent unless `kubernetes: true`. */
  readonly kubernetes?: ResolvedKubernetes;
}
