import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionStores } from '../../src/client/stores';
import type { WorkerEvent } from '../../src/protocol';
import RecordReplay from '../../src/ui/recording/RecordReplay.svelte';

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = '';
});

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await tick();
    await new Promise((r) => setTimeout(r, 0));
  }
  flushSync();
};

const ev = (seq: number, type: string, extra: object = {}) =>
  ({ runId: 'run-1', seq, ts: Date.now(), type, ...extra }) as unknown as WorkerEvent;
const RUN: WorkerEvent[][] = [
  [ev(1, 'run.started', { graph: 'demo', streamModes: ['values'], subgraphs: false })],
  [ev(2, 'stream', { mode: 'values', ns: [], chunk: { topic: 'x', draft: 'hello' } })],
  [ev(3, 'run.completed')],
];

function setup() {
  const stores = createSessionStores();
  const listeners = new Set<(e: WorkerEvent[]) => void>();
  const errors: string[] = [];
  const replays: string[] = [];
  const session = {
    stores,
    onEvents: (l: (e: WorkerEvent[]) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(RecordReplay, {
    target,
    props: {
      session: session as never,
      busy: false,
      onerror: (m: string) => errors.push(m),
      onreplay: (id: string) => replays.push(id),
    },
  });
  const feed = (batches: WorkerEvent[][]) => {
    for (const b of batches) {
      stores.apply(b);
      for (const l of listeners) l(b);
    }
  };
  return { target, stores, feed, errors, replays, component: mounted as unknown as { stopReplay(): boolean } };
}

function pick(input: HTMLInputElement, name: string, text: string) {
  const dt = new DataTransfer();
  dt.items.add(new File([text], name, { type: 'application/x-ndjson' }));
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

const exportButton = (t: HTMLElement) => [...t.querySelectorAll('button')].find((b) => b.textContent === 'Export run')!;

describe('record and replay panel (real Chromium)', () => {
  it('exports the last run as tabgraph-<runId>.ndjson and replays an imported file into the stores', async () => {
    const { target, stores, feed, errors, replays } = setup();
    expect(exportButton(target).disabled).toBe(true);
    stores.begin('run-1', 'demo', ['values'], false);
    feed(RUN);
    await settle();
    expect(exportButton(target).disabled).toBe(false);

    let saved: { name: string; text: Promise<string> } | null = null;
    const create = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (b: Blob | MediaSource) => {
      saved = { name: '', text: (b as Blob).text() };
      return 'blob:test';
    };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      if (saved) saved.name = this.download;
    };
    try {
      exportButton(target).click();
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(saved!.name).toBe('tabgraph-run-1.ndjson');
    const text = await saved!.text;
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);

    // Another view first; the import replays the recorded run over it.
    stores.begin('run-2', 'demo', ['values'], false);
    pick(target.querySelector<HTMLInputElement>('#import-recording')!, 'run.ndjson', text);
    await settle();
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
    expect(replays).toEqual(['run-1']);
    expect(stores.current().runId).toBe('run-1');
    expect(stores.current().status).toBe('completed');
    expect(stores.current().values).toEqual({ topic: 'x', draft: 'hello' });
    expect(target.querySelector('[data-testid=replay-status]')!.textContent).toContain('Replayed run run-1');
  });

  it('a corrupt file reports a RecordingError and leaves the stores alone', async () => {
    const { target, stores, errors, replays } = setup();
    stores.begin('run-9', 'demo', ['values'], false);
    const before = stores.current();
    pick(target.querySelector<HTMLInputElement>('#import-recording')!, 'bad.ndjson', '{"format":"nope"}\n');
    await settle();
    expect(errors).toEqual(['Could not import bad.ndjson: Line 1 is not a Tabgraph recording header.']);
    expect(replays).toEqual([]);
    expect(stores.current()).toBe(before);
    const speeds = [...target.querySelectorAll<HTMLOptionElement>('#replay-speed option')].map((o) => o.textContent);
    expect(speeds).toEqual(['1x', '4x', 'instant']);
  });

  it('a replay stopped half way ends as cancelled, not stuck running', async () => {
    const { target, stores, errors, component } = setup();
    const header = { format: 'tabgraph-recording', version: 1, createdAt: '', runId: 'run-1', graph: 'demo' };
    const lines = [
      { ...header, streamModes: ['values'], subgraphs: false },
      { t: 0, events: RUN[0] },
      { t: 1, events: RUN[1] },
      { t: 60_000, events: RUN[2] },
    ];
    const speed = target.querySelector<HTMLSelectElement>('#replay-speed')!;
    speed.value = '1';
    speed.dispatchEvent(new Event('change', { bubbles: true }));
    pick(
      target.querySelector<HTMLInputElement>('#import-recording')!,
      'slow.ndjson',
      lines.map((l) => JSON.stringify(l)).join('\n'),
    );
    await settle();
    await new Promise((r) => setTimeout(r, 50));
    expect(stores.current().status).toBe('running');
    expect(target.querySelector('[data-testid=replay-status]')!.textContent).toContain('Replaying run run-1');
    expect(component.stopReplay()).toBe(true);
    await settle();
    await new Promise((r) => setTimeout(r, 20));
    expect(stores.current().status).toBe('cancelled');
    expect(component.stopReplay()).toBe(false);
    expect(errors).toEqual([]);
  });
});
