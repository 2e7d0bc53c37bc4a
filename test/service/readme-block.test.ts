import * as fs from 'fs';
import * as path from 'path';
import { Logger } from 'projen';
import { UvPythonService, UvPythonServiceOptions } from '../../src';
import { VERSIONS } from '../../src/core/versions';
import { README_BEGIN, README_END, ReadmeOutcome, updateReadme } from '../../src/service/readme';
import { staleUvPin } from '../../src/service/resolve';
import { listFiles, tempDir, withoutPost } from '../support/synth';

/** Synthesizes a service into `dir` (kept between calls, as a real checkout is). */
function synthInto(dir: string, options: Partial<UvPythonServiceOptions> = {}): { project: UvPythonService; info: string[]; warn: string[] } {
  const info: string[] = [];
  const warn: string[] = [];
  const spyInfo = jest.spyOn(Logger.prototype, 'info').mockImplementation((...args: unknown[]) => { info.push(args.join(' ')); });
  const spyWarn = jest.spyOn(Logger.prototype, 'warn').mockImplementation((...args: unknown[]) => { warn.push(args.join(' ')); });
  try {
    const project = new UvPythonService({ name: 'orders-api', ...options, outdir: dir });
    withoutPost(() => project.synth());
    return { project, info, warn };
  } finally {
    spyInfo.mockRestore();
    spyWarn.mockRestore();
  }
}
const readme = (dir: string) => fs.readFileSync(path.join(dir, 'README.md'), 'utf-8');
const blockOf = (text: string) => text.slice(text.indexOf(README_BEGIN), text.indexOf(README_END) + README_END.length);
const outside = (text: string) => text.replace(blockOf(text), '<BLOCK>');

describe('updateReadme', () => {
  const initial = `# x\n\n${README_BEGIN}\nnew\n${README_END}\n`;
  test('replaces only the text between the markers, byte for byte outside', () => {
    const user = `intro\r\n  with CRLF and trailing spaces   \n${README_BEGIN}\nold facts\n${README_END}\n\n## Mine\n\u00e9t\u00e9 \u{1F600}\n`;
    const { text, outcome } = updateReadme(user, 'new facts', initial);
    expect(outcome).toBe(ReadmeOutcome.UPDATED);
    expect(text).toBe(`intro\r\n  with CRLF and trailing spaces   \n${README_BEGIN}\nnew facts\n${README_END}\n\n## Mine\n\u00e9t\u00e9 \u{1F600}\n`);
    expect(updateReadme(text, 'new facts', initial)).toEqual({ text, outcome: ReadmeOutcome.UNCHANGED });
  });
  test('a marker mentioned inside a line of text is not a marker', () => {
    const user = `Keep the \`${README_BEGIN}\` line!\n${README_BEGIN}\nold\n${README_END}\n`;
    expect(updateReadme(user, 'new', initial)).toEqual({
      text: `Keep the \`${README_BEGIN}\` line!\n${README_BEGIN}\nnew\n${README_END}\n`, outcome: ReadmeOutcome.UPDATED,
    });
  });
  test('no README: the initial text; no markers or broken markers: left alone', () => {
    expect(updateReadme(undefined, 'b', initial)).toEqual({ text: initial, outcome: ReadmeOutcome.CREATED });
    expect(updateReadme('# mine\n', 'b', initial)).toEqual({ text: '# mine\n', outcome: ReadmeOutcome.NO_MARKERS });
    for (const broken of [`${README_END}\n${README_BEGIN}\n`, `${README_BEGIN}\n`, `${README_BEGIN}\n${README_END}\n${README_BEGIN}\n${README_END}\n`]) {
      expect(updateReadme(broken, 'b', initial)).toEqual({ text: broken, outcome: ReadmeOutcome.MALFORMED });
    }
  });
});

