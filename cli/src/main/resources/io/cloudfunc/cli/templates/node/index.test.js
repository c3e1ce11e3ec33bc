// A local test, no platform needed: node --test (in this folder)
const test = require('node:test');
const assert = require('node:assert');
const { handler } = require('./index.js');
const event = require('./event.json');

test('greets the name of the example event', async () => {
  assert.deepStrictEqual(await handler(event, {}), { message: 'Hello Alice!' });
});

test('greets the world without a name', async () => {
  assert.deepStrictEqual(await handler({}, {}), { message: 'Hello World!' });
});
