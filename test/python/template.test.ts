import * as fs from 'fs';
import * as path from 'path';
import { ASSETS_DIR, renderTemplate } from '../../src/core/template';

describe('renderTemplate', () => {
  const rel = `python/.tmp-${process.pid}.txt`;
  const file = path.join(ASSETS_DIR, rel);
  beforeAll(() => fs.writeFileSync(file, 'a={{a}} b={{b}}\n'));
  afterAll(() => fs.rmSync(file));

  test('substitutes every token', () => {
    expect(renderTemplate(rel, { a: '1', b: '{{a}}' })).toBe('a=1 b={{a}}\n');
  });

  test('a token the template uses but the caller did not give is an error', () => {
    expect(() => renderTemplate(rel, { a: '1' })).toThrow(/uses \{\{b\}\}, which was not given/);
  });

  test('a token given but unused is an error', () => {
    expect(() => renderTemplate(rel, { a: '1', b: '2', c: '3' })).toThrow(/does not use c/);
  });
});
