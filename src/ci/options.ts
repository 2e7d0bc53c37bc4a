/**
 * Options of the generated CI workflow.
 */
export interface CiOptions {
  /**
   * Default branch: pushes to it run CI and publish the image.
   *
   * @default "main"
   */
  readonly defaultBranch?: string;
}
