import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from './synth';
import { validateTree } from './validate-tree';

/** The validators must catch what they are there for: a broken file of each kind is a finding. */
describe('validateTree finds broken files', () => {
  const broken: Record<string, string> = {
    'compose.yaml': 'services:\n  x:\n    image: postgres\n    depends_on:\n      y:\n        condition: bogus\n',
    '.env.example': 'DATABASE_URL=x\nthis is not an assignment\n',
    'pyproject.toml': '[project\nname = 1\n',
    'data.json': '{ "a": 1, }',
    'notes.xyz': 'no validator for this',
  };
  test.each(Object.entries(broken))('%s', async (file, content) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, file), content);
    if (file !== 'pyproject.toml') fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.ruff]\n');
    const findings = await validateTree(dir, [file]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.startsWith(`${file}:`))).toBe(true);
  });
});

test('dclint\'s schema check, compiled once and reused, still tells a broken compose file from a good one', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.ruff]\n');
  const check = async (compose: string) => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), compose);
    return validateTree(dir, ['compose.yaml']);
  };
  const good = 'services:\n  db:\n    image: "postgres:17"\n';
  const bad = 'services:\n  db:\n    image: "postgres:17"\n    restart: [1]\n';
  expect(await check(good)).toEqual([]);
  expect((await check(bad)).join('\n')).toMatch(/^compose\.yaml: .*dclint invalid-schema/);
  expect(await check(good)).toEqual([]);
  expect((await check(bad)).join('\n')).toMatch(/dclint invalid-schema/);
});
