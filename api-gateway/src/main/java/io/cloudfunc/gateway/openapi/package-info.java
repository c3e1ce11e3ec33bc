/**
 * The OpenAPI document (springdoc): {@code /v3/api-docs}, {@code /swagger-ui.html}. The controllers relay bytes, so
 * the operations' bodies, answers and examples are described here, in one place, with the contracts' records as
 * schemas; {@code docs/openapi.json} is a copy a test keeps current.
 */
package io.cloudfunc.gateway.openapi;
