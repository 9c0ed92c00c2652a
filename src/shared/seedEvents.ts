/**
 * The custom events of the seed (`seed/streaming-guide.md`) that nodes dispatch with
 * `dispatchCustomEvent`, and their payloads. Graphs send them; the page's run reducer reads them.
 */
export interface SeedEventPayloads {
  custom_token: { content: string; id: string; agentName: string };
  token_update: { content: string; partial: boolean; id?: string };
  progress_update: { step: string; progress: number; message: string };
  /** `result` is a summary a person reads; `details` carries the data behind it. */
  step_complete: { step: string; result: string; details?: unknown };
  schema_progress: { current: number; total: number; percentage: number; operation: string };
  tool_start: { toolName: string; input: unknown };
  tool_success: { toolName: string; result: unknown };
  tool_error: { toolName: string; error: string };
  node_progress: { node: string; step: string; status: 'started' | 'completed' | 'failed' };
  node_start: { node: string; input: unknown; timestamp: string };
  node_complete: { node: string; output: unknown; timestamp: string };
  execution_error: { context: string; error: string; stack?: string; timestamp: string };
  collaboration_update: { sessionId: string; userId: string; action: string; timestamp: number };
}

/** The name of a seed event. */
export type SeedEventName = keyof SeedEventPayloads;
