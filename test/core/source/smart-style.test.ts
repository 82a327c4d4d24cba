import { expect } from '@open-wc/testing';
import { FhirError, loadSmartStyle, smartStyleTokens } from '@ehr-elements/core';

const EHR_STYLE = {
  color_background: '#f3f4f6',
  color_error: '#a4262c',
  color_highlight: '#0b5cad',
  color_modal_backdrop: 'rgba(17, 24, 39, 0.5)',
  color_success: '#1e7b34',
  color_text: '#111827',
  dim_border_radius: '6px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'Georgia, serif',
};

describe('smartStyleTokens (SMART App Launch 2.2 styling)', () => {
  it('maps the EHR style document to --ehr-* tokens, and a light background to a light scheme', () => {
    expect(smartStyleTokens(EHR_STYLE)).to.deep.equal({
      '--ehr-color-surface': '#f3f4f6',
      '--ehr-color-text': '#111827',
      '--ehr-color-accent': '#0b5cad',
      '--ehr-color-focus': '#0b5cad',
      '--ehr-color-danger': '#a4262c',
      '--ehr-radius': '6px',
      '--ehr-font-family': 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      '--ehr-color-scheme': 'light',
    });
    expect(smartStyleTokens({ color_background: '#101418' })['--ehr-color-scheme']).to.equal('dark');
  });

  it('ignores values that are not plainly a colour, a length or a font list', () => {
    const tokens = smartStyleTokens({
      color_background: 'red; background-image: url(https://tracker.example/x.png)',
      color_text: 'url(https://tracker.example/y)',
      color_highlight: 'expression(alert(1))',
      dim_border_radius: '6px; display: none',
      font_family_body: 'Arial; } * { display: none',
      color_error: 42,
    });
    expect(tokens).to.deep.equal({});
    expect(smartStyleTokens(null)).to.deep.equal({});
    expect(smartStyleTokens('#fff')).to.deep.equal({});
  });

  it('reads the document without credentials, and says when it cannot (fake fetch)', async () => {
    const calls: RequestInit[] = [];
    const ok = (async (_url: string, init: RequestInit) => {
      calls.push(init);
      return new Response(JSON.stringify(EHR_STYLE), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const tokens = await loadSmartStyle('https://ehr.example/style.json', { fetch: ok });
    expect(tokens['--ehr-color-accent']).to.equal('#0b5cad');
    expect(calls[0]!.credentials).to.equal('omit');
    expect(new Headers(calls[0]!.headers).has('authorization')).to.equal(false);

    const missing = (async () => new Response('nope', { status: 404 })) as unknown as typeof fetch;
    const error = await loadSmartStyle('https://ehr.example/style.json', { fetch: missing }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(FhirError);
    expect((error as FhirError).message).to.contain('404');
  });

  it('requests a style document only over https (or on this machine), with no referrer (fake fetch)', async () => {
    const calls: string[] = [];
    const ok = (async (url: string, init: RequestInit) => {
      calls.push(`${url} ${init.referrerPolicy}`);
      return new Response(JSON.stringify(EHR_STYLE), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    for (const refused of ['http://ehr.example/style.json', 'javascript:alert(1)', 'not a url']) {
      const error = await loadSmartStyle(refused, { fetch: ok }).catch((e: unknown) => e);
      expect(error, refused).to.be.instanceOf(FhirError);
    }
    await loadSmartStyle('http://127.0.0.1:8080/style.json', { fetch: ok });
    expect(calls).to.deep.equal(['http://127.0.0.1:8080/style.json no-referrer']);
  });
});
