import type { DemoEngineOptions, EngineSelection, GpuInfo } from '../protocol';
import { abortError, toEngineError } from './errors';
import { DemoEngine } from './demo';
import { defaultGpuSource, probeGpu, type GpuSource } from './gpu';
import {
  chatModels,
  DEFAULT_WEBLLM_MODEL_ID,
  modelFilesUrl,
  resolveModelBaseUrl,
  selfHostedAppConfig,
  toModelInfo,
} from './models';
import type { ChatEngine, EngineManager, LoadProgress } from './types';
import { importWebLLM, WebLLMEngine, type WebLLMModuleLike } from './webllm';
import { monotonicProgress } from './webllmLoad';

export interface EngineManagerOptions {
  /** Options of the demo engine the manager starts with. */
  demo?: DemoEngineOptions;
  /** Replaces the `@mlc-ai/web-llm` dynamic import (tests). */
  loadWebLLM?: () => Promise<WebLLMModuleLike>;
  /** Replaces `navigator.gpu` (tests). */
  gpu?: GpuSource;
  /** What relative model base URLs resolve against; the worker's URL by default. */
  baseHref?: string;
  /** Used for the self-hosted mirror check; global fetch by default. */
  fetch?: typeof fetch;
}

/** The manager, plus a GPU probe that needs neither web-llm nor a download. */
export interface TabgraphEngineManager extends EngineManager {
  /** What WebGPU offers here; cheap, so the UI can show it before anyone picks WebLLM. */
  probeGpu(): Promise<GpuInfo>;
}

/**
 * Creates the worker's engine manager. It starts with the demo engine, so a run works before
 * (and without) any model. `select()` loads another engine while the demo engine keeps serving;
 * a failed or cancelled load leaves the demo engine current and rejects with an Error whose
 * `name` is one of `ENGINE_ERRORS`. A newer `select()` cancels an unfinished one.
 *
 * `list()` and `deleteCache()` import web-llm (its model list and cache helpers live there):
 * call them only once the user turns to WebLLM.
 */
export function createEngineManager(options: EngineManagerOptions = {}): TabgraphEngineManager {
  const loadModule = options.loadWebLLM ?? importWebLLM;
  const gpuSource = options.gpu ?? defaultGpuSource;
  let demo = new DemoEngine(options.demo);
  let current: ChatEngine = demo;
  let generation = 0;
  let loading: AbortController | undefined;
  /** The last self-hosted base used, so list() shows cache state for the mirror in use. */
  let lastBaseUrl: string | undefined;

  const resolve = (base: string | undefined) =>
    base === undefined ? undefined : resolveModelBaseUrl(base, options.baseHref);

  async function appConfigFor(mod: WebLLMModuleLike, base: string | undefined) {
    const url = resolve(base);
    return url ? selfHostedAppConfig(mod.prebuiltAppConfig.model_list, url) : mod.prebuiltAppConfig;
  }

  async function select(
    selection: EngineSelection,
    onProgress: (p: LoadProgress & { modelId: string }) => void,
  ): Promise<ChatEngine> {
    // A bad base URL throws InvalidModelUrlError here, before the current engine or an
    // unfinished load is touched.
    const modelId = selection.modelId ?? DEFAULT_WEBLLM_MODEL_ID;
    const webllm =
      selection.kind === 'webllm'
        ? new WebLLMEngine({
            modelId,
            modelBaseUrl: selection.modelBaseUrl,
            baseHref: options.baseHref,
            loadModule,
            gpu: gpuSource,
            fetch: options.fetch,
          })
        : undefined;
    const mine = ++generation;
    loading?.abort();
    const ctl = new AbortController();
    loading = ctl;
    const progress = monotonicProgress(onProgress);
    const isLatest = () => mine === generation;
    try {
      if (!webllm) {
        const next = new DemoEngine(selection.demo ?? options.demo);
        await next.load((p) => progress({ ...p, modelId: next.modelId }), ctl.signal);
        if (!isLatest()) throw abortError('A newer engine selection replaced this one.');
        await replaceCurrent(next);
        demo = next;
        return next;
      }
      const next = webllm;
      if (
        current instanceof WebLLMEngine &&
        current.modelId === modelId &&
        current.modelBase?.href === next.modelBase?.href
      ) {
        progress({ text: `${modelId} is already loaded.`, progress: 1, modelId });
        return current;
      }
      lastBaseUrl = selection.modelBaseUrl;
      // Free the old model's GPU memory first (two rarely fit); the demo engine serves meanwhile.
      await replaceCurrent(demo);
      try {
        await next.load((p) => progress({ ...p, modelId }), ctl.signal);
      } catch (err) {
        await next.unload().catch(() => undefined);
        throw err;
      }
      if (!isLatest()) {
        await next.unload();
        throw abortError('A newer engine selection replaced this one.');
      }
      current = next;
      return next;
    } catch (err) {
      // Whatever failed, the app keeps a working engine: the demo one.
      if (isLatest() && current.kind !== 'demo') await replaceCurrent(demo);
      throw toEngineError(err);
    } finally {
      if (loading === ctl) loading = undefined;
    }
  }

  /** Makes `next` current and unloads the engine it replaces (if it is not the demo fallback). */
  async function replaceCurrent(next: ChatEngine): Promise<void> {
    const previous = current;
    current = next;
    if (previous !== next && previous !== demo) await previous.unload().catch(() => undefined);
  }

  return {
    current: () => current,
    select,
    probeGpu: () => probeGpu(gpuSource),

    async list(modelBaseUrl?: string) {
      const gpu = await probeGpu(gpuSource);
      const mod = await loadModule();
      const appConfig = await appConfigFor(mod, modelBaseUrl ?? lastBaseUrl);
      const models = await Promise.all(
        chatModels(appConfig.model_list).map(async (m) => {
          // hasModelInCache needs the Cache API; where it is missing the state is just unknown.
          const cached = await mod.hasModelInCache(m.model_id, appConfig).catch(() => undefined);
          return toModelInfo(m, gpu, cached);
        }),
      );
      return { gpu, models, defaultModelId: DEFAULT_WEBLLM_MODEL_ID };
    },

    async deleteCache(modelId: string, modelBaseUrl?: string) {
      try {
        const mod = await loadModule();
        const appConfig = await appConfigFor(mod, modelBaseUrl);
        await mod.deleteModelAllInfoInCache(modelId, appConfig);
        const record = appConfig.model_list.find((m) => m.model_id === modelId);
        // web-llm 0.2.86 fetches the weights manifest in order to delete the shards it lists,
        // and leaves that manifest cached; remove it so the model no longer looks cached.
        if (record && typeof caches !== 'undefined')
          await (await caches.open('webllm/model')).delete(new URL('tensor-cache.json', modelFilesUrl(record)).href);
      } catch (err) {
        throw toEngineError(err);
      }
    },
  };
}
