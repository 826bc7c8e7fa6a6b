import { randomBytes } from 'node:crypto';
import { parseBlocks, validateMessage } from './limits.js';
import type { WorkspaceState } from './state.js';
import type { JsonObject } from './types.js';

/** Slack honours a response_url at most five times within thirty minutes of the interaction. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60_000;

export type ResponseOutcome = 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' | 'rejected';

export interface ResponseUse {
  at: number;
  /** `response_url` for posts to the URL; `ack` for the body of the app's immediate acknowledgement. */
  via: 'response_url' | 'ack';
  payload: JsonObject;
  responseType: 'ephemeral' | 'in_channel';
  replaceOriginal: boolean;
  deleteOriginal: boolean;
  status: number;
  outcome: ResponseOutcome;
  error?: string;
  /** The message posted, replaced or deleted. */
  ts?: string;
}

type Target = { kind: 'message' | 'ephemeral'; channel: string; ts: string };

export interface ResponseUrlRecord {
  id: string;
  kind: 'slash_command' | 'block_actions';
  channel: string;
  user: string;
  createdAt: number;
  /** What replace_original/delete_original act on: the clicked message, or what a command last produced. */
  original?: Target;
  uses: ResponseUse[];
}

export class ResponseUrls {
  private readonly records = new Map<string, ResponseUrlRecord>();

  constructor(
    private readonly state: WorkspaceState,
    private readonly now: () => number,
  ) {}

  create(kind: ResponseUrlRecord['kind'], channel: string, user: string, original?: Target): ResponseUrlRecord {
    // Shaped like Slack's hooks.slack.com/commands/T…/<id>/<secret>, flattened into one path segment.
    const id = `${this.state.app.teamId}-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}`;
    const record: ResponseUrlRecord = { id, kind, channel, user, createdAt: this.now(), ...(original ? { original } : {}), uses: [] };
    this.records.set(id, record);
    return record;
  }

  get(id: string): ResponseUrlRecord | undefined {
    return this.records.get(id);
  }

  /** Applies one response; returns the HTTP status and body Slack would answer with. */
  respond(id: string, payload: JsonObject, via: ResponseUse['via']): { status: number; body: { ok: boolean; error?: string } } {
    const record = this.records.get(id);
    if (!record) return { status: 404, body: { ok: false, error: 'no_service' } };
    const use: ResponseUse = {
      at: this.now(),
      via,
      payload,
      responseType: payload.response_type === 'in_channel' ? 'in_channel' : 'ephemeral',
      replaceOriginal: payload.replace_original === true || payload.replace_original === 'true',
      deleteOriginal: payload.delete_original === true || payload.delete_original === 'true',
      status: 200,
      outcome: 'rejected',
    };
    const rejection = via === 'response_url' ? this.usable(record, use.at) : undefined;
    const result = rejection ?? this.apply(record, use);
    use.status = result.status;
    if (result.error) use.error = result.error;
    record.uses.push(use);
    this.state.emit('change');
    return { status: result.status, body: result.error ? { ok: false, error: result.error } : { ok: true } };
  }

  private usable(record: ResponseUrlRecord, at: number): { status: number; error: string } | undefined {
    if (at - record.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, error: 'expired_url' };
    const used = record.uses.filter((u) => u.via === 'response_url' && u.status === 200).length;
    if (used >= RESPONSE_URL_MAX_USES) return { status: 404, error: 'used_url' };
    return undefined;
  }

  private apply(record: ResponseUrlRecord, use: ResponseUse): { status: number; error?: string } {
    const original = record.original;
    if (use.deleteOriginal) {
      if (original) this.remove(original);
      use.outcome = 'deleted';
      if (original) use.ts = original.ts;
      return { status: 200 };
    }
    const parsed = parseBlocks(use.payload.blocks);
    if ('error' in parsed) return { status: 400, error: parsed.error };
    const text = typeof use.payload.text === 'string' ? use.payload.text : '';
    const content = { text, ...(parsed.blocks ? { blocks: parsed.blocks } : {}) };
    const invalid = validateMessage(content);
    if (invalid) return { status: 400, error: invalid.error };

    if (use.replaceOriginal && original && this.replace(original, content)) {
      use.outcome = 'replaced';
      use.ts = original.ts;
      return { status: 200 };
    }
    const threadTs = typeof use.payload.thread_ts === 'string' ? use.payload.thread_ts : undefined;
    const thread = threadTs ? { threadTs } : {};
    const via = use.via;
    const posted: Target =
      use.responseType === 'in_channel'
        ? { kind: 'message', channel: record.channel, ts: this.state.post({ channel: record.channel, ...content, ...thread, via }).ts }
        : { kind: 'ephemeral', channel: record.channel, ts: this.state.postEphemeral({ channel: record.channel, user: record.user, ...content, ...thread, via }).ts };
    use.outcome = use.responseType;
    use.ts = posted.ts;
    // A command's "original" is whatever it last produced; a click's stays the clicked message.
    if (record.kind === 'slash_command') record.original = posted;
    return { status: 200 };
  }

  private replace(target: Target, content: { text: string; blocks?: JsonObject[] }): boolean {
    if (target.kind === 'ephemeral') {
      const eph = this.state.findEphemeral(target.channel, target.ts);
      if (eph) this.state.replaceEphemeral(eph, content, 'response_url');
      return Boolean(eph);
    }
    const msg = this.state.find(target.channel, target.ts);
    // A replacement is wholesale: blocks not sent are gone.
    if (msg) this.state.update(msg, { text: content.text, blocks: content.blocks ?? [] }, 'response_url');
    return Boolean(msg);
  }

  private remove(target: Target): void {
    if (target.kind === 'ephemeral') {
      const eph = this.state.findEphemeral(target.channel, target.ts);
      if (eph) this.state.deleteEphemeral(eph, 'response_url');
    } else {
      const msg = this.state.find(target.channel, target.ts);
      if (msg) this.state.delete(msg, 'response_url');
    }
  }
}
