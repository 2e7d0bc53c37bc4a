import * as path from 'path';
import { Project } from 'projen/lib/project';
import { UvPythonLibrary } from './uv-python-library';
import { normalizeDistName, WorkspaceMember, WorkspaceMemberKind } from '../core/workspace';
import { parseRequirement } from '../python/pep508';
import { UvPythonService } from '../service/uv-python-service';

/** A member as the workspace scans it: the project and what the components read of it. */
export interface ScannedMember {
  readonly project: UvPythonService | UvPythonLibrary;
  readonly member: WorkspaceMember;
}

/** The normalized names of a project's runtime dependencies (read once: they are fixed at construction). */
const depNames = new WeakMap<Project, string[]>();

function dependencyNames(project: Project, deps: readonly string[]): string[] {
  let names = depNames.get(project);
  if (!names) {
    names = deps.map((d) => parseRequirement(d)?.name).filter((n): n is string => n !== undefined).map(normalizeDistName);
    depNames.set(project, names);
  }
  return names;
}

/** A project's directory relative to the root, POSIX, without a trailing slash (`''` for the root itself). */
export function memberDir(root: Project, project: Project): string {
  return path.relative(root.outdir, project.outdir).split(path.sep).join('/');
}

/**
 * The members of the workspace whose root is `root`, scanned from its subprojects now (a member added
 * after another still counts): every `UvPythonService` and `UvPythonLibrary` directly below the root,
 * in the order they were added. A dependency is a member's when its normalized name is that member's.
 */
export function scanMembers(root: Project): ScannedMember[] {
  interface Facts {
    project: UvPythonService | UvPythonLibrary;
    name: string;
    kind: WorkspaceMemberKind;
    packageDir: string;
    deps: string[];
  }
  const facts = root.subprojects.flatMap((p): Facts[] => {
    if (p instanceof UvPythonService) {
      const r = p._resolved;
      return [{ project: p, name: r.name, kind: WorkspaceMemberKind.SERVICE, packageDir: r.app.packageDir, deps: r.deps }];
    }
    if (p instanceof UvPythonLibrary) {
      const r = p._resolved;
      return [{ project: p, name: r.name, kind: WorkspaceMemberKind.LIBRARY, packageDir: r.packageName, deps: r.deps }];
    }
    return [];
  });
  const names = new Set(facts.map((f) => normalizeDistName(f.name)));
  return facts.map((f) => {
    const name = normalizeDistName(f.name);
    const dependsOn = [...new Set(dependencyNames(f.project, f.deps).filter((d) => d !== name && names.has(d)))];
    return {
      project: f.project,
      member: {
        name,
        dir: memberDir(root, f.project),
        kind: f.kind,
        packageDir: f.packageDir,
        dependsOn,
      },
    };
  });
}

/**
 * The member named `name` and every member it depends on, transitively: the member first, then its
 * dependencies depth-first in declaration order, each once (a cycle, refused at synth, ends where it
 * comes back).
 */
export function closure(members: readonly WorkspaceMember[], name: string): WorkspaceMember[] {
  const byName = new Map(members.map((m) => [m.name, m]));
  const start = byName.get(normalizeDistName(name));
  if (!start) {
    throw new Error(`"${name}" is no member of the workspace; its members are: ${members.map((m) => `"${m.name}"`).join(', ') || 'none'}.`);
  }
  const out: WorkspaceMember[] = [];
  const seen = new Set<string>();
  const visit = (m: WorkspaceMember): void => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    out.push(m);
    for (const d of m.dependsOn) visit(byName.get(d)!);
  };
  visit(start);
  return out;
}

/**
 * Every dependency cycle between members, each once, as the names along it with the first repeated at
 * the end (`a -> b -> a`), starting at its member added first.
 */
export function dependencyCycles(members: readonly WorkspaceMember[]): string[][] {
  const byName = new Map(members.map((m) => [m.name, m]));
  const order = new Map(members.map((m, i) => [m.name, i]));
  const cycles = new Map<string, string[]>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string): void => {
    stack.push(name);
    onStack.add(name);
    for (const d of byName.get(name)!.dependsOn) {
      if (onStack.has(d)) {
        const cycle = stack.slice(stack.indexOf(d));
        const first = cycle.reduce((a, b) => (order.get(a)! <= order.get(b)! ? a : b));
        const rotated = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first))];
        cycles.set(rotated.join(' '), [...rotated, first]);
      } else if (!done.has(d)) {
        visit(d);
      }
    }
    stack.pop();
    onStack.delete(name);
    done.add(name);
  };
  for (const m of members) if (!done.has(m.name)) visit(m.name);
  return [...cycles.values()];
}
