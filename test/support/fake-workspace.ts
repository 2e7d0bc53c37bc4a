import * as path from 'path';
import { Project } from 'projen/lib/project';
import { IWorkspaceModel, registerWorkspace, WorkspaceDatabaseMode, WorkspaceMember } from '../../src/core/workspace';

/**
 * A hand-built workspace model (what UvWorkspace provides for real), registered on its root: members held
 * in a list that a test changes at will, closures computed depth-first in declaration order.
 *
 * A project is a member when it (or a project above it) was given to {@link add}, or when its directory is
 * a member's `dir` below the root: a test may add a member before its project exists, as the model knows
 * it while the project is constructed.
 */
export class FakeWorkspace implements IWorkspaceModel {
  public readonly list: WorkspaceMember[] = [];
  /** The workspace's CPython version, when a test sets one. */
  public pythonVersion?: string;
  /** The workspace's uv release, when a test sets one. */
  public uvVersion?: string;
  private readonly projects = new Map<Project, string>();

  constructor(public readonly root: Project, public readonly databaseMode?: WorkspaceDatabaseMode) {
    registerWorkspace(this);
  }

  /** Adds (or replaces) a member, its names as given; `project` is the member's project when it has one. */
  public add(member: WorkspaceMember, project?: Project): WorkspaceMember {
    const m: WorkspaceMember = { ...member, dependsOn: [...member.dependsOn] };
    const i = this.list.findIndex((x) => x.name === m.name);
    if (i >= 0) this.list[i] = m;
    else this.list.push(m);
    if (project) this.projects.set(project, m.name);
    return m;
  }

  /** Makes `name` depend on `dep` too. */
  public dependOn(name: string, dep: string): void {
    const m = this.get(name);
    this.add({ ...m, dependsOn: [...m.dependsOn, dep] });
  }

  /** The member named `name`; throws when there is none. */
  public get(name: string): WorkspaceMember {
    const m = this.list.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  public members(): WorkspaceMember[] {
    return [...this.list];
  }

  public memberOf(project: Project): WorkspaceMember | undefined {
    for (let p: Project | undefined = project; p; p = p.parent) {
      const name = this.projects.get(p);
      if (name) return this.list.find((m) => m.name === name);
      const rel = path.relative(this.root.outdir, p.outdir).split(path.sep).join('/');
      const byDir = this.list.find((m) => m.dir === rel);
      if (byDir) return byDir;
    }
    return undefined;
  }

  public closureOf(name: string): WorkspaceMember[] {
    const out: WorkspaceMember[] = [];
    const visit = (n: string) => {
      if (out.some((m) => m.name === n)) return;
      const m = this.get(n);
      out.push(m);
      m.dependsOn.forEach(visit);
    };
    visit(name);
    return out;
  }
}
