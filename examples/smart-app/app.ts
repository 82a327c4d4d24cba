import '@ehr-elements/elements/define.js';
