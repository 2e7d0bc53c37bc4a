import * as YAML from 'yaml';
import { UvPythonService } from '../../src';

import { DEPENDABOT_PATH } from '../../src/ci/plan';
import { dependabotCandidates, editMatches, managedFiles, splitUpdaters } from '../../src/ci/updaters';
import { synthService } from '../support/synth';

describe('Dependabot only where its pull requests can pass', () => {
  const variants = [{}, { docker: false }, { database: false }, { docker: false, database: false }];

  test.each(variants)('no updater edits a file projen manages (%j)', (options) => {
    const s = synthService(options);
    const managed = managedFiles(s.project);
    // projen's list, not a hand-kept one: it holds the files the updaters would edit.
    expect(managed).toEqual(expect.arrayContaining(['pyproject.toml', 'package.json', '.github/workflows/ci.yml']));
    const updates = s.files.includes(DEPENDABOT_PATH) ? YAML.parse(s.read(DEPENDABOT_PATH)).updates : [];
    const candidates = dependabotCandidates(managed);
    for (const u of updates) {
      const edits = candidates.find((c) => c.ecosystem === u['package-ecosystem'])!.edits;
      expect(managed.filter((f) => edits.some((e) => editMatches(e, f)))).toEqual([]);
    }
    // Every updater a service could have edits a managed file, so no config is written
    // (Dependabot's schema wants at least one update; security updates work without the file).
    expect(s.files).not.toContain(DEPENDABOT_PATH);
    const dropped = s.project.ci!.dependabotUpdates!._dropped.map((d) => d.ecosystem).sort();
    expect(dropped).toEqual(candidates.map((c) => c.ecosystem).sort());
    if (s.project.docker) expect(dropped).toContain('docker');
  });

  test('an updater whose files are not managed is kept, and written to dependabot.yml', () => {
    const managed = ['pyproject.toml', 'Dockerfile', '.github/workflows/ci.yml'];
    const { kept, dropped } = splitUpdaters(dependabotCandidates(managed), managed);
    expect(kept.map((c) => c.ecosystem)).toEqual(['npm']);
    expect(dropped).toEqual([
      { ecosystem: 'uv', managed: ['pyproject.toml'] },
      { ecosystem: 'docker', managed: ['Dockerfile'] },
      { ecosystem: 'github-actions', managed: ['.github/workflows/ci.yml'] },
    ]);
  });

  test('when a managed file stops being managed (escape hatch), its updater comes back with a valid config', () => {
    const s = synthService({ docker: false, database: false }, (p: UvPythonService) => {
      p.tryRemoveFile('package.json');
    });
    const config = YAML.parse(s.read(DEPENDABOT_PATH));
    expect(config.version).toBe(2);
    expect(config.updates).toEqual([{ 'package-ecosystem': 'npm', 'directory': '/', 'schedule': { interval: 'weekly' }, 'cooldown': { 'default-days': 7 } }]);
  });

  test('glob of the workflows matches within one directory only', () => {
    expect(editMatches('.github/workflows/*.yml', '.github/workflows/ci.yml')).toBe(true);
    expect(editMatches('.github/workflows/*.yml', '.github/workflows/sub/ci.yml')).toBe(false);
    expect(editMatches('pyproject.toml', 'pyprojectXtoml')).toBe(false);
  });
});
