import { Project } from 'projen/lib/project';
import { ResolvedKubernetes } from './options';
import { imageRepositoryOf } from './resolve';
import type { ResolvedCi } from '../ci/options';
import { NeonDatabase } from '../database/neon-database';
import { lastUser } from '../docker/checks';
import { DockerStages } from '../docker/docker-stages';
import { DockerInstructionKind, ExecFormInstruction } from '../docker/model';
import type { ResolvedDocker } from '../docker/options';
import type { ResolvedPython } from '../python/options';

/** The variable uvicorn reads for its worker count (`--workers` defaults to `$WEB_CONCURRENCY`). */
export const WORKERS_ENV = 'WEB_CONCURRENCY';
/** The variable uvicorn reads for `--timeout-graceful-shutdown` (its CLI reads `UVICORN_*` variables). */
export const SHUTDOWN_TIMEOUT_ENV = 'UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN';
/** Seconds the pod waits in preStop before SIGTERM, while it is removed from the Service's endpoints. */
export const PRESTOP_SLEEP_SECONDS = 5;
/** Seconds left after uvicorn's timeout for the application's lifespan shutdown (closing the pool). */
export const SHUTDOWN_MARGIN_SECONDS = 5;
/** Where the app may write with a read-only root filesystem: an emptyDir is mounted at each. */
export const WRITABLE_PATHS: readonly string[] = ['/tmp'];

/**
 * The facts the manifests share with the image and the app, each read from the component that owns
 * it: the port and health path from the service's Python facts, uid/gid and the command from the
 * Dockerfile's runtime stage, the image from CI and Docker, the URL variables and the migration command
 * from the database layer.
 */
export interface KubernetesFacts {
  /** `repository:tag`; undefined when it cannot be named (a problem was recorded when resolving). */
  readonly image?: string;
  readonly port: number;
  readonly healthPath: string;
  /** uid/gid of the runtime stage's last USER; undefined when it is missing or not numeric. */
  readonly uid?: number;
  readonly gid?: number;
  /** The USER value as written (`uid:gid`), for messages. */
  readonly user?: string;
  /** Name of the Dockerfile's runtime stage. */
  readonly runtimeStage?: string;
  /** The runtime stage's CMD (exec form), if any. */
  readonly cmd?: string[];
  /** Pooled and direct URL variables; undefined without a database. */
  readonly pooledUrlEnv?: string;
  readonly directUrlEnv?: string;
  /** The migration command as an argument vector; undefined without a database. */
  readonly migrateCommand?: string[];
  readonly writablePaths: string[];
}

/** The components that own the facts: the one place that finds them. */
function owners(project: Project): { docker?: DockerStages; database?: NeonDatabase } {
  const docker = DockerStages.of(project);
  // The manifests run the runtime stage's user and command: an error about that stage names them.
  docker?.addRuntimeReader('deploy/k8s/ (the runtime stage\'s user and command)');
  return { docker, database: NeonDatabase.of(project) };
}

/** The runtime stage's USER in effect (followed through `fromStage`), as numbers when numeric, and its CMD. */
function runtimeUser(stages: DockerStages): { uid?: number; gid?: number; user?: string; stage?: string; cmd?: string[] } {
  const list = stages.stages;
  const index = list.findIndex((s) => s.name === stages.runtimeTarget);
  if (index < 0) return {};
  const stage = list[index];
  const names = new Map(list.map((s, i) => [s.name.toLowerCase(), i] as [string, number]));
  const user = lastUser(list, index, names);
  const [name, group] = (user ?? '').split(':');
  const num = (v?: string) => (v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined);
  const cmds = stage.findInstructions(DockerInstructionKind.CMD).filter((i): i is ExecFormInstruction => i instanceof ExecFormInstruction);
  return {
    uid: num(name),
    gid: num(group),
    user,
    stage: stage.name,
    cmd: cmds.length > 0 ? [...cmds[cmds.length - 1].args] : undefined,
  };
}

/** Reads every fact the manifests need from its owner, now (at construction, and again at synth). */
export function readKubernetesFacts(
  project: Project,
  python: ResolvedPython,
  k8s: ResolvedKubernetes,
  docker?: ResolvedDocker,
  ci?: ResolvedCi,
): KubernetesFacts {
  const own = owners(project);
  const user = own.docker ? runtimeUser(own.docker) : {};
  const repo = docker ? imageRepositoryOf(docker, ci) : undefined;
  const db = own.database?.resolved;
  return {
    image: repo ? `${repo}:${k8s.imageTag}` : undefined,
    port: python.port,
    healthPath: python.healthPath,
    uid: user.uid,
    gid: user.gid,
    user: user.user,
    runtimeStage: user.stage,
    cmd: user.cmd,
    pooledUrlEnv: db?.pooledUrlEnv,
    directUrlEnv: db?.directUrlEnv,
    migrateCommand: db ? db.migrateCommand.split(/\s+/).filter(Boolean) : undefined,
    writablePaths: [...WRITABLE_PATHS],
  };
}
