import { Project } from 'projen';
import { DockerIgnore, DockerStages } from '../../src/docker';

import { IgnoreMatcher, cleanPath, ignoreDecision, isIgnored } from '../../src/docker/ignore-matcher';
import { tempDir } from '../support/synth';

// Cases follow Docker's documented .dockerignore rules (Go filepath.Match plus `**`, `!` exceptions,
// last match wins, a match on a directory covers everything below it).
const cases: Array<[string[], string, boolean]> = [
  [['*.md'], 'README.md', true],
  [['*.md'], 'docs/guide.md', false], // `*` does not cross "/"
  [['*/*.md'], 'docs/guide.md', true],
  [['**/*.md'], 'docs/a/b/guide.md', true],
  [['**/*.md'], 'README.md', true], // `**/` also matches no directory
  [['docs'], 'docs/a/b.txt', true], // a directory match covers its content
  [['docs/**'], 'docs/a/b.txt', true],
  [['docs/**'], 'docs', false],
  [['**'], 'anything/at/all', true],
  [['a?c'], 'abc', true],
  [['a?c'], 'a/c', false], // `?` does not match "/"
  [['file[0-9].txt'], 'file7.txt', true],
  [['file[0-9].txt'], 'filex.txt', false],
  [['file[^0-9].txt'], 'filex.txt', true],
  [['\\*.txt'], '*.txt', true], // `\` escapes
  [['\\*.txt'], 'a.txt', false],
  [['a.b'], 'axb', false], // "." is literal
  [['/build'], 'build', true], // a leading "/" is dropped
  [['./build'], 'build/out', true], // the pattern is cleaned
  [['x/../build'], 'build', true],
  [['  build  '], 'build', true], // surrounding space is trimmed
  [['# build'], 'build', false], // a comment
  [['#build'], '#build', false],
  [[''], 'x', false],
  [['*.md', '!README.md'], 'README.md', false], // an exception re-includes
  [['!README.md', '*.md'], 'README.md', true], // the last match wins
  [['*.md', '!README.md'], 'CHANGES.md', true],
  [['docs', '!docs/keep.md'], 'docs/keep.md', false],
  [['.env*'], '.env.example', true],
  [['.env*'], 'config/.env', false], // root only
  [['**/.env*'], 'config/.env', true],
  [['**/__pycache__'], '__pycache__/x.pyc', true],
  [['**/__pycache__'], 'app/sub/__pycache__/x.pyc', true],
  [['**/*.py[cod]'], 'app/main.pyc', true],
  [['**/*.py[cod]'], 'app/main.py', false],
];

describe('isIgnored follows Docker\'s .dockerignore semantics', () => {
  test.each(cases)('%j on %s -> %s', (patterns, file, expected) => {
    expect(isIgnored(patterns, file)).toBe(expected);
  });

  test('one IgnoreMatcher, built once, answers many paths and names the deciding line', () => {
    const lines = ['# comment', 'docs', '!docs/keep.md', '**/*.md', '!README.md', '**/.env*'];
    const matcher = new IgnoreMatcher(lines);
    const paths = ['docs/a.txt', 'docs/keep.md', 'docs/sub/x.md', 'README.md', 'CHANGES.md', 'app/.env', './app/main.py', 'docs'];
    expect(paths.map((p) => [p, matcher.ignores(p)])).toEqual([
      ['docs/a.txt', true], ['docs/keep.md', true], ['docs/sub/x.md', true], ['README.md', false],
      ['CHANGES.md', true], ['app/.env', true], ['./app/main.py', false], ['docs', true],
    ]);
    expect(paths.map((p) => matcher.decision(p).line)).toEqual(
      ['docs', '**/*.md', 'docs', '!README.md', '**/*.md', '**/.env*', undefined, 'docs']);
    for (const p of paths) expect(ignoreDecision(lines, p)).toEqual(matcher.decision(p));
  });

  test.each(cases)('IgnoreMatcher agrees: %j on %s -> %s', (patterns, file, expected) => {
    expect(new IgnoreMatcher(patterns).ignores(file)).toBe(expected);
  });

  test('paths are cleaned like Go\'s filepath.Clean', () => {
    expect(['a//b/./c/', '/a/../b', '../x', '', 'a/..'].map(cleanPath)).toEqual(['a/b/c', '/b', '../x', '.', '.']);
  });
});

describe('DockerIgnore (the managed file)', () => {
  test('keeps order, moves a re-added pattern to the end, removes, and renders with the marker', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const ignore = new DockerIgnore(project, '.dockerignore');
    ignore.addPatterns('*.md', '!README.md', 'docs');
    ignore.addPatterns('*.md');
    ignore.removePatterns('docs');
    expect(ignore.patterns).toEqual(['!README.md', '*.md']);
    expect(ignore.ignores('README.md')).toBe(true);
  });

  test('insertPatterns puts patterns at a position (last matching line wins), moving one already present', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const ignore = new DockerIgnore(project, '.dockerignore');
    ignore.addPatterns('.git', 'docs', '**/.env*');
    ignore.insertPatterns(1, '*', '!docs', '.git');
    expect(ignore.patterns).toEqual(['*', '!docs', '.git', 'docs', '**/.env*']);
    expect(ignore.ignores('docs/a.md')).toBe(true); // "docs" after "!docs" wins
    ignore.insertPatterns(ignore.patterns.length, '!docs');
    expect(ignore.ignores('docs/a.md')).toBe(false);
    expect(() => ignore.insertPatterns(9, 'x')).toThrow(/pattern index 9 is out of range; expected 0\.\.5/);
  });

  test('a Dockerfile outside the context root gets -f in its tasks, and its own <name>.dockerignore', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const d = new DockerStages(project, { context: '../..', imageName: 'm', stages: [{ name: 'runtime', image: 'python:3.13-slim' }] });
    expect(d.ignore!.path).toBe('Dockerfile.dockerignore');
    expect(project.tasks.tryFind('docker:build')!.steps).toEqual([{ exec: 'docker build -f Dockerfile --target runtime --tag m:latest ../..' }]);
  });

  test('a Dockerfile with another name gets its own <name>.dockerignore, which BuildKit reads for it', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const d = new DockerStages(project, { dockerfile: 'docker/api.Dockerfile', stages: [] });
    expect(d.ignore!.path).toBe('docker/api.Dockerfile.dockerignore');
    expect(new DockerStages(new Project({ name: 'n', outdir: tempDir() }), { dockerignore: false }).ignore).toBeUndefined();
  });
});
