import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { removeTempDirs, synthService, tempDir } from './synth';

describe('tempDir', () => {
  test('creates fresh directories under one parent in the system temp dir, and removeTempDirs removes them all', () => {
    const a = tempDir();
    const b = tempDir('other-');
    const s = synthService();
    expect(new Set([a, b, s.dir]).size).toBe(3);
    const parent = path.dirname(a);
    expect(path.dirname(b)).toBe(parent);
    expect(path.dirname(s.dir)).toBe(parent);
    expect(path.dirname(parent)).toBe(os.tmpdir());
    expect(path.basename(b)).toMatch(/^other-/);
    expect(s.files).toContain('pyproject.toml');

    removeTempDirs();
    for (const dir of [a, b, s.dir, parent]) expect(fs.existsSync(dir)).toBe(false);
  });

  test('after removeTempDirs, tempDir starts a new parent', () => {
    const first = path.dirname(tempDir());
    removeTempDirs();
    const second = path.dirname(tempDir());
    expect(second).not.toBe(first);
    expect(fs.existsSync(second)).toBe(true);
    removeTempDirs();
    expect(fs.existsSync(second)).toBe(false);
  });
});
