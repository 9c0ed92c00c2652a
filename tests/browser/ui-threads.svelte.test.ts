import { describe, expect, it } from 'vitest';
import type { ThreadInfo } from '../../src/protocol';
import ApprovalPanel from '../../src/graphs/schema/panel/ApprovalPanel.svelte';
import LiveTabs from '../../src/ui/tabs/LiveTabs.svelte';
import ThreadList from '../../src/ui/threads/ThreadList.svelte';
import { mountPerTest, settle } from '../support/mount';

const { place } = mountPerTest();

const now = Date.now();
const thread = (id: string, patch: Partial<ThreadInfo> = {}): ThreadInfo => ({
  threadId: id,
  graph: 'schema',
  title: `thread ${id}`,
  createdAt: now,
  updatedAt: now,
  lastRunId: `run-${id}`,
  lastStatus: 'completed',
  ...patch,
});

const buttons = (el: Element) => [...el.querySelectorAll('button')];
const byText = (el: Element, text: string) => buttons(el).find((b) => b.textContent?.trim() === text);

describe('thread list (real Chromium)', () => {
  function setup(props: Partial<Record<string, unknown>> = {}) {
    const calls: string[] = [];
    const target = place(ThreadList, {
      threads: [
        thread('old', { updatedAt: now - 3 * 3_600_000 }),
        thread('busy', { lastStatus: 'running', updatedAt: now - 120_000 }),
        thread('new', { title: '<img src=x onerror=alert(1)>' }),
      ],
      openId: 'old',
      liveRunId: null,
      busy: false,
      canContinue: true,
      onopen: (id: string) => calls.push(`open ${id}`),
      onnew: () => calls.push('new'),
      oncontinue: (id: string) => calls.push(`continue ${id}`),
      ondelete: async (id: string) => {
        calls.push(`delete ${id}`);
      },
      ...props,
    });
    return { target, calls };
  }

  it('lists newest first with status and time, titles as text, the open one marked', () => {
    const { target } = setup();
    const nav = target.querySelector('nav[aria-label="Threads"]')!;
    const rows = [...nav.querySelectorAll('[data-testid=thread]')];
    expect(rows.map((r) => r.getAttribute('data-thread'))).toEqual(['new', 'busy', 'old']);
    // A thread another tab (or another client of a server) is running reads so, and says what that means.
    expect(rows.map((r) => r.querySelector('[data-testid=thread-status]')!.textContent)).toEqual([
      'completed',
      'running elsewhere',
      'completed',
    ]);
    expect(rows[1].querySelector('[data-testid=thread-status]')!.getAttribute('title')).toBe(
      'Another tab or client is running this thread: a run of it here waits until that run ends.',
    );
    expect(rows[0].querySelector('[data-testid=thread-status]')!.hasAttribute('title')).toBe(false);
    expect(rows[0].querySelector('img')).toBeNull();
    expect(rows[0].textContent).toContain('<img src=x onerror=alert(1)>');
    expect(rows.map((r) => r.querySelector('time')!.textContent)).toEqual(['just now', '2 min ago', '3 h ago']);
    expect(rows[2].querySelector('[aria-current=true]')).not.toBeNull();
    expect(target.querySelector('[data-testid=open-thread]')!.textContent).toContain('thread old');
  });

  it('opens, continues, starts new, and deletes only after confirmation', async () => {
    const { target, calls } = setup();
    const rows = [...target.querySelectorAll('[data-testid=thread]')];
    rows[1].querySelector<HTMLButtonElement>('.open-btn')!.click();
    byText(target, 'Continue this thread')!.click();
    byText(target, 'New thread')!.click();
    expect(calls).toEqual(['open busy', 'continue old', 'new']);

    target.querySelector<HTMLButtonElement>('[aria-label="Delete thread busy"]')!.click();
    await settle();
    const confirm = byText(target, 'Delete thread')!;
    expect(document.activeElement).toBe(confirm);
    byText(target, 'Cancel')!.click();
    await settle();
    expect(calls).not.toContain('delete busy');
    target.querySelector<HTMLButtonElement>('[aria-label="Delete thread busy"]')!.click();
    await settle();
    byText(target, 'Delete thread')!.click();
    await settle();
    expect(calls).toContain('delete busy');
  });

  it('waits while a run is active; the live thread reads running', () => {
    const { target } = setup({ busy: true, liveRunId: 'run-busy' });
    expect(byText(target, 'New thread')!.disabled).toBe(true);
    expect(byText(target, 'Continue this thread')!.disabled).toBe(true);
    expect(target.querySelector<HTMLButtonElement>('.open-btn')!.disabled).toBe(true);
    const busy = target.querySelector('[data-thread=busy]')!;
    expect(busy.getAttribute('data-status')).toBe('running');
    expect(busy.querySelector('[data-testid=thread-status]')!.textContent).toBe('running');
    expect(busy.querySelector<HTMLButtonElement>('[aria-label^=Delete]')!.disabled).toBe(true);
  });
});

