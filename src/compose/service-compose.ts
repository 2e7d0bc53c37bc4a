import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { YamlFile } from 'projen/lib/yaml';
import { appServiceProblems, PortOwner, portClashProblems, publishedPorts } from './checks';
import { ComposeApp, composeModel, COMPOSE_FILE, stackPortOwner } from './services';
import { OptionProblem, ServiceConfigError } from '../core/problems';
import { modelObject, renderedObject } from '../core/rendered';
import { LOCAL_STACK } from '../database/local-stack';
import { NeonDatabase } from '../database/neon-database';
import { DockerStageRole, DockerStages } from '../docker/docker-stages';

/**
 * `compose.yaml` of one service: the local database stack of its `NeonDatabase` (Postgres, and
 * PgBouncer in transaction mode in front of it, as Neon's pooler) and, when it has a `DockerStages`
 * with a port, the application built from its runtime stage, after a one-shot `migrate` service that
 * applies the migrations over the direct URL.
 *
 * Everything is read from its owner at synth (`NeonDatabase.of(project)`, `DockerStages.of(project)`):
 * a runtime stage pointed elsewhere in `.projenrc.ts` is the one compose builds. Escape hatch:
 * `file.addOverride('services.postgres.image', 'postgres:16')`; before anything is written, the
 * rendered file (overrides included) is checked: a host port published twice fails the synth, naming
 * what set each.
 */
export class ServiceCompose extends Component {
  /** The project's `ServiceCompose`, or undefined when it has none. */
  public static of(project: Project): ServiceCompose | undefined {
    const isServiceCompose = (c: Component): c is ServiceCompose => c instanceof ServiceCompose;
    return project.components.find(isServiceCompose);
  }

  /** `compose.yaml`. */
  public readonly file: YamlFile;

  /** Add it after the project's `DockerStages` and `NeonDatabase`: it tells the Dockerfile it builds its runtime stage. */
  constructor(project: Project) {
    super(project);
    this.file = new YamlFile(project, COMPOSE_FILE, { obj: () => composeModel(NeonDatabase.of(project)?._resolved, this.app()) });
    const docker = DockerStages.of(project);
    if (docker?.port !== undefined) {
      docker.addRoleReader(DockerStageRole.RUNTIME, `${COMPOSE_FILE} (services ${NeonDatabase.of(project) ? 'migrate, ' : ''}app)`);
      docker.addPortReader(`${COMPOSE_FILE} publishes it`);
      docker.addGracePeriodReader(`${COMPOSE_FILE} stops the app within it (stop_grace_period)`);
    }
  }

  /** What the file holds, for the service README. */
  public get purpose(): string {
    return this.app()
      ? 'Local stack: Postgres, PgBouncer (transaction mode), a one-shot migrate service and the app.'
      : 'Local stack: Postgres and PgBouncer (transaction mode) in front of it.';
  }

  /**
   * The rules of the rendered file, overrides included: the app's services build and run what the
   * Dockerfile and the database say ({@link appServiceProblems}), and no host port is published twice.
   *
   * @internal
   */
  public _checkProblems(): OptionProblem[] {
    const rendered = renderedObject(this.file);
    const model = modelObject(this.file);
    const owner = (service: string): PortOwner | undefined => {
      if (service === LOCAL_STACK.postgres || service === LOCAL_STACK.pgbouncer) return stackPortOwner(service);
      if (service !== 'app') return undefined;
      return { option: 'port', label: '"app" (the service, option port)', fix: (free) => `set another port, e.g. port: ${free}`, rank: 1 };
    };
    const docker = DockerStages.of(this.project);
    const db = NeonDatabase.of(this.project)?._resolved;
    const app = this.app();
    return [
      ...(docker && app ? appServiceProblems(rendered, model, {
        app: 'app',
        migrate: db ? 'migrate' : undefined,
        context: app.buildContext,
        dockerfile: app.dockerfile,
        stages: docker.stages.map((s) => s.name),
        dockerfileLabel: docker.dockerfilePath,
        port: app.port,
        pooledUrlEnv: db?.pooledUrlEnv,
        directUrlEnv: db?.directUrlEnv,
        dockerOption: 'project.docker',
        databaseOption: 'databaseOptions',
      }) : []),
      ...portClashProblems(publishedPorts(rendered, model, owner)),
    ];
  }

  public preSynthesize(): void {
    const found = this._checkProblems();
    if (found.length > 0) throw new ServiceConfigError(`ServiceCompose (${COMPOSE_FILE})`, found);
  }

  /** The application compose runs, read from the Dockerfile's model now; undefined without an image or a port. */
  private app(): ComposeApp | undefined {
    const docker = DockerStages.of(this.project);
    if (!docker || docker.port === undefined) return undefined;
    return {
      buildContext: docker.context,
      dockerfile: docker.dockerfilePath,
      buildTarget: docker.runtimeTarget,
      port: docker.port,
      gracePeriodSeconds: docker.gracePeriodSeconds,
    };
  }
}
