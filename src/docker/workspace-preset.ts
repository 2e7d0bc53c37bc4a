import * as path from 'path';
import { Project } from 'projen/lib/project';
import { DockerStages } from './docker-stages';
import { DockerInstruction as I, DockerStage, DockerStageOptions, IDockerInstruction } from './model';

import {
  baseImageOf, builderHead, IMAGE_WORKDIR, migrationCopies, PYTHON_DOCKERIGNORE, requireEnvFilesOut,
  runtimeStageOf, serviceStages, uvCacheMount, VENV_PATH,
} from './preset';
import { ResolvedDocker } from './resolve';
import { OptionProblem, Problems } from '../core/problems';
import { IWorkspaceModel, WorkspaceMember, WorkspaceMemberKind, workspaceOf } from '../core/workspace';
import { NeonDatabase } from '../database/neon-database';

import type { ResolvedPython } from '../python/resolve';
import { PythonSamples } from '../python/samples';

/**
 * A `.dockerignore` pattern that applies at any depth of a workspace root context: `.venv` becomes
 * `**\/.venv` (every member's virtualenv), a pattern that already starts with `**\/` stays.
 */
export function atAnyDepth(pattern: string): string {
  return pattern.startsWith('**/') ? pattern : `**/${pattern}`;
}

/**
 * What the ignore file of a member service's image leaves out after its allow-list: projen's files of
 * the member projects, node modules, this image's own build files, and the Python exclusions of a
 * single service ({@link PYTHON_DOCKERIGNORE}) at any depth (`.env` files, virtualenvs, caches).
 */
export const WORKSPACE_DOCKERIGNORE_EXCLUSIONS: readonly string[] = [
  ...['.projen', '**/node_modules', ...PYTHON_DOCKERIGNORE].map(atAnyDepth),
  // The Dockerfile and its ignore file are sent to the builder anyway; in the context they would
  // only make an edit of them invalidate the COPY of the member's directory.
  '**/Dockerfile',
  '**/Dockerfile.dockerignore',
];

/** The three parts of a member service's image that depend on the workspace, as read at synth. */
interface ClosurePlan {
  /** The member the service is. */
  readonly member: WorkspaceMember;
  /** Its closure: itself first, then what it depends on (see IWorkspaceModel.closureOf). */
  readonly closure: WorkspaceMember[];
  /** Every member of the workspace (their pyproject.toml files are inputs of uv.lock). */
  readonly members: WorkspaceMember[];
}

/** The builder instructions that depend on the workspace: the dependency layer, then the closure. */
function closureInstructions(plan: ClosurePlan): IDockerInstruction[] {
  const name = plan.member.name;
  return [
    I.comment([
      'Dependencies first: the workspace\'s pyproject.toml and uv.lock, and the pyproject.toml of every member',
      '(uv sync --locked checks the one lock of the workspace against all of them). This layer is rebuilt',
      `only when one of them changes; it installs the third-party dependencies of ${name} and of the members it needs.`,
    ].join('\n')),
    I.copy(['pyproject.toml', 'uv.lock'], './'),
    ...plan.members.map((m) => I.copy([`${m.dir}/pyproject.toml`], `./${m.dir}/`)),
    I.run([`uv sync --locked --no-install-workspace --package ${name} --no-dev`], { mounts: [uvCacheMount()] }),
    I.comment(`Then only the members ${name} needs (${plan.closure.map((m) => m.name).join(', ')}), installed into the`
      + ' virtualenv (not editable): a change elsewhere in the workspace leaves this image\'s layers cached.'),
    ...plan.closure.map((m) => I.copy([m.dir], `./${m.dir}`)),
    I.run([`uv sync --locked --package ${name} --no-dev --no-editable`], { mounts: [uvCacheMount()] }),
  ];
}

/**
 * The ignore file's allow-list for a workspace root context: everything out (`*`), then back in only
 * what the image copies (the root's pyproject.toml and uv.lock, every member's pyproject.toml, the
 * closure's directories). The exclusions that hold at any depth (secrets, virtualenvs, caches) follow
 * it, outside the block: they stand whatever the model says.
 */
function allowList(plan: ClosurePlan): string[] {
  return [
    '# The build context is the workspace root: everything is left out, then only what this image copies is let in.',
    '*',
    '!pyproject.toml',
    '!uv.lock',
    ...plan.members.map((m) => `!${m.dir}/pyproject.toml`),
    ...plan.closure.map((m) => `!${m.dir}`),
  ];
}

