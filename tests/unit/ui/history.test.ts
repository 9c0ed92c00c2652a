import { describe, expect, it } from 'vitest';
import type { CheckpointInfo } from '../../../src/protocol';
import { parseStateEdit } from '../../../src/ui/debug/stateEdit';
import { changes, withBranches, writersText } from '../../../src/ui/history/history';
import { checkpointInfos } from '../../../src/worker/history';

const cp = (
  id: string,
  parentId: string | null,
  step: number,
  extra: Partial<CheckpointInfo> = {},
): CheckpointInfo => ({
  checkpointId: id,
  parentId,
  step,
  source: 'loop',
  writers: [],
  next: [],
  createdAt: null,
  ...extra,
});

describe('a thread’s checkpoints', () => {
  it('who wrote each checkpoint is read off its parent’s tasks', () => {
    const snap = (
      id: string,
      parent: string | null,
      step: number,
      source: string,
      tasks: string[],
      next: string[],
    ) => ({
      config: { configurable: { checkpoint_id: id } },
      ...(parent ? { parentConfig: { configurable: { checkpoint_id: parent } } } : {}),
      metadata: { step, source },
      tasks: tasks.map((name) => ({ name })),
      next,
      createdAt: `2026-12-02T00:00:0${step + 1}.000Z`,
    });
    // Newest first, as getStateHistory gives them.
    const infos = checkpointInfos([
      snap('c3', 'c2', 2, 'update', [], ['b']),
      snap('c2', 'c1', 1, 'loop', ['b'], ['b']),
      snap('c1', 'c0', 0, 'loop', ['a'], ['a']),
      snap('c0', null, -1, 'input', ['__start__'], ['__start__']),
    ]);
    expect(infos.map((i) => [i.checkpointId, i.parentId, i.step, i.writers.join('+'), i.next.join('+')])).toEqual([
      ['c3', 'c2', 2, 'update', 'b'],
      ['c2', 'c1', 1, 'a', 'b'],
      ['c1', 'c0', 0, '__start__', 'a'],
      ['c0', null, -1, 'input', '__start__'],
    ]);
    expect(infos[3].createdAt).toBe('2026-12-02T00:00:00.000Z');
  });

  it('numbers branches: the oldest child continues a line, later children start new ones', () => {
    // c0 <- c1 <- c2 (first line); c1 <- c3 <- c4 (a run again from c1); c0 <- c5 (an edit of c0).
    const list = [
      cp('c5', 'c0', 0, { source: 'update' }),
      cp('c4', 'c3', 2),
      cp('c3', 'c1', 1),
      cp('c2', 'c1', 1),
      cp('c1', 'c0', 0),
      cp('c0', null, -1, { source: 'input' }),
    ];
    expect(withBranches(list).map((e) => [e.checkpointId, e.branch, e.forkedAtStep ?? null])).toEqual([
      ['c5', 3, -1],
      ['c4', 2, null],
      ['c3', 2, 0],
      ['c2', 1, null],
      ['c1', 1, null],
      ['c0', 1, null],
    ]);
  });

  it('names the writers as a reader expects', () => {
    expect(writersText(cp('a', null, -1, { source: 'input', writers: ['input'] }))).toBe('input');
    expect(writersText(cp('a', null, 3, { source: 'update', writers: ['update'] }))).toBe('state edit');
    expect(writersText(cp('a', null, 3, { writers: ['design', 'apply'] }))).toBe('design, apply');
  });

  it('lists what changed between two states, with printable values', () => {
    const before = { topic: 'a', notes: ['x'], gone: 1 };
    const after = { topic: 'b', notes: ['x', 'y'], added: { k: true } };
    expect(changes(before, after)).toEqual({
      list: [
        { kind: 'changed', path: 'topic', before: '"a"', after: '"b"' },
        { kind: 'added', path: 'notes[1]', after: '"y"' },
        { kind: 'removed', path: 'gone', before: '1' },
        { kind: 'added', path: 'added', after: '{k:true}' },
      ],
      more: 0,
    });
  });
});

describe('a state edit', () => {
  const original = { topic: 'a', notes: ['x'] };
  it('writes only the keys that changed', () => {
    expect(parseStateEdit('{"topic":"b","notes":["x"]}', original, ['topic', 'notes'])).toEqual({
      ok: true,
      update: { topic: 'b' },
    });
  });
  it.each([
    ['{nope', 'Not valid JSON'],
    ['[1]', 'The state must be a JSON object.'],
    ['{"other": 1}', 'Not keys of this graph’s state'.replace('’', "'")],
    ['{"topic":"a","notes":["x"]}', 'Nothing was changed.'],
  ])('refuses %s', (text, message) => {
    const r = parseStateEdit(text, original, ['topic', 'notes']);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(message);
  });
});
