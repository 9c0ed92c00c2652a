/**
 * The page's protocol events of one run, translated into LangGraph's agent streaming protocol
 * (`@langchain/protocol`: the event frames a LangGraph server sends on `/threads/:id/stream/events`
 * and the SDK's `StreamController` / `useStream` reads). The shapes follow LangGraph's own
 * converter (`@langchain/langgraph` `dist/stream/convert.js`, `convertToProtocolEvent`), which does
 * the same for `streamEvents(..., { version: 'v3' })` in-process.
 *
 * What LangGraph's converter has no input for is made here from what the worker sends:
 * - lifecycle events from the run's start and terminal events;
 * - `messages` lifecycles (message-start, a text block, its deltas, message-finish) from the
 *   `messages` mode's `[message, metadata]` chunks; tokens of one message share its id;
 * - `custom` events from `dispatchCustomEvent` events (`{name, payload}`), which v3 drops.
 */
import type { Event as AgentEvent } from '@langchain/protocol';
import type { WorkerEvent } from '../../protocol';

type Params = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((p) => (typeof p === 'string' ? p : isRecord(p) && typeof p.text === 'string' ? p.text : ''))
      .join('');
  return '';
}

/** A message whose tokens are still arriving. */
interface OpenMessage {
  id: string;
  ns: string[];
  node?: string;
  text: string;
}

/** Translates one thread's run events, in order; keeps the event counter across runs. */
export class AgentEventTranslator {
  private seq = 0;
  private graph = '';
  private readonly open = new Map<string, OpenMessage>();

  /** The protocol events for one of the page's events (none for events of no run). */
  translate(e: WorkerEvent): AgentEvent[] {
    const out: AgentEvent[] = [];
    const ts = Math.round(e.ts);
    const push = (method: string, namespace: string[], params: Params) =>
      out.push({
        type: 'event',
        seq: ++this.seq,
        event_id: String(this.seq),
        method,
        params: { namespace, timestamp: ts, ...params },
      } as unknown as AgentEvent);
    const lifecycle = (event: string, extra: Params = {}) => {
      this.finishAll(push);
      push('lifecycle', [], { data: { event, graph_name: this.graph, ...extra } });
    };

    switch (e.type) {
      case 'run.started':
        this.graph = e.graph;
        lifecycle('running');
        break;
      case 'run.completed':
        lifecycle('completed');
        break;
      case 'run.interrupted':
        lifecycle('interrupted');
        break;
      // A cancelled run on a LangGraph server ends `interrupted` too (cancel action "interrupt").
      case 'run.cancelled':
        lifecycle('interrupted');
        break;
      case 'run.failed':
      case 'run.rejected':
        lifecycle('failed', { error: e.error.message });
        break;
      case 'custom':
        push('custom', e.ns, { data: { name: e.name, payload: e.data } });
        break;
      case 'stream':
        this.stream(e.mode, e.ns, e.chunk, push);
        break;
      default:
        break;
    }
    return out;
  }

  private stream(mode: string, ns: string[], chunk: unknown, push: (m: string, ns: string[], p: Params) => void) {
    switch (mode) {
      case 'messages':
        this.message(ns, chunk, push);
        return;
      case 'values':
        // A pause is announced as `{__interrupt__: [...]}`: that is not the state.
        if (isRecord(chunk) && Object.keys(chunk).length === 1 && '__interrupt__' in chunk) return;
        this.finishAll(push);
        push('values', ns, { data: chunk });
        return;
      case 'updates':
        this.finishAll(push);
        for (const [node, values] of Object.entries(isRecord(chunk) ? chunk : {})) {
          if (node.startsWith('__')) continue;
          const data = { node, values: isRecord(values) ? values : { value: values } };
          push('updates', ns, { node, data });
        }
        return;
      case 'custom':
        // `config.writer` chunks; a chunk that names itself keeps its own shape (as LangGraph's).
        push('custom', ns, { data: isRecord(chunk) && 'name' in chunk ? chunk : { payload: chunk } });
        return;
      case 'tasks':
        push('tasks', ns, { data: chunk });
        return;
      default:
        // debug and full-state checkpoints have no channel in the protocol (v3 drops them too).
        return;
    }
  }

  /** AI message chunks of one id stream as one message; others arrive whole through values. */
  private message(ns: string[], chunk: unknown, push: (m: string, ns: string[], p: Params) => void) {
    if (!Array.isArray(chunk) || !isRecord(chunk[0])) return;
    const [msg, meta] = chunk as [Record<string, unknown>, unknown];
    const type = typeof msg.type === 'string' ? msg.type.replace(/chunk$/i, '').toLowerCase() : '';
    if (type !== 'ai' || typeof msg.id !== 'string') return;
    const node = isRecord(meta) && typeof meta.langgraph_node === 'string' ? meta.langgraph_node : undefined;
    const at = { ...(node ? { node } : {}) };
    let open = this.open.get(msg.id);
    if (!open) {
      open = { id: msg.id, ns, node, text: '' };
      this.open.set(msg.id, open);
      push('messages', ns, { ...at, data: { event: 'message-start', role: 'ai', id: msg.id } });
      push('messages', ns, {
        ...at,
        data: { event: 'content-block-start', index: 0, content: { type: 'text', text: '' } },
      });
    }
    const text = textOf(msg.content);
    if (!text) return;
    open.text += text;
    push('messages', ns, {
      ...at,
      data: { event: 'content-block-delta', index: 0, delta: { type: 'text-delta', text } },
    });
  }

  /** Ends every message still open: the node that streamed it has returned. */
  private finishAll(push: (m: string, ns: string[], p: Params) => void) {
    for (const m of this.open.values()) {
      const at = m.node ? { node: m.node } : {};
      push('messages', m.ns, {
        ...at,
        data: { event: 'content-block-finish', index: 0, content: { type: 'text', text: m.text } },
      });
      push('messages', m.ns, { ...at, data: { event: 'message-finish' } });
    }
    this.open.clear();
  }
}
