import { Project } from 'projen/lib/project';
import { CiWorkflow } from '../ci/ci-workflow';
import { NeonDatabase } from '../database/neon-database';
import { ServeCommand, serveCommandOf } from '../docker/command';
import { DockerStageRole, DockerStages } from '../docker/docker-stages';
import { DEFAULT_GRACE_PERIOD_SECONDS } from '../docker/resolve';

/** The variable uvicorn reads for its worker count (`--workers` defaults to `$WEB_CONCURRENCY`). */
export const WORKERS_ENV = 'WEB_CONCURRENCY';
/** Seconds the pod waits in preStop before SIGTERM, while it is removed from the Service's endpoints. */
export const PRESTOP_SLEEP_SECONDS = 5;
/** Seconds left after uvicorn's timeout for the application's lifespan shutdown (closing the pool). */
export const SHUTDOWN_MARGIN_SECONDS = 5;
/** Where the app may write with a read-only root filesystem: an emptyDir is mounted at each. */
export const WRITABLE_PATHS: readonly string[] = ['/tmp'];

/**
 * The facts the manifests share with the image and the app, each read from the component that owns
 * it, at synth: the port, the health path, the user and the command from the Dockerfile's model
 * (`DockerStages`), the image from what CI publishes or the Dockerfile's image name, the URL variables
 * and the migration command from the database (`NeonDatabase`).
 */
export interface KubernetesFacts {
  /** `repository:tag`; undefined when it cannot be named (a problem was recorded when resolving). */
  readonly image?: string;
  readonly port: number;
  readonly healthPath: string;
  /** The readiness probe's path: `DockerStages.readyPath`, else the health path. */
  readonly readyPath: string;
  /** Seconds from SIGTERM to the kill: the image's grace period (`DockerStages.gracePeriodSeconds`). */
  readonly gracePeriodSeconds: number;
  /** uid/gid of the runtime stage's last USER; undefined when it is missing or not numeric. */
  readonly uid?: number;
  readonly gid?: number;
  /** The USER value as written (`uid:gid`), for messages. */
  readonly user?: string;
  /** Name of the Dockerfile's runtime stage. */
  readonly runtimeStage?: string;
  /** The uvicorn server the runtime stage's CMD starts, as the Dockerfile's model reads it. */
  readonly serve?: ServeCommand;
  /** Pooled and direct URL variables; undefined without a database. */
  readonly pooledUrlEnv?: string;
  readonly directUrlEnv?: string;
  /** The migration command as an argument vector; undefined without a database. */
  readonly migrateCommand?: string[];
  readonly writablePaths: string[];
}

/** The image's owner: the project's `DockerStages`, told that the manifests run its runtime stage and probe its port. */
export function imageOwner(project: Project): DockerStages | undefined {
  const docker = DockerStages.of(project);
  docker?.addRoleReader(DockerStageRole.RUNTIME, 'deploy/k8s/ (the runtime stage\'s user and command)');
  docker?.addPortReader('deploy/k8s/ exposes and probes it');
  docker?.addGracePeriodReader('deploy/k8s/ is its terminationGracePeriodSeconds');
  return docker;
}

/**
 * The image repository the manifests run, without tag, read now: what CI publishes (`<registry>/<name>`,
 * from its rendered workflow) when it publishes one, otherwise the name `docker:build` tags
 * (`DockerStages.imageName`). Undefined when neither can be named (CI publishing under
 * `${{ github.repository }}`, a name known only inside GitHub Actions).
 */
export function imageRepository(project: Project): string | undefined {
  const ci = CiWorkflow.of(project);
  if (ci?.jobIds.includes('publish')) return ci.publishedImage;
  return DockerStages.of(project)?.imageName;
}

/** Reads every fact the manifests need from its owner, now (at construction, and again at synth). */
export function readKubernetesFacts(project: Project, imageTag: string): KubernetesFacts {
  const docker = imageOwner(project);
  const user = docker?.runtimeUser;
  const [name, group] = (user ?? '').split(':');
  const num = (v?: string) => (v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined);
  const repo = imageRepository(project);
  const db = NeonDatabase.of(project)?._resolved;
  return {
    image: repo ? `${repo}:${imageTag}` : undefined,
    port: docker?.port ?? 0,
    healthPath: docker?.healthPath ?? '/',
    readyPath: docker?.readyPath ?? docker?.healthPath ?? '/',
    gracePeriodSeconds: docker?.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
    uid: num(name),
    gid: num(group),
    user,
    runtimeStage: docker?.tryFindStage(docker.runtimeTarget)?.name,
    serve: serveCommandOf(docker?.runtimeCommand),
    pooledUrlEnv: db?.pooledUrlEnv,
    directUrlEnv: db?.directUrlEnv,
    migrateCommand: db ? db.migrateCommand.split(/\s+/).filter(Boolean) : undefined,
    writablePaths: [...WRITABLE_PATHS],
  };
}
