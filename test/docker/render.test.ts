import { Arg, Env, Label } from 'dockerfile-ast';
import { Project } from 'projen';
import { dockerfileFindings, execArgs, expandsVariable, parseDockerfile, textOfRange } from './support';
import { CacheSharing, DockerInstruction as I, DockerInstructionKind, DockerStages, ExposeProtocol, ExposeInstruction, IDockerInstruction, RunMount } from '../../src/docker';
import { tempDir } from '../support/synth';

function model(instructions: IDockerInstruction[], extra: { syntax?: string } = {}): DockerStages {
  const project = new Project({ name: 'm', outdir: tempDir() });
  return new DockerStages(project, {
    ...extra,
    stages: [{ name: 'main', image: 'debian:trixie-slim', instructions: [...instructions, I.user('1000')] }],
  });
}

/** Renders one instruction in a minimal valid Dockerfile and returns the text. */
function render(...instructions: IDockerInstruction[]): string {
  return model(instructions).render();
}

const tricky = {
  SPACES: 'two words',
  QUOTES: 'say "hi"',
  BACKSLASH: 'C:\\path\\',
  SINGLE: "it's",
  EMPTY: '',
  EQUALS: 'a=b=c',
  UNICODE: 'café ☕',
  TAB: 'a\tb',
};

