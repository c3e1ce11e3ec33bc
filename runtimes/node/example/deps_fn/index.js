// A function with an npm dependency (package.json, no node_modules): `cloudfunc deploy` installs it before upload.
const isNumber = require('is-number');

exports.check = (event) => ({ value: event.value ?? null, isNumber: isNumber(event.value) });
