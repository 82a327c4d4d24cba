import { FhirError } from './fhir-source.js';
import { isLoopback } from './http.js';

/**
 * The style document an EHR names with `smart_style_url` (SMART App Launch 2.2, "Styling":
 * an app "SHOULD" match the EHR's look; every property is optional and more may appear).
 */
export interface SmartStyle {
  color_background?: string;
  color_error?: string;
  color_highlight?: string;
  color_modal_backdrop?: string;
  color_success?: string;
  color_text?: string;
  dim_border_radius?: string;
  dim_font_size?: string;
  dim_spacing_size?: string;
  font_family_body?: string;
  font_family_heading?: string;
}

// The document is data from another system: only values that are plainly a colour, a
// length or a font list are used, so nothing else (url(), expressions, `;`) reaches CSS.
const COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\(\s*[\d.\s,%/+-]+\)|[a-z]{3,24})$/i;
const LENGTH = /^(0|\d{1,4}(\.\d{1,4})?(px|rem|em|%))$/;
const FONT_LIST = /^[\w\s"',-]{1,200}$/;

function pick(value: unknown, pattern: RegExp): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return pattern.test(trimmed) ? trimmed : undefined;
}

/** Relative luminance of a #rgb / #rrggbb colour (WCAG 2.x definition), or undefined. */
function luminance(color: string): number | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (!hex) return undefined;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const channel = parseInt(full.slice(i, i + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * The ehr-elements design tokens (`--ehr-*` custom properties) a SMART style document asks
 * for. Values that are not a plain colour, length or font list are left out. A light or
 * dark `color_background` also fixes `--ehr-color-scheme`, so tokens the EHR did not set
 * match its scheme rather than the user's OS setting.
 */
export function smartStyleTokens(style: unknown): Record<string, string> {
  if (typeof style !== 'object' || style === null || Array.isArray(style)) return {};
  const s = style as Record<string, unknown>;
  const tokens: Record<string, string> = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) tokens[name] = value;
  };
  const background = pick(s.color_background, COLOR);
  set('--ehr-color-surface', background);
  set('--ehr-color-text', pick(s.color_text, COLOR));
  const highlight = pick(s.color_highlight, COLOR);
  set('--ehr-color-accent', highlight);
  set('--ehr-color-focus', highlight);
  set('--ehr-color-danger', pick(s.color_error, COLOR));
  set('--ehr-radius', pick(s.dim_border_radius, LENGTH));
  set('--ehr-font-family', pick(s.font_family_body, FONT_LIST));
  const light = background === undefined ? undefined : luminance(background);
  if (light !== undefined) tokens['--ehr-color-scheme'] = light > 0.4 ? 'light' : 'dark';
  return tokens;
}

/**
 * Reads the EHR's style document and returns its tokens (see {@link smartStyleTokens}).
 * No credentials are sent: the document is public styling, and the access token is never
 * sent anywhere but the FHIR server. Rejects with a FhirError when it cannot be read.
 */
export async function loadSmartStyle(
  url: string,
  options: { signal?: AbortSignal; fetch?: typeof fetch } = {},
): Promise<Record<string, string>> {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  // https (or http on this machine; or a document already in the page: blob:, data:): the
  // document restyles the app, so it must arrive unaltered. No referrer: the app's address
  // can carry launch parameters.
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const local = parsed?.protocol === 'blob:' || parsed?.protocol === 'data:';
  if (!parsed || !(local || parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed)))) {
    throw new FhirError('invalid-response', 'The EHR style address is not an https address; it was not requested.', { url });
  }
  let response: Response;
  try {
    response = await fetchImpl(url, { credentials: 'omit', referrerPolicy: 'no-referrer', headers: { Accept: 'application/json' }, signal: options.signal });
  } catch (error) {
    throw new FhirError(options.signal?.aborted ? 'aborted' : 'network', 'The EHR style could not be loaded.', { url, cause: error });
  }
  if (!response.ok) {
    throw new FhirError('server', `The EHR style could not be loaded (HTTP ${response.status}).`, { status: response.status, url });
  }
  try {
    return smartStyleTokens(await response.json());
  } catch (error) {
    throw new FhirError('invalid-response', 'The EHR style is not valid JSON.', { url, cause: error });
  }
}
