import { describe, expect, it } from 'vitest';
import {
  childId,
  countText,
  emptyViewState,
  leafText,
  pathId,
  pathText,
  searchTree,
  splitMatch,
  stateRoots,
  visibleTree,
  type TreeNode,
  type TreeRoot,
} from '../../../src/ui/state/jsonTree';

const state = {
  requirements: 'a blog with users',
  attempts: 2,
  validation: { ok: true, errors: [] },
  schema: { tables: { users: { columns: { id: { type: 'integer' } } }, posts: { columns: {} } } },
  messages: [
    { type: 'human', content: 'a blog with users' },
    { type: 'ai', content: 'Tables: users, posts', name: 'designer' },
  ],
  'odd key': null,
};
const roots: TreeRoot[] = [{ id: 'state', label: 'state', value: state }];

/** Rows as `depth label` (+ text for leaves, + open/closed for containers), in drawing order. */
function rows(nodes: TreeNode[], depth = 0): string[] {
  return nodes.flatMap((n) => {
    const mark = n.kind === 'object' || n.kind === 'array' ? (n.open ? ' [open]' : ' [closed]') : ` = ${n.text}`;
    return [`${depth} ${n.label}${mark}${n.more ? ` (+${n.more})` : ''}`, ...rows(n.children, depth + 1)];
  });
}

