/**
 * A small workflow auditor (the rules zizmor-like tools check), over a parsed workflow:
 * - every `uses:` pinned to a full commit SHA or an exact release tag (`vX.Y.Z`), never a branch or a
 *   moving major;
 * - no `${{ }}` of untrusted input (event data, head refs, step outputs of PR data) inside a `run:`;
 * - write permissions only on the jobs listed in `writers`, none at the workflow level;
 * - every checkout with `persist-credentials: false`;
 * - no `pull_request_target` trigger.
 */

interface AuditStep { uses?: string; run?: string; with?: Record<string, unknown> }
interface AuditJob { permissions?: Record<string, string> | string; steps?: AuditStep[] }
export interface AuditedWorkflow { on?: unknown; permissions?: Record<string, string> | string; jobs: Record<string, AuditJob> }

const PINNED = /^[\w.-]+\/[\w./-]+@([0-9a-f]{40}|v\d+\.\d+\.\d+)$/;
/** Contexts a pull request's author controls. */
const UNTRUSTED = /\$\{\{[^}]*\b(github\.event\.|github\.head_ref|inputs\.|steps\.[^}]*outputs)/;

/** Findings of the rules, one line each; `writers` maps a job id to the scopes it may write. */
export function auditWorkflow(wf: AuditedWorkflow, writers: Record<string, string[]> = {}): string[] {
  const out: string[] = [];
  const on = wf.on;
  const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys((on as object) ?? {});
  if (triggers.includes('pull_request_target')) out.push('on: pull_request_target runs with write access on a pull request\'s code');
  const writes = (p: AuditJob['permissions']) =>
    typeof p === 'string' ? (p === 'read-all' || p === '{}' ? [] : ['*']) : Object.entries(p ?? {}).filter(([, v]) => v === 'write').map(([k]) => k);
  if (writes(wf.permissions).length > 0) out.push(`workflow permissions write ${writes(wf.permissions).join(', ')}: grant them on the job that needs them`);
  for (const [id, job] of Object.entries(wf.jobs)) {
    for (const scope of writes(job.permissions)) {
      if (!(writers[id] ?? []).includes(scope)) out.push(`jobs.${id}: writes ${scope}, which no rule lets it`);
    }
    for (const [i, st] of (job.steps ?? []).entries()) {
      const at = `jobs.${id}.steps[${i}]`;
      if (st.uses && !st.uses.startsWith('./') && !PINNED.test(st.uses)) out.push(`${at}: uses ${st.uses} is not pinned to a SHA or an exact release`);
      if (st.run && UNTRUSTED.test(st.run)) out.push(`${at}: run interpolates untrusted input (${UNTRUSTED.exec(st.run)![0]}…); pass it through env`);
      if (st.uses?.startsWith('actions/checkout@') && st.with?.['persist-credentials'] !== false) out.push(`${at}: checkout without persist-credentials: false`);
    }
  }
  return out;
}
