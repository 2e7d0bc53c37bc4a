import { ResolvedCi } from '../ci/resolved';
import { ResolvedDatabase } from '../database/resolved';
import { ResolvedDocker } from '../docker/resolved';
import { ResolvedPython } from '../python/model';

/**
 * Every option of a service after defaults and validation: the Python facts and each component's own.
 * Read-only; each component reads its own part, and the facts other components own from them.
 */
export interface ResolvedService extends ResolvedPython {
  /** Docker facts; absent when `docker: false`. */
  readonly docker?: ResolvedDocker;
  /** Database facts; absent when `database: false`. */
  readonly database?: ResolvedDatabase;
  /** CI facts; absent when `ci: false`. */
  readonly ci?: ResolvedCi;
}