describe('values round-trip through dockerfile-ast', () => {
  test('ENV quotes and escapes exactly what needs it, and the parser reads back every value', () => {
    const text = render(I.env(tricky));
    expect(dockerfileFindings(text)).toEqual([]);
    const env = parseDockerfile(text).getInstructions().find((i) => i instanceof Env) as Env;
    expect(Object.fromEntries(env.getProperties().map((p) => [p.getName(), p.getValue() ?? '']))).toEqual(tricky);
    expect(text).toContain('ENV SPACES="two words" \\\n    QUOTES="say \\"hi\\""');
  });

  test('LABEL keys with dots stay bare; keys with spaces are quoted', () => {
    const labels = { 'org.opencontainers.image.title': 'orders "api"', 'my key': 'v' };
    const text = render(I.label(labels));
    expect(dockerfileFindings(text)).toEqual([]);
    const label = parseDockerfile(text).getInstructions().find((i) => i instanceof Label) as Label;
    expect(Object.fromEntries(label.getProperties().map((p) => [p.getName(), p.getValue()]))).toEqual(labels);
    expect(text).toContain('LABEL org.opencontainers.image.title="orders \\"api\\"" \\\n    "my key"=v');
  });

  test('variable references stay references', () => {
    const text = render(I.env({ PATH: '/app/.venv/bin:$PATH', HOME2: '${HOME}/x' }));
    expect(text).toContain('ENV PATH=/app/.venv/bin:$PATH \\\n    HOME2=${HOME}/x');
    expect(dockerfileFindings(text)).toEqual([]);
  });

  test('LABEL { literal: true } escapes "$", so Docker keeps the text; without it "$HOME" stays a reference', () => {
    const description = 'He said "hi" $HOME \\ back ${USER}';
    const text = render(I.label({ description }, { literal: true }), I.label({ home: '$HOME', desc: description }));
    expect(dockerfileFindings(text)).toEqual([]);
    const [literal, plain] = parseDockerfile(text).getInstructions().filter((i) => i instanceof Label) as Label[];
    const [value] = literal.getProperties();
    // dockerfile-ast unescapes \" and \\ and leaves Docker's \$ escape, which Docker reads as a literal "$".
    expect(value.getValue()).toBe('He said "hi" \\$HOME \\ back \\${USER}');
    expect(value.getValue()!.replace(/\\\$/g, '$')).toBe(description);
    expect(expandsVariable(textOfRange(text, value.getValueRange()!))).toBe(false);
    expect(plain.getProperties().map((p) => [p.getValue(), expandsVariable(textOfRange(text, p.getValueRange()!))])).toEqual([
      ['$HOME', true],
      ['He said "hi" $HOME \\ back ${USER}', true],
    ]);
    expect(text).toContain('LABEL description="He said \\"hi\\" \\$HOME \\\\ back \\${USER}"\n');
    // A literal value without "$" renders as before.
    expect(render(I.label({ a: 'plain', b: 'two words' }, { literal: true }))).toContain('LABEL a=plain \\\n    b="two words"');
  });

  test('ARG with and without a default', () => {
    const text = render(I.arg('VERSION'), I.arg('GREETING', 'hello world'));
    expect(dockerfileFindings(text)).toEqual([]);
    const args = parseDockerfile(text).getInstructions().filter((i) => i instanceof Arg) as Arg[];
    expect(args.map((a) => [a.getProperty()!.getName(), a.getProperty()!.getValue()])).toEqual([
      ['VERSION', null], ['GREETING', 'hello world'],
    ]);
  });

  test('exec form is a JSON array: quotes, backslashes, newlines and unicode survive', () => {
    const args = ['sh', '-c', 'echo "a\\b"\nline two', 'ünï', ''];
    const text = render(I.entrypoint(['tini', '--']), I.cmd(args));
    expect(dockerfileFindings(text)).toEqual([]);
    const [entry, cmd] = parseDockerfile(text).getInstructions().filter((i) => ['CMD', 'ENTRYPOINT'].includes(i.getKeyword()));
    expect(execArgs(text, entry)).toEqual(['tini', '--']);
    expect(execArgs(text, cmd)).toEqual(args);
    expect(text).toContain('CMD ["sh", "-c", "echo \\"a\\\\b\\"\\nline two", "ünï", ""]');
  });

  test('COPY switches to the JSON form when a path has a space or a quote', () => {
    const text = render(
      I.copy(['plain.txt', 'dir/'], '/srv/'),
      I.copy(['my file.txt', 'say"hi".txt'], '/srv/data dir/', { chown: '1000:1000', chmod: '0644', link: true }),
    );
    expect(dockerfileFindings(text)).toEqual([]);
    expect(text).toContain('COPY plain.txt dir/ /srv/\n');
    expect(text).toContain('COPY --chown=1000:1000 --chmod=0644 --link ["my file.txt", "say\\"hi\\".txt", "/srv/data dir/"]');
    const copy = parseDockerfile(text).getInstructions().filter((i) => i.getKeyword() === 'COPY')[1];
    expect(execArgs(text, copy)).toEqual(['my file.txt', 'say"hi".txt', '/srv/data dir/']);
  });

  test('RUN: mounts first, then && steps, each on a continued line', () => {
    const text = render(I.run(['apt-get update', 'apt-get install -y --no-install-recommends git'], {
      mounts: [
        RunMount.cache({ target: '/var/cache/apt', id: 'apt', sharing: CacheSharing.LOCKED }),
        RunMount.secret({ id: 'npmrc', target: '/root/.npmrc', required: true, mode: '0400' }),
        RunMount.bind({ source: 'a,b', target: '/mnt/x' }),
      ],
    }));
    expect(dockerfileFindings(text)).toEqual([]);
    expect(text).toContain([
      'RUN --mount=type=cache,target=/var/cache/apt,id=apt,sharing=locked \\',
      '    --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true,mode=0400 \\',
      '    --mount=type=bind,"source=a,b",target=/mnt/x \\',
      '    apt-get update \\',
      '    && apt-get install -y --no-install-recommends git',
    ].join('\n'));
  });

  test('RUN exec form, bind from a stage, read-only cache seeded from a stage', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const d = new DockerStages(project, {
      stages: [
        { name: 'deps', image: 'alpine:3.22', instructions: [I.runExec(['touch', '/x y'])] },
        {
          name: 'main',
          image: 'alpine:3.22',
          instructions: [
            I.run(['ls /deps'], { mounts: [RunMount.bind({ fromStage: 'deps', source: '/', target: '/deps', readWrite: true })] }),
            I.run(['ls /c'], { mounts: [RunMount.cache({ target: '/c', fromStage: 'deps', source: '/', readOnly: true, uid: 1, gid: 2, mode: '0700' })] }),
            I.user('app'),
          ],
        },
      ],
    });
    const text = d.render();
    expect(dockerfileFindings(text)).toEqual([]);
    expect(d.problems()).toEqual([]);
    expect(text).toContain('RUN ["touch", "/x y"]');
    expect(text).toContain('RUN --mount=type=bind,source=/,target=/deps,from=deps,rw \\');
    expect(text).toContain('RUN --mount=type=cache,target=/c,from=deps,source=/,mode=0700,uid=1,gid=2,ro \\');
  });

  test('HEALTHCHECK with timings, HEALTHCHECK NONE, EXPOSE udp, USER with group, WORKDIR, comments, raw lines', () => {
    const text = render(
      I.comment('first line\n\nthird line'),
      I.workdir('/srv/app'),
      I.expose(5353, ExposeProtocol.UDP),
      I.healthcheck(['/bin/check', '--quiet'], { intervalSeconds: 10, timeoutSeconds: 2, startPeriodSeconds: 3, startIntervalSeconds: 1, retries: 5 }),
      I.raw('STOPSIGNAL SIGTERM'),
      I.user('app', 'staff'),
    );
    expect(dockerfileFindings(text)).toEqual([]);
    expect(text).toContain('# first line\n#\n# third line\n');
    expect(text).toContain('EXPOSE 5353/udp');
    expect(text).toContain('HEALTHCHECK --interval=10s --timeout=2s --start-period=3s --start-interval=1s --retries=5 CMD ["/bin/check", "--quiet"]');
    expect(text).toContain('STOPSIGNAL SIGTERM\nUSER app:staff');
    expect(render(I.healthcheckNone())).toContain('HEALTHCHECK NONE\n');
  });
});

