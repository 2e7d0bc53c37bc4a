import * as fs from 'fs';
import * as path from 'path';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { ServiceConfigError } from '../../src/core/problems';
import { thrownBy } from '../support/errors';
import { tempDir, withoutPost } from '../support/synth';

/** Rows of the error table of docs/errors.md: option path, example options (JSON), message fragment. */
function errorRows(): Array<[string, string, string]> {
  const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf-8');
  return page
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split(' | ').map((c) => c.replace(/^\| /, '').replace(/ \|$/, ''));
      const unquote = (c: string) => c.replace(/^`/, '').replace(/`$/, '');
      return [unquote(cells[0]), unquote(cells[1]), cells[2]] as [string, string, string];
    });
}

describe('the Errors table of docs/errors.md matches the messages', () => {
  const rows = errorRows();

  test('the table has a row for each kind of option error', () => {
    expect(rows.length).toBeGreaterThanOrEqual(25);
  });

  test.each(rows)('%s with %s', (option, example, message) => {
    // Refused when the service is constructed, or at synth for a rule between files (before anything is written).
    const error = thrownBy(() => withoutPost(() => new UvPythonService({ name: 'orders-api', outdir: tempDir(), ...JSON.parse(example) } as UvPythonServiceOptions).synth()));
    expect(error).toBeInstanceOf(ServiceConfigError);
    const problem = (error as ServiceConfigError).problems.find((p) => p.option === option);
    expect(problem).toBeDefined();
    expect(problem!.expected).toContain(message);
  });
});