/**
 * Keeps one block of a list (instructions of a stage, lines of an ignore file) in line with the model
 * read at synth: the block is replaced where it is, so what `.projenrc.ts` added around it stays.
 */
class Block<T> {
  private current: T[] = [];
  private placed = false;

  constructor(private readonly render: (item: T) => string) {}

  /**
   * Replaces the block in `list` with `fresh`; `anchor` is where it goes the first time. Unchanged
   * text keeps the same items. A block the user removed entirely stays removed.
   */
  public update(list: T[], fresh: T[], anchor: number, remove: (item: T) => void, insert: (at: number, items: T[]) => void): void {
    const present = this.current.filter((item) => list.includes(item));
    if (this.placed && present.length === 0 && this.current.length > 0) return;
    const same = present.length === fresh.length && present.every((item, i) => this.render(item) === this.render(fresh[i]));
    if (this.placed && same) return;
    const at = present.length > 0 ? list.indexOf(present[0]) : anchor;
    for (const item of present) remove(item);
    insert(Math.min(at, list.length - present.length), fresh);
    this.current = fresh;
    this.placed = true;
  }
}

/**
 * The image of a service that is a member of a uv workspace (`project.outdir` is `<root>/<member dir>`),
 * after uv's Docker guide for workspaces: the Dockerfile stays at `<member dir>/Dockerfile`, the build
 * context is the workspace root (`context` is the root relative to the member, e.g. `../..`) and the
 * ignore file is `<member dir>/Dockerfile.dockerignore`, which BuildKit reads for that Dockerfile.
 *
 * - builder: uv, then the dependency layer (the root's pyproject.toml and uv.lock, every member's
 *   pyproject.toml, `uv sync --locked --no-install-workspace --package <service> --no-dev`), then the
 *   directories of the service's closure only and `uv sync --locked --package <service> --no-dev
 *   --no-editable`. `--locked` rather than `--frozen`: a lock that no longer matches a member's
 *   pyproject.toml fails the build instead of installing stale versions, which needs every member's
 *   pyproject.toml (astral-sh/uv#6685); they sit in the dependency layer, whose cache key already holds
 *   uv.lock, the one lock of every member.
 * - testing (optional): the service's dev group, pytest in the member's directory.
 * - runtime: the virtualenv only (the service and its workspace libraries are installed in it), plus
 *   Alembic's files from the member directory when it has a database; user, CMD, HEALTHCHECK and EXPOSE
 *   as in {@link createServiceDocker}.
 *
 * The members the image copies are read from the workspace model (`workspaceOf(project)`) when the
 * model is checked at synth, not when this is called: a library added, or a dependency declared, after
 * the service was constructed still reaches the Dockerfile and its ignore file. They are refreshed in
 * `DockerStages._checkProblems` rather than in a component's `preSynthesize`, because projen runs the
 * project's own `preSynthesize` (where `UvPythonService` checks its cross-file rules, this Dockerfile's
 * among them) before any component's: a component's hook would let that check see a stale model.
 */