describe('approval panel (real Chromium)', () => {
  function setup(answer: unknown) {
    const calls: string[] = [];
    const target = place(ApprovalPanel, {
      answer,
      attempts: 2,
      busy: false,
      onapprove: () => calls.push('approve'),
      onreject: (r: string) => calls.push(`reject ${r}`),
    });
    return { target, calls };
  }

  it('lists the operations as text (no markup from the model), approves and rejects with a reason', async () => {
    const evil = '<img src=x onerror="globalThis.pwned=1">';
    const { target, calls } = setup(
      JSON.stringify({
        operations: [
          { op: 'add', path: '/tables/users', value: { comment: evil } },
          { op: 'remove', path: `/tables/${evil}` },
        ],
        rationale: evil,
      }),
    );
    const region = target.querySelector('[role=region][aria-label="Pending schema changes"]')!;
    expect(region).not.toBeNull();
    const rows = [...region.querySelectorAll('[data-testid=pending-op]')];
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('/tables/users');
    expect(region.querySelector('img')).toBeNull();
    expect(region.textContent).toContain(evil);
    expect(region.textContent).toContain('design attempt 2');
    await new Promise((r) => setTimeout(r, 50));
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();

    byText(region, 'Approve')!.click();
    const reason = region.querySelector<HTMLInputElement>('#reject-reason')!;
    expect(region.querySelector('label[for=reject-reason]')!.textContent).toBe('Reason');
    reason.value = 'use bigint ids';
    reason.dispatchEvent(new Event('input', { bubbles: true }));
    await settle();
    byText(region, 'Reject')!.click();
    await settle();
    expect(calls).toEqual(['approve', 'reject use bigint ids']);
    expect(reason.value).toBe('');
  });

  it('shows a malformed answer as a problem plus the raw text, still offering both choices', () => {
    const { target } = setup('{"operations": [ {"op": "add", } }');
    expect(target.querySelector('[data-testid=approval-problem]')!.textContent).toMatch(/not valid JSON/);
    expect(target.querySelector('pre')!.textContent).toContain('"operations"');
    expect(byText(target, 'Approve')).toBeDefined();
    expect(byText(target, 'Reject')).toBeDefined();
  });
});

describe('other tabs (real Chromium)', () => {
  it('says whose run is followed and lists recent activity, newest first', () => {
    const target = place(LiveTabs, {
      followed: 'tab-b',
      selfId: 'tab-me',
      updates: [
        { userId: 'tab-me', action: 'joined', sessionId: 'lobby', timestamp: now - 2000 },
        { userId: 'tab-b', action: 'run_started', sessionId: 'r1', timestamp: now - 1000 },
      ],
    });
    expect(target.querySelector('[data-testid=following]')!.textContent!.trim()).toBe("Following tab-b's run");
    const items = [...target.querySelectorAll('li')].map((li) => li.querySelector('span')!.textContent);
    expect(items).toEqual(['tab-b started a run', 'You opened the app']);
  });
});
