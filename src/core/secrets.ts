/**
 * Credentials that must never reach a generated file. Each pattern names what it found, so the
 * error can say what to do instead.
 */
const SECRET_PATTERNS: ReadonlyArray<{ readonly what: string; readonly pattern: RegExp }> = [
  { what: 'a URL with a password', pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i },
  { what: 'a GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})/ },
  { what: 'an AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: 'a Neon API key or password', pattern: /\b(napi_[A-Za-z0-9]{20,}|npg_[A-Za-z0-9]{10,})/ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: 'a Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { what: 'a Stripe secret key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}/ },
];

/** What a string contains that looks like a credential, or undefined. */
export function findSecret(text: string): string | undefined {
  return SECRET_PATTERNS.find((p) => p.pattern.test(text))?.what;
}
