import { Component, Project } from 'projen';
import { CiOptions } from './options';

/**
 * The GitHub Actions CI workflow and Dependabot config of a service. (See issue 5.)
 */
export class CiWorkflow extends Component {
  constructor(project: Project, _options: CiOptions = {}) {
    super(project);
  }
}
