import { describe, expect, it } from 'vitest';
import {
  chatModels,
  DEFAULT_WEBLLM_MODEL_ID,
  libFileName,
  modelFilesUrl,
  needsShaderF16,
  resolveModelBaseUrl,
  selfHostedAppConfig,
  type ModelRecordLike,
} from '../../../src/engines/models';

// The real list (imported dynamically, as everywhere), to catch a web-llm update that drops
// or changes our default.
const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
const real = prebuiltAppConfig.model_list as unknown as ModelRecordLike[];

describe('the model list of the installed web-llm', () => {
  it('contains the default model, a chat model that needs no shader-f16', () => {
    const record = chatModels(real).find((m) => m.model_id === DEFAULT_WEBLLM_MODEL_ID);
    expect(record).toBeDefined();
    expect(needsShaderF16(record!)).toBe(false);
    expect(record!.low_resource_required).toBe(true);
  });

  it('filters out embedding and vision models', () => {
    const chat = chatModels(real);
    expect(chat.length).toBeGreaterThan(10);
    expect(chat.length).toBeLessThan(real.length);
    expect(chat.some((m) => /embed/i.test(m.model_id))).toBe(false);
  });
});

describe('resolveModelBaseUrl', () => {
  it('resolves relative bases against the given href and normalises to a directory', () => {
    expect(resolveModelBaseUrl('/models', 'https://a.example/app/w.js').href).toBe('https://a.example/models/');
    expect(resolveModelBaseUrl('m/', 'https://a.example/app/').href).toBe('https://a.example/app/m/');
    expect(resolveModelBaseUrl('http://cdn.example/x?q#h').href).toBe('http://cdn.example/x/');
  });

  it.each(['file:///models/', 'data:text/plain,x', 'https://exa mple.com/', '', '/relative-without-base'])(
    'rejects %j with InvalidModelUrlError',
    (bad) => {
      expect(() => resolveModelBaseUrl(bad, undefined)).toThrow(
        expect.objectContaining({ name: 'InvalidModelUrlError' }),
      );
    },
  );
});

describe('selfHostedAppConfig', () => {
  it('points every chat model at the mirror', () => {
    const base = new URL('https://m.example/llm/');
    const config = selfHostedAppConfig(real, base);
    expect(config.model_list.length).toBe(chatModels(real).length);
    for (const m of config.model_list) {
      expect(m.model).toBe(`https://m.example/llm/${m.model_id}/resolve/main/`);
      expect(m.model_lib.startsWith('https://m.example/llm/libs/')).toBe(true);
      expect(m.model_lib.endsWith('.wasm')).toBe(true);
    }
    expect(libFileName('https://x/y/Lib-a_cs1k-webgpu.wasm?x=1')).toBe('Lib-a_cs1k-webgpu.wasm');
  });
});

describe('modelFilesUrl', () => {
  it('matches where web-llm fetches from', () => {
    expect(modelFilesUrl({ model: 'https://huggingface.co/mlc-ai/X' })).toBe(
      'https://huggingface.co/mlc-ai/X/resolve/main/',
    );
    expect(modelFilesUrl({ model: 'https://m.example/X/resolve/main/' })).toBe('https://m.example/X/resolve/main/');
  });
});
