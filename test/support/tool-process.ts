import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import * as readline from 'readline';

const ROOT = path.join(__dirname, '..', '..');

type Waiting = Array<{ resolve: (value: unknown) => void; reject: (error: Error) => void }>;

/**
 * A validator script of the tests (an ES module, which jest cannot load in-process), started with
 * `node <script> serve` on the first request and kept running for the test file: loading GitHub's
 * workflow parser or the Kubernetes schemas costs about a CPU-second, and a test file asks a dozen
 * times. Requests go one JSON line each way (`[arg, ...]` in, `{ "result": ... }` or
 * `{ "error": "..." }` out), answered in order. The process stops after the test file (jest's
 * `afterAll`), or when the closing of its stdin tells it that the test process has gone.
 */
export class ToolProcess {
  private child?: ChildProcess;
  /** The requests the running process has not answered yet, in order. */
  private waiting: Waiting = [];
  private stderr = '';

  public constructor(private readonly script: string) {
    try {
      afterAll(() => this.stop());
    } catch {
      // Outside jest, or created inside a test: the process still ends with the test process.
    }
  }

  /** The script's answer to one request: `node <script> <args...>` as one call of a running process. */
  public request(args: string[]): Promise<unknown> {
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin!.write(`${JSON.stringify(args)}\n`);
    });
  }

  /** Stops the process (it is started again by the next request). */
  public stop(): void {
    this.child?.stdin?.end();
    this.child?.kill();
    this.child = undefined;
  }

  private start(): ChildProcess {
    if (this.child) return this.child;
    const child = spawn(process.execPath, [this.script, 'serve'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    // Each process answers its own requests: one stopped or crashed never takes its successor's.
    const waiting: Waiting = [];
    this.waiting = waiting;
    this.stderr = '';
    child.stderr!.on('data', (d) => (this.stderr += d));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const next = waiting.shift();
      if (!next) return;
      const answer = JSON.parse(line) as { result?: unknown; error?: string };
      if (answer.error !== undefined) next.reject(new Error(`${path.basename(this.script)}: ${answer.error}`));
      else next.resolve(answer.result);
    });
    child.on('close', (code) => {
      if (this.child === child) this.child = undefined;
      for (const w of waiting.splice(0)) {
        w.reject(new Error(`${path.basename(this.script)} stopped (exit ${code}):\n${this.stderr}`));
      }
    });
    this.child = child;
    return child;
  }
}
