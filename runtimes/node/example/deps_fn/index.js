// A function with an npm dependency (package.json, no node_modules): the platform installs it at deploy.
const isNumber = require('is-number');

exports.check = (event) => ({ value: event.value ?? null, isNumber: isNumber(event.value) });
