// An HTTP function: GET /fn/web-stack?name=Ada answers "Hello Ada!" as text.
exports.handler = async (event) => {
  const name = (event.queryStringParameters || {}).name || 'World';
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: `Hello ${name}!` };
};
