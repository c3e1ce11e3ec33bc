/**
 * The web dashboard: a static page of the gateway ({@code /dashboard/}) that shows functions, invocations,
 * statistics and instances through the public API, with the API key its user signs in with.
 */
package io.cloudfunc.gateway.dashboard;
