import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import StreamingMarkdown from '../../src/ui/markdown/StreamingMarkdown.svelte';
import TokenOutput from '../../src/ui/run/TokenOutput.svelte';

declare global {
  interface Window {
    __pwned?: unknown;
  }
}

const ATTACK = [
  'Here is the schema.',
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '[x](javascript:window.__pwned=1)',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '```sql\nCREATE TABLE users (id bigint);\n\n<script>window.__pwned=2</script>\n```',
  'Done.',
].join('\n\n');

const frames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(n);
  });

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.innerHTML = '';
  delete window.__pwned;
});

describe('streamed markdown (real Chromium)', () => {
  it('streams an attack token by token without ever running it', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ tokens: [{ id: 't1', agentName: 'designer', content: '', count: 0 }], running: true });
    mounted = mount(TokenOutput, { target, props });
    for (let i = 0; i < ATTACK.length; i += 3) {
      props.tokens = [{ id: 't1', agentName: 'designer', content: ATTACK.slice(0, i + 3), count: i }];
      flushSync();
      // Let some frames render mid-stream, so half-written tags reach the sanitiser too.
      if (i % 30 === 0) await frames(1);
    }
    await frames(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(window.__pwned).toBeUndefined();
    for (const sel of ['script', 'img', 'iframe']) expect(target.querySelector(sel)).toBeNull();
    expect(target.querySelector('a[href]')).toBeNull();
    expect(target.querySelector('pre code')?.textContent).toContain('<script>window.__pwned=2</script>');
    expect(target.textContent).toContain('Done.');
  });

  // The time each slice takes is measured in bench/faults.mjs; here only the behaviour.
  it('parses only in animation frames, works a backlog off over several frames, and keeps finished blocks', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const props = $state({ text: '' });
    mounted = mount(StreamingMarkdown, { target, props });
    // Each paragraph different: the renderer reuses what it rendered a moment ago (two views, one answer).
    const paragraph = (i: number) => 'word '.repeat(40) + i + '\n\n';
    const rendered = () => target.querySelectorAll('p:not(.plain)').length;
    for (let i = 0; i < 2000; i++) {
      props.text += paragraph(i);
      flushSync();
    }
    // 2,000 updates with no frame in between: nothing parsed yet, parsing waits for the frame.
    expect(target.querySelectorAll('p')).toHaveLength(0);
    // The backlog is worked off a slice per frame, never all in one task.
    const counts: number[] = [];
    for (let n = 0; rendered() < 2000 && n < 600; n++) {
      await frames(1);
      counts.push(rendered());
    }
    expect(target.querySelectorAll('p').length).toBe(2000);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]);
    const growing = counts.filter((c, i) => c > (i === 0 ? 0 : counts[i - 1]));
    expect(growing.length).toBeGreaterThan(1);
    // The blocks a frame finishes go in as one insertion: at most one part per frame, not one per block.
    const parts = target.querySelectorAll('.md-part').length;
    expect(parts).toBeGreaterThan(1);
    expect(parts).toBeLessThanOrEqual(counts.length);
    const first = target.querySelector('p');
    props.text += 'tail';
    flushSync();
    await frames(3);
    await new Promise((r) => setTimeout(r, 100));
    await frames(2);
    // The finished paragraphs were not re-rendered: the same node is still there.
    expect(target.querySelector('p')).toBe(first);
    expect(target.querySelectorAll('p').length).toBe(2001);
  });
});
