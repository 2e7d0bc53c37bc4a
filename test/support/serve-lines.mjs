// The script side of test/support/tool-process.ts: reads one JSON array of arguments per line from
// stdin and writes one answer per line to stdout, in order: { "result": ... } or { "error": "..." }.
// Returns when stdin closes (the test process has stopped it, or has gone).
import { createInterface } from 'node:readline';

export async function serveLines(answer) {
  for await (const line of createInterface({ input: process.stdin })) {
    let reply;
    try {
      reply = { result: await answer(JSON.parse(line)) };
    } catch (e) {
      reply = { error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  }
}
