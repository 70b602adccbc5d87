// The site's Markdown renderer: what our documents use renders, and nothing in a document becomes markup by accident.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specDir } from '../../src/paths.js';
import { dataText } from '../../src/site/html.js';
import { renderInline, renderMarkdown } from '../../src/site/markdown.js';

const html = (md: string, link?: (href: string) => string | undefined) => renderMarkdown(md, link ? { link } : {}).html;

describe('blocks', () => {
  it('headings get unique ids', () => {
    const r = renderMarkdown('# The procedure\n\n## Step 1: envelopes\n\n## Step 1: envelopes\n');
    expect(r.html).toBe(
      '<h1 id="the-procedure">The procedure</h1>\n<h2 id="step-1-envelopes">Step 1: envelopes</h2>\n<h2 id="step-1-envelopes-2">Step 1: envelopes</h2>',
    );
    expect(r.headings.map((h) => h.level)).toEqual([1, 2, 2]);
  });

  it('paragraphs join their lines; blank lines separate them', () => {
    expect(html('one\ntwo\n\nthree')).toBe('<p>one two</p>\n<p>three</p>');
  });

  it('tight and loose lists, nested by indentation, ordered lists keep their start', () => {
    expect(html('- a\n- b\n  continued\n  - inner\n- c')).toBe(
      '<ul>\n<li>a</li>\n<li>b continued\n<ul>\n<li>inner</li>\n</ul></li>\n<li>c</li>\n</ul>',
    );
    expect(html('3. x\n4. y')).toBe('<ol start="3">\n<li>x</li>\n<li>y</li>\n</ol>');
    expect(html('- a\n\n- b')).toBe('<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>');
  });

  it('fenced code is shown verbatim, tabs and markup included', () => {
    expect(html('```go\nfunc f() {\n\treturn <b>\n}\n```')).toBe(
      '<pre><code class="language-go">func f() {\n\treturn &lt;b&gt;\n}\n</code></pre>',
    );
  });

  it('pipe tables, with escaped pipes and alignment', () => {
    expect(html('| a | b |\n|:--|--:|\n| `x\\|y` | 2 |')).toBe(
      '<div class="table-wrap"><table>\n<thead><tr><th class="align-left">a</th><th class="align-right">b</th></tr></thead>\n<tbody>\n<tr><td class="align-left"><code>x|y</code></td><td class="align-right">2</td></tr>\n</tbody>\n</table></div>',
    );
  });

  it('block quotes and rules', () => {
    expect(html('> quoted\n> more\n\n---')).toBe('<blockquote>\n<p>quoted more</p>\n</blockquote>\n<hr>');
  });

  it('drops HTML comments and shows any other HTML as text', () => {
    expect(html('<!-- note\nfor editors -->\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>')).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>&lt;img src=x onerror=alert(1)&gt;</p>',
    );
  });

  it('renders the real decision procedure without leaking raw markup', () => {
    const out = html(readFileSync(join(specDir, 'PROCEDURE.md'), 'utf8'));
    expect(out).toContain('<h1 id="the-decision-procedure">');
    expect(out).toMatch(/<ol>\n<li>An <strong>envelope<\/strong>/);
    // Every tag in the output is one the renderer writes.
    const tags = new Set([...out.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
    expect(
      [...tags].filter(
        (t) =>
          ![
            'h1',
            'h2',
            'h3',
            'p',
            'ul',
            'ol',
            'li',
            'code',
            'strong',
            'em',
            'pre',
            'a',
            'table',
            'thead',
            'tbody',
            'tr',
            'th',
            'td',
            'div',
            'blockquote',
            'hr',
            'span',
          ].includes(t!),
      ),
    ).toEqual([]);
  });
});

describe('inline', () => {
  it('code spans hold anything, longer fences hold backticks', () => {
    expect(renderInline('`<a href="x">` and ``a ` b``')).toBe(
      '<code>&lt;a href=&quot;x&quot;&gt;</code> and <code>a ` b</code>',
    );
  });

  it('emphasis, but snake_case and lone asterisks stay as written', () => {
    expect(renderInline('**bold** and *em* and _em_ but snake_case_name and 2 * 3 * 4')).toBe(
      '<strong>bold</strong> and <em>em</em> and <em>em</em> but snake_case_name and 2 * 3 * 4',
    );
  });

  it('links: http(s) kept, javascript: and data: never linked, relative ones only when the site has the page', () => {
    const link = (href: string) =>
      href.startsWith('PROCEDURE.md') ? href.replace('PROCEDURE.md', 'procedure.html') : undefined;
    expect(renderInline('[x](https://example.org/a?b=1&c=2)')).toBe(
      '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer external">x</a>',
    );
    expect(renderInline('[x](javascript:alert(1))')).not.toContain('href');
    expect(renderInline('[x](data:text/html,hi)')).not.toContain('href');
    expect(renderInline('[steps](PROCEDURE.md#step-1)', { link })).toBe('<a href="procedure.html#step-1">steps</a>');
    expect(renderInline('[src](../src/x.ts)', { link })).toBe('<span class="unlinked">src</span>');
    expect(renderInline('[`code` *in* link](#here)')).toBe('<a href="#here"><code>code</code> <em>in</em> link</a>');
  });

  it('backslash escapes, and NUL is never a placeholder', () => {
    expect(renderInline('\\*not em\\* \\<b\\>')).toBe('*not em* &lt;b&gt;');
    expect(renderInline('a\u00000\u0000b')).toBe('a\uFFFD0\uFFFDb');
  });
});

describe('data text', () => {
  it('is text: only code spans mean something', () => {
    expect(dataText('Use `<b>` *not* [this](javascript:x) & "that"')).toBe(
      'Use <code>&lt;b&gt;</code> *not* [this](javascript:x) &amp; &quot;that&quot;',
    );
    expect(dataText('an unclosed ` backtick')).toBe('an unclosed ` backtick');
  });
});
