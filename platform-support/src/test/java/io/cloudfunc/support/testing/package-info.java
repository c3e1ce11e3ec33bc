/**
 * Helpers for the services' integration tests, shipped in this module's test-jar: e.g.
 * {@link io.cloudfunc.support.testing.RabbitVhost}, a vhost of a test class's own on the local RabbitMQ, and
 * {@link io.cloudfunc.support.testing.TestDocuments}, inputs several modules build alike.
 */
package io.cloudfunc.support.testing;
