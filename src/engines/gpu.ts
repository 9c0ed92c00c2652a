import type { GpuInfo } from '../protocol';
import { namedError } from '../shared/errors';
import { ENGINE_ERRORS } from './errors';

/** Where the WebGPU entry point comes from; injectable so tests can take it away. */
export type GpuSource = () => GPU | undefined;

/** `navigator.gpu` of this worker (or page), read at call time. */
export const defaultGpuSource: GpuSource = () =>
  typeof navigator === 'undefined' ? undefined : (navigator as { gpu?: GPU }).gpu;

/**
 * Asks WebGPU what this machine can do, without creating a device or downloading anything.
 * Never throws: a missing API or adapter comes back as `available: false` with a reason.
 */
export async function probeGpu(source: GpuSource = defaultGpuSource): Promise<GpuInfo> {
  const gpu = source();
  if (!gpu) return { available: false, reason: 'navigator.gpu is missing: this browser does not offer WebGPU.' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (err) {
    return { available: false, reason: `requestAdapter() failed: ${String(err)}` };
  }
  if (!adapter) return { available: false, reason: 'requestAdapter() returned no GPU adapter.' };
  // `adapter.info` is the current API; older Chromium only had requestAdapterInfo().
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  return {
    available: true,
    vendor: info?.vendor || undefined,
    architecture: info?.architecture || undefined,
    description: info?.description || undefined,
    shaderF16: adapter.features.has('shader-f16'),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** The error a load fails with when {@link probeGpu} found no usable GPU. */
export function gpuUnavailableError(info: GpuInfo): Error {
  const name = info.reason?.startsWith('navigator.gpu') ? ENGINE_ERRORS.noWebGPU : ENGINE_ERRORS.noAdapter;
  return namedError(name, info.reason ?? 'WebGPU is not available.');
}
