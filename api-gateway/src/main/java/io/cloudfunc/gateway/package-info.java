/**
 * The api-gateway: entry point and configuration. Features: {@code function} (deploy, list, describe, delete),
 * {@code invocation} (invoke, invocation records), {@code downstream} (HTTP clients of the registry and scheduler)
 * and {@code web} (problem details, multipart limits).
 */
package io.cloudfunc.gateway;
