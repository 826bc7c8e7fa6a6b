/**
 * The floor under a diagnosis: the same HTTP reads the collector makes, in
 * the same dependent rounds, with a bare client (fetch) and JSON.parse, and
 * no analysis. Recorded once from a real collection, then replayed.
 */
import http from 'node:http';

export interface RecordedRead {
  path: string;
  json: boolean;
}

/** Runs `collect` once and returns its reads grouped into rounds: a read starts a new round when it was sent after every earlier read had answered. */
export async function recordReads(collect: () => Promise<unknown>): Promise<RecordedRead[][]> {
  const seen: Array<{ path: string; json: boolean; sent: number; answered: number }> = [];
  const original = http.request;
  const recording = ((url: URL, opts: http.RequestOptions, cb: (res: http.IncomingMessage) => void) => {
    const entry = { path: url.pathname + url.search, json: String(opts.headers && (opts.headers as Record<string, string>).Accept) === 'application/json', sent: performance.now(), answered: Infinity };
    seen.push(entry);
    return original(url, opts, (res) => {
      res.on('end', () => (entry.answered = performance.now()));
      cb(res);
    });
  }) as typeof http.request;
  http.request = recording;
  try {
    await collect();
  } finally {
    http.request = original;
  }
  const rounds: RecordedRead[][] = [];
  let answered = -Infinity;
  for (const r of [...seen].sort((a, b) => a.sent - b.sent)) {
    if (!rounds.length || r.sent >= answered) rounds.push([]);
    rounds.at(-1)!.push({ path: r.path, json: r.json });
    answered = Math.max(answered, r.answered);
  }
  return rounds;
}

/** The recorded reads again, round after round, each round in parallel: fetch and JSON.parse only. */
export async function replayReads(base: string, rounds: RecordedRead[][]): Promise<void> {
  for (const round of rounds) {
    await Promise.all(
      round.map(async (r) => {
        const body = await (await fetch(base + r.path)).text();
        if (r.json) JSON.parse(body);
      }),
    );
  }
}
