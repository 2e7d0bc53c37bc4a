import { Component, Project } from 'projen';
import { NeonDatabaseOptions } from './options';

/**
 * Pooled and direct Postgres URLs, the SQLModel async engine, Alembic and local compose.
 * (See issue 4.)
 */
export class NeonDatabase extends Component {
  constructor(project: Project, _options: NeonDatabaseOptions = {}) {
    super(project);
  }
}
