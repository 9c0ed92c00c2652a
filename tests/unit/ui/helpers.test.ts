import { describe, expect, it } from 'vitest';
import { initialRunState, type RunState } from '../../../src/client/runState';
import { EventLog, LogView } from '../../../src/client/eventLog';
import type { WorkerEvent } from '../../../src/protocol';
import { formatNs, logRows, visibleRange } from '../../../src/ui/inspector/inspector';
import { BlockSplitter } from '../../../src/ui/markdown/markdownBlocks';
import { fmt, fmtDuration, perfNumbers } from '../../../src/ui/run/perf';
import { compactPreview } from '../../../src/ui/common/preview';
import { schemaValues } from '../../../src/graphs/schema/panel/schemaModel';
import { initialTheme, THEME_KEY, toggleTheme } from '../../../src/ui/common/theme';

describe('compactPreview', () => {
  it('writes compact JSON-like text', () => {
    expect(compactPreview({ a: 1, 'b-c': [true, null, 'x'] })).toBe('{a:1,"b-c":[true,null,"x"]}');
  });

  it('stays bounded for huge values and never throws on cycles or bigints', () => {
    const huge = { ddl: 'x'.repeat(1_000_000), rows: Array.from({ length: 100_000 }, (_, i) => i) };
    const p = compactPreview(huge, 80);
    expect(p.length).toBeLessThanOrEqual(80);
    expect(p.endsWith('…')).toBe(true);
    const cyc: Record<string, unknown> = { n: 1n };
    cyc.self = cyc;
    expect(compactPreview(cyc)).toBe('{n:1n,self:<cycle>}');
  });
});

describe('inspector rows', () => {
  let seq = 0;
  const ev = (name: string, ns: string[] = []): WorkerEvent =>
    name === 'values'
      ? { type: 'stream', runId: 'r', seq: ++seq, ts: seq, mode: 'values', ns, chunk: null }
      : { type: 'custom', runId: 'r', seq: ++seq, ts: seq, name, ns, data: null };
  const store = new EventLog();
  for (let i = 0; i < 500; i++) store.append(ev(i % 2 ? 'custom_token' : 'values', i % 10 ? [] : ['review:1']));
  const log = new LogView(store, 500);

  it('every entry when there is no query, the matching ones (name, kind, namespace) otherwise', () => {
    const all = logRows(log, '  ');
    expect(all.count).toBe(500);
    expect(all.indexAt(499)).toBe(499);
    const tokens = logRows(log, 'TOKEN');
    expect(tokens.count).toBe(250);
    expect(log.entry(tokens.indexAt(0)).name).toBe('custom_token');
    expect(logRows(log, 'review').count).toBe(50);
    expect(logRows(log, 'stream').count).toBe(250);
    expect(logRows(new LogView(store, 100), 'review').count).toBe(10);
    expect(formatNs([])).toBe('root');
    expect(formatNs(['a:1', 'b:2'])).toBe('a:1 › b:2');
  });

  it('draws only the rows in view, and a few around them', () => {
    expect(visibleRange(0, 240, 100_000, 24, 8)).toEqual([0, 18]);
    expect(visibleRange(24 * 5000, 240, 100_000, 24, 8)).toEqual([4992, 5018]);
    expect(visibleRange(24 * 99_990, 240, 100_000, 24, 8)).toEqual([99_982, 100_000]);
    expect(visibleRange(0, 240, 3, 24, 8)).toEqual([0, 3]);
    expect(visibleRange(0, 240, 0, 24, 8)).toEqual([0, 0]);
  });
});

describe('BlockSplitter', () => {
  it('finalises blocks at blank lines and keeps the growing tail', () => {
    const s = new BlockSplitter();
    expect(s.update('# Title\n\nSome te')).toEqual({ added: ['# Title\n'], tail: 'Some te', reset: false });
    expect(s.update('# Title\n\nSome text.\n\n- a')).toEqual({ added: ['Some text.\n'], tail: '- a', reset: false });
  });

  it('never splits inside a code fence, whatever the chunking', () => {
    const text = 'Intro\n\n```sql\nCREATE TABLE a();\n\nCREATE TABLE b();\n```\n\nAfter\n';
    const whole = new BlockSplitter().update(text).added;
    const s = new BlockSplitter();
    const added: string[] = [];
    for (let i = 1; i <= text.length; i++) added.push(...s.update(text.slice(0, i)).added);
    expect(added).toEqual(whole);
    expect(whole).toEqual(['Intro\n', '```sql\nCREATE TABLE a();\n\nCREATE TABLE b();\n```\n']);
  });

  it('resets when the text is not a continuation', () => {
    const s = new BlockSplitter();
    s.update('one\n\ntwo');
    expect(s.update('other')).toEqual({ added: [], tail: 'other', reset: true });
  });
});

