import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';
import { checkUserCode, Finding, FindingKind, formatFindings, UserFile, UserFileRole, WorkspacePackage } from './checks';

import { ResolvedImportCheck, strictFromEnv } from './resolve';
import { DEFAULT_PYTHON_DEPS } from '../core/versions';
import { workspaceOf } from '../core/workspace';
import { DatabaseDriver } from '../database/enums';
import { databaseModuleFile } from '../database/files';
import { NeonDatabase } from '../database/neon-database';
import { databaseDeps } from '../database/resolve';

import { parseRequirement } from '../python/pep508';
import { Pyproject } from '../python/pyproject';
import type { ResolvedPyproject } from '../python/resolve';

/** projen's record of the files the previous synth generated (its `FILE_MANIFEST`, not exported by projen). */
const FILE_MANIFEST = '.projen/files.json';

/** Directories never read: caches, environments, tool state. */
const SKIPPED_DIRS = new Set(['__pycache__', 'node_modules', '.venv', 'venv', '.git', '.mypy_cache', '.pytest_cache', '.ruff_cache']);

/** What the check reads of the project's components, from their owners, when it runs. */
interface ModelFacts {
  readonly python: ResolvedPyproject;
  /** Alembic directory of the service's database, whose `versions/` is the user's; none without a database. */
  readonly migrationsDir?: string;
  /** Managed files an option would generate and does not now (e.g. `app/db.py`), with that option (`database: true`). */
  readonly optionalFiles: ReadonlyMap<string, string>;
  /** Distributions an option would add and does not now, with that option. */
  readonly optionalDistributions: ReadonlyMap<string, string>;
  /** Distributions the generated files and commands use themselves. */
  readonly libraryDistributions: ReadonlySet<string>;
}

const names = (requirements: readonly string[]): string[] =>
  requirements.map((r) => parseRequirement(r)?.name).filter((n): n is string => n !== undefined);

/**
 * What the check needs to know of the project's components, each read from its owner: the Python facts
 * (`Pyproject.of(project)`), the managed modules and dependencies an option would bring back, and those
 * the generated files use themselves (the database module's path, the database dependencies of each
 * driver: `NeonDatabase.of(project)`).
 */
function modelFacts(project: Project): ModelFacts {
  const pyproject = Pyproject.of(project);
  if (!pyproject) throw new Error(`the import check of ${project.name} needs its Pyproject: add the Pyproject first.`);
  const python = pyproject._resolved;
  const db = NeonDatabase.of(project)?._resolved;
  const optionalFiles = new Map<string, string>();
  const optionalDistributions = new Map<string, string>();
  if (!db) {
    optionalFiles.set(databaseModuleFile(python.app.packageDir), 'database: true');
    for (const name of names(databaseDeps(DatabaseDriver.ASYNCPG))) optionalDistributions.set(name, 'database: true');
  } else {
    const current = new Set(names(db.deps));
    for (const driver of Object.values(DatabaseDriver)) {
      for (const name of names(databaseDeps(driver))) {
        if (!current.has(name)) optionalDistributions.set(name, `databaseOptions.driver: DatabaseDriver.${driver.toUpperCase()}`);
      }
    }
  }
  return {
    python,
    migrationsDir: db?.migrationsDir,
    optionalFiles,
    optionalDistributions,
    libraryDistributions: new Set(names([...DEFAULT_PYTHON_DEPS, ...(db?.deps ?? [])])),
  };
}

/**
 * Before anything is written, reads the service's own Python files (the application package, the
 * tests, the migrations' `versions/`) as they are on disk and compares their imports with the model:
 * managed modules that will not exist after this synth, project directories that are not the
 * application package, third-party modules no dependency provides. Prints one block of warnings, or,
 * in strict mode, fails the synth before any file is written. Never changes a user file.
 */
export class ImportCheck extends Component {
  /** What the last synth found (empty when all is well). */
  public findings: Finding[] = [];
  /** Set when the workspace root ran the check in its own preSynthesize: the project's synth then skips it. */
  private ranEarly = false;

  constructor(project: Project, private readonly options: ResolvedImportCheck) {
    super(project);
  }

  /**
   * Runs the check now, for a workspace root that checks its members before it writes anything; the
   * member's own synth then does not run it again.
   *
   * @internal
   */
  public _runEarly(): void {
    this.run();
    this.ranEarly = true;
  }

