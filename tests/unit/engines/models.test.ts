import { describe, expect, it } from 'vitest';
import {
  approxTokens,
  chatModels,
  contextWindowOf,
  DEFAULT_WEBLLM_MODEL_ID,
  inputBudgetChars,
  libFileName,
  modelFilesUrl,
  needsShaderF16,
  recordContextWindow,
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

  it('gives every chat model a context window: 4096 for the default, 1024 for -1k builds', () => {
    const byId = new Map(chatModels(real).map((m) => [m.model_id, m]));
    expect(recordContextWindow(byId.get(DEFAULT_WEBLLM_MODEL_ID)!)).toBe(4096);
    expect(recordContextWindow(byId.get('Llama-3.1-8B-Instruct-q4f32_1-MLC-1k')!)).toBe(1024);
    expect(recordContextWindow(byId.get('TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC')!)).toBe(2048);
    expect(chatModels(real).filter((m) => recordContextWindow(m) === undefined)).toEqual([]);
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
    const ids = config.model_list.map((m) => m.model_id);
    expect(ids).toContain(DEFAULT_WEBLLM_MODEL_ID);
    expect(ids).not.toContain('snowflake-arctic-embed-m-q0f32-MLC-b4'); // an embedding model
    for (const m of config.model_list) {
      expect(m.model).toBe(`https://m.example/llm/${m.model_id}/resolve/main/`);
      expect(m.model_lib.startsWith('https://m.example/llm/libs/')).toBe(true);
      expect(m.model_lib.endsWith('.wasm')).toBe(true);
    }
    expect(libFileName('https://x/y/Lib-a_cs1k-webgpu.wasm?x=1')).toBe('Lib-a_cs1k-webgpu.wasm');
  });

  it('keeps exactly the chat models of a hand-written list, pointed at the mirror', () => {
    const lib = (name: string) => `https://raw.githubusercontent.com/mlc-ai/libs/main/${name}.wasm`;
    const list: ModelRecordLike[] = [
      { model: 'https://huggingface.co/mlc-ai/A-MLC', model_id: 'A-MLC', model_lib: lib('A-webgpu') },
      { model: 'https://huggingface.co/mlc-ai/E-MLC', model_id: 'E-MLC', model_lib: lib('E-webgpu'), model_type: 1 },
      { model: 'https://huggingface.co/mlc-ai/V-MLC', model_id: 'V-MLC', model_lib: lib('V-webgpu'), model_type: 2 },
      { model: 'https://huggingface.co/mlc-ai/B-MLC', model_id: 'B-MLC', model_lib: lib('B-webgpu'), model_type: 0 },
    ];
    expect(selfHostedAppConfig(list, new URL('https://m.example/llm/')).model_list).toEqual([
      {
        model: 'https://m.example/llm/A-MLC/resolve/main/',
        model_id: 'A-MLC',
        model_lib: 'https://m.example/llm/libs/A-webgpu.wasm',
      },
      {
        model: 'https://m.example/llm/B-MLC/resolve/main/',
        model_id: 'B-MLC',
        model_lib: 'https://m.example/llm/libs/B-webgpu.wasm',
        model_type: 0,
      },
    ]);
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

describe('context window helpers', () => {
  it('contextWindowOf takes the context window, else a sliding window, else nothing', () => {
    expect(contextWindowOf({ context_window_size: 4096, sliding_window_size: -1 })).toBe(4096);
    expect(contextWindowOf({ context_window_size: -1, sliding_window_size: 1024 })).toBe(1024);
    expect(contextWindowOf({ context_window_size: -1, sliding_window_size: -1 })).toBeUndefined();
    expect(contextWindowOf({})).toBeUndefined();
    expect(contextWindowOf(undefined)).toBeUndefined();
  });

  it('approxTokens counts 3 ASCII characters, or any 1 other character, as a token', () => {
    expect(approxTokens('')).toBe(0);
    expect(approxTokens('abc')).toBe(1);
    expect(approxTokens('abcd')).toBe(2);
    expect(approxTokens('x'.repeat(300))).toBe(100);
    expect(approxTokens('日本語')).toBe(3);
    expect(approxTokens('héllo')).toBe(3); // "hllo" -> 2, "é" -> 1
    expect(approxTokens('🙂')).toBe(1);
  });

  it('inputBudgetChars leaves room for the prompt and the answer, and is never negative', () => {
    expect(inputBudgetChars(4096, 500, 1024)).toBe(7716); // (4096 - 500 - 1024) * 3
    expect(approxTokens('x'.repeat(7716))).toBe(2572);
    expect(inputBudgetChars(1024, 600, 512)).toBe(0);
    expect(inputBudgetChars(1024, 0, 0)).toBe(3072);
  });
});
