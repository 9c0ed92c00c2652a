import { describe, expect, it } from 'vitest';
import { createSessionStores } from '../../src/client/stores';

describe('session stores', () => {
  it('reset clears a finished run view but never a running one', () => {
    const stores = createSessionStores();
    stores.restore({ threadId: 't', graph: 'schema', status: 'completed', values: { ddl: ['x'] }, next: [] });
    expect(stores.current().values).toEqual({ ddl: ['x'] });
    stores.reset();
    expect(stores.current()).toMatchObject({ status: 'idle', values: null, runId: null });
    stores.begin('r1', 'schema', ['values'], false);
    stores.reset();
    expect(stores.current()).toMatchObject({ status: 'running', runId: 'r1' });
  });

  it('a restored thread whose run was cut off shows as interrupted, not running', () => {
    const stores = createSessionStores();
    stores.restore({ threadId: 't', graph: 'schema', status: 'running', values: {}, next: ['apply'] });
    expect(stores.current()).toMatchObject({ status: 'interrupted', interruptedNext: ['apply'], threadId: 't' });
  });
});
