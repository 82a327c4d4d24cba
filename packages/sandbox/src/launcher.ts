// The launcher page: the sandbox's stand-in for an EHR's app menu. It lists the patients
// with launch links into the example apps and the values a developer needs to point
// their own SMART app or portal at this sandbox.

export interface LauncherPatient {
  id: string;
  name: string;
  birthDate?: string;
  gender?: string;
  resourceCount: number;
}

export interface LauncherModel {
  patients: LauncherPatient[];
  fhirBaseUrl: string;
  openFhirBaseUrl: string;
  authBaseUrl: string;
  appsBaseUrl: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and attribute values (all patient data is untrusted). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export function renderLauncher(model: LauncherModel): string {
  const { appsBaseUrl, fhirBaseUrl, openFhirBaseUrl, authBaseUrl } = model;
  const standalone = `${appsBaseUrl}/smart-app/launch.html?iss=${encodeURIComponent(fhirBaseUrl)}`;
  const rows = model.patients
    .map((p) => {
      const ehrLaunch = `/launch?patient=${encodeURIComponent(p.id)}&app=smart-app`;
      const embedded = `${ehrLaunch}&banner=ehr`;
      const portal = `${appsBaseUrl}/portal/?server=${encodeURIComponent(openFhirBaseUrl)}&patient=${encodeURIComponent(p.id)}`;
      return `<tr>
  <th scope="row">${escapeHtml(p.name)}</th>
  <td>${escapeHtml(p.birthDate ?? '')}</td>
  <td>${escapeHtml(p.gender ?? '')}</td>
  <td><code>${escapeHtml(p.id)}</code></td>
  <td class="num">${escapeHtml(p.resourceCount.toLocaleString('en-US'))}</td>
  <td>
    <a href="${escapeHtml(ehrLaunch)}" aria-label="EHR launch of the SMART app for ${escapeHtml(p.name)}">EHR launch</a>
    · <a href="${escapeHtml(embedded)}" aria-label="EHR launch, EHR shows its own banner, for ${escapeHtml(p.name)}">EHR launch, banner by EHR</a>
    · <a href="${escapeHtml(portal)}" aria-label="Portal page for ${escapeHtml(p.name)}">Portal</a>
  </td>
</tr>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ehr-elements sandbox launcher</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
  body { margin: 0; } main { max-width: 80rem; margin: 0 auto; padding: 1.5rem; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #8884; vertical-align: top; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
  code { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
</style>
</head>
<body>
<main>
<h1>ehr-elements sandbox</h1>
<p>A local FHIR R4 server with synthetic patients and a SMART App Launch 2.2 authorization server. Nothing here leaves this machine.</p>
<h2>Patients</h2>
<table>
<thead><tr><th scope="col">Name</th><th scope="col">Born</th><th scope="col">Sex</th><th scope="col">Id</th><th scope="col">Resources</th><th scope="col">Open</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>Standalone launch</h2>
<p><a href="${escapeHtml(standalone)}">Launch the SMART app standalone</a>: the app starts without an EHR and you pick a patient.</p>
<h2>Configure your own app</h2>
<dl>
  <dt>FHIR base URL (SMART, token required)</dt><dd><code>${escapeHtml(fhirBaseUrl)}</code></dd>
  <dt>SMART configuration</dt><dd><code>${escapeHtml(fhirBaseUrl)}/.well-known/smart-configuration</code></dd>
  <dt>Authorize endpoint</dt><dd><code>${escapeHtml(authBaseUrl)}/authorize</code></dd>
  <dt>Token endpoint</dt><dd><code>${escapeHtml(authBaseUrl)}/token</code></dd>
  <dt>Open FHIR base URL (no auth)</dt><dd><code>${escapeHtml(openFhirBaseUrl)}</code></dd>
  <dt>Client id</dt><dd>any, e.g. <code>ehr-elements-example</code> (public client, no secret)</dd>
  <dt>Redirect URIs</dt><dd>any http(s) URL on localhost, 127.0.0.1 or [::1]</dd>
  <dt>PKCE</dt><dd>required, <code>S256</code> only</dd>
  <dt>Scopes</dt><dd><code>launch launch/patient patient/*.rs openid fhirUser offline_access</code> (SMART v1 <code>.read</code> scopes work too)</dd>
  <dt>EHR launch URL</dt><dd><code>/launch?patient=&lt;id&gt;&amp;app=&lt;folder under examples/&gt;</code> redirects to <code>launch.html?iss=…&amp;launch=…</code></dd>
</dl>
</main>
</body>
</html>`;
}