export function createWorkspaceServiceDocker(project: Project, service: ResolvedPython, docker: ResolvedDocker): DockerStages {
  const model = workspaceOf(project);
  if (!model) {
    throw new Error(`${project.name}: createWorkspaceServiceDocker needs a project inside a uv workspace (a UvWorkspace above it, `
      + `or registerWorkspace on its root); ${project.outdir} has none. Use createServiceDocker for a service on its own.`);
  }
  // A member outside the root (`..` first) is refused by the workspace's own checks, naming its outdir.
  const dir = path.relative(model.root.outdir, project.outdir).split(path.sep).join('/');
  const context = path.relative(project.outdir, model.root.outdir).split(path.sep).join('/');
  const db = NeonDatabase.of(project);
  const samples = PythonSamples.of(project);
  const head = builderHead(service, docker);

  const builder: DockerStageOptions = { name: docker.builderStage, image: baseImageOf(service, docker), instructions: head };
  const testing: DockerStageOptions | undefined = docker.testingStage === undefined ? undefined : {
    name: docker.testingStage,
    fromStage: docker.builderStage,
    instructions: [
      I.comment(`The dev dependency group and the tests (in ${dir}/, copied with it): docker build --target ${docker.testingStage}, then run it.`),
      I.run([`uv sync --locked --package ${service.name} --no-editable`], { mounts: [uvCacheMount()] }),
      I.env({ PATH: VENV_PATH }),
      I.workdir(`${IMAGE_WORKDIR}/${dir}`),
      I.cmd(['pytest']),
    ],
  };
  // The migrations before the virtualenv: a change of any member in the closure rebuilds the
  // virtualenv's layer, and the layers after it with it.
  const runtime = runtimeStageOf(project, service, docker, [
    ...(db ? migrationCopies(db, `${dir}/`) : []),
    I.comment('The virtualenv only: the service and the workspace libraries it uses are installed in it (not editable).'),
    I.copy([`${IMAGE_WORKDIR}/.venv`], `${IMAGE_WORKDIR}/.venv`, { fromStage: docker.builderStage }),
  ]);

  const stages = serviceStages(project, service, { ...docker, context }, [builder, ...(testing ? [testing] : []), runtime],
    [...WORKSPACE_DOCKERIGNORE_EXCLUSIONS]);
  const inDir = (files: string[]) => files.map((f) => `${dir}/${f}`);
  stages.requireInContext('pyproject.toml', 'uv.lock',
    ...inDir(['pyproject.toml', ...service.app.packageInits, service.app.moduleFile, ...(db?.imageFiles ?? [])]));
  if (testing && samples) stages.stage(testing.name).requireInContext(`${dir}/${samples.healthTest}`);
  requireEnvFilesOut(stages, '');
  requireEnvFilesOut(stages, `${dir}/`);

  const anchor = head[head.length - 1];
  const builderBlock = new Block<IDockerInstruction>((i) => i.render());
  const ignoreBlock = new Block<string>((line) => line);
  const refresh = (): OptionProblem[] => {
    const found = planOf(model, project, dir, service);
    if (!('member' in found)) return found;
    const stage = stages.tryFindStage(docker.builderStage);
    if (stage) updateStage(stage, builderBlock, closureInstructions(found), anchor);
    const ignore = stages.ignore;
    if (ignore) {
      // Where the block goes the first time: after the base patterns, before the exclusions and the user's own.
      const lines = ignore.patterns;
      const first = lines.findIndex((p) => WORKSPACE_DOCKERIGNORE_EXCLUSIONS.includes(p));
      ignoreBlock.update(lines, allowList(found), first < 0 ? lines.length : first,
        (line) => ignore.removePatterns(line), (at, added) => ignore.insertPatterns(at, ...added));
    }
    return [];
  };
  refresh();
  stages._addCheck(refresh);
  return stages;
}

function updateStage(stage: DockerStage, block: Block<IDockerInstruction>, fresh: IDockerInstruction[], anchor: IDockerInstruction): void {
  const list = stage.instructions;
  const at = list.indexOf(anchor);
  block.update(list, fresh, at < 0 ? list.length : at + 1,
    (item) => stage.removeInstruction(stage.indexOf(item)), (i, items) => stage.insertInstructions(i, ...items));
}

/** The member `project` is and its closure, from the live model, or why the image cannot be built. */
function planOf(model: IWorkspaceModel, project: Project, dir: string, service: ResolvedPython): ClosurePlan | OptionProblem[] {
  // Not below the root: the workspace refuses it (outdir); no image plan either, and no second message.
  if (dir === '' || dir === '..' || dir.startsWith('../')) return [];
  const problems = new Problems();
  const member = model.memberOf(project);
  const where = `workspace member ${dir}`;
  if (!member) {
    problems.add(where, service.name,
      `is not a member of the workspace at ${model.root.outdir}, so its image cannot know which members to copy; add it to the workspace (as a UvPythonService with parent and outdir).`);
  } else if (member.kind !== WorkspaceMemberKind.SERVICE) {
    problems.add(`${where} kind`, member.kind, 'only a service member has an image; build this project as a UvPythonService member.');
  } else if (member.dir !== dir) {
    problems.add(`${where} dir`, member.dir, `the workspace model places it in ${member.dir}, but the project's outdir is ${dir}; they must agree.`);
  }
  if (problems.all.length > 0 || !member) return [...problems.all];
  // The member itself first, even when another member has its name (the workspace refuses that,
  // naming both): the image copies this project's directory, never its namesake's.
  const [, ...dependencies] = model.closureOf(member.name);
  return { member, closure: [member, ...dependencies.filter((m) => m.dir !== dir)], members: model.members() };
}
