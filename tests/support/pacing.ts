import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { createMacrotaskYield } from '../../src/worker/relay';

/**
 * Paces an in-process reference run as the worker's relay paces a graph when it cannot see
 * LangGraph's pushes: every `dispatchCustomEvent` waits one macrotask (the handler is awaited).
 * LangGraph's messages handler gives a tool's message its id only after the `tools` event
 * carrying it was yielded, so a reference read without the same pacing would differ.
 */
export class PacingHandler extends BaseCallbackHandler {
  name = 'tabgraph_test_pacing';
  override awaitHandlers = true;
  private readonly tick = createMacrotaskYield();

  override async handleCustomEvent(): Promise<void> {
    await this.tick.next();
  }

  /** Releases the internal channel; pending waits resolve at once. */
  close(): void {
    this.tick.close();
  }
}
