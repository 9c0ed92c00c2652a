import { Controller } from '../../src/client/controller';
import type { Transport } from '../../src/client/transport';
import { Session, type SessionOptions } from '../../src/client/session';

/** A page's controller over a worker session (no other tabs), with the session at hand. */
export type TestPage = Controller & { session: Session };

/** The page as `src/main.ts` wires it: a controller whose transport is a worker session. */
export function pageOver(options: SessionOptions, graphs: string[] = []): TestPage {
  const session = new Session(options);
  return Object.assign(new Controller({ transport: session, graphs, crossTab: false }), { session });
}

/** A transport with nothing behind it: a tab that only follows other tabs. */
export function idleTransport(): Transport {
  return {
    run: () => {
      throw new Error('this tab runs nothing');
    },
    resume: () => {
      throw new Error('this tab runs nothing');
    },
    cancel: () => {},
    describe: (graph) => Promise.reject(new Error(`no graph ${graph} here`)),
    listThreads: async () => [],
    threadState: async () => ({ values: null, next: [] }),
    deleteThread: async () => {},
    subscribe: () => () => {},
    dispose: () => {},
  };
}
