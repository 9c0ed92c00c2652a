import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog, LogView } from '../../src/client/eventLog';
import type { StreamMode, WorkerEvent } from '../../src/protocol';
import StreamInspector from '../../src/ui/inspector/StreamInspector.svelte';
import { ROW_HEIGHT } from '../../src/ui/inspector/inspector';

const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(n);
  });

/** 100,000 events: token events, their messages chunks, and now and then a subgraph's update. */
function bigLog(n = 100_000): LogView {
  const store = new EventLog();
  const meta = { langgraph_node: 'write' };
  for (let seq = 1; seq <= n; seq++) {
    let ev: WorkerEvent;
    if (seq % 1000 === 0)
      ev = {
        type: 'stream',
        runId: 'r',
        seq,
        ts: seq,
        mode: 'updates',
        ns: ['review:1'],
        chunk: { check: { n: seq } },
      };
    else if (seq % 2)
      ev = {
        type: 'custom',
        runId: 'r',
        seq,
        ts: seq,
        name: 'custom_token',
        ns: [],
        data: { content: `w${seq}`, id: 'm', agentName: 'writer' },
      };
    else
      ev = {
        type: 'stream',
        runId: 'r',
        seq,
        ts: seq,
        mode: 'messages',
        ns: [],
        chunk: [{ type: 'AIMessageChunk', content: `w${seq}`, id: 'm' }, meta],
      };
    store.append(ev);
  }
  return new LogView(store, n);
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = '';
});

describe('stream inspector (real Chromium)', () => {
  it('keeps 100,000 events browsable: a few rows in the DOM, the end in view, any row reachable', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ log: bigLog(), modes: ['values'] as StreamMode[], subgraphs: true });
    mounted = mount(StreamInspector, { target, props });
    flushSync();
    await frames(2);
    const list = target.querySelector<HTMLElement>('[data-testid="inspector-list"]')!;
    const rows = () => [...list.querySelectorAll('[role="row"]')];
    const seqs = () => rows().map((r) => Number(r.querySelector('[role="cell"]')!.textContent));
    expect(rows().length).toBeGreaterThan(5);
    expect(rows().length).toBeLessThan(60);
    // Following the end: the last event is on screen.
    expect(Math.max(...seqs())).toBe(100_000);
    expect(target.querySelector('[data-testid="inspector-count"]')!.textContent).toContain('of 100,000');
    // Scrolled to the middle: the rows there, in order, with their data.
    list.scrollTop = 50_000 * ROW_HEIGHT;
    await frames(2);
    const mid = seqs();
    expect(mid).toContain(50_001);
    expect(mid).toEqual([...mid].sort((a, b) => a - b));
    const row = rows().find((r) => r.textContent!.includes('50001'))!;
    expect(row.textContent).toContain('custom_token');
    expect(row.textContent).toContain('content:"w50001"');
    // New events while scrolled up do not move the view.
    props.log = new LogView(props.log.store, props.log.length);
    await frames(2);
    expect(seqs()).toContain(50_001);
  });

  it('follows a growing log to its end, and stops following once scrolled up', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const log = bigLog(1_000);
    const props = $state({ log, live: true, modes: ['values'] as StreamMode[], subgraphs: true });
    mounted = mount(StreamInspector, { target, props });
    flushSync();
    await frames(2);
    const list = target.querySelector<HTMLElement>('[data-testid="inspector-list"]')!;
    const seqs = () =>
      [...list.querySelectorAll('[role="row"] [role="cell"]:first-child')].map((c) => Number(c.textContent));
    expect(Math.max(...seqs())).toBe(1_000);
    /** Appends token events up to seq `to` and hands the inspector the longer log. */
    const grow = (to: number) => {
      for (let n = props.log.length + 1; n <= to; n++)
        log.store.append({
          type: 'custom',
          runId: 'r',
          seq: n,
          ts: n,
          name: 'custom_token',
          ns: [],
          data: { content: `w${n}` },
        });
      props.log = new LogView(log.store, to);
    };
    // Events keep coming, a frame's worth at a time: the newest stays in view.
    grow(1_300);
    await frames(3);
    expect(Math.max(...seqs())).toBe(1_300);
    // A burst of updates, one per frame, is drawn a few times a second, and the last one comes.
    for (let n = 1_301; n <= 1_310; n++) {
      grow(n);
      await frames(1);
    }
    await expect.poll(() => Math.max(...seqs())).toBe(1_310);
    expect(list.scrollTop + list.clientHeight).toBeGreaterThanOrEqual(1_310 * ROW_HEIGHT - 1);
    // The run ends: its whole log shows at once, with no sample to wait for.
    const count = () => target.querySelector('[data-testid="inspector-count"]')!.textContent!;
    grow(1_320);
    props.live = false;
    flushSync();
    expect(count()).toContain('of 1,320');
    // Rows that come between following's scroll and its scroll event do not stop the following.
    props.live = true;
    grow(1_330);
    flushSync();
    await new Promise((r) => setTimeout(r, 0));
    grow(1_360);
    props.live = false;
    flushSync();
    // The browser's scroll event for following's scroll, before the next follow step runs.
    list.dispatchEvent(new Event('scroll'));
    await frames(3);
    expect(count()).toMatch(/showing last \d+ of 1,360/);
    expect(Math.max(...seqs())).toBe(1_360);
    // The user scrolls up: later events leave the view where the user put it.
    list.scrollTop = 100 * ROW_HEIGHT;
    await frames(2);
    grow(1_400);
    await frames(3);
    expect(seqs()).toContain(101);
    expect(Math.max(...seqs())).toBeLessThan(1_300);
  });

  it('searches by event name, mode and namespace', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ log: bigLog(20_000), modes: ['values'] as StreamMode[], subgraphs: true });
    mounted = mount(StreamInspector, { target, props });
    const filter = target.querySelector<HTMLInputElement>('#inspector-filter')!;
    const count = () => target.querySelector('[data-testid="inspector-count"]')!.textContent!;
    const names = () => [...target.querySelectorAll('[role="row"]')].map((r) => r.children[1].textContent!.trim());
    const search = async (q: string) => {
      filter.value = q;
      filter.dispatchEvent(new Event('input', { bubbles: true }));
      flushSync();
      await frames(2);
    };
    await search('review');
    expect(count()).toContain('of 20 (filtered from 20,000)');
    expect(names().every((n) => n.endsWith('updates'))).toBe(true);
    await search('MESSAGES');
    expect(count()).toContain('of 9,980 (filtered');
    expect(new Set(names())).toEqual(new Set(['mode messages']));
    await search('custom_token');
    expect(count()).toContain('of 10,000 (filtered');
    await search('nothing like this');
    expect(target.textContent).toContain('No event matches.');
    await search('');
    expect(count()).toContain('of 20,000');
  });
});
