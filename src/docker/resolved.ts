/**
 * The Docker options after defaults and validation, from which the uv preset builds the service's
 * `DockerStages`. Other components read the live model (`DockerStages.of(project)`), not this.
 */
export interface ResolvedDocker {
  /** Name of the stage that runs the service (the Dockerfile's last stage, so the default build target). */
  readonly runtimeStage: string;
  /** Name of the stage that runs the tests, if any. */
  readonly testingStage?: string;
  /** Name of the stage that installs the dependencies and the project. */
  readonly builderStage: string;
  /** Path of the Dockerfile, relative to the project root. */
  readonly dockerfile: string;
  /** Build context, relative to the project root. */
  readonly context: string;
  /** Name of the image (no tag) the tasks build and CI publishes. */
  readonly imageName: string;
  /** Base image tag override, if given (otherwise `python:<pythonVersion>-slim`). */
  readonly baseImage?: string;
  /** Digest of the base image, `sha256:...`, if pinned. */
  readonly baseImageDigest?: string;
  /** Digest of uv's image, `sha256:...`, if pinned. */
  readonly uvImageDigest?: string;
  /** Non-root user of the runtime stage. */
  readonly userName: string;
  readonly uid: number;
  readonly gid: number;
  /** Extra .dockerignore patterns. */
  readonly ignorePatterns: string[];
  /** `# syntax=` frontend. */
  readonly syntax: string;
  /** Whether the runtime stage has a HEALTHCHECK. */
  readonly healthcheck: boolean;
}