describe('the service README follows the options', () => {
  test('a new service: title and description outside, the facts inside the block', () => {
    const dir = tempDir();
    synthInto(dir);
    const text = readme(dir);
    expect(text.startsWith('# orders-api\n\nA Python web service.\n\n' + README_BEGIN)).toBe(true);
    const block = blockOf(text);
    for (const fact of [`Python ${VERSIONS.python}`, 'http://127.0.0.1:8000', 'DATABASE_URL_UNPOOLED', 'npx projen db:migrate', '| `Dockerfile` | managed |', '| `app/main.py` | written once |', '| `lint` |']) {
      expect(block).toContain(fact);
    }
  });

  test('port, Python version and variable names change: the block follows; a README the user rewrote around it is kept byte for byte', () => {
    const dir = tempDir();
    synthInto(dir);
    const before = readme(dir);
    const mine = `<!-- my badge -->\n# Orders API  \n\nOur own intro, kept.\r\n\n${blockOf(before)}\n\n## Runbook\n\nPage the on-call: +1 555 0100.\n`;
    fs.writeFileSync(path.join(dir, 'README.md'), mine);

    synthInto(dir, { port: 9090, pythonVersion: '3.13', databaseOptions: { pooledUrlEnv: 'APP_DB_URL', directUrlEnv: 'APP_DB_URL_DIRECT' } });
    const after = readme(dir);
    expect(outside(after)).toBe(outside(mine));
    const block = blockOf(after);
    expect(block).toContain('http://127.0.0.1:9090');
    expect(block).toContain('A Python 3.13 web service');
    expect(block).toContain('`APP_DB_URL_DIRECT`');
    expect(block).not.toMatch(/8000|3\.14|DATABASE_URL/);
    // Unchanged options: not rewritten (same bytes, same mtime).
    const mtime = fs.statSync(path.join(dir, 'README.md')).mtimeMs;
    synthInto(dir, { port: 9090, pythonVersion: '3.13', databaseOptions: { pooledUrlEnv: 'APP_DB_URL', directUrlEnv: 'APP_DB_URL_DIRECT' } });
    expect(readme(dir)).toBe(after);
    expect(fs.statSync(path.join(dir, 'README.md')).mtimeMs).toBe(mtime);
  });

  test('a README without markers (an older service) is left alone, and the synth says how to adopt the block, in one line', () => {
    const dir = tempDir();
    const old = '# orders-api\n\nWritten before the block existed. Port 8000.\n';
    fs.writeFileSync(path.join(dir, 'README.md'), old);
    const { info } = synthInto(dir, { port: 9090 });
    expect(readme(dir)).toBe(old);
    const lines = info.filter((l) => l.includes('README.md'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toContain(README_BEGIN);
    expect(lines[0]).toContain(README_END);
    expect(listFiles(dir)).toContain('pyproject.toml');
  });

  test('broken markers: left alone, with a warning', () => {
    const dir = tempDir();
    const broken = `# x\n${README_BEGIN}\nno end marker\n`;
    fs.writeFileSync(path.join(dir, 'README.md'), broken);
    const { warn } = synthInto(dir);
    expect(readme(dir)).toBe(broken);
    expect(warn.filter((l) => l.includes('README.md'))).toHaveLength(1);
  });
});

describe('stale uv pins are visible', () => {
  const [major, minor] = VERSIONS.uv.split('.').map(Number);
  const older = `${major}.${minor - 1}.5`;

  test('a pin below the default minor prints one line saying how to move; the default, a newer pin or none print nothing', () => {
    const dir = tempDir();
    const { warn } = synthInto(dir, { uvVersion: older });
    const lines = warn.filter((l) => l.includes('uvVersion'));
    expect(lines).toEqual([staleUvPin(older)]);
    expect(lines[0]).toContain(`"${older}"`);
    expect(lines[0]).toContain(`uvVersion: '${VERSIONS.uv}'`);
    for (const v of [undefined, VERSIONS.uv, `${major}.${minor}.99`, `${major}.${minor + 1}.0`]) {
      expect(synthInto(tempDir(), { uvVersion: v }).warn.filter((l) => l.includes('uvVersion'))).toEqual([]);
    }
    expect(staleUvPin('0.9.9', '0.13.0')).toContain('0.13 series');
    expect(staleUvPin('0.13.0', '0.13.7')).toBeUndefined();
  });
});

describe('the README block on the proxy addresses and the pre-flight', () => {
  test('it says whose X-Forwarded-For uvicorn takes, as dockerOptions.forwardedAllowIps sets it, and warns for "*"', () => {
    const said = (forwardedAllowIps?: string[]) => {
      const dir = tempDir();
      synthInto(dir, { database: false, dockerOptions: forwardedAllowIps ? { forwardedAllowIps } : {} });
      const block = blockOf(readme(dir));
      return block.slice(block.indexOf('**Behind a proxy.**')).split('\n\n')[0];
    };
    expect(said()).toContain('only from 127.0.0.1');
    expect(said(['10.0.0.0/8', '192.168.0.7'])).toContain('from `10.0.0.0/8`, `192.168.0.7`');
    expect(said(['*'])).toContain('can forge its address');
    expect(said()).toContain('dockerOptions.forwardedAllowIps');
  });

  test('it names the pre-flight module the CMD runs', () => {
    const dir = tempDir();
    synthInto(dir, { app: 'orders.main:api', database: false });
    expect(blockOf(readme(dir))).toContain('the CMD runs `python -m orders.settings`');
  });
});
