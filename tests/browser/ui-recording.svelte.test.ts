import { describe, expect, it } from 'vitest';
import { Controller } from '../../src/client/controller';
import { idleTransport } from '../support/page';
import type { WorkerEvent } from '../../src/protocol';
import RecordReplay from '../../src/ui/recording/RecordReplay.svelte';
import { mountPerTest, settle } from '../support/mount';

const { place } = mountPerTest();

const ev = (seq: number, type: string, extra: object = {}) =>
  ({ runId: 'run-1', seq, ts: Date.now(), type, ...extra }) as unknown as WorkerEvent;
const RUN: WorkerEvent[][] = [
  [ev(1, 'run.started', { graph: 'demo', streamModes: ['values'], subgraphs: false })],
  [ev(2, 'stream', { mode: 'values', ns: [], chunk: { topic: 'x', draft: 'hello' } })],
  [ev(3, 'run.completed')],
];

function setup() {
  // A tab whose "worker" is this test: `feed` delivers batches as the transport would.
  const listeners = new Set<(e: WorkerEvent[]) => void>();
  const controller = new Controller({
    transport: { ...idleTransport(), subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
    crossTab: false,
  });
  const errors: string[] = [];
  const replays: string[] = [];
  controller.stores.notices.subscribe((list) => errors.splice(0, errors.length, ...list));
  controller.stores.replay.subscribe((r) => r.status === 'replaying' && r.runId && replays.push(r.runId));
  const target = place(RecordReplay, { controller, busy: false });
  const feed = (batches: WorkerEvent[][]) => {
    for (const b of batches) for (const l of listeners) l(b);
  };
  return { target, stores: controller.stores, feed, errors, replays, controller };
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
    feed(RUN);
    await settle(5);
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
    feed([[{ ...RUN[0][0], runId: 'run-2', seq: 10 } as WorkerEvent]]);
    pick(target.querySelector<HTMLInputElement>('#import-recording')!, 'run.ndjson', text);
    await settle(5);
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
    expect(replays).toEqual(['run-1']);
    expect(stores.current().runId).toBe('run-1');
    expect(stores.current().status).toBe('completed');
    expect(stores.current().values).toEqual({ topic: 'x', draft: 'hello' });
    expect(target.querySelector('[data-testid=replay-status]')!.textContent).toContain('Replayed run run-1');
  });

  it('a corrupt file reports a RecordingError and leaves the stores alone', async () => {
    const { target, stores, errors, replays, feed } = setup();
    feed([[{ ...RUN[0][0], runId: 'run-9', seq: 10 } as WorkerEvent]]);
    const before = stores.current();
    pick(target.querySelector<HTMLInputElement>('#import-recording')!, 'bad.ndjson', '{"format":"nope"}\n');
    await settle(5);
    expect(errors).toEqual(['Could not import bad.ndjson: Line 1 is not a Tabgraph recording header.']);
    expect(replays).toEqual([]);
    expect(stores.current()).toBe(before);
    const speeds = [...target.querySelectorAll<HTMLOptionElement>('#replay-speed option')].map((o) => o.textContent);
    expect(speeds).toEqual(['1x', '4x', 'instant']);
  });

  it('a replay stopped half way ends as cancelled, not stuck running', async () => {
    const { target, stores, errors, controller } = setup();
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
    await settle(5);
    await new Promise((r) => setTimeout(r, 50));
    expect(stores.current().status).toBe('running');
    expect(target.querySelector('[data-testid=replay-status]')!.textContent).toContain('Replaying run run-1');
    expect(controller.stopReplay()).toBe(true);
    await settle(5);
    await new Promise((r) => setTimeout(r, 20));
    expect(stores.current().status).toBe('cancelled');
    expect(controller.stopReplay()).toBe(false);
    expect(errors).toEqual([]);
  });
});
