import { Component, Project } from 'projen';

/**
 * Options of {@link DockerStages}.
 */
export interface DockerStagesOptions {
  /**
   * Path of the Dockerfile.
   *
   * @default "Dockerfile"
   */
  readonly dockerfile?: string;
}

/**
 * A typed multi-stage Dockerfile and its .dockerignore. (Model, renderer and checks: see issue 3.)
 */
export class DockerStages extends Component {
  constructor(project: Project, _options: DockerStagesOptions = {}) {
    super(project);
  }
}
