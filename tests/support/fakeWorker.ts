import type { WorkerLike } from '../../src/client/session';
import { serve, type Host, type HostOptions } from '../../src/worker/host';
import { fixedEngineManager, ScriptedEngine } from './engines';
import { demoEntry } from './graphs';

/**
 * A worker stand-in: the real host behind a MessageChannel, plus the two ways a real worker dies:
 * an uncaught error (`crash`) and a wedged thread that answers nothing (`hang`).
 */
export class FakeWorker implements WorkerLike {
  private readonly channel = new MessageChannel();
  private readonly host: Host;
  private readonly errorListeners = new Set<(ev: MessageEvent & ErrorEvent) => void>();
  private readonly wrapped = new Map<unknown, (ev: MessageEvent) => void>();
  private hung = false;
  terminated = false;

  /** A host of the demo graph whose engine streams `words` words, `delayMs` apart (or `options`). */
  constructor(delayMs: number, words: number, options?: HostOptions) {
    this.host = serve(
      this.channel.port2 as never,
      options ?? {
        graphs: [demoEntry],
        engines: fixedEngineManager(new ScriptedEngine(() => 'word '.repeat(words), delayMs)),
      },
    );
  }
  postMessage(message: unknown): void {
    structuredClone(message); // a real Worker refuses what cannot be cloned, synchronously
    if (!this.hung) this.channel.port1.postMessage(message);
  }
  addEventListener(type: string, listener: (ev: MessageEvent & ErrorEvent) => void): void {
    if (type === 'error') this.errorListeners.add(listener);
    else if (type === 'message') {
      // A wedged worker's thread answers nothing: its messages stop reaching the page.
      const w = (ev: MessageEvent) => {
        if (!this.hung) listener(ev as MessageEvent & ErrorEvent);
      };
      this.wrapped.set(listener, w);
      this.channel.port1.addEventListener('message', w);
    }
  }
  removeEventListener(type: string, listener: (ev: MessageEvent & ErrorEvent) => void): void {
    if (type === 'error') this.errorListeners.delete(listener);
    else if (type === 'message')
      this.channel.port1.removeEventListener('message', this.wrapped.get(listener) ?? (() => {}));
  }
  start(): void {
    this.channel.port1.start();
  }
  terminate(): void {
    this.terminated = true;
    this.host.close();
    this.channel.port1.close();
    this.channel.port2.close();
  }
  crash(message: string): void {
    for (const l of this.errorListeners) l({ message, preventDefault: () => {} } as MessageEvent & ErrorEvent);
  }
  hang(): void {
    this.hung = true;
  }
}
