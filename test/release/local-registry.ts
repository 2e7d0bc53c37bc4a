import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ini = require('ini') as typeof import('ini');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const YAML = require('yaml') as typeof import('yaml');

const VERDACCIO = require.resolve('verdaccio/bin/verdaccio');

/** The registry verdaccio proxies every package it does not hold itself (`UPLINK` overrides it). */
export const UPLINK = process.env.UPLINK ?? 'https://registry.npmjs.org/';

/**
 * The environment of this process without npm's own variables (`npx jest` exports its whole config as
 * `npm_config_*`, its userconfig and registry included, which would win over any npmrc) and without
 * jest's NODE_ENV (it silences projen's log).
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'NODE_ENV' && k !== 'PROJEN_DISABLE_POST') env[k] = v;
  }
  return env;
}

/** A TCP port nobody listens on at the moment (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A verdaccio registry on 127.0.0.1 for one test file: storage, users and log in `dir`, the packages
 * named in `own` served from its storage only (published by the tests, never proxied: a package of the
 * same name upstream cannot mix in), every other package proxied from {@link UPLINK}.
 *
 * {@link npmEnv} is the environment for every npm command that should use it (projen's own npm calls
 * included): an npmrc in `dir` (the registry and a publish token) as the user config, npm's cache in
 * `dir`. The user's ~/.npmrc is never read. Stopped by its pid ({@link stop}).
 */
export class LocalRegistry {
  /** Starts verdaccio on a free port, waits for it, and adds the user the tests publish as. */
  public static async start(dir: string, own: string[]): Promise<LocalRegistry> {
    fs.mkdirSync(dir, { recursive: true });
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const registry = new LocalRegistry(dir, port, own);
      try {
        await registry.ready();
        await registry.addUser();
        return registry;
      } catch (e) {
        // Another process may have taken the port between the probe and verdaccio's listen.
        lastError = e;
        await registry.stop();
      }
    }
    throw lastError;
  }

  /** `http://127.0.0.1:PORT/` */
  public readonly url: string;
  /** The environment for npm (see the class comment). */
  public readonly npmEnv: NodeJS.ProcessEnv;
  private readonly process: ChildProcess;
  private readonly log: string;
  private readonly npmrc: string;

  private constructor(dir: string, port: number, own: string[]) {
    this.url = `http://127.0.0.1:${port}/`;
    this.log = path.join(dir, 'verdaccio.log');
    this.npmrc = path.join(dir, 'npmrc');
    const config = path.join(dir, 'config.yaml');
    const access = { access: '$all', publish: '$authenticated' };
    fs.writeFileSync(config, YAML.stringify({
      storage: path.join(dir, 'storage'),
      listen: `127.0.0.1:${port}`,
      auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1 } },
      uplinks: { upstream: { url: UPLINK, timeout: '60s' } },
      packages: {
        ...Object.fromEntries(own.map((name) => [name, access])),
        '**': { ...access, proxy: 'upstream' },
      },
      web: { enable: false },
      log: { type: 'stdout', format: 'pretty', level: 'warn' },
    }));
    const out = fs.openSync(this.log, 'a');
    this.process = spawn(process.execPath, [VERDACCIO, '--config', config], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    this.npmEnv = {
      ...cleanEnv(),
      npm_config_userconfig: this.npmrc,
      npm_config_cache: path.join(dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
  }

  /** verdaccio's pid. */
  public get pid(): number | undefined {
    return this.process.pid;
  }

  /** Stops verdaccio by its pid (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  public async stop(): Promise<void> {
    const p = this.process;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Waits until `GET /-/ping` answers (60 s at most), or fails with verdaccio's log. */
  private async ready(): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (this.process.exitCode !== null) break;
      try {
        if ((await fetch(`${this.url}-/ping`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`verdaccio did not answer on ${this.url}:\n${fs.readFileSync(this.log, 'utf-8').slice(-2000)}`);
  }

  /** Registers the one user (a random password) and writes the npmrc with its token. */
  private async addUser(): Promise<void> {
    const res = await fetch(`${this.url}-/user/org.couchdb.user:release-e2e`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release-e2e', password: crypto.randomBytes(16).toString('hex') }),
    });
    const body = (await res.json()) as { token?: string };
    if (!body.token) throw new Error(`verdaccio refused the user (${res.status}): ${JSON.stringify(body)}`);
    const host = this.url.replace(/^https?:/, '');
    fs.writeFileSync(this.npmrc, ini.stringify({ registry: this.url, [`${host}:_authToken`]: body.token }), { mode: 0o600 });
  }
}
