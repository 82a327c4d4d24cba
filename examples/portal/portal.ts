// The tags are all a portal needs; this script only lets the sandbox launcher point
// the page at another server or patient through the query string.
import '@ehr-elements/elements/define.js';

const query = new URLSearchParams(location.search);
const context = document.querySelector('ehr-context')!;
const server = query.get('server');
const patient = query.get('patient');
if (server) context.setAttribute('server', server);
if (patient) context.setAttribute('patient', patient);
else document.getElementById('hint')!.hidden = false;