describe('perfNumbers', () => {
  const run = (patch: Partial<RunState>, stats: Partial<RunState['stats']>): RunState => {
    const r = initialRunState();
    return { ...r, ...patch, stats: { ...r.stats, ...stats } };
  };

  it('derives rates, TTFT and mean latency from the counters', () => {
    const r = run(
      { status: 'completed', startedAt: 1000, endedAt: 3000 },
      {
        tokens: 101,
        firstTokenAt: 1200,
        lastTokenAt: 2200,
        events: 200,
        firstEventAt: 1000,
        latencySumMs: 50,
        latencyCount: 10,
      },
    );
    const p = perfNumbers(r, { promptTokens: 5, completionTokens: 100, decodeTokensPerSecond: 42 }, 99_999);
    expect(p.tokensPerSecond).toBeCloseTo(100);
    expect(p.timeToFirstTokenMs).toBe(200);
    expect(p.eventsPerSecond).toBeCloseTo(100);
    expect(p.meanLatencyMs).toBe(5);
    expect(p.decodeTokensPerSecond).toBe(42);
  });

  it('uses now while running and leaves unknowns undefined', () => {
    const p = perfNumbers(run({ status: 'running', startedAt: 0 }, { tokens: 11, firstTokenAt: 1000 }), null, 2000);
    expect(p.tokensPerSecond).toBeCloseTo(10);
    expect(p.eventsPerSecond).toBeUndefined();
    expect(fmt(undefined)).toBe('–');
    expect(fmt(1234.5, 1, ' tok/s')).toBe('1,234.5 tok/s');
    expect(fmtDuration(850)).toBe('850 ms');
    expect(fmtDuration(1250)).toBe('1.3 s');
  });
});

describe('schemaValues', () => {
  it('reads tables, keys, defaults and validation defensively', () => {
    const v = schemaValues({
      schema: {
        tables: {
          users: {
            columns: {
              id: { name: 'id', type: 'bigserial', nullable: true },
              email: { name: 'email', type: 'text', nullable: false, default: "''" },
            },
            constraints: {
              users_pkey: { name: 'users_pkey', type: 'primary_key', columns: ['id'] },
              users_email_key: { name: 'users_email_key', type: 'unique', columns: ['email'] },
            },
            indexes: { users_email_idx: { columns: ['email'], unique: true } },
          },
          broken: 'not a table',
        },
        enums: { role: { values: ['admin', 'member'] } },
      },
      ddl: 'CREATE TABLE users ();',
      validation: { ok: false, errors: [{ statement: 'CREATE TABLE x', message: 'syntax error' }, 'junk'] },
    });
    expect(v.schema!.tables).toHaveLength(1);
    const [id, email] = v.schema!.tables[0].columns;
    expect(id).toMatchObject({ primaryKey: true, nullable: false });
    expect(email).toMatchObject({ unique: true, default: "''", nullable: false });
    expect(v.schema!.enums).toEqual([{ name: 'role', values: ['admin', 'member'] }]);
    expect(v.validation).toEqual({ ok: false, errors: [{ statement: 'CREATE TABLE x', message: 'syntax error' }] });
    expect(v.ddl).toBe('CREATE TABLE users ();');
    expect(schemaValues({ ddl: ['CREATE TABLE a (id int)', ' ', 'CREATE INDEX i ON a (id);'] }).ddl).toBe(
      'CREATE TABLE a (id int);\n\nCREATE INDEX i ON a (id);',
    );
    expect(schemaValues(null)).toEqual({ schema: null, ddl: null, validation: null, summary: null });
  });
});

describe('theme', () => {
  const store = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };

  it('follows the system until the user chooses, then remembers', () => {
    const s = store();
    expect(initialTheme(s, true)).toBe('dark');
    expect(toggleTheme('dark', s)).toBe('light');
    expect(s.m.get(THEME_KEY)).toBe('light');
    expect(initialTheme(s, true)).toBe('light');
  });

  it('tolerates storage that throws', () => {
    const bad = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(initialTheme(bad, false)).toBe('light');
    expect(toggleTheme('light', bad)).toBe('dark');
  });
});
