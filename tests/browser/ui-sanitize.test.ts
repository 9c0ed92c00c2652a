import { describe, expect, it } from 'vitest';
import TokenOutput from '../../src/ui/run/TokenOutput.svelte';
import { joinSanitized, renderMarkdown, sanitizeHtml } from '../../src/ui/markdown/sanitize';
import { frames, mountPerTest } from '../support/mount';

/** Model output that tries every trick we know; each sets a global flag if it ever runs. */
const ATTACKS = [
  '<script>window.__pwned = "script"</script>',
  '<img src=x onerror="window.__pwned = \'img\'">',
  '<a href="javascript:window.__pwned=\'href\'">click me</a>',
  '<a href="JaVaScRiPt&#58;window.__pwned=1">entity</a>',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '[x](javascript:alert(1))',
  '[y](  javascript:window.__pwned=2 "title")',
  '[z]: javascript:window.__pwned=3\n\n[ref link][z]',
  '![img](x" onerror="window.__pwned=4)',
  '<svg onload="window.__pwned=\'svg\'"><circle r=5 /></svg>',
  '<style>body{display:none}</style>',
  '<form action="https://evil.example/"><input name=a><button>go</button></form>',
  '<div onclick="window.__pwned=5" style="position:fixed;inset:0">overlay</div>',
  '<object data="javascript:window.__pwned=6"></object><embed src="x.swf">',
  '<math><mi xlink:href="javascript:window.__pwned=7">m</mi></math>',
  '<details open ontoggle="window.__pwned=8">d</details>',
  '<a href="https://example.com/" target="_top">fine link</a>',
].join('\n\n');

function assertClean(root: ParentNode) {
  for (const sel of ['script', 'style', 'iframe', 'form', 'input', 'button', 'img', 'svg', 'math', 'object', 'embed'])
    expect(root.querySelector(sel), sel).toBeNull();
  for (const el of root.querySelectorAll('*')) {
    for (const attr of el.getAttributeNames()) {
      expect(attr.startsWith('on'), `${el.tagName} ${attr}`).toBe(false);
      expect(attr).not.toBe('style');
    }
  }
  for (const a of root.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href !== null) {
      expect(href).toMatch(/^(https?:|mailto:|#)/i);
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('target')).toBe('_blank');
    }
  }
}

const { place } = mountPerTest(() => delete window.__pwned);

describe('sanitised markdown (real Chromium)', () => {
  it('strips scripts, handlers, dangerous elements and javascript: URLs', async () => {
    const html = renderMarkdown(ATTACKS);
    const host = document.createElement('div');
    // Insert the output the same way the app does (innerHTML), then give any payload time to fire.
    host.innerHTML = html;
    document.body.append(host);
    await frames(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(window.__pwned).toBeUndefined();
    assertClean(host);
    expect(html).not.toMatch(/javascript:/i);
    // Harmless content survives.
    expect(host.textContent).toContain('click me');
    expect(host.querySelector('a[href="https://example.com/"]')).not.toBeNull();
  });

  it('keeps ordinary markdown intact', () => {
    const host = document.createElement('div');
    host.innerHTML = renderMarkdown(
      '# Title\n\n**bold** and `code`\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```sql\nSELECT 1;\n```',
    );
    expect(host.querySelector('h1')?.textContent).toBe('Title');
    expect(host.querySelector('strong')?.textContent).toBe('bold');
    expect(host.querySelector('table td')?.textContent).toBe('1');
    expect(host.querySelector('pre code')?.textContent).toContain('SELECT 1;');
  });

  it('sanitises raw HTML on its own too', () => {
    const host = document.createElement('div');
    host.innerHTML = sanitizeHtml('<p onmouseover="x()">hi</p><a href="data:text/html,<script>1</script>">d</a>');
    assertClean(host);
    expect(host.querySelector('a')?.hasAttribute('href')).toBe(false);
  });

  it('joined fragments parse as they do apart: no element whose text the parser reads raw survives', () => {
    const raw = ['<title>', '<xmp>', '<noembed>', '<noframes>', '<noscript>', '<plaintext>'];
    const parts = raw.map((tag) => renderMarkdown(`${tag}x</p><b>y</b>`));
    for (const p of parts) expect(p).not.toMatch(/<(title|xmp|noembed|noframes|noscript|plaintext)\b/i);
    const all = [...parts, renderMarkdown('**last**')];
    const parsed = (html: string) => {
      const host = document.createElement('div');
      host.innerHTML = html;
      return host;
    };
    const joined = parsed(joinSanitized(all));
    // The browser parses the joined string as the parts parsed one by one, side by side.
    expect(joined.innerHTML).toBe(all.map((p) => parsed(p).innerHTML).join(''));
    // The last fragment is still an element, not text swallowed by an earlier one.
    expect(joined.querySelector('strong')?.textContent).toBe('last');
  });

  it('renders a whole attack answer through the real output component without running it', async () => {
    const target = place(TokenOutput, {
      tokens: [{ id: 't1', agentName: 'designer', content: ATTACKS, count: 1 }],
      running: false,
    });
    await frames(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(window.__pwned).toBeUndefined();
    assertClean(target);
    expect(target.textContent).toContain('designer');
    expect(target.textContent).toContain('fine link');
  });
});