describe('paths', () => {
  it('names paths unambiguously and readably', () => {
    expect(pathId(['state', 'messages', 1, 'content'])).toBe('["state","messages",1,"content"]');
    expect(pathText(['state', 'messages', 1, 'content'])).toBe('messages[1].content');
    expect(pathText(['state', 'odd key', 'x'])).toBe('["odd key"].x');
    expect(pathText(['state'])).toBe('');
    expect(childId(pathId(['state', 'a b']), 3)).toBe(pathId(['state', 'a b', 3]));
    expect(childId(pathId(['state']), 'say "hi"')).toBe('["state","say \\"hi\\""]');
  });

  it('writes leaves and counts as text', () => {
    expect(leafText('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(leafText(3)).toBe('3');
    expect(leafText(null)).toBe('null');
    expect(leafText(undefined)).toBe('undefined');
    expect(leafText(10n)).toBe('10n');
    expect(countText('array', 1)).toBe('1 item');
    expect(countText('array', 12)).toBe('12 items');
    expect(countText('object', 0)).toBe('0 keys');
  });
});

describe('visibleTree', () => {
  it('opens the first root only, with counts for closed containers', () => {
    const tree = visibleTree(roots, emptyViewState());
    expect(rows(tree)).toEqual([
      '0 state [open]',
      '1 requirements = "a blog with users"',
      '1 attempts = 2',
      '1 validation [closed]',
      '1 schema [closed]',
      '1 messages [closed]',
      '1 odd key = null',
    ]);
    expect(tree[0].children.find((c) => c.label === 'messages')).toMatchObject({ kind: 'array', size: 2 });
  });

  it('opens and closes by path, and subgraph roots start closed', () => {
    const view = { ...emptyViewState(), open: { [pathId(['state', 'messages'])]: true, [pathId(['state'])]: true } };
    const both = stateRoots(state, { 'validate:9a1|inner:4b2': { ddl: [] } });
    expect(both.map((r) => r.label)).toEqual(['state', 'subgraph validate:9a1 › inner:4b2']);
    expect(rows(visibleTree(both, view))).toEqual([
      '0 state [open]',
      '1 requirements = "a blog with users"',
      '1 attempts = 2',
      '1 validation [closed]',
      '1 schema [closed]',
      '1 messages [open]',
      '2 0 [closed]',
      '2 1 [closed]',
      '1 odd key = null',
      '0 subgraph validate:9a1 › inner:4b2 [closed]',
    ]);
    expect(stateRoots(null, {})).toEqual([]);
  });

  it('draws 100 children of a 10,000-item array, then 100 more per page', () => {
    const big: TreeRoot[] = [
      { id: 'state', label: 'state', value: { rows: Array.from({ length: 10_000 }, (_, i) => i) } },
    ];
    const open = { [pathId(['state', 'rows'])]: true };
    let rowsNode = visibleTree(big, { ...emptyViewState(), open })[0].children[0];
    expect(rowsNode.children).toHaveLength(100);
    expect(rowsNode.more).toBe(9_900);
    expect(rowsNode.children.at(-1)!.text).toBe('99');
    rowsNode = visibleTree(big, { ...emptyViewState(), open, pages: { [pathId(['state', 'rows'])]: 200 } })[0]
      .children[0];
    expect(rowsNode.children).toHaveLength(200);
    expect(rowsNode.more).toBe(9_800);
  });

  it('clips long strings to 160 characters until asked for more', () => {
    const long: TreeRoot[] = [{ id: 'state', label: 'state', value: { ddl: 'x'.repeat(10_000) } }];
    const leaf = visibleTree(long, emptyViewState())[0].children[0];
    // The JSON text has 10,002 characters (with its quotes); 160 are shown.
    expect(leaf.text).toBe(`"${'x'.repeat(159)}`);
    expect(leaf.clipped).toBe(9_842);
    const more = visibleTree(long, { ...emptyViewState(), chars: { [leaf.id]: 4_160 } })[0].children[0];
    expect(more.text.length).toBe(4_160);
    expect(more.clipped).toBe(5_842);
  });

  it('shows a value met again below itself as circular instead of recursing', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const view = { ...emptyViewState(), open: { [pathId(['state', 'self'])]: true } };
    const tree = visibleTree([{ id: 'state', label: 'state', value: loop }], view);
    expect(rows(tree)).toEqual(['0 state [open]', '1 name = "loop"', '1 self [closed]']);
    expect(tree[0].children[1]).toMatchObject({ circular: true, text: '[Circular]' });
  });
});

describe('searchTree', () => {
  it('finds keys and values, case-insensitively, and opens their ancestors', () => {
    const s = searchTree(roots, 'USERS');
    expect([...s.matches].sort()).toEqual(
      [
        pathId(['state', 'requirements']),
        pathId(['state', 'schema', 'tables', 'users']),
        pathId(['state', 'messages', 0, 'content']),
        pathId(['state', 'messages', 1, 'content']),
      ].sort(),
    );
    expect(s.open.has(pathId(['state', 'schema', 'tables']))).toBe(true);
    expect(s.open.has(pathId(['state', 'messages', 1]))).toBe(true);
    expect(s.open.has(pathId(['state', 'validation']))).toBe(false);
    expect(s.truncated).toBe(false);
    expect(searchTree(roots, '   ').matches.size).toBe(0);
  });

  it('draws only the way to the matches, and everything below a matching container', () => {
    const tree = visibleTree(roots, emptyViewState(), searchTree(roots, 'users'));
    expect(rows(tree)).toEqual([
      '0 state [open]',
      '1 requirements = "a blog with users"',
      '1 schema [open]',
      '2 tables [open]',
      '3 users [closed]',
      '1 messages [open]',
      '2 0 [open]',
      '3 content = "a blog with users"',
      '2 1 [open]',
      '3 content = "Tables: users, posts"',
    ]);
    // The user may still close a container on the way, and open a matching one fully.
    const users = pathId(['state', 'schema', 'tables', 'users']);
    const view = { ...emptyViewState(), open: { [pathId(['state', 'messages'])]: false, [users]: true } };
    expect(rows(visibleTree(roots, view, searchTree(roots, 'users')))).toEqual([
      '0 state [open]',
      '1 requirements = "a blog with users"',
      '1 schema [open]',
      '2 tables [open]',
      '3 users [open]',
      '4 columns [closed]',
      '1 messages [closed]',
    ]);
  });

  it('matches numbers and booleans as shown, not array indices', () => {
    expect([...searchTree(roots, 'true').matches]).toEqual([pathId(['state', 'validation', 'ok'])]);
    expect([...searchTree(roots, '1').matches]).toEqual([]);
  });

  it('stops at its limit on a huge state and says so', () => {
    const huge: TreeRoot[] = [{ id: 'state', label: 'state', value: Array.from({ length: 50_000 }, () => 'row') }];
    const s = searchTree(huge, 'row', 1_000);
    expect(s.truncated).toBe(true);
    expect(s.matches.size).toBe(999);
    expect(searchTree(huge, 'row').matches.size).toBe(50_000);
  });

  it('splits text around the first match for a highlight', () => {
    expect(splitMatch('Tables: Users, users', 'users')).toEqual({ before: 'Tables: ', hit: 'Users', after: ', users' });
    expect(splitMatch('abc', 'x')).toBeNull();
    expect(splitMatch('abc', '')).toBeNull();
  });
});
