import { DockerfileParser, Instruction, JSONInstruction, ModifiableInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/** Mount types BuildKit's Dockerfile frontend knows. */
export const KNOWN_MOUNT_TYPES = ['bind', 'cache', 'secret', 'ssh', 'tmpfs'];

/** Every diagnostic dockerfile-utils reports, as `line: message`. */
export function dockerfileUtilsFindings(text: string): string[] {
  return validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

/** Whether a `--from` value reads as an image (registry, tag or digest) rather than a stage name. */
function looksLikeImage(value: string): boolean {
  return /[:/@]/.test(value);
}

/**
 * Stage-graph check, written on dockerfile-ast's parse of the text (not on the model that produced it):
 * every FROM or `--from` that names a stage resolves to an earlier stage, a plain word that is not an
 * earlier stage is a finding (it would be pulled as an image), every `RUN --mount` has a known `type=`.
 */
export function stageGraphFindings(text: string): string[] {
  const findings: string[] = [];
  const dockerfile = DockerfileParser.parse(text);
  const stages: string[] = [];
  const allStages = dockerfile.getFROMs().map((f) => f.getBuildStage()?.toLowerCase() ?? '');
  const line = (i: Instruction) => i.getRange().start.line + 1;

  const checkRef = (i: Instruction, what: string, value: string | null) => {
    if (value === null || value === '') {
      findings.push(`${line(i)}: ${what} has no value`);
      return;
    }
    const v = value.toLowerCase();
    if (stages.includes(v)) return;
    if (allStages.includes(v)) findings.push(`${line(i)}: ${what} "${value}" names a stage that is not defined before it`);
    else if (!looksLikeImage(value) && !/^\d+$/.test(value)) findings.push(`${line(i)}: ${what} "${value}" names no earlier stage`);
  };

  for (const ins of dockerfile.getInstructions()) {
    const keyword = ins.getKeyword();
    if (keyword === 'FROM') {
      const from = dockerfile.getFROMs().find((f) => f.getRange().start.line === ins.getRange().start.line)!;
      const image = from.getImage() ?? '';
      if (allStages.includes(image.toLowerCase())) checkRef(ins, 'FROM', image);
      const name = from.getBuildStage();
      if (name === null) findings.push(`${line(ins)}: FROM without AS <name>`);
      else stages.push(name.toLowerCase());
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      // Copy.getFromFlag() is null when there are several flags: read every flag.
      for (const flag of (ins as ModifiableInstruction).getFlags()) {
        if (flag.getName() === 'from') checkRef(ins, 'COPY --from', flag.getValue());
      }
    } else if (keyword === 'RUN') {
      for (const flag of (ins as ModifiableInstruction).getFlags()) {
        if (flag.getName() !== 'mount') continue;
        const options = new Map(flag.getOptions().map((o) => [o.getName(), o.getValue()]));
        const type = options.get('type');
        if (type === undefined || type === null || !KNOWN_MOUNT_TYPES.includes(type)) {
          findings.push(`${line(ins)}: RUN --mount type ${JSON.stringify(type ?? null)} is not one of ${KNOWN_MOUNT_TYPES.join(', ')}`);
        }
        if (options.has('from')) checkRef(ins, 'RUN --mount from', options.get('from') ?? null);
      }
    }
  }
  if (stages.length === 0) findings.push('no FROM');
  return findings;
}

/** Both checks together: an empty list means the Dockerfile is clean. */
export function dockerfileFindings(text: string): string[] {
  return [...dockerfileUtilsFindings(text), ...stageGraphFindings(text)];
}

/** Parses Dockerfile text with dockerfile-ast. */
export function parseDockerfile(text: string) {
  return DockerfileParser.parse(text);
}

/** The exec-form array of an instruction (CMD, ENTRYPOINT, COPY [...], HEALTHCHECK CMD [...]), read from the text. */
export function execArgs(text: string, ins: Instruction): string[] {
  const lines = text.split('\n');
  const r = ins.getRange();
  const body = lines.slice(r.start.line, r.end.line + 1).join('\n');
  const start = ins instanceof JSONInstruction && ins.getOpeningBracket()
    ? body.indexOf('[', ins.getOpeningBracket()!.getRange().start.character)
    : body.indexOf('[');
  return JSON.parse(body.slice(start, body.lastIndexOf(']') + 1));
}

/** Instructions of one stage (after its FROM, before the next), by stage name. */
export function stageInstructions(text: string, stage: string): Instruction[] {
  const out: Instruction[] = [];
  let current: string | null = null;
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      current = ins.getArguments().length >= 3 ? ins.getArguments()[ins.getArguments().length - 1].getValue() : null;
      continue;
    }
    if (current === stage) out.push(ins);
  }
  return out;
}

/** The text of one dockerfile-ast range (line/character positions) of `text`. */
export function textOfRange(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/**
 * Whether Docker would expand a variable in this value as written in the file: a `$` that is not escaped
 * by `\` (an odd run of backslashes before it). Docker's rule: `\$foo` is the literal text `$foo`.
 */
export function expandsVariable(rawValue: string): boolean {
  return /(^|[^\\])(\\\\)*\$/.test(rawValue);
}
