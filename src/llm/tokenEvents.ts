import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { SeedEventPayloads } from '../shared/seedEvents';
import { TOKEN_UPDATE_EVERY } from './streamLLMResponse';

/**
 * The seed's token events for one completion, as `streamLLMResponse` sends them: a
 * `custom_token` per token, a partial `token_update` after 8 tokens and at each doubling, and a
 * final one. Sent on the model's run, whose metadata names the node, so the relay files them
 * under that node.
 */
export class TokenEvents {
  private text = '';
  private count = 0;
  private nextUpdateAt = TOKEN_UPDATE_EVERY;

  constructor(
    private readonly run: CallbackManagerForLLMRun,
    private readonly agentName: string,
    private readonly id: string,
  ) {}

  private send<K extends 'custom_token' | 'token_update'>(name: K, data: SeedEventPayloads[K]) {
    return this.run.handleCustomEvent(name, data);
  }

  async token(content: string): Promise<void> {
    this.text += content;
    await this.send('custom_token', { content, id: this.id, agentName: this.agentName });
    if (++this.count >= this.nextUpdateAt) {
      this.nextUpdateAt *= 2;
      await this.send('token_update', { content: this.text, partial: true, id: this.id });
    }
  }

  done(): Promise<void> {
    return this.send('token_update', { content: this.text, partial: false, id: this.id });
  }
}
