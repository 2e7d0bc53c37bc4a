import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen/lib/project';
import { normalizeDistName, WorkspaceMember, WorkspaceMemberKind } from '../../src/core/workspace';
import { NeonDatabase } from '../../src/database/neon-database';
import { DockerStages } from '../../src/docker/docker-stages';
import { createWorkspaceServiceDocker } from '../../src/docker/workspace-preset';
import { PyprojectOptions } from '../../src/python/options';
import { PythonSamples } from '../../src/python/samples';
import { UvPythonServiceOptions } from '../../src/service/options';
import { ResolvedService, resolveServiceOptions } from '../../src/service/resolve';
import { FakeWorkspace } from '../support/fake-workspace';
import { listFiles, tempDir, withoutPost } from '../support/synth';

/**
 * What a fixture gives `new Pyproject(project, resolved)` for a member (its Python options as the
 * service resolved them), with the service's name beside them: an instance, not a plain object, so that
 * the name is not read as an option.
 */
export class FakeServiceFacts implements PyprojectOptions {
  public readonly name: string;
  public readonly description: string;
  public readonly version: string;
  public readonly pythonVersion: string;
  public readonly uvVersion: string;
  public readonly deps: string[];
  public readonly devDeps: string[];
  public readonly app: string;
  public readonly testsDir: string;

  constructor(r: ResolvedService) {
    this.name = r.name;
    this.description = r.description;
    this.version = r.version;
    this.pythonVersion = r.pythonVersion;
    this.uvVersion = r.uvVersion;
    this.deps = r.deps;
    this.devDeps = r.devDeps;
    this.app = r.app.entrypoint;
    this.testsDir = r.testsDir;
  }
}

/** A service member built the way member mode does it: a child project, its samples and database, its image. */
export interface FakeService {
  readonly project: Project;
  readonly resolved: FakeServiceFacts;
  readonly docker: DockerStages;
  readonly member: WorkspaceMember;
}

/**
 * Adds a service member at `dir`: a plain child project with the service's samples (and database unless
 * `database: false`) and {@link createWorkspaceServiceDocker}'s image. `register: false` leaves it out
 * of the model (a project the workspace does not know).
 */
export function addService(ws: FakeWorkspace, dir: string, options: Partial<UvPythonServiceOptions> & { name: string },
  dependsOn: string[] = [], register = true): FakeService {
  const resolved = resolveServiceOptions(options as UvPythonServiceOptions);
  const project = new Project({ parent: ws.root, outdir: dir, name: options.name });
  new PythonSamples(project, resolved, resolved.database);
  if (resolved.database) new NeonDatabase(project, { ...options.databaseOptions, appPackage: resolved.app.packageDir });
  const member: WorkspaceMember = {
    name: normalizeDistName(options.name),
    dir,
    kind: WorkspaceMemberKind.SERVICE,
    packageDir: resolved.app.packageDir,
    dependsOn: dependsOn.map(normalizeDistName),
  };
  if (register) ws.add(member, project);
  const docker = createWorkspaceServiceDocker(project, resolved, resolved.docker!);
  return { project, resolved: new FakeServiceFacts(resolved), docker, member };
}

/** A library member (no project needed by the image: it reads the model only). */
export function addLibrary(ws: FakeWorkspace, dir: string, name: string, dependsOn: string[] = []): WorkspaceMember {
  const dist = normalizeDistName(name);
  return ws.add({ name: dist, dir, kind: WorkspaceMemberKind.LIBRARY, packageDir: dist.replace(/-/g, '_'), dependsOn: dependsOn.map(normalizeDistName) });
}

/** A workspace root in a fresh temporary directory. */
export function newWorkspace(): FakeWorkspace {
  return new FakeWorkspace(new Project({ name: 'shop', outdir: tempDir('ws-') }));
}

/** Synthesizes the workspace (no post-synth steps) and returns a reader of its files. */
export function synthWorkspace(ws: FakeWorkspace): { files: string[]; read(file: string): string } {
  withoutPost(() => ws.root.synth());
  const dir = ws.root.outdir;
  return { files: listFiles(dir), read: (file: string) => fs.readFileSync(path.join(dir, file), 'utf-8') };
}
