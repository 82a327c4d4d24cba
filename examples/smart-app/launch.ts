// SMART App Launch 2.2, step "Obtain authorization code": the EHR (EHR launch) or the
// user (standalone launch) opens launch.html with `iss` (and `launch`); the app then
// redirects to the server's authorize endpoint. PKCE S256 is required by launchSmartApp.
import { launchSmartApp } from '@ehr-elements/core/smart';

const status = document.getElementById('status')!;
const query = new URLSearchParams(location.search);

if (!query.get('iss')) {
  status.textContent =
    'Open this app from an EHR or the sandbox launcher: launch.html needs an "iss" parameter naming the FHIR server.';
} else {
  launchSmartApp({
    clientId: 'ehr-elements-example',
    scope: 'launch launch/patient patient/*.rs openid fhirUser offline_access',
    redirectUri: new URL('./index.html', location.href).href,
  }).catch((error: unknown) => {
    status.setAttribute('role', 'alert');
    status.textContent = `The app could not start: ${error instanceof Error ? error.message : String(error)}`;
  });
}
