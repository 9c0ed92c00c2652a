/**
 * Markdown to safe HTML for untrusted model output. Runs only in a browser (DOMPurify needs a DOM).
 *
 * Model text is attacker-controlled (prompt injection can make a model write anything), so:
 * - DOMPurify with the HTML profile only (no SVG/MathML), and a deny-list on top of it for
 *   anything that runs code, loads a page, or submits data;
 * - no images: a remote image is a request made on the model's behalf (an exfiltration channel),
 *   and this app works offline anyway;
 * - links only to http(s), mailto and in-page anchors; every link opens with
 *   rel="noopener noreferrer" in a new tab, so the target cannot reach back into this tab.
 */
import DOMPurify, { type Config } from 'dompurify';
import { Marked } from 'marked';

/** The DOMPurify settings used for model output (exported for the browser tests). */
export const SANITIZE_CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: [
    'script',
    'style',
    'iframe',
    'frame',
    'frameset',
    'object',
    'embed',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'link',
    'meta',
    'base',
    'img',
    'picture',
    'source',
    'video',
    'audio',
    'svg',
    'math',
    'template',
    // Elements whose text the parser reads raw: with them gone, sanitised fragments side by side
    // parse as they do apart (see joinSanitized).
    'title',
    'xmp',
    'noembed',
    'noframes',
    'noscript',
    'plaintext',
  ],
  FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'ping', 'target'],
  ALLOW_DATA_ATTR: false,
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

declare const sanitized: unique symbol;
/** HTML produced by this module's sanitiser: the only thing `SafeHtml.svelte` accepts. */
export type SanitizedHtml = string & { readonly [sanitized]: true };

let purifier: ReturnType<typeof DOMPurify> | null = null;

/** A DOMPurify instance of our own, so its hook cannot affect anyone else's use of DOMPurify. */
function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  // Parsed once here: passing the config to every `sanitize` call parses it again each time.
  p.setConfig(SANITIZE_CONFIG);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      // Set after sanitising, so the model cannot choose either value itself. A new tab keeps
      // a click from navigating away from (and losing) the running agent.
      if (node.hasAttribute('href')) {
        node.setAttribute('rel', 'noopener noreferrer');
        node.setAttribute('target', '_blank');
      } else node.removeAttribute('rel');
    }
  });
  return (purifier = p);
}

// Our own Marked instance: no global options, GitHub-flavoured, synchronous.
const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Sanitises an HTML string with {@link SANITIZE_CONFIG} (set on the purifier when it is made). */
export function sanitizeHtml(html: string): SanitizedHtml {
  return getPurifier().sanitize(html) as unknown as SanitizedHtml;
}

/**
 * Several sanitised fragments as one, to insert with one `{@html}`: DOMPurify's output is a
 * serialised DOM fragment (every element closed, text escaped, and no element whose text the
 * parser reads raw: see FORBID_TAGS), so fragments side by side parse as the same elements, side
 * by side.
 */
export function joinSanitized(parts: readonly SanitizedHtml[]): SanitizedHtml {
  return parts.join('') as SanitizedHtml;
}

/** Recently rendered markdown: the output and the messages panel show the same answer, block by block. */
const recent = new Map<string, SanitizedHtml>();
const RECENT_MAX = 64;

/** Renders untrusted markdown to HTML that is safe to insert with `{@html}`. */
export function renderMarkdown(markdown: string): SanitizedHtml {
  const hit = recent.get(markdown);
  if (hit !== undefined) return hit;
  const html = sanitizeHtml(marked.parse(markdown, { async: false }));
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(markdown, html);
  return html;
}
