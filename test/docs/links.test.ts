import * as fs from 'fs';
import * as path from 'path';
import { brokenLinks, githubSlug, headingAnchors, relativeLinks } from '../support/markdown-links';
import { tempDir } from '../support/synth';

const ROOT = path.join(__dirname, '..', '..');

/** The repository's own documents: README.md, CONTRIBUTING.md, ARCHITECTURE.md and every page of docs/. */
function documents(): string[] {
  const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', 'CONTRIBUTING.md', 'ARCHITECTURE.md', ...pages.sort()];
}

describe('relative links of the documents', () => {
  test('every relative link, file and #anchor, resolves', () => {
    const files = documents();
    expect(files.length).toBeGreaterThanOrEqual(10);
    const linked = files.flatMap((f) => relativeLinks(fs.readFileSync(path.join(ROOT, f), 'utf-8')));
    expect(linked.filter((l) => l.target.includes('#')).length).toBeGreaterThanOrEqual(10);
    expect(brokenLinks(ROOT, files)).toEqual([]);
  });

  test('every page of docs/ says what it covers and links back to the index', () => {
    for (const page of documents().filter((f) => f.startsWith('docs/') && f !== 'docs/README.md')) {
      const [title, blank, summary] = fs.readFileSync(path.join(ROOT, page), 'utf-8').split('\n');
      expect([page, title.startsWith('# '), blank, summary.includes('](README.md)')]).toEqual([page, true, '', true]);
    }
  });

  test('the index links every page of docs/', () => {
    const index = relativeLinks(fs.readFileSync(path.join(ROOT, 'docs', 'README.md'), 'utf-8')).map((l) => l.target.split('#')[0]);
    const pages = documents().filter((f) => f.startsWith('docs/') && f !== 'docs/README.md').map((f) => f.slice('docs/'.length));
    expect(pages.filter((p) => !index.includes(p))).toEqual([]);
  });
});

describe('the link check itself', () => {
  test.each([
    ['`.github/workflows/upgrade.yml`: one upgrade pull request', 'githubworkflowsupgradeyml-one-upgrade-pull-request'],
    ['Options (`databaseOptions` of `UvPythonService`, or `NeonDatabase`\'s own)', 'options-databaseoptions-of-uvpythonservice-or-neondatabases-own'],
    ['What `./scripts/test` needs', 'what-scriptstest-needs'],
    ['Docker: `DockerStages`', 'docker-dockerstages'],
    ['A -- b  c', 'a----b--c'],
    ['See [the index](README.md) — here', 'see-the-index--here'],
    ['snake_case and Ünïcode 2', 'snake_case-and-ünïcode-2'],
  ])('the anchor of "%s" is #%s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  test('a repeated heading gets -1; headings in code blocks get none', () => {
    expect([...headingAnchors('# Tasks\n\n## Tasks\n\n```sh\n# not a heading\n```\n### Options\n')]).toEqual(['tasks', 'tasks-1', 'options']);
  });

  test('a missing file, a missing anchor and an anchor in another file are each reported; good links, URLs and code are not', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs', 'a.md'), '# A page\n\n## Its part\n');
    fs.writeFileSync(path.join(dir, 'README.md'), [
      '# Top',
      '[ok](docs/a.md) [ok](docs/a.md#its-part) [ok](#top) [ok](docs/) [url](https://example.com/x.md#nope)',
      '`[code](nowhere.md)`',
      '```',
      '[fenced](nowhere.md)',
      '```',
      '[gone](docs/b.md) [bad anchor](docs/a.md#its_part) [bad here](#bottom)',
    ].join('\n'));
    expect(brokenLinks(dir, ['README.md'])).toEqual([
      'README.md:7: docs/b.md (no such file)',
      'README.md:7: docs/a.md#its_part (no heading of docs/a.md has this anchor)',
      'README.md:7: #bottom (no heading of README.md has this anchor)',
    ]);
  });
});
