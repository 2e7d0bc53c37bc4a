/**
 * Options of the uv Docker preset that {@link UvPythonService} uses.
 */
export interface UvDockerOptions {
  /**
   * Whether the Dockerfile has a `testing` stage (builder + dev group + tests, `CMD` pytest).
   *
   * @default true
   */
  readonly testingStage?: boolean;
}
