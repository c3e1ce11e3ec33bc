// Called once per invocation with the event (parsed JSON); the returned value (or promise) is the result.
exports.handler = async (event, context) => {
  const name = event && typeof event === 'object' && event.name ? event.name : 'World';
  return { message: `Hello ${name}!` };
};
