import * as fs from 'fs';
import * as path from 'path';

/**
 * The anchor GitHub gives a heading: lower-cased, every character that is not a letter, a digit, a mark, `_`,
 * `-` or a space dropped, each space a `-` (github-slugger's rule). Markdown inside the heading counts by its
 * text: code spans lose their backticks, links keep their text.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/<[^>]+>/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

/** The text of a markdown file with fenced code blocks blanked (their lines kept, so line numbers hold). */
function withoutFences(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = undefined;
      return '';
    }
    if (open) {
      fence = open[1];
      return '';
    }
    return line;
  });
}

/** Every anchor a file's headings get on GitHub; a repeated heading gets `-1`, `-2`, ... */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const slug = githubSlug(m[1]);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** A relative link of a markdown file: its line and target (`path`, `path#anchor` or `#anchor`). */
export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** The relative links of a file, outside code blocks and code spans (absolute URLs and `mailto:` left out). */
export function relativeLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutFences(markdown).forEach((line, i) => {
    const text = line.replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)|``/g, (span) => (/^`[^`]*\]\(/.test(span) ? '' : span.replace(/\]\(/g, '] (')));
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ line: i + 1, target });
    }
  });
  return links;
}

/**
 * Every relative link of `files` (paths relative to `root`) that does not resolve: a file or directory that is not
 * there, or an anchor that no heading of the target file gets. Each as `file:line: target (why)`.
 */
export function brokenLinks(root: string, files: string[]): string[] {
  const broken: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    if (!anchorsOf.has(file)) anchorsOf.set(file, headingAnchors(fs.readFileSync(file, 'utf-8')));
    return anchorsOf.get(file)!;
  };
  for (const file of files) {
    const abs = path.join(root, file);
    for (const link of relativeLinks(fs.readFileSync(abs, 'utf-8'))) {
      const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
      const target = rawPath === '' ? abs : path.resolve(path.dirname(abs), decodeURIComponent(rawPath));
      const where = `${file}:${link.line}: ${link.target}`;
      if (!fs.existsSync(target)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined) continue;
      if (!target.endsWith('.md') || fs.statSync(target).isDirectory()) {
        broken.push(`${where} (an anchor into a file that is not markdown)`);
      } else if (!anchors(target).has(anchor)) {
        broken.push(`${where} (no heading of ${path.relative(root, target)} has this anchor)`);
      }
    }
  }
  return broken;
}
