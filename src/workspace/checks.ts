import { Project } from 'projen/lib/project';
import { dependencyCycles, memberDir, ScannedMember } from './model';
import { UvPythonLibrary } from './uv-python-library';
import { OptionProblem, Problems } from '../core/problems';
import { normalizeDistName } from '../core/workspace';
import { DockerStages } from '../docker/docker-stages';
import { parseRequirement } from '../python/pep508';
import { UvPythonService } from '../service/uv-python-service';

/** What the checks read of the workspace root. */
export interface WorkspaceFacts {
  readonly root: Project;
  readonly pythonVersion: string;
  readonly uvVersion: string;
}

/** A service member. */
type ServiceMember = ScannedMember & { readonly project: UvPythonService };

/** `services/orders` in an option path: which member an option belongs to. */
function at(m: ScannedMember, option: string): string {
  return `${m.member.dir || '.'}: ${option}`;
}

/** Each member's label in a message: `"orders" (services/orders)`. */
function label(m: ScannedMember): string {
  return `"${m.project._resolved.name}" (${m.member.dir || '.'})`;
}

/**
 * Records a problem for every member after the first that shares a value with an earlier one (a
 * name, a port, an image, a package).
 */
function unique<T, M extends ScannedMember>(problems: Problems, members: readonly M[], valueOf: (m: M) => T | undefined,
  option: (m: M) => string, shown: (m: M) => unknown, fix: (first: M, value: T) => string): void {
  const first = new Map<T, M>();
  for (const m of members) {
    const v = valueOf(m);
    if (v === undefined) continue;
    const earlier = first.get(v);
    if (earlier) {
      problems.add(at(m, option(m)), shown(m), fix(earlier, v));
    } else {
      first.set(v, m);
    }
  }
}

/**
 * The rules across the members of a workspace, checked at synth before anything is written: unique
 * names, image names and import packages (one virtualenv), no dependency cycle, every member inside the
 * root, one Python and one uv. Then each member's own cross-file rules, under its directory. (The
 * ports are compose.yaml's: `WorkspaceCompose` checks what it publishes.)
 */
export function workspaceProblems(ws: WorkspaceFacts, members: readonly ScannedMember[]): OptionProblem[] {
  const problems = new Problems();
  const services = members.filter((m): m is ServiceMember => m.project instanceof UvPythonService);

  for (const p of ws.root.subprojects) {
    const dir = memberDir(ws.root, p);
    if (dir === '' || dir === '..' || dir.startsWith('../') || /^[A-Za-z]:|^\//.test(dir)) {
      problems.add(`${p.name}: outdir`, dir === '' ? '.' : dir,
        `a member lives in a directory below the workspace root (${ws.root.outdir}), so that the root pyproject.toml can list it and the images can copy it from the root context; use e.g. outdir: "services/${p.name}".`);
    }
  }

  unique(problems, members, (m) => m.member.name, () => 'name', (m) => m.project._resolved.name,
    (first, name) => `is the name of ${label(first)} too (names compare as "${name}", normalized): give every member its own name.`);

  unique(problems, services, (m) => DockerStages.of(m.project)?.imageName, () => 'dockerOptions.imageName', (m) => DockerStages.of(m.project)?.imageName,
    (first, image) => `is the image of ${label(first)} too; give each service its own image: remove dockerOptions.imageName to get one named after the service, or set another (e.g. "${image}-2").`);

  unique(problems, members, (m) => m.member.packageDir, (m) => (m.project instanceof UvPythonLibrary ? 'packageName' : 'app'),
    (m) => (m.project instanceof UvPythonService ? m.project._resolved.app.entrypoint : m.member.packageDir),
    (first, pkg) => `its import package "${pkg}" is the package of ${label(first)} too, and the members share one virtualenv, where one would hide the other: ` +
      'give each member its own package (for a service, leave app unset to get "<name>.main:app", or set e.g. app: "<name>_api.main:app"; for a library, packageName).');

  for (const cycle of dependencyCycles(members.map((m) => m.member))) {
    const m = members.find((x) => x.member.name === cycle[0])!;
    const next = cycle[1];
    const i = m.project._resolved.deps.findIndex((d) => normalizeDistName(parseRequirement(d)?.name ?? '') === next);
    problems.add(at(m, `deps[${i}]`), m.project._resolved.deps[i],
      `the members depend on each other in a cycle (${cycle.join(' -> ')}), which uv cannot build or install: remove one of these dependencies, e.g. by moving the code they share into a library both depend on.`);
  }

  for (const m of members) {
    const r = m.project instanceof UvPythonService ? m.project._resolved : undefined;
    if (r && r.pythonVersion !== ws.pythonVersion) {
      problems.add(at(m, 'pythonVersion'), r.pythonVersion,
        `differs from the workspace's pythonVersion "${ws.pythonVersion}": the members share one virtualenv and one .python-version. Remove pythonVersion here (members follow the workspace), or change it on the UvWorkspace.`);
    }
    if (r && r.uvVersion !== ws.uvVersion) {
      problems.add(at(m, 'uvVersion'), r.uvVersion,
        `differs from the workspace's uvVersion "${ws.uvVersion}": one uv.lock is written by one uv. Remove uvVersion here (members follow the workspace), or change it on the UvWorkspace.`);
    }
  }

  // Each service's own cross-file rules, so that every problem of the workspace comes in one error.
  for (const m of services) {
    for (const p of m.project._crossFileProblems()) problems.add(at(m, p.option), p.value, p.expected);
    m.project._checkedBy = ws.root;
  }
  return [...problems.all];
}
