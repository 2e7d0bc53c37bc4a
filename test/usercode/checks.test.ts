import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { DatabaseDriver, UvPythonService, UvPythonServiceOptions } from '../../src';
import { CI_WORKFLOW_PATH } from '../../src/ci/plan';

import { Finding, FindingKind, formatFindings } from '../../src/usercode/checks';

import { STRICT_ENV } from '../../src/usercode/resolve';
import { listFiles, synthService, tempDir } from '../support/synth';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function newDir(): string {
  const d = tempDir('uvsvc-imports-');
  dirs.push(d);
  return d;
}

/** Synthesizes in `dir` (again) and returns what the import check found; the check's warning is silenced. */
function synthIn(dir: string, options: Partial<UvPythonServiceOptions> = {}): Finding[] {
  let project: UvPythonService | undefined;
  synthService(options, (p) => {
    project = p;
    jest.spyOn(p.logger, 'warn').mockImplementation(() => {});
  }, dir);
  return project!._importCheck!.findings;
}

/** 1-based line of the first line of a file that starts with `prefix` (read, not hard-coded). */
function lineOf(dir: string, file: string, prefix: string): number {
  const i = fs.readFileSync(path.join(dir, file), 'utf-8').split('\n').findIndex((l) => l.trimStart().startsWith(prefix));
  if (i < 0) throw new Error(`${file} has no line starting with ${prefix}`);
  return i + 1;
}

const brief = (fs_: Finding[]): string[] => fs_.map((f) => `${f.file}:${f.line} ${f.kind} ${f.message.split(':')[0]}`).sort();

function hashTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex')]));
}

function withEnv<T>(name: string, value: string, fn: () => T): T {
  const prev = process.env[name];
  process.env[name] = value;
  try {
    return fn();
  } finally {
    if (prev === undefined) delete process.env[name];
    else process.env[name] = prev;
  }
}

describe('turning off the database', () => {
  const dir = newDir();
  synthIn(dir);
  const userFiles = ['app/main.py', 'app/models.py', 'tests/conftest.py', 'tests/test_items.py'];
  const before = Object.fromEntries(userFiles.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
  const findings = synthIn(dir, { database: false });

  test('reports app.db, no longer generated, and sqlmodel, no longer a dependency, at their lines', () => {
    expect(brief(findings)).toEqual([
      `app/main.py:${lineOf(dir, 'app/main.py', 'from app.db import')} managed-module app.db`,
      `app/main.py:${lineOf(dir, 'app/main.py', 'from sqlalchemy import')} missing-dependency sqlalchemy`,
      `app/main.py:${lineOf(dir, 'app/main.py', 'from sqlmodel import')} missing-dependency sqlmodel`,
      `app/models.py:${lineOf(dir, 'app/models.py', 'from sqlalchemy import')} missing-dependency sqlalchemy`,
      `app/models.py:${lineOf(dir, 'app/models.py', 'from sqlmodel import')} missing-dependency sqlmodel`,
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'from sqlalchemy.engine import')} missing-dependency sqlalchemy`,
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'from sqlalchemy.ext.asyncio import')} missing-dependency sqlalchemy`,
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'from sqlmodel import')} missing-dependency sqlmodel`,
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'import app.db as db')} managed-module app.db`,
      `tests/test_items.py:${lineOf(dir, 'tests/test_items.py', 'from sqlalchemy.engine import')} missing-dependency sqlalchemy`,
      `tests/test_items.py:${lineOf(dir, 'tests/test_items.py', 'import app.db as db')} managed-module app.db`,
    ].sort());
  });

  test('the block printed is the one docs/import-check.md shows', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'import-check.md'), 'utf-8');
    const shown = /```\n(projen-uv-service: [\s\S]*?)\n```/.exec(page)![1];
    expect(formatFindings(findings, false)).toBe(shown);
  });

  test('names both ways out', () => {
    const managed = findings.find((f) => f.kind === FindingKind.MANAGED_MODULE)!;
    expect(managed.message).toContain('Remove the import');
    expect(managed.message).toContain('database: true');
    const missing = findings.find((f) => f.kind === FindingKind.MISSING_DEPENDENCY && f.message.startsWith('sqlmodel'))!;
    expect(missing.message).toContain('Set database: true again, add "sqlmodel" to deps, or remove the import');
  });

  test('never blocks the synth and never edits a user file', () => {
    expect(fs.existsSync(path.join(dir, 'app/db.py'))).toBe(false); // the synth ran: the managed module is gone
    for (const f of userFiles) expect(fs.readFileSync(path.join(dir, f), 'utf-8')).toBe(before[f]);
  });

  test('still reports on the next synth, when app/db.py is already gone from disk and from projen\'s manifest', () => {
    expect(brief(synthIn(dir, { database: false }))).toEqual(brief(findings));
  });

  test('turning it back on clears every finding', () => {
    expect(synthIn(dir)).toEqual([]);
  });
});

