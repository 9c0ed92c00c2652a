import { afterEach, describe, expect, it } from 'vitest';
import { pageOver, type TestPage } from '../support/page';
import { FakeWorker } from '../support/fakeWorker';
import { until } from '../support/until';

const sessions: TestPage[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
});

function open(delayMs = 2, opts: { silenceMs?: number; pingTimeoutMs?: number; words?: number } = {}) {
  const workers: FakeWorker[] = [];
  const session = pageOver({
    createWorker: () => {
      const w = new FakeWorker(delayMs, opts.words ?? 60);
      workers.push(w);
      return w;
    },
    ...opts,
  });
  sessions.push(session);
  return { session, workers };
}

const run = (s: TestPage, input: unknown = { topic: 'x' }) =>
  s.start({ graph: 'demo', input, streamModes: ['values'], subgraphs: false });

/** The first worker, lost mid-run, was terminated; a second one started and runs the next run to the end. */
async function expectReplacedAndRunning(session: TestPage, workers: FakeWorker[]) {
  expect(workers[0].terminated).toBe(true);
  expect(workers).toHaveLength(2);
  run(session);
  await until(() => session.stores.current().status !== 'running');
  expect(session.stores.current().status).toBe('completed');
}

describe('session: the worker lifecycle', () => {
  it('a run whose command cannot be sent fails at once instead of hanging', () => {
    const { session } = open();
    run(session, { topic: 'x', callback: () => 1 });
    expect(session.stores.current().status).toBe('rejected');
    expect(session.stores.current().error?.message).toContain('could not be sent');
  });

  it('a worker crash mid-run fails the run, a fresh worker starts, and the next run works', async () => {
    const { session, workers } = open(20);
    run(session);
    await until(() => session.stores.current().stats.tokens > 2);
    workers[0].crash('Uncaught RangeError: out of memory');
    expect(session.stores.current().status).toBe('failed');
    expect(session.stores.current().error).toMatchObject({ name: 'WorkerCrashedError' });
    expect(session.stores.current().error?.message).toContain('out of memory');
    await expectReplacedAndRunning(session, workers);
  });

  // How long detection takes is measured in bench/faults.mjs; here only that it happens.
  it('a worker that stops answering mid-run is detected and replaced', async () => {
    const { session, workers } = open(20, { silenceMs: 200, pingTimeoutMs: 300 });
    run(session);
    await until(() => session.stores.current().stats.tokens > 1);
    workers[0].hang();
    // The hung worker never answers again: only the watchdog can end this run.
    await until(() => session.stores.current().status !== 'running');
    expect(session.stores.current().status).toBe('failed');
    expect(session.stores.current().error?.message).toContain('stopped answering');
    await expectReplacedAndRunning(session, workers);
  });

  it('100 runs back to back through the session: one worker, no stuck run, every run completes', async () => {
    const { session, workers } = open(0, { words: 5 });
    for (let i = 0; i < 100; i++) {
      run(session, { topic: `run ${i}` });
      await until(() => session.stores.current().status !== 'running');
      expect(session.stores.current().status).toBe('completed');
    }
    expect(workers).toHaveLength(1);
    expect(session.session.workersStarted).toBe(1);
  }, 60_000);

  it('a slow but alive worker is not killed: pings are answered', async () => {
    const { session, workers } = open(400, { silenceMs: 100, pingTimeoutMs: 300, words: 8 });
    run(session, { topic: 'slow' });
    await until(() => session.stores.current().status !== 'running', 60_000);
    expect(session.stores.current().status).toBe('completed');
    expect(workers).toHaveLength(1);
  }, 60_000);
});
