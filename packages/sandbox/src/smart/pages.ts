/**
 * The HTML pages of the sandbox authorization server: the standalone-launch
 * patient picker and the error page shown when a request cannot be redirected
 * back to the app (RFC 6749 §4.1.2.1). Self-contained: inline CSS, no
 * scripts, no external resources; every interpolated value is HTML-escaped.
 */
import type { SmartPatientChoice } from './types.js';

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLES = `
  :root { color-scheme: light dark; --accent: #0b5cad; --border: #8a8f98; --muted: #4b5563; --surface: #ffffff; --page: #f3f4f6; --text: #111827; --danger: #a4262c; }
  @media (prefers-color-scheme: dark) {
    :root { --accent: #8ab4f8; --border: #6b7280; --muted: #c4c8cf; --surface: #1f2430; --page: #121620; --text: #f3f4f6; --danger: #f28b82; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--page); color: var(--text); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 40rem; margin: 2rem auto; padding: 1.5rem; background: var(--surface); border: 1px solid var(--border); border-radius: 8px; }
  h1 { font-size: 1.5rem; margin: 0 0 0.5rem; }
  p { margin: 0 0 1rem; }
  .muted { color: var(--muted); font-size: 0.9rem; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
  ul { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; gap: 0.5rem; }
  button { font: inherit; color: inherit; cursor: pointer; }
  .patient { width: 100%; display: grid; gap: 0.125rem; text-align: start; padding: 0.75rem 1rem; background: transparent; border: 1px solid var(--border); border-radius: 6px; }
  .patient:hover { border-color: var(--accent); }
  .patient:focus-visible, .cancel:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
  .name { font-weight: 600; color: var(--accent); }
  .details { color: var(--muted); font-size: 0.9rem; }
  .cancel { padding: 0.5rem 1rem; background: transparent; border: 1px solid var(--border); border-radius: 6px; }
  .error { color: var(--danger); font-weight: 600; }
  @media (forced-colors: active) { .patient, .cancel, main { border-color: CanvasText; } .name { color: LinkText; } }
  @media (prefers-reduced-motion: no-preference) { .patient { transition: border-color 120ms ease-out; } }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ehr-elements sandbox</title>
<style>${STYLES}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** What the patient picker shows and where it posts. */
export interface PatientPickerPage {
  /** Absolute URL of the select endpoint the form posts to. */
  action: string;
  /** Opaque id of the pending authorization held server-side. */
  transaction: string;
  clientId: string;
  /** The scopes that will be granted once a patient is chosen. */
  scopes: readonly string[];
  patients: readonly SmartPatientChoice[];
  /** A problem with the previous submission, announced above the list. */
  error?: string;
}

/**
 * The standalone-launch patient picker (SMART 2.2.0 "Standalone Launch" with
 * `launch/patient`): one form, one submit button per patient whose accessible
 * name is the patient's name and details, plus a cancel button.
 */
export function renderPatientPicker(options: PatientPickerPage): string {
  const items = options.patients
    .map((patient) => {
      const details = [
        patient.gender ? capitalize(patient.gender) : undefined,
        patient.birthDate ? `born ${patient.birthDate}` : undefined,
        `Patient/${patient.id}`,
      ].filter((part): part is string => part !== undefined);
      return `<li><button class="patient" type="submit" name="patient" value="${escapeHtml(patient.id)}"><span class="name">${escapeHtml(patient.name)}</span> <span class="details">${escapeHtml(details.join(' · '))}</span></button></li>`;
    })
    .join('\n');
  const list =
    options.patients.length > 0
      ? `<ul aria-labelledby="patients-heading">\n${items}\n</ul>`
      : '<p class="error" role="alert">The sandbox has no patients to choose from. Generate a record and try again.</p>';
  return page(
    'Choose a patient',
    `<h1>Choose a patient</h1>
<p><strong>${escapeHtml(options.clientId)}</strong> is asking to open one patient's record.
This is the local sandbox: synthetic data, no sign-in.</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>\n` : ''}<p class="muted">Access that will be granted: <code>${escapeHtml(options.scopes.join(' ') || '(none)')}</code></p>
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="transaction" value="${escapeHtml(options.transaction)}">
<h2 id="patients-heading" class="muted">Patients</h2>
${list}
<button class="cancel" type="submit" name="decision" value="deny">Cancel and return to the app</button>
</form>`,
  );
}

/** A page for an authorization error that must not be redirected to the app (RFC 6749 §4.1.2.1). */
export function renderErrorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p class="muted">The request was not sent back to the app because its redirect address could not be trusted,
or the sign-in step had already finished. Start the launch again from the app or the sandbox launcher.</p>`,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