describe('renaming the application package', () => {
  const dir = newDir();
  synthIn(dir);
  const findings = synthIn(dir, { app: 'svc.main:app' });

  test('an import of the old package\'s managed module is found through projen\'s manifest of the previous synth', () => {
    const d = newDir();
    synthIn(d);
    fs.writeFileSync(path.join(d, 'tests/test_db.py'), 'from app.db import SessionDep\n');
    const found = synthIn(d, { app: 'svc.main:app' }).filter((f) => f.file === 'tests/test_db.py');
    expect(brief(found)).toEqual(['tests/test_db.py:1 managed-module app.db']);
    expect(found[0].message).toContain('the setting that generated it');
  });

  test('reports the tests that still import the old package, with both ways out', () => {
    expect(brief(findings)).toEqual([
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'import app.db as db')} managed-module app.db`,
      `tests/conftest.py:${lineOf(dir, 'tests/conftest.py', 'from app.main import')} not-packaged app`,
      `tests/test_health.py:${lineOf(dir, 'tests/test_health.py', 'from app.logs import')} managed-module app.logs`,
      `tests/test_health.py:${lineOf(dir, 'tests/test_health.py', 'from app.main import')} not-packaged app`,
      `tests/test_items.py:${lineOf(dir, 'tests/test_items.py', 'import app.db as db')} managed-module app.db`,
    ].sort());
    const notPackaged = findings.filter((f) => f.kind === FindingKind.NOT_PACKAGED);
    expect(notPackaged).toHaveLength(2);
    for (const f of notPackaged) {
      expect(f.message).toContain('Import from svc');
      expect(f.message).toContain('set app back to "app.main:app"');
    }
  });

  test('the new package is written (the synth went on)', () => {
    expect(fs.existsSync(path.join(dir, 'svc/db.py'))).toBe(true);
  });
});

describe('switching the driver', () => {
  test('produces nothing on the default samples (they do not import the driver), both ways', () => {
    const dir = newDir();
    synthIn(dir);
    expect(synthIn(dir, { databaseOptions: { driver: DatabaseDriver.PSYCOPG } })).toEqual([]);
    expect(synthIn(dir)).toEqual([]);
  });

  test('reports user code that imports the old driver, naming the option that brings it back', () => {
    const dir = newDir();
    synthIn(dir);
    fs.writeFileSync(path.join(dir, 'app/errors.py'), [
      'import asyncpg',
      '',
      '',
      'def is_duplicate(exc: Exception) -> bool:',
      '    from asyncpg.exceptions import UniqueViolationError',
      '',
      '    return isinstance(exc, (asyncpg.PostgresError, UniqueViolationError))',
      '',
    ].join('\n'));
    expect(synthIn(dir)).toEqual([]);
    const findings = synthIn(dir, { databaseOptions: { driver: DatabaseDriver.PSYCOPG } });
    expect(brief(findings)).toEqual(['app/errors.py:1 missing-dependency asyncpg', 'app/errors.py:5 missing-dependency asyncpg']);
    expect(findings[0].message).toContain('databaseOptions.driver: DatabaseDriver.ASYNCPG');

    // And the other way round: psycopg (installed by "psycopg[binary]") leaves with the switch back.
    fs.writeFileSync(path.join(dir, 'app/errors.py'), 'from psycopg import errors\n');
    expect(synthIn(dir, { databaseOptions: { driver: DatabaseDriver.PSYCOPG } })).toEqual([]);
    expect(brief(synthIn(dir))).toEqual(['app/errors.py:1 missing-dependency psycopg']);
  });
});

describe('how imports are read', () => {
  const dir = newDir();
  synthIn(dir, { database: false });
  const source = [
    'from __future__ import annotations', // 1  never reported
    '',
    'import os.path as osp', // 3  stdlib
    'import tomllib', // 4  stdlib from 3.11 on
    'from typing import TYPE_CHECKING', // 5
    '',
    'from . import db', // 7  relative: app.db, gone
    'from .main import app', // 8  relative: the user's own module
    '',
    'try:',
    '    import orjson', // 11 guarded: the code copes
    'except ImportError:',
    '    orjson = None',
    '',
    'if TYPE_CHECKING:',
    '    import pytest', // 16 type-only: the dev group is enough
    '',
    'if osp.sep == "/":',
    '    import requests.adapters as adapters', // 19 conditional: reported
    '',
    '',
    'def load():',
    '    from .db import SessionDep', // 23 in a function, relative: gone
    '    import dateutil.parser', // 24 in a function: python-dateutil missing
    '    import pydantic', // 25 comes with fastapi
    '    import pytest', // 26 dev group only, in app code
    '',
    '    return SessionDep, dateutil, pydantic, pytest, adapters, orjson, db, app, tomllib',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'app/extra.py'), source);
  fs.writeFileSync(path.join(dir, 'tests/test_extra.py'), [
    'import pytest', // dev group: fine in tests
    'import helpers', // tests/helpers.py: a local module
    'from app import db', // app.db, gone
    'import httpx', // dev group
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(dir, 'tests/helpers.py'), 'import redis\n');

  test('relative, conditional, guarded, type-only and in-function imports', () => {
    const found = brief(synthIn(dir, { database: false }).filter((f) => f.file !== 'app/main.py' && f.file !== 'app/models.py'));
    expect(found).toEqual([
      'app/extra.py:19 missing-dependency requests',
      'app/extra.py:23 managed-module app.db',
      'app/extra.py:24 missing-dependency dateutil',
      'app/extra.py:26 missing-dependency pytest',
      'app/extra.py:7 managed-module app.db',
      'tests/helpers.py:1 missing-dependency redis',
      'tests/test_extra.py:3 managed-module app.db',
    ]);
  });

  test('maps import names to distributions and uses the service\'s Python version for the standard library', () => {
    const findings = synthIn(dir, { database: false, pythonVersion: '3.10' });
    const extra = findings.filter((f) => f.file === 'app/extra.py');
    expect(extra.find((f) => f.line === 4)?.message).toMatch(/^tomllib: no dependency provides it/);
    expect(extra.find((f) => f.line === 24)?.message).toContain('"python-dateutil"');
    expect(extra.find((f) => f.line === 26)?.message).toContain('only in the dev group');
  });

  test('a declared dependency clears its finding', () => {
    const found = synthIn(dir, { database: false, deps: ['requests>=2', 'python-dateutil>=2'] }).filter((f) => f.file !== 'app/main.py' && f.file !== 'app/models.py');
    expect(found.map((f) => f.message.split(':')[0])).not.toContain('requests');
    expect(found.map((f) => f.message.split(':')[0])).not.toContain('dateutil');
    expect(found.map((f) => f.message.split(':')[0])).toContain('redis');
  });
});

describe('strict mode', () => {
  const prepare = (): string => {
    const dir = newDir();
    synthIn(dir);
    return dir;
  };

  test.each([
    ['importCheckOptions.strict', { importCheckOptions: { strict: true } }, {}],
    [`${STRICT_ENV}=1`, {}, { [STRICT_ENV]: '1' }],
  ] as const)('fails the synth and writes nothing (%s)', (_label, options, env) => {
    const dir = prepare();
    const before = hashTree(dir);
    const run = (): Finding[] => synthIn(dir, { database: false, ...options });
    const call = Object.keys(env).length > 0 ? () => withEnv(STRICT_ENV, '1', run) : run;
    expect(call).toThrow(/strict mode: the synth stops, nothing was written[\s\S]*app\/main\.py[\s\S]*app\.db: no longer generated/);
    expect(hashTree(dir)).toEqual(before); // app/db.py, pyproject.toml, the manifest: all untouched
  });

  test(`${STRICT_ENV}=0 or false is not strict`, () => {
    const dir = prepare();
    for (const v of ['0', 'false', '']) {
      expect(withEnv(STRICT_ENV, v, () => synthIn(dir, { database: false }))).not.toHaveLength(0);
    }
  });

  test('the generated CI synth job runs strict, and that run passes on a default service', () => {
    const dir = prepare();
    const workflow = YAML.parse(fs.readFileSync(path.join(dir, CI_WORKFLOW_PATH), 'utf-8'));
    const step = workflow.jobs.synth.steps.find((s: any) => s.id === 'synth');
    expect(step.env).toEqual({ [STRICT_ENV]: '1' });
    // The job's run, as CI does it: the committed files, synthesized again with the step's environment.
    const before = hashTree(dir);
    expect(withEnv(STRICT_ENV, step.env[STRICT_ENV], () => synthIn(dir))).toEqual([]);
    expect(hashTree(dir)).toEqual(before); // and no drift
  });

  test('informational findings alone never fail it', () => {
    const dir = prepare();
    const findings = synthIn(dir, { deps: ['requests>=2'], importCheckOptions: { strict: true, unusedDeps: true } });
    expect(brief(findings)).toEqual(['pyproject.toml:0 unused-dependency "requests>=2" (deps)']);
  });
});

describe('options', () => {
  test('importCheck: false turns the check off', () => {
    const dir = newDir();
    synthIn(dir);
    let project: UvPythonService | undefined;
    synthService({ database: false, importCheck: false, importCheckOptions: { strict: true } }, (p) => { project = p; }, dir);
    expect(project!._importCheck).toBeUndefined();
  });

  test('a non-boolean strict is one clear error', () => {
    expect(() => new UvPythonService({ name: 'x', outdir: newDir(), importCheckOptions: { strict: 'yes' as any } }))
      .toThrow(/importCheckOptions\.strict.*"yes".*expected true or false/s);
  });

  test('unusedDeps lists only the user\'s own dependencies nothing imports', () => {
    const dir = newDir();
    synthIn(dir);
    const findings = synthIn(dir, { deps: ['requests>=2', 'pyyaml>=6'], importCheckOptions: { unusedDeps: true } });
    expect(brief(findings)).toEqual([
      'pyproject.toml:0 unused-dependency "pyyaml>=6" (deps)',
      'pyproject.toml:0 unused-dependency "requests>=2" (deps)',
    ]);
    fs.writeFileSync(path.join(dir, 'app/conf.py'), 'import yaml\n');
    expect(brief(synthIn(dir, { deps: ['requests>=2', 'pyyaml>=6'], importCheckOptions: { unusedDeps: true } })))
      .toEqual(['pyproject.toml:0 unused-dependency "requests>=2" (deps)']);
  });
});
