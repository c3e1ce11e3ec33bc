// The example Node function: `handler` in index.js is the default handler (index.handler).
exports.handler = async (event, context) => {
  console.log(`greeting for invocation ${context.invocationId}`);
  return `Hello ${event.name ?? 'World'}!`;
};
