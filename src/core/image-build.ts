/**
 * How a project's application image is built: the facts other files (compose.yaml, a workflow, a
 * manifest) read from the component that owns the Dockerfile. Defined here, below every component, so
 * a component that needs the image (the database's compose.yaml) reads it without importing the one
 * that owns it (`DockerStages`). Read at synth time: an edit made after construction reaches every reader.
 */
export interface IImageBuild {
  /** Path of the Dockerfile, relative to the project root. */
  readonly dockerfilePath: string;
  /** Build context, relative to the project root. */
  readonly context: string;
  /** Name of the stage that runs the application: the build target. */
  readonly runtimeTarget: string;

  /**
   * Records that `reader` (a file and where in it, e.g. `compose.yaml (services migrate, app)`) builds
   * the runtime target; a synth error about that stage names it.
   */
  addRuntimeReader(reader: string): void;
}
