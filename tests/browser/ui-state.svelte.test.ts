import { userEvent } from 'vitest/browser';
import { describe, expect, it } from 'vitest';
import { initialRunState, type RunState } from '../../src/client/runState';
import type { GraphInfo } from '../../src/protocol';
import GraphPicture from '../../src/ui/graph/GraphPicture.svelte';
import NodeTimeline from '../../src/ui/graph/NodeTimeline.svelte';
import StatePanel from '../../src/ui/state/StatePanel.svelte';
import StateView from '../../src/ui/state/StateView.svelte';
import ThreadMessages from '../../src/ui/threads/ThreadMessages.svelte';
import { mountPerTest, settle } from '../support/mount';

/** Lazy chunks (dagre, the markdown renderer, the state view) load on first use; on a fresh
 * dependency cache the dev server may take seconds to serve them. */
const LAZY = { timeout: 20_000 };

const { place, unmountAll } = mountPerTest(() => delete window.__pwned);

const HOSTILE = '<img src=x onerror="window.__pwned = 1">';

describe('state view (real Chromium)', () => {
  const values = {
    requirements: HOSTILE,
    attempts: 1,
    schema: { tables: { users: { columns: { id: 'integer' } } } },
    ddl: 'CREATE TABLE users (id integer);'.repeat(20),
    rows: Array.from({ length: 10_000 }, (_, i) => i),
  };

  const toggle = (el: Element, name: string) =>
    [...el.querySelectorAll<HTMLButtonElement>('button[aria-expanded]')].find(
      (b) => b.querySelector('.key')?.textContent === name,
    )!;

  it('is a region named State, with values as text', async () => {
    const target = place(StateView, { values, subgraphValues: {} });
    const region = target.querySelector('section')!;
    expect(region.getAttribute('aria-labelledby')).toBe('state-h');
    expect(target.querySelector('#state-h')?.textContent).toBe('State');
    await settle();
    expect(target.querySelector('img')).toBeNull();
    expect(window.__pwned).toBeUndefined();
    expect(target.textContent).toContain('"<img src=x onerror=\\"window.__pwned = 1\\">"');
    // Closed containers say what they hold.
    expect(toggle(target, 'rows').textContent).toContain('10000 items');
    expect(toggle(target, 'schema').getAttribute('aria-expanded')).toBe('false');
  });

  it('opens and closes containers from the keyboard', async () => {
    const target = place(StateView, { values, subgraphValues: {} });
    const schema = toggle(target, 'schema');
    schema.focus();
    await userEvent.keyboard('{Enter}');
    await settle();
    expect(toggle(target, 'schema').getAttribute('aria-expanded')).toBe('true');
    expect(toggle(target, 'tables')).toBeDefined();
    toggle(target, 'tables').focus();
    await userEvent.keyboard(' ');
    await settle();
    expect(toggle(target, 'users').getAttribute('aria-expanded')).toBe('false');
    toggle(target, 'schema').focus();
    await userEvent.keyboard('{Enter}');
    await settle();
    expect(toggle(target, 'schema').getAttribute('aria-expanded')).toBe('false');
    expect(toggle(target, 'tables')).toBeUndefined();
  });

  it('draws a 10,000-item array 100 rows at a time', async () => {
    const target = place(StateView, { values, subgraphValues: {} });
    toggle(target, 'rows').click();
    await settle();
    const rowsList = () => toggle(target, 'rows').parentElement!.querySelector(':scope > ul')!;
    expect(rowsList().querySelectorAll(':scope > li[data-path]')).toHaveLength(100);
    const more = rowsList().querySelector<HTMLButtonElement>(':scope > li > button.more')!;
    expect(more.textContent?.trim()).toBe('Show 100 more of rows (9900 hidden)');
    more.click();
    await settle();
    expect(rowsList().querySelectorAll(':scope > li[data-path]')).toHaveLength(200);
  });

  it('clips long strings with a show more button', async () => {
    const target = place(StateView, { values, subgraphValues: {} });
    const ddlRow = target.querySelector(`li[data-path='["state","ddl"]']`)!;
    expect(ddlRow.querySelector('[data-testid=state-value]')!.textContent).toHaveLength(160);
    const more = ddlRow.querySelector<HTMLButtonElement>('button')!;
    // 20 x 32 characters, quoted: 642; 160 shown.
    expect(more.textContent?.trim()).toBe('Show more of ddl (482 more characters)');
    more.click();
    await settle();
    expect(ddlRow.querySelector('[data-testid=state-value]')!.textContent).toHaveLength(642);
    expect(ddlRow.querySelector('button')).toBeNull();
  });

  it('searches keys and values, opening the way to the matches', async () => {
    const target = place(StateView, { values, subgraphValues: { 'validate:1a2b': { ddl: ['CREATE TABLE users'] } } });
    const box = target.querySelector<HTMLInputElement>('input[type=search]')!;
    expect(box.getAttribute('aria-label')).toBe('Search state');
    await userEvent.click(box);
    await userEvent.keyboard('users');
    await settle();
    expect(target.querySelector('[data-testid=state-matches]')?.textContent?.trim()).toBe('3 matches');
    expect(toggle(target, 'tables').getAttribute('aria-expanded')).toBe('true');
    expect(toggle(target, 'subgraph validate:1a2b').getAttribute('aria-expanded')).toBe('true');
    expect([...target.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['users', 'users', 'users']);
    // Rows that lead nowhere are hidden while searching.
    expect(toggle(target, 'rows')).toBeUndefined();
    expect(target.textContent).not.toContain('attempts');
  });

  it('shows subgraph states as extra closed roots, and a hint before any state', () => {
    let target = place(StateView, { values, subgraphValues: { 'review:77|inner:9': { notes: ['ok'] } } });
    const sub = toggle(target, 'subgraph review:77 › inner:9');
    expect(sub.getAttribute('aria-expanded')).toBe('false');
    expect(sub.textContent).toContain('1 key');
    unmountAll();
    target = place(StateView, { values: null, subgraphValues: {} });
    expect(target.textContent).toContain("The graph's state appears here as it runs.");
  });
});

describe('messages view (real Chromium)', () => {
  const values = {
    messages: [
      { type: 'human', id: 'u1', content: HOSTILE },
      {
        type: 'ai',
        id: 'a1',
        name: 'designer',
        content: `**Plan** ready ${HOSTILE} <script>window.__pwned = 2</script>`,
        tool_calls: [{ id: 'c1', name: 'lookup', args: { q: HOSTILE } }],
      },
      { type: 'tool', id: 't1', content: `found ${HOSTILE}`, tool_call_id: 'c1' },
      { type: 'system', id: 's1', content: 'Be brief.' },
    ],
  };

  const bubbles = (el: Element) => [...el.querySelectorAll<HTMLElement>('[data-testid=chat-message]')];

  it('shows one bubble per message: roles, markdown for the assistant, text for the rest, nothing runs', async () => {
    const target = place(ThreadMessages, { values, live: [], running: false });
    await expect.poll(() => target.querySelector('strong.md, .md strong')?.textContent ?? null, LAZY).toBe('Plan');
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__pwned).toBeUndefined();
    expect(target.querySelector('img, script')).toBeNull();
    expect(target.querySelector('#messages-h')?.textContent).toBe('Messages');
    const list = bubbles(target);
    expect(list.map((b) => b.dataset.role)).toEqual(['user', 'assistant', 'tool', 'system']);
    expect(list.map((b) => b.querySelector('.who')!.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      'User',
      'Assistant designer',
      'Tool lookup',
      'System',
    ]);
    expect(list[0].textContent).toContain(HOSTILE);
    const call = list[1].querySelector('[data-testid=tool-call]')!;
    expect(call.querySelector('code')?.textContent).toBe('lookup');
    expect(call.querySelector('pre')?.textContent).toBe(`{\n  "q": ${JSON.stringify(HOSTILE)}\n}`);
    expect(list[2].querySelector('pre')?.textContent).toBe(`found ${HOSTILE}`);
  });

  it('adds streamed messages while the run goes on, marked as streaming', async () => {
    const live = [{ id: 'a2', type: 'ai', content: 'Thinking about *tables*', node: 'design', ns: [] }];
    const target = place(ThreadMessages, { values, live, running: true });
    await settle();
    const last = bubbles(target).at(-1)!;
    expect(last.querySelector('.who')!.textContent!.replace(/\s+/g, ' ').trim()).toBe('Assistant in design streaming');
    await expect.poll(() => last.querySelector('em')?.textContent ?? null, LAZY).toBe('tables');
    expect(target.querySelector('section')!.getAttribute('aria-busy')).toBe('true');
  });

  it('shows the latest 50 of a long conversation, and earlier ones on request', async () => {
    const long = {
      messages: Array.from({ length: 120 }, (_, i) => ({
        type: i % 2 ? 'ai' : 'human',
        id: `m${i}`,
        content: `#${i}`,
      })),
    };
    const target = place(ThreadMessages, { values: long });
    expect(bubbles(target)).toHaveLength(50);
    const earlier = [...target.querySelectorAll('button')].find((b) => b.textContent?.includes('earlier'))!;
    expect(earlier.textContent?.trim()).toBe('Show 50 earlier messages (70 hidden)');
    earlier.click();
    await settle();
    expect(bubbles(target)).toHaveLength(100);
    expect(bubbles(target)[0].textContent).toContain('#20');
  });

  it('draws nothing for a state without messages', () => {
    const target = place(ThreadMessages, { values: { topic: 'x' } });
    expect(target.querySelector('section')).toBeNull();
  });
});