describe('the file as a whole', () => {
  test('syntax directive first, then the marker; stages separated by one blank line; one trailing newline', () => {
    const project = new Project({ name: 'm', outdir: tempDir() });
    const d = new DockerStages(project, {
      syntax: 'docker/dockerfile:1.7',
      stages: [
        { name: 'a', image: 'alpine:3.22', platform: '$BUILDPLATFORM' },
        { name: 'b', fromStage: 'a', instructions: [I.user('1')] },
      ],
    });
    const text = d.render('~~ marker');
    expect(text).toBe('# syntax=docker/dockerfile:1.7\n# ~~ marker\n\nFROM --platform=$BUILDPLATFORM alpine:3.22 AS a\n\nFROM a AS b\nUSER 1\n');
    expect(dockerfileFindings(text)).toEqual([]);
    expect(parseDockerfile(text).getDirectives()[0].getValue()).toBe('docker/dockerfile:1.7');
    expect(d.render('~~ marker')).toBe(text);
  });

  test('without directive and marker the file starts with the first FROM', () => {
    expect(render()).toBe('FROM debian:trixie-slim AS main\nUSER 1000\n');
  });
});

describe('escape hatches', () => {
  const fresh = () => model([I.workdir('/app'), I.expose(80), I.cmd(['serve'])]);

  test('stage() finds a stage, or throws listing the stages', () => {
    const d = fresh();
    expect(d.stage('main').name).toBe('main');
    expect(d.tryFindStage('nope')).toBeUndefined();
    expect(() => d.stage('nope')).toThrow('Dockerfile has no stage "nope"; its stages are: "main".');
  });

  test('instructions can be found, inserted, replaced and removed', () => {
    const d = fresh();
    const main = d.stage('main');
    const expose = main.findInstructions(DockerInstructionKind.EXPOSE)[0] as ExposeInstruction;
    expect(expose.port).toBe(80);
    main.replaceInstruction(main.indexOf(expose), I.expose(8080));
    main.insertInstructions(0, I.label({ team: 'orders' }));
    main.removeInstruction(main.indexOf(main.findInstructions(DockerInstructionKind.WORKDIR)[0]));
    expect(main.instructions.map((i) => i.render())).toEqual([
      'LABEL team=orders', 'EXPOSE 8080', 'CMD ["serve"]', 'USER 1000',
    ]);
    expect(() => main.removeInstruction(9)).toThrow('stage "main": index 9 is out of range; expected 0..3 (the stage has 4 instructions).');
    expect(() => main.insertInstructions(-1, I.user('x'))).toThrow(/index -1 is out of range/);
  });

  test('stages can be inserted, changed and removed', () => {
    const d = fresh();
    d.insertStage(0, { name: 'tools', image: 'alpine:3.22' });
    d.addStage({ name: 'extra', fromStage: 'main' });
    d.stage('main').image = 'debian:bookworm-slim';
    d.stage('main').platform = 'linux/arm64';
    d.removeStage('extra');
    expect(d.stages.map((s) => s.renderFrom())).toEqual([
      'FROM alpine:3.22 AS tools', 'FROM --platform=linux/arm64 debian:bookworm-slim AS main',
    ]);
    expect(() => d.insertStage(7, { name: 'x', image: 'a:1' })).toThrow('Dockerfile: stage index 7 is out of range; expected 0..2.');
  });

  test('the instruction list returned is a copy: changing it does not change the stage', () => {
    const d = fresh();
    d.stage('main').instructions.pop();
    expect(d.stage('main').instructions).toHaveLength(4);
  });
});
