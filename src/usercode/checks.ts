import { installedDistributions, distributionOf, modulesOf } from './distributions';
import { PythonImport, pythonImports } from './parse';
import { STRICT_ENV } from './resolve';
import { stdlibModules } from './stdlib';
import { parseRequirement } from '../python/pep508';

/** Where a user file sits, which decides what it may import. */
export enum UserFileRole {
  /** The application package: runs in the image, with the runtime dependencies only. */
  APP = 'app',
  /** The test suite: runs with the dev dependency group too. */
  TESTS = 'tests',
  /** Alembic revisions: run by Alembic, with the project root on `sys.path`. */
  MIGRATIONS = 'migrations',
}

/** A user-owned Python file, as it is on disk. */
export interface UserFile {
  /** Path relative to the project root, `/`-separated. */
  readonly path: string;
  readonly source: string;
  readonly role: UserFileRole;
}

/** What a finding is about. */
export enum FindingKind {
  /** Imports a module this library generated and no longer does. */
  MANAGED_MODULE = 'managed-module',
  /** Imports a project directory that is not the application package (neither installed nor in the image). */
  NOT_PACKAGED = 'not-packaged',
  /** Imports a third-party module no declared dependency provides. */
  MISSING_DEPENDENCY = 'missing-dependency',
  /**
   * Imports the package of another member of the uv workspace without declaring that member in `deps`.
   * Always fails the synth: the member's image and lock would not follow the import.
   */
  UNDECLARED_MEMBER = 'undeclared-member',
  /** A declared dependency nothing imports (informational). */
  UNUSED_DEPENDENCY = 'unused-dependency',
}

/** One thing the check found, at a line of a file. */
export interface Finding {
  readonly file: string;
  /** 1-based; 0 when the finding is about the file as a whole. */
  readonly line: number;
  readonly kind: FindingKind;
  readonly message: string;
}

/** Everything the check judges the user's files against, read from the model at synth. */
export interface UserCodeModel {
  readonly pythonVersion: string;
  /** Top-level application package (first-party). */
  readonly appPackage: string;
  /** The `app` option as the user writes it, e.g. `app.main:app` (for the way out of a rename). */
  readonly appOption: string;
  readonly testsDir: string;
  /** Runtime requirements (PEP 508). */
  readonly deps: readonly string[];
  /** `dev` group requirements (PEP 508). */
  readonly devDeps: readonly string[];
  /**
   * Files this library generated and will not generate after this synth, keyed by path (e.g.
   * `app/db.py` after `database: false`), with the `.projenrc.ts` change that brings each back.
   */
  readonly goneManagedFiles: ReadonlyMap<string, string>;
  /** Distributions an option would add, with that option (e.g. `asyncpg` → `databaseOptions.driver: DatabaseDriver.ASYNCPG`). */
  readonly optionalDistributions: ReadonlyMap<string, string>;
  /** Distributions the library's own generated files or commands use: never reported as unused. */
  readonly libraryDistributions: ReadonlySet<string>;
  /** Report declared runtime dependencies nothing imports. */
  readonly reportUnused: boolean;
  /**
   * In a uv workspace: the top-level package of every other member, with that member's name and
   * whether this project declares it in `deps`.
   */
  readonly workspacePackages?: ReadonlyMap<string, WorkspacePackage>;
  /** Whether a path (file or directory) relative to the project root will exist after this synth. */
  exists(relPath: string): boolean;
}

/** The import package of another workspace member, as {@link UserCodeModel.workspacePackages} has it. */
export interface WorkspacePackage {
  /** The member's (normalized) distribution name. */
  readonly member: string;
  /** Whether the project being checked lists the member in its `deps`. */
  readonly declared: boolean;
}

/** `a.b.c` → the files that define it: `a/b/c.py` and `a/b/c/__init__.py`. */
function moduleFiles(dotted: string): string[] {
  const base = dotted.split('.').join('/');
  return [`${base}.py`, `${base}/__init__.py`];
}

/** The absolute module a relative import names, or undefined when it climbs above the project root. */
function absoluteModule(file: string, imp: PythonImport): string | undefined {
  if (imp.level === 0) return imp.module;
  const pkg = file.split('/').slice(0, -1);
  const up = imp.level - 1;
  if (up >= pkg.length) return undefined;
  const base = pkg.slice(0, pkg.length - up);
  return [...base, ...(imp.module ? imp.module.split('.') : [])].join('.');
}

/**
 * Reads the user's files and returns what does not agree with the model: imports of managed modules
 * that are gone, of project directories that are not the application package, and of third-party
 * modules no dependency provides; optionally, dependencies nothing imports. Never changes a file.
 */
