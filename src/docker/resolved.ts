/**
 * Docker facts other constructs read (CI, compose).
 */
export interface ResolvedDocker {
  /** Name of the stage that runs the service. */
  readonly runtimeStage: string;
  /** Name of the stage that runs the tests, if any. */
  readonly testingStage?: string;
}