  /** Runs in preSynthesize, so that strict mode can stop the synth before projen writes or deletes a file. */
  public preSynthesize(): void {
    if (this.ranEarly) {
      this.ranEarly = false;
      return;
    }
    this.run();
  }

  private run(): void {
    const outdir = this.project.outdir;
    const generated = new Set(this.project.files.map((f) => f.path.split(path.sep).join('/')));
    const previous = readManifest(outdir);
    // Generated by the previous synth and not by this one: projen deletes it right after this hook.
    const orphan = (p: string): boolean => previous.has(p) && !generated.has(p);
    const exists = (p: string): boolean =>
      generated.has(p) || (fs.existsSync(path.join(outdir, p)) && !orphan(p));

    const facts = modelFacts(this.project);
    const { python, migrationsDir } = facts;
    const roots: Array<[string, UserFileRole]> = [
      [python.app.packageDir, UserFileRole.APP],
      [python.testsDir, UserFileRole.TESTS],
      ...(migrationsDir ? [[`${migrationsDir}/versions`, UserFileRole.MIGRATIONS] as [string, UserFileRole]] : []),
    ];
    const files: UserFile[] = [];
    for (const [root, role] of roots) {
      for (const rel of pythonFiles(outdir, root)) {
        // Managed modules are the library's, and orphans are about to be deleted.
        if (generated.has(rel) || orphan(rel)) continue;
        files.push({ path: rel, role, source: fs.readFileSync(path.join(outdir, rel), 'utf-8') });
      }
    }
    // No file to read (a new service): the parser is not even loaded.
    if (files.length === 0 && !this.options.unusedDeps) {
      this.findings = [];
      return;
    }

    const gone = new Map<string, string>();
    for (const p of previous) {
      if (p.endsWith('.py') && orphan(p)) gone.set(p, 'the setting that generated it');
    }
    for (const [p, option] of facts.optionalFiles) if (!generated.has(p)) gone.set(p, option);

    this.findings = checkUserCode(files, {
      pythonVersion: python.pythonVersion,
      appPackage: python.app.packageDir,
      appOption: python.app.entrypoint,
      testsDir: python.testsDir,
      deps: python.deps,
      devDeps: python.devDeps,
      goneManagedFiles: gone,
      optionalDistributions: facts.optionalDistributions,
      libraryDistributions: facts.libraryDistributions,
      exists,
      reportUnused: this.options.unusedDeps,
      workspacePackages: this.workspacePackages(),
    });
    if (this.findings.length === 0) return;
    const strict = this.options.strict || strictFromEnv();
    // An undeclared workspace member fails whatever the mode: the image would lack it.
    const failing = (strict && this.findings.some((f) => f.kind !== FindingKind.UNUSED_DEPENDENCY)) ||
      this.findings.some((f) => f.kind === FindingKind.UNDECLARED_MEMBER);
    const block = formatFindings(this.findings, failing);
    if (failing) throw new Error(block);
    this.project.logger.warn(block);
  }

  /** The packages of the other workspace members, read from the workspace now; undefined outside one. */
  private workspacePackages(): Map<string, WorkspacePackage> | undefined {
    const ws = workspaceOf(this.project);
    const me = ws?.memberOf(this.project);
    if (!ws || !me) return undefined;
    const out = new Map<string, WorkspacePackage>();
    for (const m of ws.members()) {
      if (m.name !== me.name) out.set(m.packageDir, { member: m.name, declared: me.dependsOn.includes(m.name) });
    }
    return out;
  }
}

/** Paths of the previous synth's generated files, empty without a manifest. */
function readManifest(outdir: string): Set<string> {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, FILE_MANIFEST), 'utf-8'));
    return new Set(Array.isArray(manifest.files) ? manifest.files.filter((f: unknown) => typeof f === 'string') : []);
  } catch {
    return new Set();
  }
}

/** `.py` files below `root` (relative to `outdir`), `/`-separated, sorted; none when it does not exist. */
function pythonFiles(outdir: string, root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(outdir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) walk(p);
      } else if (e.isFile() && e.name.endsWith('.py')) {
        out.push(p);
      }
    }
  };
  walk(root);
  return out.sort();
}
