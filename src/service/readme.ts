import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen/lib/component';
import { Project } from 'projen/lib/project';

/** First line of the README's managed block. */
export const README_BEGIN = '<!-- projen-uv-service:begin -->';
/** Last line of the README's managed block. */
export const README_END = '<!-- projen-uv-service:end -->';

/** The README text a synth writes. */
export interface ReadmeText {
  /** The managed block, without the marker lines. */
  readonly block: string;
  /** The whole README of a new service, the block between its marker lines. */
  readonly initial: string;
}

/** Renders the README's managed block from the project's model. */
export interface IReadmeSource {
  /** The block and the README of a new service; called at synth. */
  renderReadme(): ReadmeText;
}

/** What a synth does to the README. */
export enum ReadmeOutcome {
  /** There was no README: the whole file was written, the block between the markers. */
  CREATED = 'created',
  /** The block between the markers was replaced; every byte outside them is kept. */
  UPDATED = 'updated',
  /** The block was already current: nothing written. */
  UNCHANGED = 'unchanged',
  /** The README has no markers (made before the block existed): left alone. */
  NO_MARKERS = 'no-markers',
  /** The markers are not exactly one begin followed by one end: left alone. */
  MALFORMED = 'malformed',
}

/** Offsets of the lines that hold exactly `marker` (surrounding blanks allowed); a mention inside other text is not a marker. */
function markerLines(text: string, marker: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const re = new RegExp(`^[ \\t]*${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[ \\t]*$`, 'gm');
  for (const m of text.replace(/\r(?=\n)/g, ' ').matchAll(re)) out.push({ start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** `block` between the markers, as the README holds it. */
export function markedBlock(block: string): string {
  return `${README_BEGIN}\n${block.trim()}\n${README_END}`;
}

/**
 * The README after a synth: `existing` with only the text between the markers replaced by `block`,
 * or `initial` when there is no README. Text outside the markers is returned byte for byte; a README
 * without exactly one begin marker followed by one end marker is returned unchanged.
 */
export function updateReadme(existing: string | undefined, block: string, initial: string): { text: string; outcome: ReadmeOutcome } {
  if (existing === undefined) return { text: initial, outcome: ReadmeOutcome.CREATED };
  const begins = markerLines(existing, README_BEGIN);
  const ends = markerLines(existing, README_END);
  if (begins.length === 0 && ends.length === 0) return { text: existing, outcome: ReadmeOutcome.NO_MARKERS };
  if (begins.length !== 1 || ends.length !== 1 || ends[0].start < begins[0].end) {
    return { text: existing, outcome: ReadmeOutcome.MALFORMED };
  }
  // The marker lines themselves are kept as the user wrote them (indentation included).
  const start = existing.indexOf(README_BEGIN, begins[0].start) + README_BEGIN.length;
  const end = existing.indexOf(README_END, ends[0].start);
  const text = `${existing.slice(0, start)}\n${block.trim()}\n${existing.slice(end)}`;
  return { text, outcome: text === existing ? ReadmeOutcome.UNCHANGED : ReadmeOutcome.UPDATED };
}

/**
 * The service README: partly managed. The facts it takes from the model sit in a block between
 * {@link README_BEGIN} and {@link README_END}, rewritten on every synth; the rest belongs to the user.
 *
 * It cannot be a projen file (those are rewritten whole and read-only), so at synth it reads the
 * README on disk, replaces only the text between the markers, and writes it back when it changed.
 * A README without markers is left alone, and the synth prints one line saying how to adopt the block.
 */
export class ServiceReadme extends Component {
  /** Path of the README, relative to the project. */
  public readonly path = 'README.md';
  /** What the last synth did (undefined before a synth). */
  public outcome?: ReadmeOutcome;

  /**
   * @param source renders the block (without markers) and the whole README for a new service; it is
   * called at synth, when every file of the project is known.
   */
  constructor(project: Project, private readonly source: IReadmeSource) {
    super(project);
  }

  public synthesize(): void {
    const file = path.join(this.project.outdir, this.path);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
    const { block, initial } = this.source.renderReadme();
    const { text, outcome } = updateReadme(existing, block, initial);
    this.outcome = outcome;
    if (outcome === ReadmeOutcome.CREATED || outcome === ReadmeOutcome.UPDATED) {
      fs.writeFileSync(file, text);
    } else if (outcome === ReadmeOutcome.NO_MARKERS) {
      this.project.logger.info(
        `${this.path} has no projen-uv-service block, so it was left as it is. To have the facts from .projenrc.ts (files, tasks, port, Python version, variables, migrations) kept current in it, add a line "${README_BEGIN}" and a line "${README_END}" where they should go, then run "npx projen".`,
      );
    } else if (outcome === ReadmeOutcome.MALFORMED) {
      this.project.logger.warn(
        `${this.path} was left as it is: it needs exactly one line "${README_BEGIN}" followed by one line "${README_END}"; fix the markers, then run "npx projen".`,
      );
    }
  }
}
