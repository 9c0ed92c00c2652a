import { describe, expect, it } from 'vitest';
import { DemoEngine } from '../../../src/engines/demo';
import { OpenAICompatibleEngine } from '../../../src/engines/openai';
import { ENGINE_CONFIG_KEY, currentEngine, fallbackEngine, setEngineProvider } from '../../../src/llm/engine';
import { ScriptedEngine } from '../../support/engines';

describe('the engine graph code calls', () => {
  it('is the run’s own engine first, then the host’s, and the provider can be restored', () => {
    const host = new ScriptedEngine(() => 'host');
    const run = new ScriptedEngine(() => 'run');
    const restore = setEngineProvider(() => host);
    try {
      expect(currentEngine()).toBe(host);
      expect(currentEngine({ configurable: { [ENGINE_CONFIG_KEY]: run } })).toBe(run);
      // Something that is not an engine under the key is ignored.
      expect(currentEngine({ configurable: { [ENGINE_CONFIG_KEY]: 'nope' } })).toBe(host);
    } finally {
      restore();
    }
  });

  it('on a server (no host engine): an OpenAI-compatible endpoint from the environment, else the demo engine', () => {
    const endpoint = fallbackEngine({
      TABGRAPH_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      TABGRAPH_LLM_MODEL: 'llama3.2',
    });
    expect(endpoint).toBeInstanceOf(OpenAICompatibleEngine);
    expect(endpoint.modelId).toBe('llama3.2');
    const demo = fallbackEngine({});
    expect(demo).toBeInstanceOf(DemoEngine);
    expect((demo as DemoEngine).tokensPerSecond).toBe(0);
    expect((fallbackEngine({ TABGRAPH_DEMO_TOKENS_PER_SECOND: '40' }) as DemoEngine).tokensPerSecond).toBe(40);
    expect(() => fallbackEngine({ TABGRAPH_LLM_BASE_URL: 'http://x/v1' })).toThrow('TABGRAPH_LLM_MODEL is required');
  });
});
