import type { ChatRequest } from '../engines/types';

/**
 * What the offline demo engine answers to a request (placeholder: the schema agent replaces it
 * with a responder that derives schema operations from the requirements text).
 */
export function demoRespond(request: ChatRequest): string {
  const last = request.messages.at(-1)?.content ?? '';
  return `This is the offline demo engine, without an LLM. You said: ${last}`;
}
