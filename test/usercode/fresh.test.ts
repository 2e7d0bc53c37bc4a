import * as fs from 'fs';
import { UvPythonService } from '../../src';
import { parserLoaded } from '../../src/usercode/parse';
import { synthService, tempDir } from '../support/synth';

// Its own file: jest gives each file a fresh module registry, so nothing else has loaded the parser.
test('a fresh default service: no finding, and the parser is loaded only once there are files to read', () => {
  const dir = tempDir('uvsvc-fresh-');
  try {
    let project: UvPythonService | undefined;
    const warn = jest.fn();
    const configure = (p: UvPythonService): void => {
      project = p;
      jest.spyOn(p.logger, 'warn').mockImplementation(warn);
    };
    synthService({}, configure, dir);
    expect(project!._importCheck!.findings).toEqual([]);
    expect(parserLoaded()).toBe(false);
    // Second synth: the samples are on disk now and are read; all is well, so nothing is printed.
    synthService({}, configure, dir);
    expect(project!._importCheck!.findings).toEqual([]);
    expect(parserLoaded()).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
