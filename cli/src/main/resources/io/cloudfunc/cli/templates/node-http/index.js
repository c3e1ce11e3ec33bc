// An HTTP function: a request to /fn/__NAME__ (any path below it too) calls it with the request as the event (AWS
// Lambda's function URL payload 2.0); an object with a statusCode is the response.
exports.handler = async (event, context) => {
  const method = event.requestContext && event.requestContext.http ? event.requestContext.http.method : undefined;
  if (method !== 'GET') {
    return { statusCode: 405, headers: { allow: 'GET' }, body: { error: `${method} is not allowed` } };
  }
  const name = (event.queryStringParameters || {}).name || 'World';
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: `Hello ${name}!` };
};
