/**
 * The function registry: the one owner of CloudFunc's PostgreSQL database. {@code function} stores functions,
 * versions and code archives and announces changes on RabbitMQ; {@code invocation} keeps invocation records;
 * {@code problem} turns every error into an RFC 9457 problem detail.
 */
package io.cloudfunc.registry;