describe('graph picture and timeline (real Chromium)', () => {
  const structure: Pick<GraphInfo, 'graph' | 'nodes' | 'edges'> = {
    graph: 'any',
    nodes: [
      { id: '__start__' },
      { id: 'plan' },
      { id: 'review:check' },
      { id: 'review:score' },
      { id: 'answer', subgraph: true },
      { id: '__end__' },
    ],
    edges: [
      { source: '__start__', target: 'plan', conditional: false },
      { source: 'plan', target: 'review:check', conditional: false },
      { source: 'review:check', target: 'review:score', conditional: false },
      { source: 'review:score', target: 'plan', conditional: true },
      { source: 'review:score', target: 'answer', conditional: true },
      { source: 'answer', target: '__end__', conditional: false },
    ],
  };

  const run = (patch: Partial<RunState>): RunState => ({ ...initialRunState(), ...patch });

  it('draws every node with its light, subgraph nodes in a labelled box, conditional edges dashed', async () => {
    // A graph without node events: plan and the subgraph's check updated; score streams tokens.
    const target = place(GraphPicture, {
      structure,
      run: run({
        status: 'running',
        updatesByNode: { plan: [{}], check: [{}] },
        tokens: [{ id: 't', agentName: 'scorer', content: '7', count: 1, node: 'score' }],
      }),
    });
    await expect.poll(() => target.querySelectorAll('[data-testid=graph-picture] [data-node]').length, LAZY).toBe(6);
    const lights = [...target.querySelectorAll('[data-testid=graph-picture] [data-node]')].map(
      (g) => `${g.getAttribute('data-node')}=${g.getAttribute('data-status')}`,
    );
    expect(lights).toEqual([
      '__start__=done',
      'plan=done',
      'review:check=done',
      'review:score=running',
      'answer=pending',
      '__end__=pending',
    ]);
    // Text, not only colour: a glyph and the node's own name.
    const score = target.querySelector('[data-node="review:score"] text')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(score).toBe('◔ score');
    expect(target.querySelector('[data-cluster=review] text')?.textContent).toBe('review');
    expect(target.querySelectorAll('path.edge')).toHaveLength(6);
    expect(target.querySelectorAll('path.edge.conditional')).toHaveLength(2);
    expect(getComputedStyle(target.querySelector('path.edge.conditional')!).strokeDasharray).not.toBe('none');
    const list = [...target.querySelectorAll('ul[aria-label="Node status"] li')].map((li) => li.textContent);
    expect(list).toContain('review:score: running');
    expect(list).toContain('answer (subgraph): pending');
  });

  it('scales the picture down to a phone-width panel', async () => {
    const target = place(GraphPicture, { structure, run: run({}) }, 300);
    await expect.poll(() => target.querySelector('[data-testid=graph-picture]') !== null).toBe(true);
    const svg = target.querySelector<SVGSVGElement>('[data-testid=graph-picture]')!;
    expect(svg.getBoundingClientRect().width).toBeLessThanOrEqual(300);
    expect(target.scrollWidth).toBeLessThanOrEqual(300);
  });

  it('lists nodes known only from updates in the timeline', () => {
    const target = place(NodeTimeline, {
      nodes: { plan: { node: 'plan', status: 'done', steps: {} } },
      order: ['plan'],
      updatesByNode: { plan: [{}], check: [{}] },
    });
    const rows = [...target.querySelectorAll('[data-testid=timeline-node]')].map(
      (li) => `${li.getAttribute('data-node')}=${li.getAttribute('data-status')}`,
    );
    expect(rows).toEqual(['plan=done', 'check=done']);
  });
});

describe('state panel (real Chromium)', () => {
  it('loads the state view with the first state, and shows nothing before', async () => {
    let target = place(StatePanel, { values: null, subgraphValues: {} });
    await settle();
    expect(target.innerHTML.replace(/<!---->/g, '').trim()).toBe('');
    unmountAll();
    target = place(StatePanel, { values: { topic: 'x' }, subgraphValues: {} });
    await expect.poll(() => target.querySelector('#state-h')?.textContent ?? null, LAZY).toBe('State');
    expect(target.querySelector('[data-testid=state-value]')?.textContent).toBe('"x"');
  });
});
