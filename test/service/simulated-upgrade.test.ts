import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseToml } from 'smol-toml';
import * as YAML from 'yaml';
import { VERSIONS } from '../../src/core/versions';
import { README_BEGIN, README_END } from '../../src/service/readme';
import { synthService, tempDir } from '../support/synth';
import { validateTree } from '../support/validate-tree';

const git = (dir: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
};

/** Runs `fn` with the library's defaults raised, as a new release of the library would carry them. */
function withDefaults<T>(uv: string, python: string, fn: () => T): T {
  const v = VERSIONS as { -readonly [K in keyof typeof VERSIONS]: string };
  const saved = { uv: v.uv, python: v.python };
  v.uv = uv;
  v.python = python;
  try {
    return fn();
  } finally {
    v.uv = saved.uv;
    v.python = saved.python;
  }
}

describe('a simulated upgrade: a library release raises the default uv and Python', () => {
  const oldUv = VERSIONS.uv;
  const oldPython = VERSIONS.python;
  const [major, minor] = oldUv.split('.').map(Number);
  const newUv = `${major}.${minor + 1}.2`;
  const newPython = VERSIONS.pythonMaximum;

  test('a service on the defaults changes Dockerfile, CI, pyproject and the README block in one consistent diff', async () => {
    expect(newPython).not.toBe(oldPython);
    const dir = tempDir('uvsvc-sim-');
    synthService({}, undefined, dir);
    // The user's own README text around the block, and a commit, as in a real repository.
    const readme = path.join(dir, 'README.md');
    const user = fs.readFileSync(readme, 'utf-8').replace(README_BEGIN, `## Our notes\n\nKept as is.\n\n${README_BEGIN}`) + '\n## Runbook\n\nCall 555-0100.\n';
    fs.writeFileSync(readme, user);
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'before');

    const after = withDefaults(newUv, newPython, () => synthService({}, undefined, dir));
    git(dir, 'add', '--all');
    const changed = git(dir, 'diff', '--cached', '--name-only').trim().split('\n').sort();
    expect(changed).toEqual(['.github/workflows/ci.yml', '.github/workflows/upgrade.yml', '.python-version', 'Dockerfile', 'README.md', 'pyproject.toml']);

    // Consistent: every changed line carries the new versions, no file keeps an old one.
    const diff = git(dir, 'diff', '--cached', '-U0');
    const added = diff.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(added.length).toBeGreaterThan(5);
    for (const f of changed) {
      const text = after.read(f);
      expect({ f, old: text.includes(oldUv) }).toEqual({ f, old: false });
    }
    const pyproject = parseToml(after.read('pyproject.toml')) as any;
    expect(pyproject.project['requires-python']).toBe(`>=${newPython}`);
    expect(pyproject['build-system'].requires).toEqual([`uv_build>=${newUv},<${major}.${minor + 2}.0`]);
    expect(pyproject.tool.ruff['target-version']).toBe(`py${newPython.replace('.', '')}`);
    expect(after.read('.python-version')).toBe(`${newPython}\n`);
    expect(after.read('Dockerfile')).toContain(`ghcr.io/astral-sh/uv:${newUv}`);
    expect(after.read('Dockerfile')).toContain(`python:${newPython}-slim`);
    const ci = YAML.parse(after.read('.github/workflows/ci.yml'));
    expect(ci.jobs.test.steps.find((s: any) => s.id === 'setup-uv').with).toMatchObject({ 'version': newUv, 'python-version': newPython });

    // The README: the block follows, the user's text around it is byte for byte the same.
    const text = fs.readFileSync(readme, 'utf-8');
    const cut = (t: string) => [t.slice(0, t.indexOf(README_BEGIN)), t.slice(t.indexOf(README_END))];
    expect(cut(text)).toEqual(cut(user));
    expect(text).toContain(`A Python ${newPython} web service`);
    expect(text).not.toContain(`A Python ${oldPython} web service`);

    // And the new tree passes the validators.
    expect(await validateTree(dir, after.files)).toEqual([]);
  });
});