export function checkUserCode(files: readonly UserFile[], model: UserCodeModel): Finding[] {
  const stdlib = stdlibModules(model.pythonVersion);
  const runtime = installedDistributions(model.deps);
  const dev = installedDistributions(model.devDeps);
  const imported = new Set<string>();
  const findings: Finding[] = [];

  for (const file of files) {
    for (const imp of pythonImports(file.source, model.pythonVersion)) {
      const abs = absoluteModule(file.path, imp);
      if (abs === undefined || abs === '') continue;
      const add = (kind: FindingKind, message: string): void => {
        findings.push({ file: file.path, line: imp.line, kind, message });
      };

      // 1. A module this library generated, gone after this synth (guarded imports cope with that).
      const candidates = [abs, ...imp.names.filter((n) => n !== '*').map((n) => `${abs}.${n}`)];
      const gone = candidates.flatMap(moduleFiles).find((f) => model.goneManagedFiles.has(f) && !model.exists(f));
      if (gone) {
        if (!imp.guarded) {
          const module = gone.replace(/(\/__init__)?\.py$/, '').split('/').join('.');
          add(FindingKind.MANAGED_MODULE, `${module}: no longer generated. Remove the import, or turn the option ` +
            `back on (${model.goneManagedFiles.get(gone)} in .projenrc.ts).`);
        }
        continue;
      }
      if (imp.level > 0) continue; // relative: the user's own package

      const top = abs.split('.')[0];
      imported.add(top);
      if (top === '__future__' || stdlib.has(top) || top === model.appPackage) continue;

      // Another member of the workspace: installed in the shared virtualenv, but in this project's
      // image and lock only when declared.
      const member = model.workspacePackages?.get(top);
      if (member) {
        if (!member.declared && !imp.guarded) {
          add(FindingKind.UNDECLARED_MEMBER, `${top}: the package of workspace member "${member.member}", which deps does not declare ` +
            `(its image would not contain it). Add "${member.member}" to deps in .projenrc.ts (a workspace dependency), or remove the import.`);
        }
        continue;
      }

      // 2. Local modules: the tests' own helpers; other packages at the project root.
      if (file.role === UserFileRole.TESTS && (top === model.testsDir
        || [`${model.testsDir}/${top}.py`, `${model.testsDir}/${top}/__init__.py`].some((p) => model.exists(p)))) continue;
      // A package (with `__init__.py`) or module at the project root; a bare directory is no package.
      if (model.exists(`${top}.py`) || model.exists(`${top}/__init__.py`)) {
        // Alembic puts the project root on sys.path for the migrations; nothing does for the app and tests.
        if (file.role !== UserFileRole.MIGRATIONS && !imp.guarded) {
          add(FindingKind.NOT_PACKAGED, `${top}: a directory of the project, not the application package ` +
            `${model.appPackage} (app: "${model.appOption}"), so neither installed nor in the image. ` +
            `Import from ${model.appPackage}, or set app back to "${top}${model.appOption.slice(model.appPackage.length)}".`);
        }
        continue;
      }

      // 3. Third-party: a declared dependency must provide it (the tests and type-only imports may use the dev group).
      if (imp.guarded) continue;
      const dist = distributionOf(top);
      const devAllowed = file.role === UserFileRole.TESTS || imp.typeOnly;
      if (runtime.has(dist) || (devAllowed && dev.has(dist))) continue;
      if (dev.has(dist)) {
        add(FindingKind.MISSING_DEPENDENCY, `${top}: "${dist}" is only in the dev group, which the image does not install. ` +
          `Add it to deps, or import it only in ${model.testsDir}/.`);
        continue;
      }
      const option = model.optionalDistributions.get(dist);
      const list = file.role === UserFileRole.TESTS ? 'devDeps (or deps)' : 'deps';
      add(FindingKind.MISSING_DEPENDENCY, option
        ? `${top}: no dependency provides it ("${dist}" came with ${option}). Set ${option} again, add "${dist}" to ${list}, or remove the import.`
        : `${top}: no dependency provides it (distribution "${dist}"). Add "${dist}" to ${list} in .projenrc.ts, or remove the import.`);
    }
  }

  if (model.reportUnused) {
    for (const text of model.deps) {
      const r = parseRequirement(text);
      if (!r || model.libraryDistributions.has(r.name)) continue;
      if (modulesOf(r.name).some((m) => imported.has(m.split('.')[0]))) continue;
      findings.push({
        file: 'pyproject.toml',
        line: 0,
        kind: FindingKind.UNUSED_DEPENDENCY,
        message: `"${r.text}" (deps): no file of ${model.appPackage}/, ${model.testsDir}/ or the migrations imports it (it may still be used without an import, e.g. as a plugin).`,
      });
    }
  }
  return findings;
}

/**
 * One block of text, grouped by file (in path order), lines in order. Empty when there is nothing
 * to say.
 */
export function formatFindings(findings: readonly Finding[], strict: boolean): string {
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  const problems = findings.filter((f) => f.kind !== FindingKind.UNUSED_DEPENDENCY).length;
  const head = problems > 0
    ? `projen-uv-service: ${problems} import${problems === 1 ? '' : 's'} of your Python code disagree${problems === 1 ? 's' : ''} with .projenrc.ts ` +
      (strict ? '(strict mode: the synth stops, nothing was written):' : `(warnings; ${STRICT_ENV}=1 or importCheckOptions.strict fails the synth):`)
    : 'projen-uv-service: declared dependencies nothing imports (information):';
  const lines = [head];
  for (const file of [...byFile.keys()].sort()) {
    lines.push(`  ${file}`);
    for (const f of byFile.get(file)!.sort((a, b) => a.line - b.line)) {
      lines.push(`    ${f.line > 0 ? `${f.line}: ` : ''}${f.message}`);
    }
  }
  return lines.join('\n');
}
