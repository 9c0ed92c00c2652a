import type { DemoEngineOptions, EngineSelection, GpuInfo } from '../protocol';
import { namedError } from '../shared/errors';
import { abortError, ENGINE_ERRORS, toEngineError } from './errors';
import { DemoEngine } from './demo';
import { defaultGpuSource, probeGpu, type GpuSource } from './gpu';
import {
  chatModels,
  DEFAULT_WEBLLM_MODEL_ID,
  modelFilesUrl,
  resolveModelBaseUrl,
  selfHostedAppConfig,
  toModelInfo,
  type ModelInfo,
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
  /**
   * Whether a run is under way (the host knows): deleting the loaded model is refused then,
   * not only while it streams, so a run never switches to the demo engine halfway.
   */
  runActive?: () => boolean;
}

/** The manager, plus a GPU probe that needs neither web-llm nor a download. */
export interface TabgraphEngineManager extends EngineManager {
  /** What WebGPU offers here; cheap, so the UI can show it before anyone picks WebLLM. */
  probeGpu(): Promise<GpuInfo>;
  /** As in {@link EngineManager}, with each model's context window where its record gives it. */
  list(modelBaseUrl?: string): Promise<{ gpu: GpuInfo; models: ModelInfo[]; defaultModelId: string }>;
  /**
   * Deletes a model's downloaded files. If that model (from the same mirror) is loaded, it is
   * unloaded first and the demo engine becomes `current()` (so announce `current()` after
   * this resolves); while it loads, or a run uses it, this refuses with `ModelInUseError` and
   * deletes nothing.
   */
  deleteCache(modelId: string, modelBaseUrl?: string): Promise<void>;
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
  /** The WebLLM engine `loading` is loading, if it is one. */
  let loadingWebLLM: WebLLMEngine | undefined;
  /** The deletion under way, which a load waits for (it would refill the cache meanwhile). */
  let deleting: Promise<unknown> = Promise.resolve();
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
    loadingWebLLM = webllm;
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
      await deleting;
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
      if (loading === ctl) {
        loading = undefined;
        loadingWebLLM = undefined;
      }
    }
  }

  /** Makes `next` current and unloads the engine it replaces (if it is not the demo fallback). */
  async function replaceCurrent(next: ChatEngine): Promise<void> {
    const previous = current;
    current = next;
    if (previous !== next && previous !== demo) await previous.unload().catch(() => undefined);
  }

  /** Unloads the model first when it is the current engine, then deletes its cached files. */
  async function remove(modelId: string, modelBaseUrl: string | undefined, unload: boolean): Promise<void> {
    try {
      if (unload) await replaceCurrent(demo);
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
      // Decided before the first await, so no select() or run slips in between.
      const base = resolve(modelBaseUrl)?.href;
      const sameModel = (e: ChatEngine | undefined): e is WebLLMEngine =>
        e instanceof WebLLMEngine && e.modelId === modelId && e.modelBase?.href === base;
      if (sameModel(loadingWebLLM))
        throw namedError(
          ENGINE_ERRORS.modelInUse,
          `${modelId} is being loaded. Cancel the load or wait for it to finish, then delete it.`,
        );
      const engine = current;
      const inUse = sameModel(engine);
      if (inUse && (engine.generating || options.runActive?.()))
        throw namedError(
          ENGINE_ERRORS.modelInUse,
          `${modelId} is answering a run. Stop the run or wait for it to finish, then delete it.`,
        );
      const done = remove(modelId, modelBaseUrl, inUse);
      deleting = done.catch(() => undefined);
      await done;
    },
  };
}
