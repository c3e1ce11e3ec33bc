// A local test, no platform needed: node --test (in this folder)
const test = require('node:test');
const assert = require('node:assert');
const { handler } = require('./index.js');

// the example request: GET /fn/__NAME__?name=Alice as the function gets it
const request = () => structuredClone(require('./request.json'));

test('greets the name in the query', async () => {
  assert.deepStrictEqual(await handler(request(), {}),
    { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'Hello Alice!' });
});

test('greets the world without a name', async () => {
  const event = request();
  delete event.queryStringParameters;
  assert.strictEqual((await handler(event, {})).body, 'Hello World!');
});

test('refuses other methods', async () => {
  const event = request();
  event.requestContext.http.method = 'DELETE';
  const response = await handler(event, {});
  assert.strictEqual(response.statusCode, 405);
  assert.deepStrictEqual(response.headers, { allow: 'GET' });
});
