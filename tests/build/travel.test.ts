import { describe, expect, it } from 'vitest';
import { panelList } from '../../scripts/panelList.ts';
import { oembedDocument, panelPage, PREVIEW_SITE, siteAddress } from '../../scripts/vitePluginTravel.ts';
import { PANELS } from '../../src/essay/panelRegistry.ts';
import { REPO_ROOT } from '../browser/harness.ts';

describe('the build writes what travels: oEmbed documents and panel pages', () => {
  it("reads the registry's panels (IDs and titles, in order) from its source as the registry has them", () => {
    expect(panelList(REPO_ROOT)).toEqual(Object.entries(PANELS).map(([id, p]) => ({ id, title: p.title })));
  });

  it('names the site from WIDE_ENOUGH_SITE (a folder: trailing slash added), else the preview address; refuses a non-http address', () => {
    expect(siteAddress({ WIDE_ENOUGH_SITE: 'https://example.org/we' })).toEqual({ site: 'https://example.org/we/', given: true });
    expect(siteAddress({})).toEqual({ site: PREVIEW_SITE, given: false });
    expect(() => siteAddress({ WIDE_ENOUGH_SITE: 'javascript:alert(1)' })).toThrow(/http/);
  });

  it('an oEmbed document is rich, escapes the title, and frames embed.html of its panel at the site', () => {
    const doc = oembedDocument({ id: 'du-figure', title: `Du et al.'s "Figure" <1>` }, 'https://example.org/we/');
    expect(doc).toMatchObject({ version: '1.0', type: 'rich', provider_url: 'https://example.org/we/', width: 720 });
    expect(doc.html).toContain(`height="${doc.height}"`);
    expect(oembedDocument({ id: 'a-new-panel', title: 'New' }, 'https://example.org/').height).toBe(1000);
    expect(doc.html).toContain('src="https://example.org/we/embed.html?panel=du-figure"');
    expect(doc.html).toContain('title="Wide Enough: Du et al.\'s &quot;Figure&quot; &lt;1>"');
  });

  it('a panel page is embed.html with its panel, its title and the discovery link', () => {
    const html = '<!doctype html>\n<html lang="en">\n  <head>\n    <title>Wide Enough: a panel</title>\n  </head>\n<body></body></html>';
    const page = panelPage(html, { id: 'ntk', title: 'The tangent kernel barely moves' }, 'https://example.org/');
    expect(page).toContain('<html lang="en" data-panel="ntk">');
    expect(page).toContain('<title>Wide Enough: The tangent kernel barely moves</title>');
    expect(page).toContain('<link rel="alternate" type="application/json+oembed" href="https://example.org/oembed/ntk.json"');
    expect(page.indexOf('application/json+oembed')).toBeLessThan(page.indexOf('</head>'));
  });
});
