/**
 * A thread's title from the input of its first run: the first text field the input has (the
 * requirements, the topic, the question; whatever the graph asks for), its first line, cut to 80
 * characters. Any graph gets a readable title without the page knowing its fields.
 */
export function threadTitle(input: unknown): string {
  const text =
    input && typeof input === 'object'
      ? Object.values(input as Record<string, unknown>).find((v) => typeof v === 'string' && v.trim() !== '')
      : undefined;
  if (typeof text !== 'string') return 'Untitled thread';
  const line = text.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
